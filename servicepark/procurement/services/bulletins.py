"""The public bulletin's objection period: objections filed and answered, and the result
becoming final when the period ends without an upheld objection."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from servicepark.accounts.roles import Role
from servicepark.accounts.scoping import user_organization_ids
from servicepark.common.audit import audit_record
from servicepark.common.inputs import plain_text
from servicepark.common.permissions import require_permission
from servicepark.procurement.models import Decision, Objection
from servicepark.procurement.services.funds import lock_call, reserve


def _text(value: str, what: str) -> str:
    return plain_text(
        value,
        limit=5000,
        missing=_("Write the %(what)s.") % {"what": what},
        too_long=_("The %(what)s must be plain text of at most 5,000 characters.") % {"what": what},
    )


def objection_file(
    *, actor: Any, decision: Decision, text: str, organization_id: int | None = None
) -> Objection:
    text = _text(text, _("objection"))
    with transaction.atomic():
        locked = Decision.objects.select_for_update().get(pk=decision.pk)
        require_permission("objection.file", actor, locked)
        now = timezone.now()
        if locked.state != Decision.State.PUBLISHED or (
            locked.objection_ends_at and now >= locked.objection_ends_at
        ):
            raise ValidationError(_("The objection period for this result is over."))
        if organization_id is not None and organization_id not in user_organization_ids(
            actor, [Role.ORG_ADMIN, Role.ORG_MEMBER, Role.ASSOCIATION_STAFF]
        ):
            raise ValidationError(_("You may object only for an organization you belong to."))
        if Objection.objects.filter(
            decision=locked, filed_by=actor, text=text, state=Objection.State.OPEN
        ).exists():  # a double submit, or the same objection again
            raise ValidationError(
                _("You have already filed this objection; it awaits the purchaser's answer.")
            )
        objection = Objection.objects.create(
            decision=locked, filed_by=actor, organization_id=organization_id, text=text
        )
        audit_record(
            actor=actor,
            action="objection.file",
            obj=objection,
            after={"decision": locked.pk, "text": text, "organization": organization_id},
        )
    return objection


def objection_answer(*, actor: Any, objection: Objection, answer: str, upheld: bool) -> Objection:
    """The purchaser answers every objection on the record. Upholding one annuls the result:
    the awards do not become final and a new round is proposed."""
    answer = _text(answer, _("answer"))
    with transaction.atomic():
        decision = (
            Decision.objects.select_for_update()
            .select_related("call__purchaser")
            .get(pk=objection.decision_id)
        )
        require_permission("call.manage", actor, decision.call)
        locked = Objection.objects.select_for_update().get(pk=objection.pk)
        if locked.state != Objection.State.OPEN:
            raise ValidationError(_("This objection has already been answered."))
        if decision.state != Decision.State.PUBLISHED:
            raise ValidationError(_("This result is no longer open to objections."))
        locked.state = Objection.State.UPHELD if upheld else Objection.State.DISMISSED
        locked.answer, locked.answered_at = answer, timezone.now()
        locked.answered_by = actor if getattr(actor, "pk", None) else None
        locked.save(update_fields=["state", "answer", "answered_at", "answered_by", "updated_at"])
        audit_record(
            actor=actor,
            action="objection.answer",
            obj=locked,
            before={"state": Objection.State.OPEN},
            after={"state": locked.state, "answer": answer},
        )
        if upheld:
            decision.state = Decision.State.ANNULLED
            decision.save(update_fields=["state", "updated_at"])
            audit_record(
                actor=actor,
                action="decision.annul",
                obj=decision,
                before={"state": Decision.State.PUBLISHED},
                after={"state": decision.state, "objection": locked.pk},
            )
    return locked


def decision_finalize(
    *, actor: Any, decision: Decision, now: dt.datetime | None = None
) -> Decision:
    """Make the result final once the objection period is over and every objection is
    answered without being upheld."""
    moment = now or timezone.now()
    with transaction.atomic():
        call = lock_call(decision.call_id)  # lock order: call first
        locked = Decision.objects.select_for_update().select_related("call").get(pk=decision.pk)
        require_permission("call.manage", actor, locked.call)
        if locked.state != Decision.State.PUBLISHED:
            raise ValidationError(_("Only a published result can become final."))
        if locked.objection_ends_at is None or moment < locked.objection_ends_at:
            raise ValidationError(
                _("The objection period runs until %(t)s (Beijing time).")
                % {"t": timezone.localtime(locked.objection_ends_at).strftime("%Y-%m-%d %H:%M")}
            )
        if locked.objections.filter(state=Objection.State.OPEN).exists():
            raise ValidationError(_("Answer every objection before the result becomes final."))
        reserve(call, sum((a.amount for a in locked.awards.all()), Decimal("0.00")))
        locked.state = Decision.State.FINAL
        locked.finalized_at = moment
        locked.save(update_fields=["state", "finalized_at", "updated_at"])
        audit_record(
            actor=actor,
            action="decision.finalize",
            obj=locked,
            before={"state": Decision.State.PUBLISHED},
            after={"state": locked.state},
        )
    return locked


def decisions_finalize_due(*, actor: Any) -> tuple[list[Decision], list[tuple[Decision, str]]]:
    """Finalize every published result whose period is over; (finalized, [(blocked, why)])."""
    done: list[Decision] = []
    blocked: list[tuple[Decision, str]] = []
    due = Decision.objects.filter(
        state=Decision.State.PUBLISHED, objection_ends_at__lte=timezone.now()
    ).order_by("id")
    for decision in due:
        try:
            done.append(decision_finalize(actor=actor, decision=decision))
        except ValidationError as exc:
            blocked.append((decision, " ".join(exc.messages)))
    return done, blocked
