"""Reads of a park's page: the floor plan, residents, applications, sessions, the desk."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from servicepark.common.permissions import has_permission
from servicepark.incubator.graduation import checklist, facts_for, overstaying
from servicepark.incubator.models import (
    Booking,
    Floor,
    IntakeRound,
    Park,
    Residency,
    ServiceRequest,
    Space,
    TrainingSession,
)


@dataclass
class Cell:
    space: Space | None = None
    resident: Residency | None = None


@dataclass
class FloorPlan:
    floor: Floor
    rows: list[list[Cell]] = field(default_factory=list)


def floor_plans(park: Park) -> list[FloorPlan]:
    """Who sits where, floor by floor, as a grid; a fixed number of queries."""
    spaces = list(Space.objects.filter(park=park, x__isnull=False, y__isnull=False))
    occupants = {
        r.desk_id: r
        for r in Residency.objects.filter(
            park=park, state__in=Residency.IN_PARK, desk__isnull=False
        ).select_related("organization")
    }
    plans = []
    for floor in Floor.objects.filter(park=park).order_by("level"):
        grid = [[Cell() for _x in range(floor.columns)] for _y in range(floor.rows)]
        for space in spaces:
            x, y = space.x or 0, space.y or 0
            if space.floor_id == floor.pk and y < floor.rows and x < floor.columns:
                grid[y][x] = Cell(space, occupants.get(space.pk))
        plans.append(FloorPlan(floor, grid))
    return plans


@dataclass(frozen=True)
class ResidentRow:
    residency: Residency
    ready: bool
    overstay: bool
    met: int
    items: int


def residents(park: Park, *, with_checklist: bool) -> list[ResidentRow]:
    """Residents and graduates; with the checklist for staff — a fixed number of queries."""
    rows = list(
        Residency.objects.filter(park=park, state__in=[*Residency.IN_PARK, "graduated"])
        .select_related("organization", "desk", "park")
        .order_by("state", "organization__name")
    )
    facts = facts_for(rows) if with_checklist and rows else {}
    out = []
    for r in rows:
        items = checklist(r, facts[r.pk]) if with_checklist and r.state != "graduated" else []
        met = sum(i.met for i in items)
        out.append(
            ResidentRow(r, bool(items) and met == len(items), overstaying(r), met, len(items))
        )
    return out


def applications(park: Park) -> QuerySet[Residency]:
    return (
        Residency.objects.filter(park=park, state__in=["applied", "shortlisted"])
        .select_related("organization", "round")
        .order_by("-score", "id")
    )


def open_rounds(park: Park) -> QuerySet[IntakeRound]:
    now = timezone.now()
    return IntakeRound.objects.filter(park=park, opens_at__lte=now, closes_at__gt=now)


def upcoming_bookings(park: Park, days: int = 14) -> QuerySet[Booking]:
    now = timezone.now()
    return (
        Booking.objects.filter(
            space__park=park,
            state__in=Booking.LIVE,
            end__gt=now,
            start__lt=now + dt.timedelta(days=days),
        )
        .select_related("space", "organization")
        .order_by("start")
    )


def sessions(park: Park) -> QuerySet[TrainingSession]:
    return (
        TrainingSession.objects.filter(
            park=park, ends_at__gt=timezone.now() - dt.timedelta(days=30)
        )
        .annotate(registered=Count("registrations"))
        .order_by("starts_at")
    )


def desk_requests(park: Park, user: Any, staff: bool) -> QuerySet[ServiceRequest]:
    from servicepark.accounts.roles import Role
    from servicepark.accounts.scoping import user_organization_ids

    rows = (
        ServiceRequest.objects.filter(park=park)
        .select_related("organization", "routed_to")
        .order_by("-id")
    )
    if staff:
        return rows
    mine = user_organization_ids(user, [Role.ORG_ADMIN, Role.ORG_MEMBER])
    # A resident sees its own requests, and those routed to it as an in-park professional.
    return rows.filter(Q(organization_id__in=mine) | Q(routed_to_id__in=mine))


def is_staff(user: Any, park: Park) -> bool:
    return has_permission("park.manage", user, park)[0]


def alumni(park: Park, user: Any = None) -> dict[str, Any]:
    """Graduates and what they did next — contracts won, the latest evaluation grade, the
    early-warning system's open signals and score, and any current credit listing — with the
    park's outcome figures. Everyone sees the figures and the public credit lists; the signals
    themselves only those who may read the graduate's oversight page (`oversight.view`: center
    staff, officials and auditors of its jurisdiction, its own admins). A fixed number of
    queries for them."""
    from servicepark.oversight.models import RiskScore, Signal
    from servicepark.oversight.presenters import explain_signal
    from servicepark.oversight.selectors import current_listings
    from servicepark.procurement.models import Contract, Evaluation

    graduates = list(
        Residency.objects.filter(park=park, state="graduated").select_related("organization")
    )
    orgs = [g.organization_id for g in graduates]
    contracts: dict[int, list[Contract]] = {o: [] for o in orgs}
    for contract in Contract.objects.filter(
        provider_id__in=orgs, state__in=["signed", "active", "suspended", "completed"]
    ):
        contracts[contract.provider_id].append(contract)
    grades = {
        e.contract.provider_id: e
        for e in Evaluation.objects.filter(
            contract__provider_id__in=orgs, submitted_at__isnull=False
        )
        .select_related("contract")
        .order_by("submitted_at")
    }
    signals: dict[int, list[Signal]] = {o: [] for o in orgs}
    for signal in Signal.objects.filter(organization_id__in=orgs, cleared_on__isnull=True):
        signals[signal.organization_id].append(signal)
    scores: dict[int, RiskScore] = {}
    for score in RiskScore.objects.filter(organization_id__in=orgs).order_by(
        "organization_id", "-as_of"
    ):
        scores.setdefault(score.organization_id, score)
    listings: dict[int, list[Any]] = {o: [] for o in orgs}
    for listing in current_listings().filter(organization_id__in=orgs):
        listings[listing.organization_id].append(listing)
    rows = []
    for g in graduates:
        org = g.organization
        sees = bool(user) and has_permission("oversight.view", user, org)[0]
        open_signals = signals[org.pk]
        rows.append(
            {
                "residency": g,
                "contracts": len(contracts[org.pk]),
                "value": sum((c.price for c in contracts[org.pk]), Decimal("0.00")),
                "grade": grades.get(org.pk),
                "signal_count": len(open_signals),
                "high": sum(1 for s in open_signals if s.severity == 3),
                "signals": [
                    {"severity": s.get_severity_display(), "text": explain_signal(s)}
                    for s in open_signals
                ]
                if sees
                else [],
                "score": scores[org.pk].score if sees and org.pk in scores else None,
                "listings": listings[org.pk],
            }
        )
    with_contract = sum(1 for r in rows if r["contracts"])
    value = sum((contract.price for cs in contracts.values() for contract in cs), Decimal("0.00"))
    return {
        "rows": rows,
        "graduates": len(rows),
        "with_contract": with_contract,
        "share_with_contract": round(100 * with_contract / len(rows)) if rows else 0,
        "contract_value": value,
        "graded": sum(1 for r in rows if r["grade"]),
        "with_signals": sum(1 for r in rows if r["signal_count"]),
        "listed": sum(1 for r in rows if r["listings"]),
    }


def community(park: Park) -> dict[str, Any]:
    from servicepark.incubator.models import (
        AdvisoryAdvice,
        AdvisoryMember,
        CoordinationEvent,
        Mentorship,
    )

    return {
        "mentorships": Mentorship.objects.filter(park=park).select_related("mentor", "mentee"),
        "advisors": AdvisoryMember.objects.filter(park=park, active=True),
        "advice": AdvisoryAdvice.objects.filter(park=park)
        .select_related("residency__organization")
        .prefetch_related("present")[:10],
        "events": CoordinationEvent.objects.filter(park=park).prefetch_related(
            "invited", "attended"
        )[:10],
    }
