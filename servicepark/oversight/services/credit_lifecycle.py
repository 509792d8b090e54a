"""The credit-list steps for entries already on the lists: recording the day a duty was
fulfilled, removing entries six months later when nothing needs rectifying, and escalating two
full years on the abnormal list to the serious list. Run among STEPS (credit_steps.py); like
every step they derive their dates from the facts, so they can run again for any date."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from servicepark.common.audit import Entry, audit_record_many
from servicepark.common.inputs import add_months
from servicepark.oversight.deadlines import full_years_later
from servicepark.oversight.models import (
    AnnualReport,
    CreditList,
    CreditListing,
    Rectification,
    RegisteredLetter,
)
from servicepark.oversight.rules.base import Context, chunked
from servicepark.oversight.services.listing import (
    Leaving,
    NewListing,
    add_listings,
    remove_rows,
    update_rows,
)

DAY = dt.timedelta(days=1)


def latest_day_before(as_of: dt.date, later: Callable[[dt.date], dt.date]) -> dt.date:
    """The latest day `d` with `later(d) <= as_of`, for a `later` that never goes backwards
    (e.g. "two full years after"): `later(d) <= as_of` is then `d <= that day`, a plain
    filter the database answers with an index instead of every row coming to Python."""
    day = as_of
    while later(day) > as_of:  # a few steps, no queries
        day -= max(later(day) - as_of, DAY)
    while later(day + DAY) <= as_of:
        day += DAY
    return day


def mark_fulfilled(ctx: Context, actor: Any) -> int:
    """Record the day a listed organization did what the listing asked (filed the report,
    answered the order, signed for a letter); an official then verifies and removes it.
    One query per kind of duty, however many entries are open."""
    open_ = ctx.only(
        CreditListing.objects.filter(
            list=CreditList.ABNORMAL,
            removed_on__isnull=True,
            fulfilled_on__isnull=True,
            needs_rectification=True,
        )
    ).only("id", "organization_id", "source")
    by_kind: dict[str, list[tuple[CreditListing, int]]] = defaultdict(list)
    for listing in open_:
        kind, _sep, ref = listing.source.partition(":")
        if kind in FULFILMENT and ref.isdecimal():
            by_kind[kind].append((listing, int(ref)))
    changed: list[CreditListing] = []
    for kind, items in by_kind.items():
        days = FULFILMENT[kind](items, ctx.as_of)
        for listing, _ref in items:
            day = days.get(listing.pk)
            if day is not None:
                listing.fulfilled_on = day
                changed.append(listing)
    if changed:
        with transaction.atomic():
            update_rows(CreditListing, ("fulfilled_on",), [(c.pk, c.fulfilled_on) for c in changed])
            audit_record_many(
                actor=actor,
                action="credit.fulfilled",
                entries=[
                    Entry("oversight.creditlisting", c.pk, after={"fulfilled_on": c.fulfilled_on})
                    for c in changed
                ],
            )
    return len(changed)


Listed = list[tuple[CreditListing, int]]  # (entry, the id or year its source names)


def _reports_filed(items: Listed, as_of: dt.date) -> dict[int, dt.date]:
    filed = {
        (org, year): timezone.localtime(at).date()
        for org, year, at in AnnualReport.objects.filter(
            organization_id__in={e.organization_id for e, _ in items},
            year__in={year for _, year in items},
            submitted_at__date__lte=as_of,
        ).values_list("organization_id", "year", "submitted_at")
    }
    return {
        e.pk: filed[(e.organization_id, year)]
        for e, year in items
        if (e.organization_id, year) in filed
    }


def _orders_answered(items: Listed, as_of: dt.date) -> dict[int, dt.date]:
    answered = {
        pk: timezone.localtime(at).date()
        for pk, at in Rectification.objects.filter(
            pk__in={ref for _, ref in items}, submitted_at__isnull=False
        )
        .exclude(state=Rectification.State.ORDERED)
        .values_list("pk", "submitted_at")
    }
    return {e.pk: answered[ref] for e, ref in items if ref in answered}


def _letters_signed(items: Listed, as_of: dt.date) -> dict[int, dt.date]:
    signed: dict[int, list[tuple[int, dt.date]]] = defaultdict(list)
    for org, pk, day in (
        RegisteredLetter.objects.filter(
            organization_id__in={e.organization_id for e, _ in items}, signed_on__lte=as_of
        )
        .order_by("pk")
        .values_list("organization_id", "pk", "signed_on")
    ):
        if day is not None:  # the filter has it; the column is nullable
            signed[org].append((pk, day))
    out: dict[int, dt.date] = {}
    for e, ref in items:
        later = [day for pk, day in signed[e.organization_id] if pk > ref]
        if later:
            out[e.pk] = later[0]
    return out


FULFILMENT: dict[str, Callable[[Listed, dt.date], dict[int, dt.date]]] = {
    "annual_report": _reports_filed,
    "rectification": _orders_answered,
    "letters": _letters_signed,
}


def remove_automatically(ctx: Context, actor: Any) -> int:
    """Six months after the organization's latest abnormal-list entry (a new trigger starts
    the six months again), entries with nothing to rectify leave the list."""
    current = ctx.only(
        CreditListing.objects.filter(
            list=CreditList.ABNORMAL, removed_on__isnull=True, listed_on__lte=ctx.as_of
        )
    )
    # The organizations whose six months have passed and that have an entry to take off.
    clocks = (
        current.order_by()
        .values("organization_id")
        .annotate(clock=Max("listed_on"), free=Count("id", filter=Q(needs_rectification=False)))
        .filter(clock__lte=latest_day_before(ctx.as_of, lambda d: add_months(d, 6)), free__gt=0)
    )
    day_of = {
        row["organization_id"]: add_months(row["clock"], 6)
        for row in clocks.iterator(chunk_size=5000)
    }
    if not day_of:
        return 0
    leaving = [
        Leaving(pk, org_id, day_of[org_id], removal_evidence, division)
        for batch in chunked(sorted(day_of))
        for pk, org_id, removal_evidence, division in current.filter(
            organization_id__in=batch, needs_rectification=False
        )
        .order_by("organization_id", "id")
        .values_list("id", "organization_id", "removal_evidence", "organization__division_id")
    ]
    return remove_rows(actor=actor, rows=leaving, removal=CreditListing.Removal.AUTOMATIC)


def escalate(ctx: Context, actor: Any) -> int:
    """Two full years on the abnormal list → the serious list (the abnormal entry closes)."""
    cutoff = latest_day_before(ctx.as_of, lambda d: full_years_later(d, 2))
    candidates = list(
        ctx.only(
            CreditListing.objects.filter(
                list=CreditList.ABNORMAL, removed_on__isnull=True, listed_on__lte=cutoff
            )
        )
        .order_by("id")
        .values_list(
            "id",
            "organization_id",
            "listed_on",
            "evidence",
            "removal_evidence",
            "organization__division_id",
        )
        .iterator(chunk_size=5000)
    )
    if not candidates:
        return 0
    with transaction.atomic():
        add_listings(
            actor=actor,
            items=[
                NewListing(
                    org_id,
                    "abnormal_two_years",
                    f"abnormal:{pk}",
                    full_years_later(listed_on, 2),
                    evidence[:500],
                )
                for pk, org_id, listed_on, evidence, _r, _d in candidates
            ],
        )
        remove_rows(
            actor=actor,
            rows=[
                Leaving(pk, org_id, full_years_later(listed_on, 2), removal_evidence, division)
                for pk, org_id, listed_on, _e, removal_evidence, division in candidates
            ],
            removal=CreditListing.Removal.ESCALATED,
        )
    return len(candidates)
