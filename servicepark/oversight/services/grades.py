"""Evaluation grades: apply (with the exclusions), expert scores, the grade by the bands,
expiry reminders; the valid grade feeds call eligibility and jury views."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Avg
from django.utils import timezone
from django.utils.translation import gettext as _

from servicepark.accounts.roles import Role
from servicepark.common.audit import audit_record
from servicepark.common.permissions import require_permission
from servicepark.oversight.deadlines import full_years_later, last_due_year
from servicepark.oversight.duties import first_report_year
from servicepark.oversight.models import (
    AnnualReport,
    CreditListing,
    GradeAssessment,
    GradeScore,
    Inspection,
    Sanction,
)
from servicepark.oversight.rules.base import Context
from servicepark.registry.models import Organization

G = GradeAssessment.State


def exclusions(organization: Organization, today: dt.date) -> list[str]:
    """Every reason the organization may not be assessed now."""
    reasons = []
    if organization.founded_on is None or full_years_later(organization.founded_on, 2) > today:
        reasons.append(_("Registered less than two full years ago."))
    year = last_due_year(organization.org_type, today)
    report = AnnualReport.objects.filter(organization=organization, year=year).first()
    owed = year >= first_report_year()
    if (report is None and owed) or (report and report.result == AnnualReport.Result.FAILED):
        reasons.append(_("The annual inspection for %(y)d was missed or failed.") % {"y": year})
    if Inspection.objects.filter(
        organization=organization, passed=False, held_on__gt=today - dt.timedelta(days=365)
    ).exists():
        reasons.append(_("An inspection in the past year found problems."))
    if Sanction.objects.filter(organization=organization, decided_on__year=today.year - 1).exists():
        reasons.append(_("Sanctioned last year."))
    if CreditListing.objects.filter(organization=organization, removed_on__isnull=True).exists():
        reasons.append(_("On a credit list."))
    return reasons


def grade_apply(*, actor: Any, organization: Organization) -> GradeAssessment:
    require_permission("oversight.file", actor, organization)
    today = timezone.localdate()
    with transaction.atomic():
        # The organization's row serializes applications: a double click applies once.
        Organization.objects.select_for_update().filter(pk=organization.pk).first()
        if GradeAssessment.objects.filter(organization=organization, state=G.APPLIED).exists():
            raise ValidationError(_("An assessment of this organization is already under way."))
        reasons = exclusions(organization, today)
        if GradeAssessment.objects.filter(
            organization=organization,
            applied_on=today,
            state=G.EXCLUDED,
            exclusion_reasons=reasons,
        ).exists():
            raise ValidationError(
                _("This organization applied today and was excluded for the same reasons.")
            )
        item = GradeAssessment.objects.create(
            organization=organization,
            applied_on=today,
            applied_by=actor if getattr(actor, "pk", None) else None,
            state=G.EXCLUDED if reasons else G.APPLIED,
            exclusion_reasons=reasons,
        )
        audit_record(
            actor=actor,
            action="grade.apply",
            obj=item,
            after={"state": item.state, "reasons": reasons},
        )
    return item


def grade_score(*, actor: Any, assessment: GradeAssessment, parts: dict[str, Any]) -> GradeScore:
    """One expert's points per part, each from 0 to its maximum."""
    require_permission("grade.score", actor, assessment)
    maxima: dict[str, int] = settings.SERVICEPARK_GRADE_PARTS
    if assessment.state != G.APPLIED:
        raise ValidationError(_("This assessment is not being scored."))
    clean: dict[str, str] = {}
    errors: dict[str, str] = {}
    for part, top in maxima.items():
        try:
            value = Decimal(str(parts.get(part, "")).strip())
        except ArithmeticError:
            value = Decimal(-1)
        if (
            not value.is_finite()
            or not 0 <= value <= top
            or value != value.quantize(Decimal("0.1"))
        ):
            errors[part] = _("Give 0 to %(n)d points (one decimal at most).") % {"n": top}
        else:
            clean[part] = str(value)
    if errors:
        raise ValidationError(errors)
    total = sum((Decimal(v) for v in clean.values()), Decimal(0))
    with transaction.atomic():
        try:
            with transaction.atomic():
                score = GradeScore.objects.create(
                    assessment=assessment, expert=actor, parts=clean, total=total
                )
        except IntegrityError:
            raise ValidationError(_("You have already scored this assessment.")) from None
        audit_record(
            actor=actor, action="grade.score", obj=score, after={"parts": clean, "total": total}
        )
    return score


def band_for(total: Decimal) -> str:
    bands: dict[str, int] = settings.SERVICEPARK_GRADE_BANDS
    for grade, floor in sorted(bands.items(), key=lambda kv: -kv[1]):
        if total >= floor:
            return grade
    return ""


def grade_decide(*, actor: Any, assessment: GradeAssessment) -> GradeAssessment:
    """The grade from the experts' average total, valid five years from today."""
    require_permission("oversight.manage", actor, assessment.organization)
    with transaction.atomic():
        locked = GradeAssessment.objects.select_for_update().get(pk=assessment.pk)
        if locked.state != G.APPLIED:
            raise ValidationError(_("This assessment is not being scored."))
        average = GradeScore.objects.filter(assessment=locked).aggregate(a=Avg("total"))["a"]
        if average is None:
            raise ValidationError(_("No expert has scored this assessment yet."))
        total = Decimal(average).quantize(Decimal("0.1"))
        today = timezone.localdate()
        locked.total, locked.grade = total, band_for(total)
        locked.state = G.GRADED if locked.grade else G.NOT_GRADED
        if locked.grade:
            locked.valid_from = today
            locked.valid_until = full_years_later(
                today, int(settings.SERVICEPARK_GRADE_VALID_YEARS)
            ) - dt.timedelta(days=1)
        locked.decided_by = actor if getattr(actor, "pk", None) else None
        locked.save()
        audit_record(
            actor=actor,
            action="grade.decide",
            obj=locked,
            after={"total": total, "grade": locked.grade, "valid_until": locked.valid_until},
        )
    return locked


def grade_record_existing(
    *, actor: Any, organization: Organization, grade: str, awarded_on: Any, reference: str
) -> GradeAssessment:
    """Enter a grade awarded before the platform (from the paper register), with the number
    of the decision, so that its five years and its expiry are tracked here."""
    from servicepark.oversight.services.common import past_date, text
    from servicepark.procurement.eligibility import GRADES

    require_permission("oversight.manage", actor, organization)
    if grade not in GRADES:
        raise ValidationError({"grade": _("Choose a grade from 1A to 5A.")})
    day = past_date(awarded_on, _("the day the grade was awarded"))
    reference = text(reference, _("the decision number"), limit=100)
    with transaction.atomic():
        item = GradeAssessment.objects.create(
            organization=organization,
            applied_on=day,
            state=G.GRADED,
            grade=grade,
            valid_from=day,
            valid_until=full_years_later(day, int(settings.SERVICEPARK_GRADE_VALID_YEARS))
            - dt.timedelta(days=1),
            exclusion_reasons=[],
            decided_by=actor if getattr(actor, "pk", None) else None,
        )
        audit_record(
            actor=actor,
            action="grade.record_existing",
            obj=item,
            after={
                "grade": grade,
                "awarded_on": day,
                "reference": reference,
                "valid_until": item.valid_until,
            },
        )
    return item


def valid_grade(organization: Organization, on: dt.date | None = None) -> GradeAssessment | None:
    day = on or timezone.localdate()
    return (
        GradeAssessment.objects.filter(
            organization=organization, state=G.GRADED, valid_from__lte=day, valid_until__gte=day
        )
        .order_by("-valid_from")
        .first()
    )


def remind_expiring(ctx: Context, actor: Any) -> int:
    """Tell the admins of organizations whose grade expires within the notice period, once.
    The reminder dates are set in one statement, with an audit event for each grade."""
    from collections import defaultdict

    from servicepark.accounts.models import Grant
    from servicepark.common.audit import Entry, audit_record_many
    from servicepark.oversight.rules.base import chunked

    notice = dt.timedelta(days=int(settings.SERVICEPARK_GRADE_NOTICE_DAYS))
    due = list(
        ctx.only(
            GradeAssessment.objects.filter(
                state=G.GRADED,
                reminded_on__isnull=True,
                valid_until__gte=ctx.as_of,
                valid_until__lte=ctx.as_of + notice,
            )
        )
        .order_by("id")
        .values_list(
            "id",
            "organization_id",
            "grade",
            "valid_until",
            "organization__name",
            "organization__division_id",
        )
    )
    if not due:
        return 0
    emails: dict[int, list[str]] = defaultdict(list)
    for batch in chunked(sorted({org for _pk, org, *_rest in due})):
        for org, email in (
            Grant.objects.filter(role=Role.ORG_ADMIN, organization_id__in=batch)
            .exclude(user__email="")
            .values_list("organization_id", "user__email")
        ):
            emails[org].append(email)
    for _pk, org, grade, valid_until, name, _division in due:
        if emails[org]:
            send_mail(
                _("Your evaluation grade expires on %(d)s") % {"d": valid_until},
                _(
                    "The %(g)s grade of %(o)s is valid until %(d)s. Apply for a new assessment "
                    "in time."
                )
                % {"g": grade, "o": name, "d": valid_until},
                None,
                emails[org],
                fail_silently=True,
            )
    with transaction.atomic():
        now = timezone.now()
        for batch in chunked([pk for pk, *_rest in due]):
            GradeAssessment.objects.filter(pk__in=batch).update(
                reminded_on=ctx.as_of, updated_at=now
            )
        audit_record_many(
            actor=actor,
            action="grade.remind",
            entries=[
                Entry(
                    "oversight.gradeassessment",
                    pk,
                    str(division or ""),
                    after={"to": len(emails[org])},
                )
                for pk, org, _g, _v, _n, division in due
            ],
        )
    return len(due)


def grade_lookup(organization: Organization) -> str | None:
    item = valid_grade(organization)
    return item.grade if item else None


__all__ = ["grade_apply", "grade_decide", "grade_lookup", "grade_score", "remind_expiring"]
