"""Reads of the incubator: the rooms a user may book and their bookings."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from servicepark.accounts.roles import Role
from servicepark.accounts.scoping import scope_q, user_organization_ids
from servicepark.common.permissions import has_permission
from servicepark.incubator.models import Booking, Residency, Space


def spaces_bookable_by(user: Any) -> QuerySet[Space]:
    """Rooms and halls of the parks where `user` may book (rule "park.book"): parks inside the
    jurisdiction of their center-staff grants, parks where one of their organizations resides,
    and parks that count one of them as a partner."""
    spaces = Space.objects.filter(kind__in=Space.BOOKABLE).select_related("park")
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return spaces.none()
    staff = scope_q(user, Space, roles=[Role.CENTER_STAFF])
    if staff is None:  # superusers
        return spaces.order_by("park_id", "name")
    orgs = user_organization_ids(user, [Role.ORG_ADMIN, Role.ORG_MEMBER])
    if orgs:
        resident_parks = Residency.objects.filter(
            organization_id__in=orgs, state__in=Residency.IN_PARK
        ).values("park_id")
        staff |= Q(park_id__in=resident_parks) | Q(park__partners__in=orgs)
    return spaces.filter(staff).distinct().order_by("park_id", "name")


def space_bookable_get_for(user: Any, pk: int) -> Space:
    """One room or hall `user` may book, or 404."""
    space = spaces_bookable_by(user).filter(pk=pk).first()
    if space is None:
        raise Http404
    return space


def bookings_of(space: Space, user: Any) -> QuerySet[Booking]:
    """The bookings of `space` that `user` sees, by start: the park's staff see all of them;
    residents see the live ones and their own; anybody else sees none."""
    if not has_permission("park.book", user, space.park)[0]:
        return Booking.objects.none()
    bookings = Booking.objects.filter(space=space).order_by("start", "pk")
    if has_permission("park.manage", user, space.park)[0]:
        return bookings
    return bookings.filter(Q(state__in=Booking.LIVE) | Q(booked_by_id=user.pk))
