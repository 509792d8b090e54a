"""From the jury's scores to awards: the proposal (optimiser beside greedy), the leading
group's vote, and publication as a bulletin with an objection period."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from servicepark.common.audit import audit_record
from servicepark.common.permissions import require_permission
from servicepark.procurement.allocation import AllocationInputError, allocate, parse_problem
from servicepark.procurement.models import Application, Award, Call, Decision, Vote
from servicepark.procurement.scoring import Aggregate, aggregate

LIMIT_KEYS = {"min_per_field", "max_per_field", "max_per_organization"}


def call_scores(call: Call) -> tuple[dict[int, Aggregate], dict[int, Application]]:
    """Aggregated jury scores of the call's applications in competition, and those
    applications, by id. Raises when a jury is incomplete or a juror has not yet scored."""
    criteria = [c["key"] for c in call.rubric]
    apps = list(
        Application.objects.filter(call=call, state="submitted", screening="passed")
        .select_related("organization", "applicant")
        .prefetch_related("assignments")
        .order_by("id")
    )
    if not apps:
        raise ValidationError(_("No application has passed screening yet."))
    waiting = [
        a.organization.name
        for a in apps
        if len(a.assignments.all()) < call.jury_size
        or any(s.submitted_at is None for s in a.assignments.all())
    ]
    if waiting:
        raise ValidationError(
            _("The jury has not finished scoring: %(names)s.") % {"names": "、".join(waiting)}
        )
    scores = {a.pk: aggregate([s.scores for s in a.assignments.all()], criteria) for a in apps}
    return scores, {a.pk: a for a in apps}


def _percent(total: Decimal, call: Call) -> float:
    top = sum((Decimal(c["max_points"]) for c in call.rubric), Decimal(0))
    return float((total * 100 / top).quantize(Decimal("0.01"))) if top else 0.0


def decision_propose(*, actor: Any, call: Call, limits: dict[str, Any] | None = None) -> Decision:
    """Propose awards after the deadline: rank by the aggregated scores, let HiGHS choose the
    set that maximises the total score within the budget and the limits (per-field minimum
    and maximum amounts, awards per applicant), and keep the greedy choice beside it. The
    leading group then votes. Infeasible limits are refused with the constraint at fault."""
    limits = dict(limits or {})
    unknown = sorted(set(limits) - LIMIT_KEYS)
    if unknown:
        raise ValidationError(_("Unknown limits: %(k)s.") % {"k": ", ".join(unknown)})
    with transaction.atomic():
        locked = Call.objects.select_for_update().select_related("purchaser").get(pk=call.pk)
        require_permission("call.manage", actor, locked)
        if timezone.now() < locked.closes_at:
            raise ValidationError(_("Awards are proposed only after the deadline."))
        if locked.decisions.filter(
            state__in=[*Decision.OPEN_STATES, Decision.State.FINAL]
        ).exists():
            raise ValidationError(_("This call already has a proposal or a result in force."))
        if not locked.purchaser.leading_group.exists():
            raise ValidationError(
                _("The purchaser has no leading group to approve awards; name its members first.")
            )
        scores, apps = call_scores(locked)
        data = {
            "budget": str(locked.total_budget),
            **limits,
            "applications": [
                {
                    "id": str(pk),
                    "organization": str(apps[pk].applicant_id),
                    "field": apps[pk].field or "other",
                    "requested": str(apps[pk].requested_total),
                    "score": _percent(agg.total, locked),
                }
                for pk, agg in scores.items()
            ],
        }
        try:
            problem = parse_problem(data)
        except AllocationInputError as exc:
            raise ValidationError(exc.problems) from None
        result = allocate(problem)
        if result.status != "optimal" or result.optimal is None:
            raise ValidationError(
                _("No allocation satisfies the limits: %(why)s") % {"why": result.reason}
            )
        chosen = set(result.optimal.selected)
        greedy = set(result.greedy.selected)
        order = sorted(scores, key=lambda pk: (-scores[pk].total, apps[pk].requested_total, pk))
        ranking = [
            {
                "rank": n,
                "application": pk,
                "organization": apps[pk].organization.name,
                "applicant": apps[pk].applicant.name,
                "field": apps[pk].field,
                "requested": str(apps[pk].requested_total),
                "score": str(scores[pk].total),
                "per_criterion": {k: str(v) for k, v in scores[pk].per_criterion.items()},
                "disagreement": scores[pk].disagreement,
                "optimiser": str(pk) in chosen,
                "greedy": str(pk) in greedy,
            }
            for n, pk in enumerate(order, start=1)
        ]
        number = (locked.decisions.aggregate(m=Max("round"))["m"] or 0) + 1
        decision = Decision.objects.create(
            call=locked,
            round=number,
            proposed_by=actor if getattr(actor, "pk", None) else None,
            limits=limits,
            ranking=ranking,
            optimiser=result.as_json(),
            total_amount=result.optimal.total_amount,
        )
        Award.objects.bulk_create(
            Award(
                decision=decision,
                application_id=pk,
                amount=apps[pk].requested_total,
                score=scores[pk].total,
                rank=n,
            )
            for n, pk in enumerate(order, start=1)
            if str(pk) in chosen
        )
        audit_record(
            actor=actor,
            action="decision.propose",
            obj=decision,
            after={
                "round": number,
                "awards": sorted(int(i) for i in chosen),
                "total": result.optimal.total_amount,
                "limits": limits,
            },
        )
    return decision


def vote_cast(*, actor: Any, decision: Decision, choice: str, comment: str = "") -> Decision:
    """One vote per leading-group member. A majority of the members approves; once a
    majority is out of reach the proposal is rejected."""
    if choice not in Vote.Choice.values:
        raise ValidationError(_("Vote “approve” or “reject”."))
    comment = (comment or "").strip()
    if "\x00" in comment or len(comment) > 2000:
        raise ValidationError(_("The comment must be plain text of at most 2,000 characters."))
    if choice == Vote.Choice.REJECT and not comment:
        raise ValidationError(_("Say why you vote against."))
    with transaction.atomic():
        locked = (
            Decision.objects.select_for_update()
            .select_related("call__purchaser")
            .get(pk=decision.pk)
        )
        require_permission("decision.vote", actor, locked)
        if locked.state != Decision.State.PROPOSED:
            raise ValidationError(_("Voting on this proposal is closed."))
        try:
            with transaction.atomic():
                vote = Vote.objects.create(
                    decision=locked, voter=actor, choice=choice, comment=comment
                )
        except IntegrityError:
            raise ValidationError(_("You have already voted on this proposal.")) from None
        audit_record(actor=actor, action="decision.vote", obj=vote, after={"choice": choice})
        members = locked.call.purchaser.leading_group.count()
        needed = members // 2 + 1
        votes = list(locked.votes.values_list("choice", flat=True))
        approvals = votes.count(Vote.Choice.APPROVE)
        rejections = votes.count(Vote.Choice.REJECT)
        outcome = ""
        if approvals >= needed:
            outcome = Decision.State.APPROVED
        elif members - rejections < needed:
            outcome = Decision.State.REJECTED
        if outcome:
            locked.state = outcome
            locked.save(update_fields=["state", "updated_at"])
            audit_record(
                actor=actor,
                action=f"decision.{'approve' if outcome == Decision.State.APPROVED else 'reject'}",
                obj=locked,
                before={"state": Decision.State.PROPOSED},
                after={"state": outcome, "approve": approvals, "reject": rejections, "of": members},
            )
    return locked


def decision_publish(*, actor: Any, decision: Decision) -> Decision:
    """Publish the approved result as a public bulletin; the objection period starts now."""
    with transaction.atomic():
        locked = Decision.objects.select_for_update().select_related("call").get(pk=decision.pk)
        require_permission("call.manage", actor, locked.call)
        if locked.state != Decision.State.APPROVED:
            raise ValidationError(_("Only a result approved by the leading group is published."))
        now = timezone.now()
        locked.state = Decision.State.PUBLISHED
        locked.published_at = now
        locked.objection_ends_at = now + dt.timedelta(days=locked.call.objection_days)
        locked.save(update_fields=["state", "published_at", "objection_ends_at", "updated_at"])
        audit_record(
            actor=actor,
            action="decision.publish",
            obj=locked,
            before={"state": Decision.State.APPROVED},
            after={"state": locked.state, "objections_until": locked.objection_ends_at},
        )
    return locked
