"""Writing credit listings: one place that adds and removes entries, in bulk, with an audit
event for each (used by the scheduled steps and by officials' decisions alike)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from servicepark.common.audit import Entry, audit_record_many
from servicepark.oversight.models import CreditListing
from servicepark.oversight.triggers import trigger
from servicepark.registry.models import Organization


@dataclass(frozen=True)
class NewListing:
    organization_id: int
    trigger: str
    source: str
    listed_on: dt.date
    evidence: str


def _divisions(org_ids: Iterable[int]) -> dict[int, str]:
    return dict(Organization.objects.filter(pk__in=set(org_ids)).values_list("id", "division_id"))


def add_listings(*, actor: Any, items: list[NewListing]) -> list[CreditListing]:
    """Create the entries not yet made (the same organization, list and source is one
    entry, however often a step runs)."""
    if not items:
        return []
    by_key = {}
    for item in items:
        t = trigger(item.trigger)
        by_key[(item.organization_id, str(t.list), item.source)] = item
    existing = set(
        CreditListing.objects.filter(
            organization_id__in={k[0] for k in by_key}, source__in={k[2] for k in by_key}
        ).values_list("organization_id", "list", "source")
    )
    fresh = [
        CreditListing(
            organization_id=item.organization_id,
            list=trigger(item.trigger).list,
            trigger=item.trigger,
            source=item.source,
            listed_on=item.listed_on,
            evidence=item.evidence,
            needs_rectification=trigger(item.trigger).needs_rectification,
            listed_by=actor if getattr(actor, "pk", None) else None,
        )
        for key, item in by_key.items()
        if key not in existing
    ]
    if not fresh:
        return []
    with transaction.atomic():
        created = CreditListing.objects.bulk_create(fresh)
        divisions = _divisions(c.organization_id for c in created)
        audit_record_many(
            actor=actor,
            action="credit.list",
            entries=[
                Entry(
                    "oversight.creditlisting",
                    c.pk,
                    divisions.get(c.organization_id, ""),
                    after={
                        "organization": c.organization_id,
                        "list": c.list,
                        "trigger": c.trigger,
                        "listed_on": c.listed_on,
                        "evidence": c.evidence,
                    },
                )
                for c in created
            ],
        )
    return created


def remove_listings(
    *,
    actor: Any,
    listings: list[CreditListing],
    removal: str,
    on: dt.date | None = None,
    evidence: str = "",
) -> int:
    """Take entries off their list (`on` defaults to each entry's own computed date)."""
    if not listings:
        return 0
    by_user = actor if getattr(actor, "pk", None) else None
    with transaction.atomic():
        for listing in listings:
            listing.removed_on = on or listing.removed_on
            listing.removal = removal
            listing.removal_evidence = evidence or listing.removal_evidence
            listing.removed_by = by_user
        CreditListing.objects.bulk_update(
            listings, ["removed_on", "removal", "removal_evidence", "removed_by"], batch_size=2000
        )
        divisions = _divisions(item.organization_id for item in listings)
        audit_record_many(
            actor=actor,
            action="credit.remove",
            entries=[
                Entry(
                    "oversight.creditlisting",
                    item.pk,
                    divisions.get(item.organization_id, ""),
                    before={"removed_on": None},
                    after={
                        "removed_on": item.removed_on,
                        "removal": removal,
                        "evidence": item.removal_evidence,
                    },
                )
                for item in listings
            ],
        )
    return len(listings)
