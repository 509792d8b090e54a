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
from django.db.models import CharField, Count, Exists, OuterRef, Q, Value
from django.db.models.functions import Cast, Concat

from servicepark.common.audit import Entry, audit_record_many
from servicepark.oversight.deadlines import full_years_later, last_due_year, report_deadline
from servicepark.oversight.duties import first_report_year, owing_report, report_years
from servicepark.oversight.models import (
    AnnualReport,
    CancellationProposal,
    CreditListing,
    Rectification,
    RegisteredLetter,
    Sanction,
)
from servicepark.oversight.rules.base import Context
from servicepark.oversight.services.credit_lifecycle import DAY
from servicepark.oversight.services.credit_lifecycle import (
    escalate as escalate,
)
from servicepark.oversight.services.credit_lifecycle import (
    latest_day_before as latest_day_before,
)
from servicepark.oversight.services.credit_lifecycle import (
    mark_fulfilled as mark_fulfilled,
)
from servicepark.oversight.services.credit_lifecycle import (
    remove_automatically as remove_automatically,
)
from servicepark.oversight.services.grades import remind_expiring
from servicepark.oversight.services.listing import (
    NewListing,
    add_listings,
)
from servicepark.oversight.triggers import SANCTION_TRIGGERS, trigger
from servicepark.registry.models.choices import OrgType

MAJOR_FINE = Decimal(50_000)


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
