"""Third-party evaluation of contracts: an evaluator organization without a conflict of
interest grades outputs, outcomes, beneficiary satisfaction, financial compliance and the
capacity left behind; the grade joins the provider's track record seen by future juries."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Avg, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from servicepark.accounts.roles import Role
from servicepark.accounts.scoping import user_organization_ids
from servicepark.common.audit import audit_record
from servicepark.common.permissions import require_permission
from servicepark.procurement.models import Contract, Evaluation, SurveyResponse
from servicepark.registry.models import AssociationMember, Membership, Organization

# Criterion → (label, maximum points); the maximums add up to 100.
RUBRIC = {
    "outputs": (gettext_lazy("outputs delivered as contracted"), 20),
    "outcomes": (gettext_lazy("outcomes for beneficiaries"), 25),
    "satisfaction": (gettext_lazy("beneficiary satisfaction"), 20),
    "finance": (gettext_lazy("financial compliance"), 20),
    "capacity": (gettext_lazy("community capacity left behind"), 15),
}
GRADES = ((Decimal(90), "excellent"), (Decimal(75), "good"), (Decimal(60), "pass"))
KEY_ROLES = (Membership.Role.LEGAL_REPRESENTATIVE, Membership.Role.BOARD_MEMBER)


def evaluator_conflicts(evaluator: Organization, contract: Contract) -> list[str]:
    """Why `evaluator` may not evaluate `contract` (the rules of the jury, between
    organizations): it is the provider or payee, an umbrella of either or under one, or shares
    a legal representative or board member with either."""
    parties = {contract.provider_id, contract.payee_id}
    reasons = []
    if evaluator.pk in parties:
        reasons.append(_("The evaluator is a party to the contract."))
    related = {evaluator.umbrella_id} | set(
        AssociationMember.objects.filter(member=evaluator, ended_on__isnull=True).values_list(
            "association_id", flat=True
        )
    )
    under = set(Organization.objects.filter(umbrella=evaluator).values_list("id", flat=True)) | set(
        AssociationMember.objects.filter(association=evaluator, ended_on__isnull=True).values_list(
            "member_id", flat=True
        )
    )
    if parties & (related | under):
        reasons.append(_("The evaluator and a party belong to the same association."))
    people = set(
        Membership.objects.filter(
            organization=evaluator, role__in=KEY_ROLES, ended_on__isnull=True
        ).values_list("person_id", flat=True)
    )
    if (
        people
        and Membership.objects.filter(
            organization_id__in=parties,
            person_id__in=people,
            role__in=KEY_ROLES,
            ended_on__isnull=True,
        ).exists()
    ):
        reasons.append(
            _("The evaluator shares a legal representative or board member with a party.")
        )
    return reasons


def evaluation_assign(*, actor: Any, contract: Contract, evaluator: Organization) -> Evaluation:
    contract = Contract.objects.select_related("purchaser").get(pk=contract.pk)
    require_permission("contract.manage", actor, contract)
    reasons = evaluator_conflicts(evaluator, contract)
    if reasons:
        raise ValidationError(reasons)
    if contract.state not in (Contract.State.ACTIVE, Contract.State.COMPLETED):
        raise ValidationError(_("Contracts are evaluated once in service or completed."))
    with transaction.atomic():
        try:
            with transaction.atomic():
                evaluation = Evaluation.objects.create(contract=contract, evaluator=evaluator)
        except IntegrityError:
            raise ValidationError(_("This contract already has an evaluator.")) from None
        audit_record(
            actor=actor,
            action="evaluation.assign",
            obj=evaluation,
            after={"contract": contract.number, "evaluator": evaluator.pk},
        )
    return evaluation


def grade_for(total: Decimal) -> str:
    for floor, grade in GRADES:
        if total >= floor:
            return grade
    return "fail"


def evaluation_submit(
    *, actor: Any, evaluation: Evaluation, scores: dict[str, Any], comment: str = ""
) -> Evaluation:
    if set(scores) != set(RUBRIC):
        raise ValidationError(_("Score every criterion of the evaluation rubric, and only those."))
    clean = {}
    for key, value in scores.items():
        top = RUBRIC[key][1]
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= top:
            raise ValidationError(
                _("“%(name)s” takes a whole number from 0 to %(max)d.")
                % {"name": RUBRIC[key][0], "max": top}
            )
        clean[key] = value
    comment = (comment or "").strip()
    if len(comment) > 5000 or "\x00" in comment:
        raise ValidationError(_("The comment may have at most 5,000 characters."))
    with transaction.atomic():
        locked = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
        if locked.evaluator_id not in user_organization_ids(
            actor, [Role.ORG_ADMIN, Role.ORG_MEMBER]
        ):
            raise PermissionDenied(_("Only the assigned evaluator's people submit the evaluation."))
        if locked.submitted_at is not None:
            raise ValidationError(_("This evaluation is already submitted."))
        total = Decimal(sum(clean.values()))
        locked.scores, locked.total, locked.grade = clean, total, grade_for(total)
        locked.comment, locked.submitted_at = comment, timezone.now()
        locked.submitted_by = actor if getattr(actor, "pk", None) else None
        locked.save(
            update_fields=[
                "scores",
                "total",
                "grade",
                "comment",
                "submitted_at",
                "submitted_by",
                "updated_at",
            ]
        )
        audit_record(
            actor=actor,
            action="evaluation.submit",
            obj=locked,
            after={"scores": clean, "total": total, "grade": locked.grade},
        )
    return locked


def track_record(organization_ids: list[int]) -> QuerySet[Evaluation]:
    """Submitted evaluations of contracts the organizations carried out, newest first."""
    return (
        Evaluation.objects.filter(
            contract__provider_id__in=organization_ids, submitted_at__isnull=False
        )
        .select_related("contract", "evaluator")
        .order_by("-submitted_at")
    )


def satisfaction_of(contract: Contract) -> tuple[Decimal | None, int]:
    """Mean beneficiary satisfaction (1–5) and the number of answers."""
    answers = SurveyResponse.objects.filter(survey__contract=contract)
    mean = answers.aggregate(m=Avg("satisfaction"))["m"]
    return (
        Decimal(str(mean)).quantize(Decimal("0.01")) if mean is not None else None,
        answers.count(),
    )
