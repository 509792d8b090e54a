"""Bookings of the park's meeting rooms and halls (issue 5): create (one slot or a weekly
series), cancel, and the staff's decision on large events.

Two live bookings of one space never overlap ([start, end): touching ends are fine). Every
creation first writes to the space's row, which serialises the bookings of that space on both
databases (SQLite: the write lock; PostgreSQL: the row lock), then checks for a clash. On
PostgreSQL the exclusion constraint `booking_no_overlap` (migration 0002) is the backstop.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import uuid
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from servicepark.accounts.roles import Role
from servicepark.accounts.scoping import user_organization_ids
from servicepark.common.audit import audit_record
from servicepark.common.models import AuditEvent
from servicepark.common.permissions import has_permission, require_permission
from servicepark.incubator.models import Booking, Residency, Space
from servicepark.registry.models import Organization

MAX_DURATION = dt.timedelta(hours=12)
# Bookings open a year ahead; this also keeps the dates of a series far from datetime's limits.
MAX_AHEAD = dt.timedelta(days=366)
MAX_REPEAT_WEEKS = 52
TITLE_MAX = 200
REASON_MAX = 2000
KEY_MAX = 64
WEEK = dt.timedelta(weeks=1)
CREATE_ACTION = "booking.create"


class BookingConflict(ValidationError):
    """The slot is taken by a live booking of the same space (the API answers 409)."""


def _slot_label(start: dt.datetime, end: dt.datetime) -> str:
    start, end = timezone.localtime(start), timezone.localtime(end)
    if start.date() == end.date():
        return f"{start:%Y-%m-%d %H:%M}–{end:%H:%M}"
    return f"{start:%Y-%m-%d %H:%M}–{end:%Y-%m-%d %H:%M}"


def _conflict(space: Space, clash: Booking | None) -> BookingConflict:
    if clash is None:
        return BookingConflict(_("%(space)s is already booked at that time.") % {"space": space})
    return BookingConflict(
        _("%(space)s is already booked for %(slot)s.")
        % {"space": space, "slot": _slot_label(clash.start, clash.end)}
    )


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _clean_text(value: Any, limit: int) -> str | None:
    """The text stripped, or None when it is empty, too long or cannot be stored (NUL bytes
    and lone surrogates are refused by PostgreSQL)."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    if not value or len(value) > limit or "\x00" in value:
        return None
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return None
    return value


def _clean_key(key: Any) -> str:
    key = key.strip() if isinstance(key, str) else ""
    if key and _clean_text(key, KEY_MAX) is None:
        raise ValidationError({"idempotency_key": _("An idempotency key has 1 to 64 characters.")})
    return key


def _check_times(start: Any, end: Any, now: dt.datetime) -> None:
    errors: dict[str, str] = {}
    for name, value in (("start", start), ("end", end)):
        if not isinstance(value, dt.datetime) or timezone.is_naive(value):
            errors[name] = _(
                "Give a date and time with its UTC offset, e.g. 2026-05-01T09:00:00+08:00."
            )
    if errors:
        raise ValidationError(errors)
    if end <= start:
        raise ValidationError({"end": _("The end must come after the start.")})
    if start < now:
        raise ValidationError({"start": _("The start is in the past.")})
    if end - start > MAX_DURATION:
        raise ValidationError({"end": _("A booking lasts at most 12 hours.")})
    if start > now + MAX_AHEAD:
        raise ValidationError({"start": _("Rooms can be booked at most a year ahead.")})


def _check_input(
    *, space: Space, start: Any, end: Any, title: Any, attendees: Any, repeat_weeks: Any
) -> str:
    """Every rule on the request itself; returns the cleaned title."""
    if space.kind not in Space.BOOKABLE:
        raise ValidationError(
            {
                "space": _("Only meeting rooms and halls can be booked; %(space)s is not one.")
                % {"space": space}
            }
        )
    _check_times(start, end, timezone.now())
    if not _is_int(attendees) or attendees < 1:
        raise ValidationError({"attendees": _("Give the number of attendees (at least 1).")})
    if attendees > space.capacity:
        raise ValidationError(
            {
                "attendees": _(
                    "%(space)s holds at most %(capacity)d people; %(n)d attendees are too many."
                )
                % {"space": space, "capacity": space.capacity, "n": attendees}
            }
        )
    clean_title = _clean_text(title, TITLE_MAX)
    if clean_title is None:
        raise ValidationError({"title": _("Give a title of 1 to 200 characters.")})
    if not _is_int(repeat_weeks) or not 0 <= repeat_weeks <= MAX_REPEAT_WEEKS:
        raise ValidationError({"repeat_weeks": _("A booking repeats for 0 to 52 more weeks.")})
    return clean_title


def _fingerprint(
    *,
    space: Space,
    start: Any,
    end: Any,
    title: Any,
    attendees: Any,
    organization: Organization | None,
    repeat_weeks: Any,
) -> str:
    """What a retry must repeat to get the first booking back (the same instants in any UTC
    offset count as the same)."""

    def instant(value: Any) -> str:
        if isinstance(value, dt.datetime) and value.utcoffset() is not None:
            with contextlib.suppress(OverflowError):  # year 1 or 9999 in a far UTC offset
                return value.astimezone(dt.UTC).isoformat()
        return repr(value)

    request = [
        space.pk,
        instant(start),
        instant(end),
        title.strip() if isinstance(title, str) else repr(title),
        repr(attendees),
        getattr(organization, "pk", None),
        repr(repeat_weeks),
    ]
    return hashlib.sha256(json.dumps(request).encode()).hexdigest()


def _replay(actor: Any, key: str, fingerprint: str) -> Booking | None:
    """The booking this actor made earlier with this idempotency key, if any. The key lives in
    the creation's audit event: written in the same transaction as the booking, append-only."""
    event = (
        AuditEvent.objects.filter(
            actor_id=actor.pk, action=CREATE_ACTION, context__idempotency_key=key
        )
        .only("object_id", "context")
        .first()
    )
    if event is None:
        return None
    if event.context.get("request") != fingerprint:
        raise ValidationError(
            {"idempotency_key": _("This idempotency key was used for another booking.")}
        )
    return Booking.objects.get(pk=int(event.object_id))


def _organization_id(
    *, actor: Any, space: Space, organization: Organization | None, staff: bool
) -> int | None:
    """The organization booked for: the one given (the actor's own; staff may name any), or
    else the actor's only organization residing in the park."""
    own = user_organization_ids(actor, [Role.ORG_ADMIN, Role.ORG_MEMBER])
    if organization is not None:
        if not staff and organization.pk not in own:
            raise PermissionDenied(_("You may book only for your own organizations."))
        return int(organization.pk)
    if staff or not own:
        return None
    resident = list(
        Residency.objects.filter(
            park_id=space.park_id, organization_id__in=own, state__in=Residency.IN_PARK
        ).values_list("organization_id", flat=True)[:2]
    )
    return resident[0] if len(resident) == 1 else None


def _slots(start: dt.datetime, end: dt.datetime, repeat_weeks: int) -> list[tuple[Any, Any]]:
    # Weeks are added to the local wall time, so a weekly meeting keeps its hour.
    start, end = timezone.localtime(start), timezone.localtime(end)
    return [(start + k * WEEK, end + k * WEEK) for k in range(repeat_weeks + 1)]


def _first_clash(space: Space, slots: list[tuple[Any, Any]]) -> Booking | None:
    overlap = Q()
    for start, end in slots:
        overlap |= Q(start__lt=end, end__gt=start)
    return (
        Booking.objects.filter(overlap, space_id=space.pk, state__in=Booking.LIVE)
        .order_by("start")
        .first()
    )


def _is_overlap_violation(exc: IntegrityError) -> bool:
    diag = getattr(exc.__cause__, "diag", None)
    name = getattr(diag, "constraint_name", None)
    return name == "booking_no_overlap" or "booking_no_overlap" in str(exc)


def _after(booking: Booking) -> dict[str, Any]:
    return {
        "space": booking.space_id,
        "organization": booking.organization_id,
        "title": booking.title,
        "start": booking.start,
        "end": booking.end,
        "attendees": booking.attendees,
        "state": booking.state,
        "series": str(booking.series) if booking.series else None,
    }


def booking_create(
    *,
    actor: Any,
    space: Space,
    start: Any,
    end: Any,
    title: Any,
    attendees: Any,
    organization: Organization | None = None,
    repeat_weeks: Any = 0,
    idempotency_key: str = "",
) -> Booking:
    """Book a meeting room or hall (issue 5) and return the (first) booking.

    Rules: residents and staff of the park (rule "park.book"); for one of the actor's
    organizations (staff may name any); rooms and halls only; [start, end) in the future, at
    most 12 hours and a year ahead; 1 to `capacity` attendees; a title. More attendees than
    the space's `approval_above` leave the booking pending until staff decide, unless staff
    book it themselves. `repeat_weeks=N` books the same slot N more weeks under one `series`,
    all or nothing. A taken slot raises `BookingConflict`. With an idempotency key, a retry
    of the same request by the same actor returns the first booking.
    """
    if getattr(actor, "pk", None) is None:
        raise PermissionDenied(_("Only people can book rooms."))
    require_permission("park.book", actor, space.park)
    key = _clean_key(idempotency_key)
    fingerprint = _fingerprint(
        space=space,
        start=start,
        end=end,
        title=title,
        attendees=attendees,
        organization=organization,
        repeat_weeks=repeat_weeks,
    )
    if key and (earlier := _replay(actor, key, fingerprint)) is not None:
        return earlier
    clean_title = _check_input(
        space=space,
        start=start,
        end=end,
        title=title,
        attendees=attendees,
        repeat_weeks=repeat_weeks,
    )
    staff = has_permission("park.manage", actor, space.park)[0]
    org_id = _organization_id(actor=actor, space=space, organization=organization, staff=staff)
    large = space.approval_above is not None and attendees > space.approval_above
    state = Booking.State.PENDING if large and not staff else Booking.State.CONFIRMED
    slots = _slots(start, end, repeat_weeks)
    series = uuid.uuid4() if repeat_weeks else None
    try:
        with transaction.atomic():
            # Written before anything is read: this serialises the bookings of the space.
            Space.objects.filter(pk=space.pk).update(updated_at=timezone.now())
            clash = _first_clash(space, slots)
            if clash is not None:
                if key and (earlier := _replay(actor, key, fingerprint)) is not None:
                    return earlier  # the first attempt committed while this one waited
                raise _conflict(space, clash)
            bookings = [
                Booking.objects.create(
                    space=space,
                    organization_id=org_id,
                    booked_by=actor,
                    title=clean_title,
                    start=slot_start,
                    end=slot_end,
                    attendees=attendees,
                    state=state,
                    series=series,
                )
                for slot_start, slot_end in slots
            ]
            for i, booking in enumerate(bookings):
                context = {"idempotency_key": key, "request": fingerprint} if key and not i else {}
                audit_record(
                    actor=actor,
                    action=CREATE_ACTION,
                    obj=booking,
                    after=_after(booking),
                    context=context,
                )
    except IntegrityError as exc:
        if not _is_overlap_violation(exc):
            raise
        raise _conflict(space, _first_clash(space, slots)) from exc
    return bookings[0]


def booking_cancel(*, actor: Any, booking: Booking) -> Booking:
    """Cancel a live booking that has not started: the person who booked it, the admins of the
    organization it is for, or the park's staff."""
    require_permission("booking.cancel", actor, booking)
    with transaction.atomic():
        locked = Booking.objects.select_for_update().get(pk=booking.pk)
        if locked.state not in Booking.LIVE:
            raise ValidationError(_("This booking is already cancelled or declined."))
        if locked.start <= timezone.now():
            raise ValidationError(_("Only bookings that have not started can be cancelled."))
        before = locked.state
        locked.state = Booking.State.CANCELLED
        locked.save(update_fields=["state", "updated_at"])
        audit_record(
            actor=actor,
            action="booking.cancel",
            obj=locked,
            before={"state": before},
            after={"state": locked.state},
        )
    return locked


def booking_decide(*, actor: Any, booking: Booking, approve: bool, reason: str = "") -> Booking:
    """The park's staff approve or decline a booking awaiting approval (an event larger than
    the space's `approval_above`); a decline says why."""
    require_permission("park.manage", actor, booking.space.park)
    clean_reason = _clean_text(reason, REASON_MAX) if (reason or "").strip() else ""
    if clean_reason is None:
        raise ValidationError({"reason": _("A reason has at most 2,000 characters.")})
    if not approve and not clean_reason:
        raise ValidationError({"reason": _("Say why the booking is declined.")})
    with transaction.atomic():
        locked = Booking.objects.select_for_update().get(pk=booking.pk)
        if locked.state != Booking.State.PENDING:
            raise ValidationError(_("This booking is not awaiting a decision."))
        if locked.end <= timezone.now():
            raise ValidationError(_("This booking is already over."))
        locked.state = Booking.State.CONFIRMED if approve else Booking.State.DECLINED
        locked.save(update_fields=["state", "updated_at"])
        audit_record(
            actor=actor,
            action="booking.approve" if approve else "booking.decline",
            obj=locked,
            before={"state": Booking.State.PENDING},
            after={"state": locked.state},
            context={"reason": clean_reason},
        )
    return locked
