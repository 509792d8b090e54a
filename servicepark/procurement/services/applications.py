"""Applications: draft, submit (idempotent, on time, checked), withdraw."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from servicepark.accounts.roles import Role
from servicepark.accounts.scoping import user_organization_ids
from servicepark.common.audit import audit_record
from servicepark.common.money import CENT, AmountError, parse_yuan
from servicepark.common.permissions import require_permission
from servicepark.procurement.eligibility import screen
from servicepark.procurement.models import (
    RESTRICTED_METHODS,
    Application,
    ApplicationVersion,
    Call,
    Screening,
)
from servicepark.registry.models import AssociationMember, Organization
from servicepark.registry.models.choices import FIELD_BITS, mask_to_fields

CONTENT_KEYS = {
    "title",
    "summary",
    "beneficiaries",
    "targets",
    "activities",
    "budget_lines",
    "governance",
    "field",
}
GOVERNANCE = ("leading_group", "advisory_board", "project_office")


def _may_apply_for(actor: Any, organization: Organization) -> Organization:
    """Who files: the organization itself, or the umbrella association acting for it."""
    if getattr(actor, "is_superuser", False):
        return organization
    if organization.pk in user_organization_ids(actor, [Role.ORG_ADMIN]):
        return organization
    umbrellas = user_organization_ids(actor, [Role.ASSOCIATION_STAFF])
    if organization.umbrella_id in umbrellas:
        return Organization.objects.get(pk=organization.umbrella_id)
    link = (
        AssociationMember.objects.filter(
            member=organization, association_id__in=umbrellas, ended_on__isnull=True
        )
        .select_related("association")
        .first()
    )
    if link is not None:
        return link.association
    raise PermissionDenied(
        _(
            "You may apply only for your own organization, or for a member or attached "
            "organization of your association."
        )
    )


def window_open(call: Call) -> None:
    now = timezone.now()
    if call.state != Call.State.PUBLISHED:
        raise ValidationError(_("This call is not open for applications."))
    if now < call.opens_at:
        raise ValidationError(
            _("Applications open at %(t)s (Beijing time).")
            % {"t": timezone.localtime(call.opens_at).strftime("%Y-%m-%d %H:%M:%S")}
        )
    if now >= call.closes_at:
        raise ValidationError(
            _(
                "The deadline (%(t)s, Beijing time) has passed; nothing more "
                "can be submitted or changed."
            )
            % {"t": timezone.localtime(call.closes_at).strftime("%Y-%m-%d %H:%M:%S")}
        )


def application_start(*, actor: Any, call: Call, organization: Organization) -> Application:
    applicant = _may_apply_for(actor, organization)
    window_open(call)
    if call.method in RESTRICTED_METHODS and not call.invited.filter(pk=organization.pk).exists():
        raise ValidationError(
            _("This is a %(method)s call: only the invited organizations may apply.")
            % {"method": call.get_method_display()}
        )
    with transaction.atomic():
        try:
            with transaction.atomic():
                application = Application.objects.create(
                    call=call,
                    organization=organization,
                    applicant=applicant,
                    created_by=actor if getattr(actor, "pk", None) else None,
                )
        except IntegrityError:
            raise ValidationError(
                _("This organization already has an application for this call.")
            ) from None
        audit_record(
            actor=actor,
            action="application.create",
            obj=application,
            after={"call": call.pk, "organization": organization.pk, "applicant": applicant.pk},
        )
    return application


def _amount(value: Any, where: str, problems: list[str]) -> Decimal:
    try:
        return parse_yuan(value)
    except AmountError as exc:
        problems.append(_("%(where)s: %(problem)s") % {"where": where, "problem": exc.message})
        return Decimal(0)


def content_field(call: Call, content: Any) -> tuple[str, str | None]:
    """The application's field of service (used for the call's per-field limits), and a
    problem if it is missing or outside the call's fields."""
    allowed = mask_to_fields(call.fields)
    chosen = content.get("field") if isinstance(content, dict) else None
    if not chosen:
        if len(allowed) <= 1:
            return (allowed[0] if allowed else ""), None
        return "", _("Choose the project's field of service.")
    if not isinstance(chosen, str) or (allowed and chosen not in allowed):
        return "", _("The field of service must be one of the call's fields.")
    if not allowed and chosen not in FIELD_BITS:
        return "", _("Unknown field of service.")
    return chosen, None


def check_content(call: Call, content: Any) -> tuple[Decimal, Decimal, list[str]]:
    """(requested total, matching total, problems) of an application's content."""
    problems: list[str] = []
    if not isinstance(content, dict) or set(content) - CONTENT_KEYS:
        return Decimal(0), Decimal(0), [_("The application has unexpected parts.")]
    for key in ("title", "summary", "beneficiaries", "targets"):
        text = content.get(key)
        if not isinstance(text, str) or not text.strip():
            problems.append(_("Fill in: %(part)s.") % {"part": key})
        elif len(text) > 5000:
            problems.append(_("%(part)s is longer than 5,000 characters.") % {"part": key})
    activities = content.get("activities")
    if (
        not isinstance(activities, list)
        or not activities
        or not all(isinstance(a, str) and a.strip() for a in activities)
    ):
        problems.append(_("List the activities."))
    lines = content.get("budget_lines")
    requested = matching = Decimal("0.00")
    if not isinstance(lines, list) or not lines:
        problems.append(_("Give at least one budget line."))
        lines = []
    for n, line in enumerate(lines, start=1):
        where = _("budget line %(n)d") % {"n": n}
        if not isinstance(line, dict) or not str(line.get("item", "")).strip():
            problems.append(_("%(where)s needs an item and amounts.") % {"where": where})
            continue
        requested += _amount(line.get("requested", "0"), where, problems)
        sources = line.get("matching") or {}
        if not isinstance(sources, dict):
            problems.append(_("%(where)s: matching funds are given by source.") % {"where": where})
            continue
        for source, value in sources.items():
            matching += _amount(value, f"{where} ({source})", problems)
    if requested > call.per_project_cap:
        problems.append(
            _("The request of %(r)s yuan is above the call's cap of %(c)s.")
            % {"r": requested, "c": call.per_project_cap}
        )
    if lines and requested < call.per_project_min:
        problems.append(
            _("The request of %(r)s yuan is below the call's minimum of %(m)s.")
            % {"r": requested, "m": call.per_project_min}
        )
    needed = (requested * call.matching_ratio).quantize(CENT)
    if matching < needed:
        problems.append(
            _(
                "Matching funds of %(m)s yuan are below the required %(pct)s%% of the "
                "request (%(n)s yuan)."
            )
            % {"m": matching, "pct": (call.matching_ratio * 100).normalize(), "n": needed}
        )
    _field, field_problem = content_field(call, content)
    if field_problem:
        problems.append(field_problem)
    governance = content.get("governance")
    if not isinstance(governance, dict) or any(
        not isinstance(governance.get(k), list) or not governance.get(k) for k in GOVERNANCE
    ):
        problems.append(
            _("Name the members of the project's leading group, advisory board and project office.")
        )
    return requested, matching, problems


def application_save_draft(
    *, actor: Any, application: Application, content: dict[str, Any]
) -> Application:
    """Drafts may be incomplete; they can be edited until the deadline."""
    require_permission("application.edit", actor, application)
    with transaction.atomic():
        locked = (
            Application.objects.select_for_update().select_related("call").get(pk=application.pk)
        )
        window_open(locked.call)
        if locked.state == Application.State.WITHDRAWN:
            raise ValidationError(_("A withdrawn application cannot be changed."))
        requested, matching, _problems = check_content(locked.call, content)
        before = {"content": locked.content}
        locked.content = content
        locked.requested_total, locked.matching_total = requested, matching
        locked.field = content_field(locked.call, content)[0]
        locked.save(
            update_fields=["content", "requested_total", "matching_total", "field", "updated_at"]
        )
        audit_record(
            actor=actor,
            action="application.save",
            obj=locked,
            before=before,
            after={"content": content},
        )
    return locked


def application_submit(
    *, actor: Any, application: Application, submission_key: str
) -> ApplicationVersion:
    """Submit the current content as a new version. The same key returns the same version
    (a double click or a retried request submits once). Refused after the deadline, to the
    second, and when the content breaks the call's rules."""
    require_permission("application.edit", actor, application)
    key = submission_key.strip()[:64]
    if not key:
        raise ValidationError(_("A submission key is required."))
    with transaction.atomic():
        locked = (
            Application.objects.select_for_update()
            .select_related("call", "organization")
            .get(pk=application.pk)
        )
        existing = locked.versions.filter(submission_key=key).first()
        if existing is not None:
            return existing
        window_open(locked.call)
        if locked.state == Application.State.WITHDRAWN:
            raise ValidationError(_("A withdrawn application cannot be submitted."))
        requested, matching, problems = check_content(locked.call, locked.content)
        attached = set(
            locked.attachments.filter(removed_at__isnull=True).values_list("label", flat=True)
        )
        missing = [d for d in locked.call.required_documents if d not in attached]
        if missing:
            problems.append(_("Attach the required documents: %(d)s.") % {"d": "、".join(missing)})
        if problems:
            raise ValidationError(problems)
        number = locked.versions.count() + 1
        documents = [
            {"id": a.pk, "label": a.label, "name": a.original_name, "sha256": a.sha256}
            for a in locked.attachments.filter(removed_at__isnull=True).order_by("id")
        ]
        version = ApplicationVersion.objects.create(
            application=locked,
            number=number,
            content={**locked.content, "attachments": documents},
            submitted_at=timezone.now(),
            submission_key=key,
            submitted_by=actor if getattr(actor, "pk", None) else None,
        )
        reasons = screen(locked.call, locked.organization)
        locked.state = Application.State.SUBMITTED
        locked.eligible = not reasons
        locked.screening_reasons = reasons
        locked.requested_total, locked.matching_total = requested, matching
        locked.field = content_field(locked.call, locked.content)[0]
        # A new version goes back to the screeners.
        locked.screening, locked.screening_note = Screening.PENDING, ""
        locked.screened_by, locked.screened_at = None, None
        locked.save(
            update_fields=[
                "state",
                "eligible",
                "screening_reasons",
                "requested_total",
                "matching_total",
                "field",
                "screening",
                "screening_note",
                "screened_by",
                "screened_at",
                "updated_at",
            ]
        )
        audit_record(
            actor=actor,
            action="application.submit",
            obj=locked,
            after={
                "version": number,
                "requested": requested,
                "matching": matching,
                "eligible": locked.eligible,
                "reasons": reasons,
            },
        )
    return version


def application_withdraw(*, actor: Any, application: Application) -> Application:
    require_permission("application.edit", actor, application)
    with transaction.atomic():
        locked = (
            Application.objects.select_for_update().select_related("call").get(pk=application.pk)
        )
        window_open(locked.call)
        if locked.state == Application.State.WITHDRAWN:
            raise ValidationError(_("The application is already withdrawn."))
        before = locked.state
        locked.state = Application.State.WITHDRAWN
        locked.save(update_fields=["state", "updated_at"])
        audit_record(
            actor=actor,
            action="application.withdraw",
            obj=locked,
            before={"state": before},
            after={"state": locked.state},
        )
    return locked
