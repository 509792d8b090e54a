"""The time-driven steps of the credit lists, run by `servicepark oversight run` (and, for
one organization, after the events that matter). Every step derives its dates from the facts,
never from when it runs, so it can run any number of times, for any as-of date, and a later
date carries on from what an earlier run recorded."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from servicepark.common.audit import Entry, audit_record_many
from servicepark.common.inputs import add_months
from servicepark.oversight.deadlines import full_years_later, last_due_year, report_deadline
from servicepark.oversight.duties import first_report_year, owing_report
from servicepark.oversight.models import (
    AnnualReport,
    CancellationProposal,
    CreditList,
    CreditListing,
    Rectification,
    RegisteredLetter,
    Sanction,
)
from servicepark.oversight.rules.base import Context
from servicepark.oversight.services.grades import remind_expiring
from servicepark.oversight.services.listing import NewListing, add_listings, remove_listings
from servicepark.oversight.triggers import SANCTION_TRIGGERS
from servicepark.registry.models.choices import OrgType

MAJOR_FINE = Decimal(50_000)
DAY = dt.timedelta(days=1)


def list_late_annual_reports(ctx: Context, actor: Any) -> int:
    """Not filed by the deadline (filed late or not at all) → abnormal list, from the day
    after the deadline."""
    items = []
    for org_type in OrgType.values:
        last = last_due_year(org_type, ctx.as_of)
        for year in (last - 1, last):
            if year < first_report_year():
                continue
            due = report_deadline(org_type, year)
            on_time = AnnualReport.objects.filter(
                organization=OuterRef("pk"), year=year, submitted_at__date__lte=due
            )
            owing = ctx.only(owing_report(org_type, year), "id").exclude(Exists(on_time))
            for org_id in owing.values_list("id", flat=True).iterator(chunk_size=5000):
                items.append(
                    NewListing(
                        org_id, "annual_report_late", f"annual_report:{year}", due + DAY, f"{year}"
                    )
                )
    return len(add_listings(actor=actor, items=items))


def list_overdue_rectifications(ctx: Context, actor: Any) -> int:
    overdue = ctx.only(
        Rectification.objects.filter(state=Rectification.State.ORDERED, deadline__lt=ctx.as_of)
    ).values_list("id", "organization_id", "deadline", "order")
    items = [
        NewListing(
            org_id, "rectification_overdue", f"rectification:{pk}", deadline + DAY, order[:500]
        )
        for pk, org_id, deadline, order in overdue
    ]
    return len(add_listings(actor=actor, items=items))


def list_unreachable(ctx: Context, actor: Any) -> int:
    """Two registered letters returned unsigned, with none signed since the first of them."""
    letters = ctx.only(
        RegisteredLetter.objects.filter(Q(returned_on__lte=ctx.as_of) | Q(signed_on__lte=ctx.as_of))
    ).order_by("organization_id", "sent_on", "id")
    run: dict[int, list[RegisteredLetter]] = defaultdict(list)
    items = []
    for letter in letters.only("id", "organization_id", "sent_on", "signed_on", "returned_on"):
        returned = run[letter.organization_id]
        if letter.signed_on is not None and letter.signed_on <= ctx.as_of:
            returned.clear()
            continue
        returned.append(letter)
        if len(returned) == 2:
            first, second = returned
            items.append(
                NewListing(
                    letter.organization_id,
                    "unreachable",
                    f"letters:{second.pk}",
                    second.returned_on or ctx.as_of,
                    f"{first.sent_on.isoformat()}, {second.sent_on.isoformat()}",
                )
            )
            returned.clear()
    return len(add_listings(actor=actor, items=items))


def list_sanctions(ctx: Context, actor: Any) -> int:
    """Each sanction on its list; a second warning or fine within three years → serious."""
    sanctions = ctx.only(Sanction.objects.filter(decided_on__lte=ctx.as_of)).order_by(
        "organization_id", "decided_on", "id"
    )
    items = []
    penalties: dict[int, list[Sanction]] = defaultdict(list)
    for s in sanctions.only("id", "organization_id", "kind", "amount", "decided_on", "reference"):
        if s.kind == Sanction.Kind.FINE:
            code = "major_fine" if (s.amount or 0) >= MAJOR_FINE else "minor_penalty"
        else:
            code = SANCTION_TRIGGERS[s.kind]
        items.append(
            NewListing(s.organization_id, code, f"sanction:{s.pk}", s.decided_on, s.reference)
        )
        if s.kind in (Sanction.Kind.WARNING, Sanction.Kind.FINE):
            earlier = [
                p
                for p in penalties[s.organization_id]
                if full_years_later(p.decided_on, 3) > s.decided_on
            ]
            if earlier:
                items.append(
                    NewListing(
                        s.organization_id,
                        "repeat_penalties",
                        f"repeat:{s.pk}",
                        s.decided_on,
                        f"{earlier[-1].reference}; {s.reference}",
                    )
                )
            penalties[s.organization_id].append(s)
    return len(add_listings(actor=actor, items=items))


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
            CreditListing.objects.bulk_update(changed, ["fulfilled_on"], batch_size=2000)
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
    ).order_by("organization_id")
    by_org: dict[int, list[CreditListing]] = defaultdict(list)
    for listing in current:
        by_org[listing.organization_id].append(listing)
    leaving: list[CreditListing] = []
    for listings in by_org.values():
        clock = max(item.listed_on for item in listings)
        day = add_months(clock, 6)
        if day > ctx.as_of:
            continue
        for item in listings:
            if not item.needs_rectification:
                item.removed_on = day
                leaving.append(item)
    return remove_listings(actor=actor, listings=leaving, removal=CreditListing.Removal.AUTOMATIC)


def escalate(ctx: Context, actor: Any) -> int:
    """Two full years on the abnormal list → the serious list (the abnormal entry closes)."""
    candidates = [
        item
        for item in ctx.only(
            CreditListing.objects.filter(list=CreditList.ABNORMAL, removed_on__isnull=True)
        )
        if full_years_later(item.listed_on, 2) <= ctx.as_of
    ]
    if not candidates:
        return 0
    with transaction.atomic():
        add_listings(
            actor=actor,
            items=[
                NewListing(
                    item.organization_id,
                    "abnormal_two_years",
                    f"abnormal:{item.pk}",
                    full_years_later(item.listed_on, 2),
                    item.evidence[:500],
                )
                for item in candidates
            ],
        )
        for item in candidates:
            item.removed_on = full_years_later(item.listed_on, 2)
        remove_listings(actor=actor, listings=candidates, removal=CreditListing.Removal.ESCALATED)
    return len(candidates)


def propose_cancellations(ctx: Context, actor: Any) -> int:
    """Two consecutive years with no annual report at all → a proposal to cancel the
    registration, for an official to decide."""
    created = []
    for org_type in OrgType.values:
        last = last_due_year(org_type, ctx.as_of)
        if last - 1 < first_report_year():
            continue
        years = f"{last - 1},{last}"
        filed = AnnualReport.objects.filter(
            organization=OuterRef("pk"),
            year__in=[last - 1, last],
            submitted_at__date__lte=ctx.as_of,
        )
        proposed = CancellationProposal.objects.filter(organization=OuterRef("pk"), years=years)
        owing = (
            ctx.only(owing_report(org_type, last - 1), "id")
            .exclude(Exists(filed))
            .exclude(Exists(proposed))
        )
        day = report_deadline(org_type, last) + DAY
        created += [
            CancellationProposal(organization_id=pk, years=years, proposed_on=day)
            for pk in owing.values_list("id", flat=True)
        ]
    if created:
        with transaction.atomic():
            made = CancellationProposal.objects.bulk_create(created)
            audit_record_many(
                actor=actor,
                action="cancellation.propose",
                entries=[
                    Entry(
                        "oversight.cancellationproposal",
                        c.pk,
                        after={"organization": c.organization_id, "years": c.years},
                    )
                    for c in made
                ],
            )
    return len(created)


STEPS: tuple[tuple[str, Callable[[Context, Any], int]], ...] = (
    ("listed_late_reports", list_late_annual_reports),
    ("listed_overdue_rectifications", list_overdue_rectifications),
    ("listed_unreachable", list_unreachable),
    ("listed_sanctions", list_sanctions),
    ("fulfilled", mark_fulfilled),
    ("removed_automatically", remove_automatically),
    ("escalated", escalate),
    ("cancellations_proposed", propose_cancellations),
    ("grades_reminded", remind_expiring),
)
