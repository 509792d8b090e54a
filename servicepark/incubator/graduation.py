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


def checklist(residency: Residency) -> list[Item]:
    org = residency.organization
    latest = Assessment.objects.filter(residency=residency).order_by("-assessed_on", "-id").first()
    roles = set(
        Membership.objects.filter(organization=org, ended_on__isnull=True).values_list(
            "role", flat=True
        )
    )
    from servicepark.procurement.models import Contract

    contracts = Contract.objects.filter(
        provider=org, state__in=["signed", "active", "completed"]
    ).count()
    threshold = residency.park.graduation_threshold
    percent = round(latest.total * 100 / 60) if latest else 0
    return [
        Item(_("legally registered or filed"), org.status in (Status.REGISTERED, Status.FILED)),
        Item(
            _("governance in place (a legal representative and a board)"),
            {"legal_representative", "board_member"} <= roles,
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
            contracts > 0,
            str(contracts),
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
