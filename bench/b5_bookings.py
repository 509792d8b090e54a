"""B5: booking a meeting room among 100,000 existing bookings.

    DATABASE_URL=postgres://... .venv/bin/python bench/b5_bookings.py --bookings 100000 \
        --out bench/results/b5.json

The database must be migrated and hold no bookings. Steps:
1. generate PARKS parks with 20 rooms and halls each, one resident organization per park with
   a member, and BOOKINGS bookings spread evenly over the spaces (one a day per space, 40
   days back to 60 ahead, mornings and afternoons; 10 % cancelled), with bulk_create (timed
   separately, not part of the figures), then ANALYZE;
2. server time of CREATIONS calls of `servicepark.incubator.services.bookings.booking_create`
   by a resident, each in a free hour of a random space and a random future day (permission,
   checks, the space's lock, the overlap query, the insert and its audit event, commit);
3. the same through the HTTP stack in-process: POST /api/v1/bookings with a Bearer token via
   Django's test client (authentication, JSON, service, serialisation; no network);
4. REFUSALS requests for taken slots (the conflict path: lock, overlap query, rollback).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    RESULTS,
    django_setup,
    loadavg,
    machine_info,
    summary_ms,
    wait_for_quiet,
    write_json,
)

SEED = 20261205
SPACES_PER_PARK = 20
DAYS_BACK = 40
PASSWORD = "bench-pass-2026"  # noqa: S105 - throwaway users of a throwaway database


class Generator:
    """Deterministic parks, residents and bookings; bookings go in with bulk_create."""

    def __init__(self, bookings: int, seed: int = SEED) -> None:
        self.rng = random.Random(seed)
        self.bookings = bookings
        self.per_space = 100
        self.parks = max(1, bookings // (self.per_space * SPACES_PER_PARK))
        # Midnight (Beijing time) of today: days are counted from it.
        self.today = (
            dt.datetime.now(dt.UTC)
            .astimezone(dt.timezone(dt.timedelta(hours=8)))
            .replace(hour=0, minute=0, second=0, microsecond=0)
        )

    def reference_rows(self) -> dict[str, Any]:
        from servicepark.accounts.services import user_create
        from servicepark.common.actors import SystemActor
        from servicepark.geo.models import Division
        from servicepark.incubator.models import Park, Residency, Space
        from servicepark.registry.models import Organization
        from servicepark.registry.uscc import make_uscc

        system = SystemActor("bench")
        codes = list(Division.objects.filter(level=3).values_list("code", flat=True)[:60])
        parks = Park.objects.bulk_create(
            Park(name=f"基准孵化园{i}", division_id=codes[i % len(codes)])
            for i in range(self.parks)
        )
        kinds = (Space.Kind.ROOM,) * 15 + (Space.Kind.HALL,) * 5
        spaces = Space.objects.bulk_create(
            Space(
                park=park,
                name=f"{'会议室' if kind == Space.Kind.ROOM else '多功能厅'}{j}",
                kind=kind,
                capacity=12 if kind == Space.Kind.ROOM else 150,
                approval_above=None if kind == Space.Kind.ROOM else 60,
            )
            for park in parks
            for j, kind in enumerate(kinds)
        )
        orgs = Organization.objects.bulk_create(
            Organization(
                uscc=make_uscc(
                    org_type="social_service_agency", division_code=park.division_id, rng=self.rng
                ),
                name=f"基准入驻机构{i}",
                org_type="social_service_agency",
                registration_kind="direct",
                division_id=park.division_id,
                status="registered",
            )
            for i, park in enumerate(parks)
        )
        Residency.objects.bulk_create(
            Residency(park=park, organization=org, state="incubating", proposal="基准")
            for park, org in zip(parks, orgs, strict=True)
        )
        booker = user_create(actor=system, username="b5-booker", password=PASSWORD)
        return {"spaces": [s.pk for s in spaces], "booker": booker.pk}

    def bookings_rows(self, spaces: list[int], booker: int) -> int:
        """One booking a day per space, 40 days back to 60 ahead: 09:00–10:30 on even days,
        14:00–16:00 on odd ones (11:00–12:00 stays free for the measured bookings)."""
        from servicepark.incubator.models import Booking

        made = 0
        batch: list[Booking] = []
        for n in range(self.bookings):
            space = spaces[n % len(spaces)]
            k = n // len(spaces)
            day = self.today + dt.timedelta(days=k - DAYS_BACK)
            start, hours = (9, 1.5) if k % 2 == 0 else (14, 2)
            begins = day + dt.timedelta(hours=start)
            batch.append(
                Booking(
                    space_id=space,
                    booked_by_id=booker,
                    title=f"基准会议{n}",
                    start=begins,
                    end=begins + dt.timedelta(hours=hours),
                    attendees=self.rng.randint(2, 12),
                    state="cancelled" if self.rng.random() < 0.1 else "confirmed",
                )
            )
            if len(batch) == 5000:
                Booking.objects.bulk_create(batch)
                made += len(batch)
                batch = []
        Booking.objects.bulk_create(batch)
        return made + len(batch)


def generate(bookings: int) -> tuple[dict[str, Any], Generator, float]:
    from django.db import connection, transaction

    from servicepark.incubator.models import Booking

    if Booking.objects.exists():
        raise SystemExit("b5: the database already holds bookings; use a fresh one")
    gen = Generator(bookings)
    started = time.perf_counter()
    with transaction.atomic():
        ref = gen.reference_rows()
        ref["generated"] = gen.bookings_rows(ref["spaces"], ref["booker"])
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    return ref, gen, time.perf_counter() - started


def free_slots(gen: Generator, spaces: list[int], count: int) -> list[tuple[int, dt.datetime]]:
    """`count` distinct (space, 11:00 of a future day) pairs, all free."""
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < count:
        pairs.add((gen.rng.choice(spaces), gen.rng.randint(1, 59)))
    return [(space, gen.today + dt.timedelta(days=day, hours=11)) for space, day in sorted(pairs)]


def resident_of(space_id: int) -> Any:
    """A member of an organization residing in the space's park (made on first use)."""
    from servicepark.accounts.models import User
    from servicepark.accounts.services import grant_add, user_create
    from servicepark.common.actors import SystemActor
    from servicepark.incubator.models import Residency, Space

    park_id = Space.objects.values_list("park_id", flat=True).get(pk=space_id)
    org_id = Residency.objects.values_list("organization_id", flat=True).get(park_id=park_id)
    username = f"b5-park-{park_id}"
    user = User.objects.filter(username=username).first()
    if user is None:
        system = SystemActor("bench")
        user = user_create(actor=system, username=username, password=PASSWORD)
        grant_add(actor=system, user=user, role="org_member", organization_id=org_id)
    return User.objects.get(pk=user.pk)


def time_service(slots: list[tuple[int, dt.datetime]]) -> list[float]:
    from servicepark.incubator.models import Space
    from servicepark.incubator.services.bookings import booking_create

    seconds = []
    for space_id, start in slots:
        actor = resident_of(space_id)  # a fresh user object: no grants cached
        space = Space.objects.select_related("park").get(pk=space_id)
        began = time.perf_counter()
        booking_create(
            actor=actor,
            space=space,
            start=start,
            end=start + dt.timedelta(hours=1),
            title="基准预约",
            attendees=6,
            idempotency_key=f"b5-{space_id}-{start:%m%d}",
        )
        seconds.append(time.perf_counter() - began)
    return seconds


def time_api(slots: list[tuple[int, dt.datetime]], *, expect: int) -> list[float]:
    from django.test import Client

    from servicepark.accounts.services import api_token_issue

    client = Client(SERVER_NAME="localhost")
    tokens: dict[str, str] = {}
    seconds = []
    for space_id, start in slots:
        username = resident_of(space_id).username
        if username not in tokens:
            tokens[username] = api_token_issue(username=username, password=PASSWORD)
        body = json.dumps(
            {
                "space": space_id,
                "start": start.isoformat(),
                "end": (start + dt.timedelta(hours=1)).isoformat(),
                "title": "基准预约",
                "attendees": 6,
            }
        )
        began = time.perf_counter()
        response = client.post(
            "/api/v1/bookings",
            body,
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {tokens[username]}",
        )
        seconds.append(time.perf_counter() - began)
        if response.status_code != expect:
            raise SystemExit(
                f"b5: expected {expect}, got {response.status_code}: {response.content!r}"
            )
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--bookings", type=int, default=int(os.environ.get("BENCH_B5_BOOKINGS", 100_000))
    )
    parser.add_argument("--creations", type=int, default=200)
    parser.add_argument("--refusals", type=int, default=100)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--out", type=Path, default=RESULTS / "b5_bookings.json")
    args = parser.parse_args()
    if not args.database_url.startswith("postgres"):
        parser.error("a PostgreSQL DATABASE_URL is required")
    os.environ["DATABASE_URL"] = args.database_url
    django_setup()
    from servicepark.incubator.models import Booking

    print(f"b5: generating {args.bookings:,} bookings", file=sys.stderr)
    ref, gen, gen_s = generate(args.bookings)
    print(f"b5: generated in {gen_s:.0f} s; booking", file=sys.stderr)
    slots = free_slots(gen, ref["spaces"], 2 * args.creations + 2)
    warm_up, slots = slots[:2], slots[2:]
    service_slots, api_slots = slots[::2], slots[1::2]
    for space_id, _start in slots:  # users first, so that their creation is not timed
        resident_of(space_id)
    # The first request of a process loads URL patterns, the API schema and translations.
    time_service(warm_up[:1])
    time_api(warm_up[1:], expect=201)
    quiet = wait_for_quiet()
    service = time_service(service_slots)
    api = time_api(api_slots, expect=201)
    # The slots the service run has just taken, asked for again.
    refused = time_api(gen.rng.sample(service_slots, args.refusals), expect=409)
    quiet["load_at_end"] = loadavg()
    live = Booking.objects.filter(state__in=Booking.LIVE).count()
    result = {
        "benchmark": "b5_bookings",
        "machine": machine_info(args.database_url),
        "bookings": ref["generated"],
        "spaces": len(ref["spaces"]),
        "parks": gen.parks,
        "generate_s": round(gen_s, 1),
        "service": summary_ms(service),
        "api": summary_ms(api),
        "api_conflict": summary_ms(refused),
        "bookings_after": Booking.objects.count(),
        "live_after": live,
        "load": quiet,
    }
    write_json(args.out, result)
    for name in ("service", "api", "api_conflict"):
        s = result[name]
        print(
            f"b5: {name}: n={s['n']} p50 {s['p50_ms']} ms, p95 {s['p95_ms']} ms, "
            f"max {s['max_ms']} ms",
            file=sys.stderr,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
