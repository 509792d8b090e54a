"""Reads of oversight: public credit lists and pages, and what officials see (scoped)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from servicepark.accounts.scoping import scope_for
from servicepark.oversight.models import (
    Alert,
    CancellationProposal,
    CreditList,
    CreditListing,
    OversightRun,
    Rectification,
    RiskScore,
    Signal,
)
from servicepark.oversight.permissions import READERS
from servicepark.oversight.triggers import TRIGGERS
from servicepark.registry.models import Organization


def current_listings(on: dt.date | None = None) -> QuerySet[CreditListing]:
    day = on or timezone.localdate()
    return CreditListing.objects.filter(listed_on__lte=day).filter(
        Q(removed_on__isnull=True) | Q(removed_on__gt=day)
    )


def public_listings(*, list_: str | None, history: bool) -> QuerySet[CreditListing]:
    """The public lists (current entries, or every entry ever made) with the organization."""
    items = CreditListing.objects.all() if history else current_listings()
    if list_:
        items = items.filter(list=list_)
    return items.select_related("organization").order_by("-listed_on", "-id")


def credit_check(organization: Organization) -> str | None:
    """The eligibility hook of calls: a listed organization may not be a provider."""
    entry = current_listings().filter(organization=organization).order_by("list").first()
    if entry is None:
        return None
    return _("On the %(list)s since %(d)s (%(why)s): listed organizations are not eligible.") % {
        "list": CreditList(entry.list).label,
        "d": entry.listed_on.isoformat(),
        "why": TRIGGERS[entry.trigger].title if entry.trigger in TRIGGERS else entry.trigger,
    }


def credit_record(organization: Organization) -> QuerySet[CreditListing]:
    """Everything the public may know: every entry, current and past."""
    return CreditListing.objects.filter(organization=organization).order_by("-listed_on", "-id")


def alerts_for(user: Any, *, state: str | None = None) -> QuerySet[Alert]:
    items = scope_for(user, Alert.objects.all(), roles=READERS)
    if state:
        items = items.filter(state=state)
    return items.select_related("organization", "signal").order_by("state", "-id")


def alert_counts(user: Any) -> dict[str, int]:
    rows = (
        scope_for(user, Alert.objects.all(), roles=READERS).values("state").annotate(n=Count("id"))
    )
    return {row["state"]: row["n"] for row in rows}


def open_signals(organization: Organization) -> QuerySet[Signal]:
    return Signal.objects.filter(organization=organization, cleared_on__isnull=True)


def score_trend(organization: Organization, runs: int = 12) -> list[tuple[dt.date, int]]:
    """The score at each of the latest full runs (0 where nothing was recorded)."""
    dates = list(
        OversightRun.objects.filter(mode=OversightRun.Mode.FULL)
        .order_by("-as_of")
        .values_list("as_of", flat=True)
        .distinct()[:runs]
    )
    scores = dict(
        RiskScore.objects.filter(organization=organization, as_of__in=dates).values_list(
            "as_of", "score"
        )
    )
    return [(d, scores.get(d, 0)) for d in sorted(set(dates))]


def latest_score(organization: Organization) -> RiskScore | None:
    return RiskScore.objects.filter(organization=organization).order_by("-as_of").first()


def pending_work(user: Any) -> dict[str, Any]:
    """An official's desk: rectifications to verify, fulfilled duties to verify,
    cancellation proposals, removal applications — inside the jurisdiction."""
    listings = scope_for(user, CreditListing.objects.all(), roles=READERS).filter(
        removed_on__isnull=True
    )
    return {
        "to_verify": scope_for(user, Rectification.objects.all(), roles=READERS)
        .filter(state=Rectification.State.SUBMITTED)
        .select_related("organization"),
        "fulfilled": listings.filter(fulfilled_on__isnull=False).select_related("organization"),
        "removal_requests": listings.filter(removal_requested_on__isnull=False).select_related(
            "organization"
        ),
        "cancellations": scope_for(user, CancellationProposal.objects.all(), roles=READERS)
        .filter(state=CancellationProposal.State.PROPOSED)
        .select_related("organization"),
    }
