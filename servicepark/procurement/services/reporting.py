"""Reports and service records of a contract, beneficiary feedback, and the scheduled run
that reminds providers of reports coming due and marks the overdue ones."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from servicepark.accounts.roles import Role
from servicepark.common.actors import SystemActor
from servicepark.common.audit import audit_record
from servicepark.common.inputs import rating
from servicepark.common.money import AmountError, parse_yuan
from servicepark.common.permissions import require_permission
from servicepark.procurement.models import (
    Contract,
    ExpenseLine,
    Report,
    ServiceRecord,
    Survey,
    SurveyResponse,
)

VARIANCE_FLAG = Decimal("0.10")  # spending 10 % off a budget line is flagged
REMIND_DAYS = 7
CURRENCY = "CNY"


@dataclass
class ExpenseInput:
    item: str
    budgeted: Any
    spent: Any
    currency: str = CURRENCY


def variance_flagged(line: ExpenseLine) -> bool:
    if line.budgeted == 0:
        return line.spent != 0
    return abs(line.spent - line.budgeted) > line.budgeted * VARIANCE_FLAG


def report_submit(
    *, actor: Any, report: Report, summary: str, expenses: list[ExpenseInput] | None = None
) -> Report:
    summary = (summary or "").strip()
    if not summary or len(summary) > 10000 or "\x00" in summary:
        raise ValidationError(_("Write the report (at most 10,000 characters)."))
    lines: list[tuple[str, Any, Any]] = []
    problems = []
    for n, e in enumerate(expenses or [], start=1):
        if (e.currency or "").strip().upper() not in (CURRENCY, "RMB", "人民币", "元"):
            problems.append(
                _(
                    "Expense line %(n)d is in %(c)s: record expenses in yuan (CNY), "
                    "converted at the rate of the day paid."
                )
                % {"n": n, "c": e.currency[:10]}
            )
            continue
        try:
            lines.append((e.item.strip()[:200], parse_yuan(e.budgeted), parse_yuan(e.spent)))
        except AmountError as exc:
            problems.append(_("Expense line %(n)d: %(p)s") % {"n": n, "p": exc.message})
        if not e.item.strip():
            problems.append(_("Expense line %(n)d needs its budget line.") % {"n": n})
    if report.kind == Report.Kind.FINANCIAL and not expenses:
        problems.append(_("A financial report lists its expenses against the budget lines."))
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        locked = Report.objects.select_for_update().select_related("contract").get(pk=report.pk)
        require_permission("contract.provide", actor, locked.contract)
        if locked.submitted_at is not None:
            raise ValidationError(_("This report is already submitted."))
        locked.summary, locked.submitted_at = summary, timezone.now()
        locked.save(update_fields=["summary", "submitted_at", "updated_at"])
        rows = ExpenseLine.objects.bulk_create(
            ExpenseLine(report=locked, item=i, budgeted=b, spent=s) for i, b, s in lines
        )
        audit_record(
            actor=actor,
            action="report.submit",
            obj=locked,
            after={
                "kind": locked.kind,
                "late": locked.overdue_since is not None,
                "expenses": [[r.item, r.budgeted, r.spent] for r in rows],
                "flagged": [r.item for r in rows if variance_flagged(r)],
            },
        )
    return locked


def reports_remind(*, actor: Any, today: dt.date | None = None) -> tuple[int, int]:
    """Remind the provider's admins of reports due within a week (once), and mark reports
    overdue the day after they fall due. Idempotent: (reminded, marked overdue)."""
    from servicepark.accounts.models import Grant

    day = today or timezone.localdate()
    reminded = overdue = 0
    due_soon = Report.objects.filter(
        submitted_at__isnull=True,
        reminded_at__isnull=True,
        due_on__gte=day,
        due_on__lte=day + dt.timedelta(days=REMIND_DAYS),
        contract__state__in=[Contract.State.SIGNED, Contract.State.ACTIVE],
    ).select_related("contract")
    for report in due_soon:
        with transaction.atomic():
            locked = Report.objects.select_for_update().get(pk=report.pk)
            if locked.reminded_at is not None:
                continue
            emails = list(
                Grant.objects.filter(
                    role=Role.ORG_ADMIN, organization_id=report.contract.provider_id
                )
                .exclude(user__email="")
                .values_list("user__email", flat=True)
            )
            if emails:
                send_mail(
                    _("Report due on %(d)s: %(c)s")
                    % {"d": report.due_on, "c": report.contract.title},
                    _("The %(k)s for contract %(n)s is due on %(d)s.")
                    % {
                        "k": report.get_kind_display(),
                        "n": report.contract.number,
                        "d": report.due_on,
                    },
                    None,
                    emails,
                    fail_silently=True,
                )
            locked.reminded_at = timezone.now()
            locked.save(update_fields=["reminded_at", "updated_at"])
            audit_record(actor=actor, action="report.remind", obj=locked, after={"to": len(emails)})
            reminded += 1
    late = Report.objects.filter(
        submitted_at__isnull=True, overdue_since__isnull=True, due_on__lt=day
    ).exclude(contract__state__in=[Contract.State.DRAFT, Contract.State.TERMINATED])
    for report in late:
        with transaction.atomic():
            locked = Report.objects.select_for_update().get(pk=report.pk)
            if locked.overdue_since is not None or locked.submitted_at is not None:
                continue
            locked.overdue_since = locked.due_on + dt.timedelta(days=1)
            locked.save(update_fields=["overdue_since", "updated_at"])
            audit_record(
                actor=actor,
                action="report.overdue",
                obj=locked,
                after={"overdue_since": locked.overdue_since},
            )
            overdue += 1
    return reminded, overdue


def service_record_add(
    *,
    actor: Any,
    contract: Contract,
    held_on: dt.date,
    activity: str,
    people_served: Any,
    volunteers: Any = 0,
) -> ServiceRecord:
    activity = (activity or "").strip()
    if not activity or len(activity) > 200 or "\x00" in activity:
        raise ValidationError(_("Name the activity (at most 200 characters)."))
    try:
        served, helpers = int(people_served), int(volunteers or 0)
    except (TypeError, ValueError):
        raise ValidationError(_("Count people as whole numbers.")) from None
    if not 0 <= served <= 100000 or not 0 <= helpers <= 10000:
        raise ValidationError(_("Count people as whole numbers from zero."))
    if held_on > timezone.localdate():
        raise ValidationError(_("Record activities that have taken place."))
    with transaction.atomic():
        locked = Contract.objects.select_for_update().get(pk=contract.pk)
        require_permission("contract.provide", actor, locked)
        if not locked.starts_on <= held_on <= locked.ends_on:
            raise ValidationError(_("The activity falls outside the contract's term."))
        record = ServiceRecord.objects.create(
            contract=locked,
            held_on=held_on,
            activity=activity,
            people_served=served,
            volunteers=helpers,
        )
        audit_record(
            actor=actor,
            action="service.record",
            obj=record,
            after={
                "held_on": held_on,
                "activity": activity,
                "served": served,
                "volunteers": helpers,
            },
        )
    return record


def survey_answer(*, token: str, satisfaction: Any, comment: str = "") -> SurveyResponse:
    """A beneficiary answers without an account; nothing identifies them."""
    survey = Survey.objects.filter(token=token, open=True).select_related("contract").first()
    if survey is None or survey.contract.state not in (
        Contract.State.SIGNED,
        Contract.State.ACTIVE,
        Contract.State.COMPLETED,
    ):
        raise ValidationError(_("This survey is closed."))
    value = rating(satisfaction)
    comment = (comment or "").strip()
    if len(comment) > 500 or "\x00" in comment:
        raise ValidationError(_("The comment may have at most 500 characters."))
    with transaction.atomic():
        response = SurveyResponse.objects.create(survey=survey, satisfaction=value, comment=comment)
        audit_record(
            actor=SystemActor("anonymous beneficiary"),
            action="survey.answer",
            obj=survey,
            after={"satisfaction": value},
        )
    return response
