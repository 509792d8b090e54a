"""PostgreSQL: twenty people book the same slot at once and exactly one gets it; when the
locked check is bypassed, the exclusion constraint still refuses the overlap."""

from __future__ import annotations

import pytest
from django.db import (
    IntegrityError,
    connection,  # noqa: F401  (named by the skipif conditions)
    transaction,
)

from servicepark.accounts.tests.factories import make_user
from servicepark.common.audit import audit_verify
from servicepark.common.tests.threads import run_parallel
from servicepark.incubator.models import Booking
from servicepark.incubator.services import bookings
from servicepark.incubator.services.bookings import BookingConflict
from servicepark.incubator.tests.helpers import at, book

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="row locks need PostgreSQL"),
    pytest.mark.usefixtures("english"),
]


def test_twenty_people_book_the_same_slot_and_exactly_one_gets_it(world, day):
    people = [make_user("org_member", organization=world.resident) for _ in range(19)]
    people.append(world.staff)
    errors = run_parallel(
        [
            lambda who=who, i=i: book(who, world.room, day, 9 + i % 3 * 0.25, 10.5)
            for i, who in enumerate(people)
        ]
    )
    assert Booking.objects.filter(space=world.room).count() == 1
    assert len(errors) == 19, errors
    assert all(isinstance(e, BookingConflict) for e in errors), errors
    winner = Booking.objects.get()
    slot = bookings._slot_label(winner.start, winner.end)
    assert {tuple(e.messages) for e in errors} == {(f"会议室一 is already booked for {slot}.",)}
    assert audit_verify() is None


def test_the_exclusion_constraint_is_the_backstop(world, day, monkeypatch):
    taken = book(world.member, world.room, day, 9, 10)
    # Written past the service, an overlap is refused by the database itself…
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(
            space=world.room,
            booked_by=world.admin,
            title="x",
            start=at(day, 9.5),
            end=at(day, 11),
            attendees=2,
        )
    # …and should the service's check ever miss one, the same conflict is raised.
    monkeypatch.setattr(bookings, "_first_clash", lambda space, slots: None)
    with pytest.raises(BookingConflict) as err:
        book(world.admin, world.room, day, 9.5, 11)
    assert err.value.messages == ["会议室一 is already booked at that time."]
    monkeypatch.undo()
    assert list(Booking.objects.all()) == [taken]


def test_concurrent_retries_with_one_idempotency_key_get_the_same_booking(world, day):
    results: list[Booking] = []
    errors = run_parallel(
        [
            lambda: results.append(book(world.member, world.room, day, 9, 10, idempotency_key="k1"))
            for _ in range(10)
        ]
    )
    assert errors == []
    assert len(results) == 10 and len({b.pk for b in results}) == 1
    assert Booking.objects.count() == 1
