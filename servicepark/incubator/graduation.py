"""The graduation checklist ("leave the park once able to operate independently and
governments begin purchasing their services"), and overstay."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from servicepark.incubator.models import Assessment, Residency
from servicepark.registry.models import Membership, Status


@dataclass(frozen=True)
class Item:
    label: str | Promise
    met: bool
    detail: str = ""


@dataclass(frozen=True)
class Facts:
    """What the checklist needs to know about one organization."""

    latest: Assessment | None
    roles: frozenset[str]
    contracts: int


def facts_for(residencies: list[Residency]) -> dict[int, Facts]:
    """The checklist's facts for many residencies in three queries."""
    from django.db.models import Count

    from servicepark.procurement.models import Contract

    orgs = {r.organization_id for r in residencies}
    latest: dict[int, Assessment] = {}
    for a in Assessment.objects.filter(residency__in=residencies).order_by("assessed_on", "id"):
        latest[a.residency_id] = a
    roles: dict[int, set[str]] = {o: set() for o in orgs}
    for org_id, role in Membership.objects.filter(
        organization_id__in=orgs, ended_on__isnull=True
    ).values_list("organization_id", "role"):
        roles[org_id].add(role)
    contracts = dict(
        Contract.objects.filter(provider_id__in=orgs, state__in=["signed", "active", "completed"])
        .values_list("provider_id")
        .annotate(n=Count("id"))
        .values_list("provider_id", "n")
    )
    return {
        r.pk: Facts(
            latest.get(r.pk),
            frozenset(roles[r.organization_id]),
            contracts.get(r.organization_id, 0),
        )
        for r in residencies
    }


def checklist(residency: Residency, facts: Facts | None = None) -> list[Item]:
    known = facts or facts_for([residency])[residency.pk]
    org = residency.organization
    latest = known.latest
    threshold = residency.park.graduation_threshold
    percent = round(latest.total * 100 / 60) if latest else 0
    return [
        Item(_("legally registered or filed"), org.status in (Status.REGISTERED, Status.FILED)),
        Item(
            _("governance in place (a legal representative and a board)"),
            {"legal_representative", "board_member"} <= known.roles,
        ),
        Item(
            _("financial records kept (finance 6 of 10 or more in the latest assessment)"),
            bool(latest and latest.scores.get("finance", 0) >= 6),
        ),
        Item(
            _("capacity assessment at or above the park's threshold"),
            percent >= threshold,
            f"{percent} / {threshold}",
        ),
        Item(
            _("at least one government purchase contract"),
            known.contracts > 0,
            str(known.contracts),
        ),
    ]


def ready_to_graduate(residency: Residency) -> bool:
    return all(item.met for item in checklist(residency))


def overstaying(residency: Any) -> bool:
    return (
        residency.state in Residency.IN_PARK
        and residency.ends_on is not None
        and residency.ends_on < timezone.localdate()
    )
