"""Reads of procurement data, scoped to the user's jurisdiction or public."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from servicepark.accounts.roles import Role
from servicepark.accounts.scoping import scope_q
from servicepark.accounts.scoping_paths import ScopePaths
from servicepark.procurement.models import (
    Application,
    Assignment,
    Call,
    Catalogue,
    CatalogueEntry,
    Purchaser,
)
from servicepark.registry.models.choices import Field, mask_to_fields

STAFF_ROLES = [Role.PURCHASER, Role.OFFICIAL, Role.AUDITOR]


def _public_or_scoped(model: Any, user: Any) -> QuerySet[Any]:
    """Published rows for everyone; every row inside the user's jurisdiction for its staff."""
    published = Q(state="published")
    if user is not None and getattr(user, "is_authenticated", False):
        own = scope_q(user, model, roles=STAFF_ROLES)
        if own is None:
            return model.objects.all()
        return model.objects.filter(published | own)
    return model.objects.filter(published)


def catalogue_visible(user: Any) -> QuerySet[Catalogue]:
    """Published catalogues are public; drafts are seen in the purchaser's jurisdiction."""
    return _public_or_scoped(Catalogue, user)


def catalogue_list(*, user: Any) -> QuerySet[Catalogue]:
    return (
        catalogue_visible(user)
        .select_related("purchaser__division")
        .order_by("-year", "purchaser__division_id", "purchaser__name")
    )


def catalogue_get_for(*, user: Any, pk: int) -> Catalogue:
    catalogue = catalogue_list(user=user).filter(pk=pk).first()
    if catalogue is None:
        raise Http404
    return catalogue


def purchasers_editable_by(user: Any) -> QuerySet[Purchaser]:
    condition = scope_q(user, Purchaser, roles=[Role.PURCHASER])
    qs = Purchaser.objects.all()
    return qs if condition is None else qs.filter(condition)


@dataclass
class Node:
    entry: CatalogueEntry
    children: list[Node] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        if self.entry.budget is not None:
            return self.entry.budget
        return sum((c.total for c in self.children), Decimal("0.00"))


def catalogue_tree(catalogue: Catalogue) -> list[Node]:
    """The three tiers as a tree, from one query."""
    nodes = {e.pk: Node(e) for e in catalogue.entries.order_by("code")}
    roots: list[Node] = []
    for node in nodes.values():
        parent = nodes.get(node.entry.parent_id) if node.entry.parent_id else None
        (parent.children if parent else roots).append(node)
    return roots


@dataclass(frozen=True)
class FieldShare:
    code: str
    label: str
    amount: Decimal
    percent: Decimal

    @property
    def is_empty(self) -> bool:
        return self.amount == 0


def catalogue_field_spread(catalogue: Catalogue) -> list[FieldShare]:
    """How the budget spreads over all 16 fields of service. An item serving several fields
    counts its budget in equal parts (in fen, the remainder to its first field), so the shares
    add up exactly to the catalogue's total. Fields with nothing are listed too, to be seen."""
    amounts = {code: Decimal("0.00") for code in Field.values}
    for fields_mask, budget in catalogue.entries.filter(tier=3).values_list("fields", "budget"):
        codes = mask_to_fields(fields_mask)
        if not codes or budget is None:
            continue
        fen = int(budget * 100)
        share, remainder = divmod(fen, len(codes))
        for i, code in enumerate(codes):
            amounts[code] += Decimal(share + (remainder if i == 0 else 0)) / 100
    total = sum(amounts.values(), Decimal("0.00"))
    labels = dict(Field.choices)
    return [
        FieldShare(
            code,
            str(labels[code]),
            amount,
            (amount * 100 / total).quantize(Decimal("0.1")) if total else Decimal("0.0"),
        )
        for code, amount in amounts.items()
    ]


def call_visible(user: Any) -> QuerySet[Call]:
    """Published calls are public; drafts are seen in the purchaser's jurisdiction."""
    return _public_or_scoped(Call, user)


def call_list(*, user: Any, phase: str = "") -> QuerySet[Call]:
    qs = call_visible(user).select_related("purchaser__division", "catalogue_item")
    now = timezone.now()
    if phase == "open":
        qs = qs.filter(opens_at__lte=now, closes_at__gt=now)
    elif phase == "upcoming":
        qs = qs.filter(opens_at__gt=now)
    elif phase == "closed":
        qs = qs.filter(closes_at__lte=now)
    return qs.order_by("-opens_at", "-id")


def call_get_for(*, user: Any, pk: int) -> Call:
    call = call_list(user=user).prefetch_related("invited").filter(pk=pk).first()
    if call is None:
        raise Http404
    return call


# A purchaser reaches applications through the purchasing body of the call.
_BY_CALL = ScopePaths(division="call__purchaser__division__code", organization="call_id")


def application_visible(user: Any) -> QuerySet[Application]:
    """Organizations see their own (associations also those they filed); officials those of
    organizations in their jurisdiction; purchasers those to their calls."""
    by_org = scope_q(
        user,
        Application,
        roles=[
            Role.ORG_ADMIN,
            Role.ORG_MEMBER,
            Role.ASSOCIATION_STAFF,
            Role.OFFICIAL,
            Role.AUDITOR,
        ],
    )
    by_call = scope_q(user, Application, roles=[Role.PURCHASER, Role.CENTER_STAFF], paths=_BY_CALL)
    if by_org is None or by_call is None:
        return Application.objects.all()
    # Experts see the applications they are assigned to, and no others.
    assigned = Q(
        pk__in=Assignment.objects.filter(expert__user_id=getattr(user, "pk", None) or 0).values(
            "application_id"
        )
    )
    return Application.objects.filter(by_org | by_call | assigned)


def application_list(*, user: Any) -> QuerySet[Application]:
    return (
        application_visible(user)
        .select_related("call__purchaser", "organization", "applicant")
        .order_by("-id")
    )


def application_get_for(*, user: Any, pk: int) -> Application:
    application = application_list(user=user).filter(pk=pk).first()
    if application is None:
        raise Http404
    return application
