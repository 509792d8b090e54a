"""booking_create: who may book, what a valid booking is, overlaps, series, idempotency."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from servicepark.accounts.tests.factories import make_user
from servicepark.common.audit import audit_verify
from servicepark.common.models import AuditEvent
from servicepark.incubator.models import Booking, Residency
from servicepark.incubator.services.bookings import (
    BookingConflict,
    booking_cancel,
    booking_create,
)
from servicepark.incubator.tests.helpers import at, book
from servicepark.registry.tests.factories import make_org

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.mark.smoke
def test_a_resident_books_a_room_for_their_organization(world, day):
    booking = book(world.member, world.room, day, 9, 10.5, title="  理事会  ")
    assert (booking.state, booking.organization, booking.booked_by) == (
        "confirmed",
        world.resident,
        world.member,
    )
    assert (booking.title, booking.end - booking.start, booking.series) == (
        "理事会",
        dt.timedelta(hours=1.5),
        None,
    )
    event = AuditEvent.objects.get(action="booking.create")
    assert event.object_id == str(booking.pk) and event.division_code == "510107"
    assert audit_verify() is None


@pytest.mark.smoke
def test_an_overlapping_booking_is_refused_and_names_the_taken_slot(world, day):
    book(world.admin, world.room, day, 9, 11)
    for start, end in ((10, 12), (8, 9.5), (9, 11), (9.5, 10), (8, 12)):
        with pytest.raises(BookingConflict) as err:
            book(world.staff, world.room, day, start, end)
        assert err.value.messages == [
            f"会议室一 is already booked for {at(day, 9):%Y-%m-%d} 09:00–11:00."
        ]
    # [start, end): touching ends are fine; so is the same hour in another room.
    assert book(world.member, world.room, day, 11, 12).start == at(day, 11)
    assert book(world.member, world.room, day, 7, 9).end == at(day, 9)
    assert book(world.member, world.hall, day, 9, 11).space == world.hall
    assert Booking.objects.filter(space=world.room).count() == 3


def test_a_cancelled_or_declined_booking_frees_its_slot(world, day):
    first = book(world.member, world.room, day, 9, 10)
    booking_cancel(actor=world.member, booking=first)
    again = book(world.admin, world.room, day, 9, 10)
    assert again.state == "confirmed"
    Booking.objects.filter(pk=again.pk).update(state=Booking.State.DECLINED)
    assert book(world.staff, world.room, day, 9.5, 10).state == "confirmed"


@pytest.mark.parametrize(
    ("start", "end", "field", "message"),
    [
        (10, 10, "end", "The end must come after the start."),
        (10, 9, "end", "The end must come after the start."),
        (-60, -59, "start", "The start is in the past."),
        (8, 20.5, "end", "A booking lasts at most 12 hours."),
        (24 * 400, 24 * 400 + 1, "start", "Rooms can be booked at most a year ahead."),
    ],
)
def test_bad_times_are_refused(world, day, start, end, field, message):
    with pytest.raises(ValidationError) as err:
        book(world.member, world.room, day, start, end)
    assert err.value.message_dict == {field: [message]}
    assert not Booking.objects.exists()


def test_naive_times_and_other_values_are_refused(world, day):
    naive = timezone.make_naive(at(day, 9))
    for start in (naive, "2030-01-01T09:00:00+08:00", None):
        with pytest.raises(ValidationError) as err:
            booking_create(
                actor=world.member,
                space=world.room,
                start=start,
                end=at(day, 10),
                title="x",
                attendees=2,
            )
        assert list(err.value.message_dict) == ["start"]


def test_a_booking_that_already_started_is_refused(world):
    now = timezone.now()
    with pytest.raises(ValidationError):
        booking_create(
            actor=world.member,
            space=world.room,
            start=now - dt.timedelta(minutes=1),
            end=now + dt.timedelta(hours=1),
            title="x",
            attendees=2,
        )


def test_more_attendees_than_capacity_are_refused_naming_the_capacity(world, day):
    with pytest.raises(ValidationError) as err:
        book(world.member, world.room, day, 9, 10, attendees=11)
    assert err.value.message_dict == {
        "attendees": ["会议室一 holds at most 10 people; 11 attendees are too many."]
    }
    for attendees in (0, -3, True, "5", 2.5):
        with pytest.raises(ValidationError) as err:
            book(world.member, world.room, day, 9, 10, attendees=attendees)
        assert list(err.value.message_dict) == ["attendees"]
    assert book(world.member, world.room, day, 9, 10, attendees=10).attendees == 10


def test_a_desk_or_office_cannot_be_booked(world, day):
    with pytest.raises(ValidationError) as err:
        book(world.member, world.desk, day, 9, 10, attendees=1)
    assert err.value.message_dict == {
        "space": ["Only meeting rooms and halls can be booked; 工位 A1 is not one."]
    }


@pytest.mark.parametrize("title", ["", "   ", "x" * 201, "会\x00议", None, 5])
def test_a_title_of_1_to_200_characters_is_needed(world, day, title):
    with pytest.raises(ValidationError) as err:
        book(world.member, world.room, day, 9, 10, title=title)
    assert err.value.message_dict == {"title": ["Give a title of 1 to 200 characters."]}


def test_people_outside_the_park_cannot_book(world, day):
    other_staff = make_user("center_staff", division="310104")
    nobody = make_user()
    graduated_org = make_org(name="已毕业的组织", division_code="510107019")
    Residency.objects.create(
        park=world.park, organization=graduated_org, state="graduated", proposal="x"
    )
    graduate = make_user("org_admin", organization=graduated_org)
    for actor in (world.outsider, other_staff, nobody, graduate):
        with pytest.raises(PermissionDenied):
            book(actor, world.room, day, 9, 10)
    # …while the other park's staff book there, and a resident only in their own park.
    assert book(other_staff, world.other_room, day, 9, 10).state == "confirmed"
    with pytest.raises(PermissionDenied):
        book(world.member, world.other_room, day, 9, 10)
    assert Booking.objects.count() == 1


def test_a_booking_is_for_one_of_the_actors_organizations(world, day):
    stranger = make_org(name="另一家组织", division_code="510107019")
    with pytest.raises(PermissionDenied):
        book(world.member, world.room, day, 9, 10, organization=stranger)
    mine = book(world.admin, world.room, day, 9, 10, organization=world.resident)
    assert mine.organization == world.resident
    # The park's staff book for anybody, or for nobody in particular.
    assert book(world.staff, world.room, day, 10, 11, organization=stranger).organization == (
        stranger
    )
    assert book(world.staff, world.room, day, 11, 12).organization is None


def test_a_large_event_waits_for_the_staffs_approval(world, day):
    small = book(world.member, world.hall, day, 9, 10, attendees=50)
    large = book(world.member, world.hall, day, 14, 17, attendees=51)
    assert (small.state, large.state) == ("confirmed", "pending")
    # A pending booking holds its slot until it is decided.
    with pytest.raises(BookingConflict):
        book(world.admin, world.hall, day, 16, 18)
    # Staff need no approval from themselves.
    assert book(world.staff, world.hall, day, 18, 21, attendees=120).state == "confirmed"


def test_a_weekly_series_is_booked_all_or_nothing(world, day):
    first = book(world.member, world.room, day, 9, 10, repeat_weeks=3)
    series = list(Booking.objects.filter(series=first.series).order_by("start"))
    assert first.series is not None and first == series[0]
    assert [timezone.localtime(b.start) for b in series] == [
        at(day, 9) + dt.timedelta(weeks=k) for k in range(4)
    ]
    assert AuditEvent.objects.filter(action="booking.create").count() == 4
    # Week 3 of a new series clashes: nothing of it is booked.
    blocker = book(world.admin, world.room, day + dt.timedelta(weeks=2), 14, 15)
    with pytest.raises(BookingConflict) as err:
        book(world.member, world.room, day, 14.5, 16, repeat_weeks=5)
    assert f"{timezone.localtime(blocker.start):%Y-%m-%d} 14:00–15:00" in err.value.messages[0]
    assert Booking.objects.count() == 5
    for weeks in (-1, 53, "2", 1.0):
        with pytest.raises(ValidationError) as verr:
            book(world.member, world.room, day, 20, 21, repeat_weeks=weeks)
        assert list(verr.value.message_dict) == ["repeat_weeks"]
    assert audit_verify() is None


def test_a_retry_with_the_same_idempotency_key_returns_the_first_booking(world, day):
    first = book(world.member, world.room, day, 9, 10, idempotency_key="req-1")
    # The same instants in another UTC offset are the same request.
    utc = dt.UTC
    retry = booking_create(
        actor=world.member,
        space=world.room,
        start=at(day, 9).astimezone(utc),
        end=at(day, 10).astimezone(utc),
        title="项目例会",
        attendees=5,
        idempotency_key="req-1",
    )
    assert retry == first
    assert Booking.objects.count() == 1
    assert AuditEvent.objects.filter(action="booking.create").count() == 1
    with pytest.raises(ValidationError) as err:  # the key, with another request
        book(world.member, world.room, day, 9, 10, attendees=6, idempotency_key="req-1")
    assert err.value.message_dict == {
        "idempotency_key": ["This idempotency key was used for another booking."]
    }
    # Keys belong to their user: somebody else's "req-1" is a new request (and a clash here).
    with pytest.raises(BookingConflict):
        book(world.admin, world.room, day, 9, 10, idempotency_key="req-1")
    with pytest.raises(ValidationError):
        book(world.member, world.room, day, 11, 12, idempotency_key="k" * 65)
    # Without a key, the same request twice is a clash.
    with pytest.raises(BookingConflict):
        book(world.member, world.room, day, 9, 10)
