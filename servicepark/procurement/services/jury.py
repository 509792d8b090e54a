"""Juries: conflict-free assignment with recorded recusals, and blind, independent scoring."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from servicepark.accounts.models import Grant
from servicepark.accounts.roles import Role
from servicepark.common.audit import audit_record
from servicepark.common.inputs import plain_text
from servicepark.common.permissions import has_permission, require_permission
from servicepark.geo.codes import is_within
from servicepark.procurement.models import Application, Assignment, Call, ExpertProfile, Recusal
from servicepark.registry.models import Membership, Organization

EMPLOYMENT_YEARS = 3
KEY_ROLES = (Membership.Role.LEGAL_REPRESENTATIVE, Membership.Role.BOARD_MEMBER)


def expert_conflicts(expert: ExpertProfile, organization: Organization) -> list[str]:
    """Why `expert` may not judge `organization` (empty if no conflict). The rules: belongs
    to or advises it; was employed by it in the last three years; shares a person with it (the
    expert is its legal representative or a board member, or has the same contact phone as
    the organization or one of those people)."""
    reasons = []
    cutoff = timezone.localdate() - dt.timedelta(days=365 * EMPLOYMENT_YEARS)
    for tie in expert.ties.filter(organization=organization):
        if tie.kind in ("member", "advisor") and tie.ended_on is None:
            reasons.append(
                _("Declared as %(kind)s of the organization.") % {"kind": tie.get_kind_display()}
            )
        elif tie.kind == "employee" and (tie.ended_on is None or tie.ended_on >= cutoff):
            reasons.append(
                _("Employed by the organization within the last %(n)d years.")
                % {"n": EMPLOYMENT_YEARS}
            )
    people = Membership.objects.filter(
        organization=organization, role__in=KEY_ROLES, ended_on__isnull=True
    ).select_related("person")
    phones = {organization.phone} | {m.person.phone for m in people}
    phones.discard("")
    if expert.person_id and any(m.person_id == expert.person_id for m in people):
        reasons.append(
            _("The expert is the organization's legal representative or a board member.")
        )
    if expert.phone and expert.phone in phones:
        reasons.append(_("The expert shares a contact phone with the organization or its leaders."))
    return reasons


def _pool(call: Call) -> list[ExpertProfile]:
    """Experts granted over a division containing the purchaser's, least loaded first."""
    grants = Grant.objects.filter(role=Role.EXPERT).values_list("user_id", "division_id")
    users = {
        u
        for u, d in grants
        if d
        and (is_within(call.purchaser.division_id, d) or is_within(d, call.purchaser.division_id))
    }
    return list(
        ExpertProfile.objects.filter(user_id__in=users)
        .annotate(load=Count("assignments", filter=Q(assignments__submitted_at=None)))
        .order_by("load", "id")
    )


def jury_assign(*, actor: Any, call: Call) -> dict[int, list[int]]:
    """Give every submitted, eligible application `call.jury_size` experts without a conflict;
    each expert kept off for a conflict gets a recorded recusal. Returns application → experts.
    Raises when an application cannot get a full jury (nothing is assigned then)."""
    require_permission("call.manage", actor, call)
    with transaction.atomic():
        locked = Call.objects.select_for_update().get(pk=call.pk)
        if timezone.now() < locked.closes_at:
            raise ValidationError(
                _("Jurors are assigned after the deadline, when no version can change any more.")
            )
        pool = _pool(call)
        result: dict[int, list[int]] = {}
        short: list[str] = []
        for app in (
            Application.objects.filter(call=call, state="submitted", screening="passed")
            .select_related("organization")
            .order_by("id")
        ):
            chosen = list(
                Assignment.objects.filter(application=app).values_list("expert_id", flat=True)
            )
            for expert in pool:
                if len(chosen) >= call.jury_size:
                    break
                if (
                    expert.pk in chosen
                    or Recusal.objects.filter(application=app, expert=expert).exists()
                ):
                    continue
                reasons = expert_conflicts(expert, app.organization)
                if reasons:
                    recusal = Recusal.objects.create(
                        application=app, expert=expert, reason="；".join(reasons)[:300]
                    )
                    audit_record(
                        actor=actor,
                        action="jury.recuse",
                        obj=recusal,
                        after={"application": app.pk, "expert": expert.pk, "reasons": reasons},
                    )
                    continue
                assignment = Assignment.objects.create(application=app, expert=expert)
                audit_record(
                    actor=actor,
                    action="jury.assign",
                    obj=assignment,
                    after={"application": app.pk, "expert": expert.pk},
                )
                chosen.append(expert.pk)
            if len(chosen) < call.jury_size:
                short.append(app.organization.name)
            result[app.pk] = chosen
            pool.sort(key=lambda e: (sum(e.pk in v for v in result.values()), e.pk))
        if short:
            raise ValidationError(
                _("Not enough experts without a conflict for: %(names)s.")
                % {"names": "、".join(short)}
            )
    return result


def score_submit(
    *, actor: Any, assignment: Assignment, scores: dict[str, Any], comment: str = ""
) -> Assignment:
    """A juror scores each rubric criterion once, within its range."""
    # Nothing is cut silently, and a NUL cannot be stored (PostgreSQL refuses it).
    text = plain_text(
        comment,
        limit=5000,
        required=False,
        missing=_("The comments must be plain text of at most 5,000 characters."),
    )
    with transaction.atomic():
        locked = (
            Assignment.objects.select_for_update()
            .select_related("expert", "application__call")
            .get(pk=assignment.pk)
        )
        if getattr(actor, "pk", None) != locked.expert.user_id:
            raise PermissionDenied(_("Only the assigned expert may score this application."))
        if locked.submitted_at is not None:
            raise ValidationError(_("Your scores for this application are already submitted."))
        rubric = locked.application.call.rubric
        wanted = {c["key"]: c["max_points"] for c in rubric}
        names = {c["key"]: c.get("name") or c["key"] for c in rubric}
        if set(scores) != set(wanted):
            raise ValidationError(_("Score every criterion of the rubric, and only those."))
        clean: dict[str, int] = {}
        for key, value in scores.items():
            if (
                isinstance(value, bool)
                or not isinstance(value, int)
                or not 0 <= value <= wanted[key]
            ):
                raise ValidationError(
                    _("“%(name)s” takes a whole number from 0 to %(max)d.")
                    % {"name": names[key], "max": wanted[key]}
                )
            clean[key] = value
        locked.scores, locked.comment = clean, text
        locked.submitted_at = timezone.now()
        locked.save(update_fields=["scores", "comment", "submitted_at", "updated_at"])
        audit_record(actor=actor, action="jury.score", obj=locked, after={"scores": clean})
    return locked


def scores_visible_to(*, user: Any, application: Application) -> list[Assignment]:
    """Blind and independent: a juror sees the others' sheets only after submitting their
    own; the purchaser's staff see all submitted sheets; anyone else sees none."""
    mine_qs = Assignment.objects.filter(application=application)
    sheets = list(mine_qs.filter(submitted_at__isnull=False).select_related("expert__user"))
    mine = mine_qs.filter(expert__user_id=getattr(user, "pk", None) or 0).first()
    if mine is not None:
        return sheets if mine.submitted_at is not None else []
    return sheets if has_permission("call.manage", user, application.call)[0] else []
