"""Manual screening: a person confirms or overrides the automatic check, with reasons the
applicant sees."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from servicepark.common.audit import audit_record
from servicepark.common.inputs import plain_text
from servicepark.common.permissions import require_permission
from servicepark.procurement.models import Application, Decision, Screening


def application_screen(
    *, actor: Any, application: Application, passed: bool, reason: str = ""
) -> Application:
    """Pass or reject a submitted application. Rejecting always needs a reason; so does
    passing an application the automatic check refused (the override is on the record).
    Screening closes once awards are proposed for the call."""
    reason = (reason or "").strip()
    if "\x00" in reason or len(reason) > 2000:
        raise ValidationError(_("The reason must be plain text of at most 2,000 characters."))
    with transaction.atomic():
        locked = (
            Application.objects.select_for_update()
            .select_related("call__purchaser")
            .get(pk=application.pk)
        )
        require_permission("application.screen", actor, locked)
        if locked.state != Application.State.SUBMITTED:
            raise ValidationError(_("Only submitted applications are screened."))
        if Decision.objects.filter(
            call_id=locked.call_id, state__in=[*Decision.OPEN_STATES, Decision.State.FINAL]
        ).exists():
            raise ValidationError(
                _("Awards are already proposed for this call; screening is closed.")
            )
        if not passed and not reason:
            raise ValidationError(_("Tell the applicant why the application is rejected."))
        if passed and locked.eligible is False and not reason:
            raise ValidationError(
                _("The automatic check refused this application; give the reason to pass it.")
            )
        before = {"screening": locked.screening, "note": locked.screening_note}
        locked.screening = Screening.PASSED if passed else Screening.REJECTED
        locked.screening_note = reason
        locked.screened_by = actor if getattr(actor, "pk", None) else None
        locked.screened_at = timezone.now()
        locked.save(
            update_fields=[
                "screening",
                "screening_note",
                "screened_by",
                "screened_at",
                "updated_at",
            ]
        )
        audit_record(
            actor=actor,
            action="application.screen",
            obj=locked,
            before=before,
            after={"screening": locked.screening, "note": reason},
        )
    return locked


def application_release_comment(*, actor: Any, application: Application, comment: str) -> None:
    """The chair releases the jury's comments to the applicant (jurors stay anonymous)."""
    comment = plain_text(
        comment,
        limit=5000,
        missing=_("Write the comments to release (plain text, at most 5,000 characters)."),
    )
    with transaction.atomic():
        locked = (
            Application.objects.select_for_update()
            .select_related("call__purchaser")
            .get(pk=application.pk)
        )
        require_permission("call.manage", actor, locked.call)
        before = locked.jury_comment
        locked.jury_comment = comment
        locked.save(update_fields=["jury_comment", "updated_at"])
        audit_record(
            actor=actor,
            action="application.release_comment",
            obj=locked,
            before={"comment": before},
            after={"comment": comment},
        )
