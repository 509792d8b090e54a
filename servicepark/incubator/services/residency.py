"""Intake and residency: applying to a round, panel scores (conflicts checked as for juries),
admission with a desk, the residency agreement, extension, graduation and leaving."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from servicepark.accounts.roles import Role
from servicepark.accounts.scoping import user_covers_division
from servicepark.common.audit import audit_record
from servicepark.common.inputs import add_months, iso_date, plain_text
from servicepark.common.permissions import require_permission
from servicepark.common.workflows import workflow_transition
from servicepark.incubator.models import IntakeRound, Residency, Space
from servicepark.incubator.workflows import RESIDENCY
from servicepark.procurement.models import ExpertProfile
from servicepark.procurement.services.jury import expert_conflicts
from servicepark.registry.models import Organization

S = Residency.State
MAX_EXTENSION_MONTHS = 36


def _text(value: str, what: str, limit: int = 5000) -> str:
    return plain_text(
        value,
        limit=limit,
        missing=_("Write %(what)s (at most %(n)d characters).") % {"what": what, "n": limit},
    )


def residency_apply(
    *, actor: Any, round: IntakeRound, organization: Organization, proposal: str
) -> Residency:
    require_permission("residency.apply", actor, organization)
    proposal = _text(proposal, _("what the organization will do"))
    now = timezone.now()
    if not round.opens_at <= now < round.closes_at:
        raise ValidationError(_("This intake round is not open."))
    with transaction.atomic():
        try:
            with transaction.atomic():
                residency = Residency.objects.create(
                    park=round.park, round=round, organization=organization, proposal=proposal
                )
        except IntegrityError:
            raise ValidationError(
                _("The organization already has an application or a residency in this park.")
            ) from None
        audit_record(
            actor=actor,
            action="residency.apply",
            obj=residency,
            after={"round": round.pk, "proposal": proposal},
        )
    return residency


def residency_score(*, actor: Any, residency: Residency, score: Any) -> Residency:
    """A panel member (an expert over the park's area, or the park's staff) scores 0–100.
    Experts with a conflict of interest with the applicant are refused, with the reason."""
    try:
        value = Decimal(str(score))
    except ArithmeticError:
        value = Decimal(-1)
    if not Decimal(0) <= value <= Decimal(100):
        raise ValidationError(_("A score is a number from 0 to 100."))
    with transaction.atomic():
        locked = (
            Residency.objects.select_for_update()
            .select_related("park", "organization")
            .get(pk=residency.pk)
        )
        division = locked.park.division_id
        expert = ExpertProfile.objects.filter(user_id=getattr(actor, "pk", None) or 0).first()
        if expert is not None and user_covers_division(actor, division, [Role.EXPERT]):
            reasons = expert_conflicts(expert, locked.organization)
            if reasons:
                raise ValidationError(reasons)
        else:
            require_permission("residency.decide", actor, locked)
        if locked.state not in (S.APPLIED, S.SHORTLISTED):
            raise ValidationError(_("Only applications are scored."))
        locked.panel[str(actor.pk)] = str(value)
        marks = [Decimal(v) for v in locked.panel.values()]
        locked.score = (sum(marks, Decimal(0)) / len(marks)).quantize(
            Decimal("0.01"), ROUND_HALF_UP
        )
        locked.save(update_fields=["panel", "score", "updated_at"])
        audit_record(actor=actor, action="residency.score", obj=locked, after={"score": value})
    return locked


def _free_desk(residency: Residency, desk: Space | None) -> None:
    if desk is None:
        return
    if desk.park_id != residency.park_id or desk.kind not in Space.ALLOCATED:
        raise ValidationError(_("Assign a desk or office of this park."))
    taken = (
        Residency.objects.filter(desk=desk, state__in=Residency.IN_PARK)
        .exclude(pk=residency.pk)
        .select_related("organization")
        .first()
    )
    if taken is not None:
        raise ValidationError(
            _("%(desk)s is already given to %(org)s.")
            % {"desk": desk.name, "org": taken.organization.name}
        )


def residency_admit(
    *,
    actor: Any,
    residency: Residency,
    reason: str,
    desk: Space | None = None,
    starts_on: dt.date | None = None,
) -> Residency:
    """Admit with the reason, the term (the park's default months) and a desk if any."""
    reason = _text(reason, _("the reason of the decision"), 2000)
    with transaction.atomic():
        locked = Residency.objects.select_for_update().select_related("park").get(pk=residency.pk)
        require_permission("residency.decide", actor, locked)
        if locked.state not in (S.APPLIED, S.SHORTLISTED):
            raise ValidationError(_("Only applications can be admitted."))
        if desk is not None:
            Space.objects.select_for_update().get(pk=desk.pk)
        _free_desk(locked, desk)
        start = starts_on or timezone.localdate()
        locked.state, locked.decision_reason, locked.desk = S.ADMITTED, reason, desk
        locked.starts_on = start
        locked.ends_on = add_months(start, locked.park.residency_months)
        try:
            with transaction.atomic():
                locked.save(
                    update_fields=[
                        "state",
                        "decision_reason",
                        "desk",
                        "starts_on",
                        "ends_on",
                        "updated_at",
                    ]
                )
        except IntegrityError:
            raise ValidationError(_("This desk was just given to another resident.")) from None
        audit_record(
            actor=actor,
            action="residency.admit",
            obj=locked,
            after={
                "reason": reason,
                "desk": desk.name if desk else None,
                "term": [start, locked.ends_on],
            },
        )
    return locked


def residency_assign_desk(*, actor: Any, residency: Residency, desk: Space) -> Residency:
    with transaction.atomic():
        locked = Residency.objects.select_for_update().select_related("park").get(pk=residency.pk)
        require_permission("residency.decide", actor, locked)
        if locked.state not in Residency.IN_PARK:
            raise ValidationError(_("Desks go to residents in the park."))
        Space.objects.select_for_update().get(pk=desk.pk)
        _free_desk(locked, desk)
        before = locked.desk.name if locked.desk else None
        locked.desk = desk
        try:
            with transaction.atomic():
                locked.save(update_fields=["desk", "updated_at"])
        except IntegrityError:
            raise ValidationError(_("This desk was just given to another resident.")) from None
        audit_record(
            actor=actor,
            action="residency.desk",
            obj=locked,
            before={"desk": before},
            after={"desk": desk.name},
        )
    return locked


def residency_sign_agreement(*, actor: Any, residency: Residency) -> Residency:
    """The organization signs the residency agreement; incubation starts."""
    with transaction.atomic():
        locked = Residency.objects.select_for_update().select_related("park").get(pk=residency.pk)
        require_permission("residency.leave", actor, locked)
        if locked.state != S.ADMITTED:
            raise ValidationError(_("The agreement is signed once admitted."))
        locked.state, locked.agreement_signed_on = S.INCUBATING, timezone.localdate()
        locked.save(update_fields=["state", "agreement_signed_on", "updated_at"])
        audit_record(
            actor=actor, action="residency.agreement", obj=locked, after={"state": locked.state}
        )
    return locked


def residency_extend(
    *, actor: Any, residency: Residency, until: dt.date | str, reason: str
) -> Residency:
    """Move the end of a residency in incubation later: after the current end, and at most
    three years after it (the park sets no longer term; 2999 is a slip)."""
    reason = _text(reason, _("the reason of the extension"), 2000)
    with transaction.atomic():
        locked = Residency.objects.select_for_update().select_related("park").get(pk=residency.pk)
        require_permission("residency.decide", actor, locked)
        if locked.state not in (S.INCUBATING, S.EXTENDED):
            raise ValidationError(_("Only a residency in incubation can be extended."))
        if locked.ends_on is None:
            raise ValidationError(_("An extension ends after the current term."))
        until = iso_date(until, latest=add_months(locked.ends_on, MAX_EXTENSION_MONTHS))
        if until <= locked.ends_on:
            raise ValidationError(_("An extension ends after the current term."))
        before = locked.ends_on
        locked.state, locked.ends_on = S.EXTENDED, until
        locked.save(update_fields=["state", "ends_on", "updated_at"])
        audit_record(
            actor=actor,
            action="residency.extend",
            obj=locked,
            before={"ends_on": before},
            after={"ends_on": until, "reason": reason},
        )
    return locked


def residency_graduate(*, actor: Any, residency: Residency, reason: str = "") -> Residency:
    """Staff decide; when the checklist is not all met, they must say why they graduate."""
    from servicepark.incubator.graduation import checklist

    with transaction.atomic():
        locked = (
            Residency.objects.select_for_update()
            .select_related("park", "organization")
            .get(pk=residency.pk)
        )
        require_permission("residency.decide", actor, locked)
        if locked.state not in (S.INCUBATING, S.EXTENDED):
            raise ValidationError(_("Only a residency in incubation can graduate."))
        items = checklist(locked)
        missing = [item.label for item in items if not item.met]
        reason = plain_text(
            reason,
            limit=2000,
            missing=_("Write %(what)s (at most %(n)d characters).")
            % {"what": _("the reason of the decision"), "n": 2000},
            required=False,
        )
        if missing and not reason:
            raise ValidationError(
                _("Not yet met: %(items)s. Give the reason to graduate anyway.")
                % {"items": "；".join(str(m) for m in missing)}
            )
        locked.state, locked.decision_reason = S.GRADUATED, reason or locked.decision_reason
        locked.save(update_fields=["state", "decision_reason", "updated_at"])
        audit_record(
            actor=actor,
            action="residency.graduate",
            obj=locked,
            after={"missing": [str(m) for m in missing], "reason": reason},
        )
    return locked


def residency_transition(
    *, actor: Any, residency: Residency, action: str, reason: str = ""
) -> Residency:
    """Shortlist, not admit, withdraw or remove (the table in incubator/workflows.py)."""
    result = workflow_transition(
        workflow=RESIDENCY, obj=residency, action=action, actor=actor, reason=reason
    )
    assert isinstance(result, Residency)
    return result
