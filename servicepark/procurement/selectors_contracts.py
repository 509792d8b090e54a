"""Reads of contracts and the money around them, scoped to the user (or public essentials)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from servicepark.accounts.roles import Role
from servicepark.accounts.scoping import scope_q, user_organization_ids
from servicepark.procurement.models import (
    AssociationFinance,
    Contract,
    Evaluation,
    Payment,
    SupportRequest,
)
from servicepark.registry.models import Organization

PUBLIC_STATES = (
    Contract.State.SIGNED,
    Contract.State.ACTIVE,
    Contract.State.SUSPENDED,
    Contract.State.COMPLETED,
    Contract.State.TERMINATED,
)
READERS = [
    Role.PURCHASER,
    Role.OFFICIAL,
    Role.AUDITOR,
    Role.ORG_ADMIN,
    Role.ORG_MEMBER,
    Role.ASSOCIATION_STAFF,
]


def contract_visible(user: Any) -> QuerySet[Contract]:
    """The parties' people, the purchaser's jurisdiction, and the assigned evaluator."""
    condition = scope_q(user, Contract, roles=READERS)
    if condition is None:
        return Contract.objects.all()
    evaluating = user_organization_ids(user, [Role.ORG_ADMIN, Role.ORG_MEMBER])
    return Contract.objects.filter(condition | Q(evaluation__evaluator_id__in=evaluating))


def contract_list(*, user: Any) -> QuerySet[Contract]:
    return contract_visible(user).select_related("purchaser", "provider", "payee").order_by("-id")


def contract_public_list() -> QuerySet[Contract]:
    return (
        Contract.objects.filter(state__in=PUBLIC_STATES)
        .select_related("purchaser", "provider", "payee")
        .order_by("-id")
    )


def contract_get(*, user: Any, pk: int) -> tuple[Contract, bool]:
    """(contract, involved): involved users see everything; others only the public
    essentials of a signed contract (404 for drafts)."""
    involved = contract_visible(user).filter(pk=pk).exists()
    base = Contract.objects if involved else Contract.objects.filter(state__in=PUBLIC_STATES)
    contract = (
        base.select_related("purchaser__division", "provider", "payee", "call", "award")
        .prefetch_related("milestones")
        .filter(pk=pk)
        .first()
    )
    if contract is None:
        raise Http404
    return contract, involved


def payments_of(contract: Contract) -> QuerySet[Payment]:
    return contract.payments.select_related("milestone", "voucher").order_by("id")


def association_money(association_id: int) -> dict[str, Any]:
    finance = AssociationFinance.objects.filter(association_id=association_id).first()
    return {
        "finance": finance,
        "payments": Payment.objects.filter(payee_id=association_id)
        .exclude(contract__provider_id=association_id)
        .select_related("contract__provider")
        .order_by("-id"),
        "requests": SupportRequest.objects.filter(association_id=association_id)
        .select_related("member")
        .order_by("-id"),
    }


def association_members_of(*, user: Any, association_id: int) -> list[Organization]:
    """The user's own organizations (as admin) that belong to the association: under its
    umbrella, or linked to it and not yet left."""
    own = user_organization_ids(user, [Role.ORG_ADMIN])
    if not own:
        return []
    return list(
        Organization.objects.filter(pk__in=own)
        .filter(
            Q(umbrella_id=association_id)
            | Q(
                association_links__association_id=association_id,
                association_links__ended_on__isnull=True,
            )
        )
        .distinct()
        .order_by("name")
    )


def evaluation_for(*, user: Any, pk: int) -> Evaluation:
    orgs = user_organization_ids(user, [Role.ORG_ADMIN, Role.ORG_MEMBER])
    evaluation = (
        Evaluation.objects.filter(pk=pk, evaluator_id__in=orgs)
        .select_related("contract__provider", "evaluator")
        .first()
    )
    if evaluation is None:
        raise Http404
    return evaluation
