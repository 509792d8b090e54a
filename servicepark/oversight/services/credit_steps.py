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
from django.db.models import CharField, Count, Exists, Max, OuterRef, Q, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from servicepark.common.audit import Entry, audit_record_many
from servicepark.common.inputs import add_months
from servicepark.oversight.deadlines import full_years_later, last_due_year, report_deadline
from servicepark.oversight.duties import first_report_year, owing_report, report_years
from servicepark.oversight.models import (
    AnnualReport,
    CancellationProposal,
    CreditList,
    CreditListing,
    Rectification,
    RegisteredLetter,
    Sanction,
)
from servicepark.oversight.rules.base import Context, chunked
from servicepark.oversight.services.grades import remind_expiring
from servicepark.oversight.services.listing import (
    Leaving,
    NewListing,
    add_listings,
    remove_rows,
    update_rows,
)
from servicepark.oversight.triggers import SANCTION_TRIGGERS, trigger
from servicepark.registry.models.choices import OrgType

MAJOR_FINE = Decimal(50_000)
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


def _listed(list_: str, source: Any, organization: str = "organization") -> Exists:
    """An entry on `list_` for the row's organization with this source exists already."""
    return Exists(
        CreditListing.objects.filter(
            organization_id=OuterRef(organization), list=list_, source=source
        )
    )


def _source(prefix: str, ref: str = "pk") -> Concat:
    """`prefix:<the row's id>`, in SQL (the `source` a step gives the entry it makes)."""
    return Concat(Value(f"{prefix}:"), Cast(OuterRef(ref), CharField()))


def list_late_annual_reports(ctx: Context, actor: Any) -> int:
    """Not filed by the deadline (filed late or not at all) → abnormal list, from the day
    after the deadline."""
    items = []
    listed = trigger("annual_report_late").list
    for (year, due), types in report_years(ctx.as_of).items():
        on_time = AnnualReport.objects.filter(
            organization=OuterRef("pk"), year=year, submitted_at__date__lte=due
        )
        owing = (
            ctx.only(owing_report(types, year), "id")
            .exclude(Exists(on_time))
            .exclude(_listed(listed, f"annual_report:{year}", "pk"))
        )
        for org_id in owing.values_list("id", flat=True).iterator(chunk_size=5000):
            items.append(
                NewListing(
                    org_id, "annual_report_late", f"annual_report:{year}", due + DAY, f"{year}"
                )
            )
    return len(add_listings(actor=actor, items=items))


def list_overdue_rectifications(ctx: Context, actor: Any) -> int:
    overdue = (
        ctx.only(
            Rectification.objects.filter(state=Rectification.State.ORDERED, deadline__lt=ctx.as_of)
        )
        .exclude(_listed(trigger("rectification_overdue").list, _source("rectification")))
        .order_by()
        .values_list("id", "organization_id", "deadline", "order")
    )
    items = [
        NewListing(
            org_id, "rectification_overdue", f"rectification:{pk}", deadline + DAY, order[:500]
        )
        for pk, org_id, deadline, order in overdue.iterator(chunk_size=5000)
    ]
    return len(add_listings(actor=actor, items=items))


def list_unreachable(ctx: Context, actor: Any) -> int:
    """Two registered letters returned unsigned, with none signed since the first of them."""
    returned = RegisteredLetter.objects.filter(returned_on__lte=ctx.as_of)
    # Only organizations with two returned letters can be listed for it.
    twice = (
        ctx.only(returned)
        .order_by()
        .values("organization_id")
        .annotate(n=Count("id"))
        .filter(n__gte=2)
        .values("organization_id")
    )
    letters = (
        RegisteredLetter.objects.filter(organization_id__in=twice)
        .filter(Q(returned_on__lte=ctx.as_of) | Q(signed_on__lte=ctx.as_of))
        .order_by("organization_id", "sent_on", "id")
        .values_list("id", "organization_id", "sent_on", "signed_on", "returned_on")
    )
    run: dict[int, list[tuple[int, dt.date, dt.date | None]]] = defaultdict(list)
    items = []
    for pk, org_id, sent_on, signed_on, returned_on in letters.iterator(chunk_size=5000):
        pending = run[org_id]
        if signed_on is not None and signed_on <= ctx.as_of:
            pending.clear()
            continue
        pending.append((pk, sent_on, returned_on))
        if len(pending) == 2:
            first, second = pending
            items.append(
                NewListing(
                    org_id,
                    "unreachable",
                    f"letters:{second[0]}",
                    second[2] or ctx.as_of,
                    f"{first[1].isoformat()}, {second[1].isoformat()}",
                )
            )
            pending.clear()
    return len(add_listings(actor=actor, items=items))


def list_sanctions(ctx: Context, actor: Any) -> int:
    """Each sanction on its list; a second warning or fine within three years → serious.

    Only organizations with a sanction not yet listed are looked at: every sanction is listed
    together with the repeat it makes (if any), so an organization whose sanctions are all
    listed has nothing new to list."""
    decided = Sanction.objects.filter(decided_on__lte=ctx.as_of)
    unlisted = (
        ctx.only(decided)
        .annotate(ref=Concat(Value("sanction:"), Cast("pk", CharField())))
        .exclude(
            Exists(
                CreditListing.objects.filter(
                    organization_id=OuterRef("organization_id"), source=OuterRef("ref")
                )
            )
        )
        .order_by()
        .values("organization_id")
    )
    sanctions = (
        decided.filter(organization_id__in=unlisted)
        .order_by("organization_id", "decided_on", "id")
        .values_list("id", "organization_id", "kind", "amount", "decided_on", "reference")
    )
    items = []
    penalties: dict[int, list[tuple[dt.date, str]]] = defaultdict(list)
    for pk, org_id, kind, amount, decided_on, reference in sanctions.iterator(chunk_size=5000):
        if kind == Sanction.Kind.FINE:
            code = "major_fine" if (amount or 0) >= MAJOR_FINE else "minor_penalty"
        else:
            code = SANCTION_TRIGGERS[kind]
        items.append(NewListing(org_id, code, f"sanction:{pk}", decided_on, reference))
        if kind in (Sanction.Kind.WARNING, Sanction.Kind.FINE):
            earlier = [p for p in penalties[org_id] if full_years_later(p[0], 3) > decided_on]
            if earlier:
                items.append(
                    NewListing(
                        org_id,
                        "repeat_penalties",
                        f"repeat:{pk}",
                        decided_on,
                        f"{earlier[-1][1]}; {reference}",
                    )
                )
            penalties[org_id].append((decided_on, reference))
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


def propose_cancellations(ctx: Context, actor: Any) -> int:
    """Two consecutive years with no annual report at all → a proposal to cancel the
    registration, for an official to decide."""
    created = []
    by_last: dict[int, list[str]] = defaultdict(list)  # one query per pair of years
    for org_type in OrgType.values:
        by_last[last_due_year(org_type, ctx.as_of)].append(org_type)
    for last, types in sorted(by_last.items()):
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
            ctx.only(owing_report(types, last - 1), "id")
            .exclude(Exists(filed))
            .exclude(Exists(proposed))
        )
        days = {t: report_deadline(t, last) + DAY for t in types}
        created += [
            CancellationProposal(organization_id=pk, years=years, proposed_on=days[org_type])
            for pk, org_type in owing.values_list("id", "org_type")
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

_LISTING = "oversight.CreditListing"
# The models each step reads: after an event, only the steps watching what it saved run.
STEP_WATCHES: dict[str, frozenset[str]] = {
    "listed_late_reports": frozenset({"oversight.AnnualReport", "registry.Organization"}),
    "listed_overdue_rectifications": frozenset({"oversight.Rectification"}),
    "listed_unreachable": frozenset({"oversight.RegisteredLetter"}),
    "listed_sanctions": frozenset({"oversight.Sanction"}),
    "fulfilled": frozenset(
        {
            "oversight.AnnualReport",
            "oversight.Rectification",
            "oversight.RegisteredLetter",
            _LISTING,
        }
    ),
    "removed_automatically": frozenset({_LISTING}),
    "escalated": frozenset({_LISTING}),
    "cancellations_proposed": frozenset({"oversight.AnnualReport", "registry.Organization"}),
    "grades_reminded": frozenset({"oversight.GradeAssessment"}),
}
# What a step that changed something wrote: the steps and rules watching it run after it.
STEP_WRITES: dict[str, str] = {
    "listed_late_reports": _LISTING,
    "listed_overdue_rectifications": _LISTING,
    "listed_unreachable": _LISTING,
    "listed_sanctions": _LISTING,
    "fulfilled": _LISTING,
    "removed_automatically": _LISTING,
    "escalated": _LISTING,
    "cancellations_proposed": "oversight.CancellationProposal",
    "grades_reminded": "oversight.GradeAssessment",
}
