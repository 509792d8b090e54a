"""booking_cancel and booking_decide: who may, and when."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from servicepark.accounts.tests.factories import make_user
from servicepark.common.audit import audit_verify
from servicepark.common.models import AuditEvent
from servicepark.incubator.models import Booking
from servicepark.incubator.services.bookings import booking_cancel, booking_decide
from servicepark.incubator.tests.helpers import book

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_the_booker_their_organizations_admin_and_staff_may_cancel(world, day):
    colleague = make_user("org_member", organization=world.resident)
    by_member = [book(world.member, world.room, day, h, h + 1) for h in (8, 9, 10)]
    for actor in (world.outsider, colleague, make_user()):
        with pytest.raises(PermissionDenied):
            booking_cancel(actor=actor, booking=by_member[0])
    for actor, booking in zip((world.member, world.admin, world.staff), by_member, strict=True):
        assert booking_cancel(actor=actor, booking=booking).state == "cancelled"
    assert Booking.objects.filter(state="cancelled").count() == 3
    event = AuditEvent.objects.filter(action="booking.cancel").last()
    assert event.patch == [{"op": "replace", "path": "/state", "value": "cancelled"}]
    assert audit_verify() is None


def test_only_live_bookings_that_have_not_started_can_be_cancelled(world, day):
    booking = book(world.member, world.room, day, 9, 10)
    booking_cancel(actor=world.member, booking=booking)
    with pytest.raises(ValidationError) as err:
        booking_cancel(actor=world.member, booking=booking)
    assert err.value.messages == ["This booking is already cancelled or declined."]
    started = book(world.member, world.room, day, 11, 12)
    Booking.objects.filter(pk=started.pk).update(
        start=started.start - dt.timedelta(days=3), end=started.end - dt.timedelta(days=3)
    )
    with pytest.raises(ValidationError) as err:
        booking_cancel(actor=world.staff, booking=started)
    assert err.value.messages == ["Only bookings that have not started can be cancelled."]


def test_staff_approve_or_decline_large_events_with_a_reason(world, day):
    first = book(world.member, world.hall, day, 9, 12, attendees=80)
    second = book(world.admin, world.hall, day, 14, 17, attendees=100)
    for actor in (world.member, world.admin, make_user("center_staff", division="310104")):
        with pytest.raises(PermissionDenied):
            booking_decide(actor=actor, booking=first, approve=True, reason="")
    assert booking_decide(actor=world.staff, booking=first, approve=True).state == "confirmed"
    with pytest.raises(ValidationError) as err:
        booking_decide(actor=world.staff, booking=first, approve=False, reason="太吵")
    assert err.value.messages == ["This booking is not awaiting a decision."]
    for reason in ("", "   ", "x" * 2001, "a\x00b"):
        with pytest.raises(ValidationError):
            booking_decide(actor=world.staff, booking=second, approve=False, reason=reason)
    declined = booking_decide(
        actor=world.staff, booking=second, approve=False, reason="当天消防检查"
    )
    assert declined.state == "declined"
    event = AuditEvent.objects.get(action="booking.decline")
    assert event.context == {"reason": "当天消防检查"}
    # The declined slot is free again.
    assert book(world.admin, world.hall, day, 14, 16, attendees=30).state == "confirmed"
    assert audit_verify() is None


def test_a_pending_booking_that_is_over_cannot_be_approved(world, day):
    pending = book(world.member, world.hall, day, 9, 12, attendees=80)
    Booking.objects.filter(pk=pending.pk).update(
        start=pending.start - dt.timedelta(days=5), end=pending.end - dt.timedelta(days=5)
    )
    with pytest.raises(ValidationError) as err:
        booking_decide(actor=world.staff, booking=pending, approve=True)
    assert err.value.messages == ["This booking is already over."]
