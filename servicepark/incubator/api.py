"""The incubator over HTTP: bookable spaces and bookings.

POST /bookings answers 400 for every invalid request, malformed or against a rule (the
interface of issue 5), where the API-wide handler answers 422 for schema errors. So that
endpoint reads its body itself, validating it against `BookingIn`, which the OpenAPI
document still declares as its request body.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.responses import Status
from pydantic import BaseModel, Field
from pydantic import ValidationError as InputError

from servicepark.common.api import Problem, problem_from_input, problem_from_validation
from servicepark.common.idempotency import idempotent
from servicepark.common.pagination import paginate
from servicepark.incubator.models import Booking, Space
from servicepark.incubator.selectors import bookings_of, space_bookable_get_for, spaces_bookable_by
from servicepark.incubator.services.bookings import BookingConflict, booking_create
from servicepark.registry.models import Organization

router = Router(tags=["incubator"])

# Pydantic error types that common.api has no message for, mapped to ones it has.
_INPUT_ALIASES = {"model_type": "model_attributes_type", "int_from_float": "int_parsing"}


class SpaceOut(Schema):
    id: int
    name: str
    park: int
    park_name: str
    kind: str
    capacity: int
    approval_above: int | None

    @staticmethod
    def from_space(space: Space) -> dict[str, Any]:
        return {
            "id": space.pk,
            "name": space.name,
            "park": space.park_id,
            "park_name": space.park.name,
            "kind": space.kind,
            "capacity": space.capacity,
            "approval_above": space.approval_above,
        }


class SpacePage(Schema):
    items: list[SpaceOut]
    count: int


class BookingOut(Schema):
    id: int
    space: int
    organization: int | None
    title: str
    start: dt.datetime
    end: dt.datetime
    attendees: int
    state: str
    series: str | None

    @staticmethod
    def from_booking(booking: Booking) -> dict[str, Any]:
        return {
            "id": booking.pk,
            "space": booking.space_id,
            "organization": booking.organization_id,
            "title": booking.title,
            "start": timezone.localtime(booking.start),
            "end": timezone.localtime(booking.end),
            "attendees": booking.attendees,
            "state": booking.state,
            "series": str(booking.series) if booking.series else None,
        }


class BookingPage(Schema):
    items: list[BookingOut]
    count: int


_INSTANT = "An instant with its UTC offset (ISO 8601), e.g. 2026-05-01T09:00:00+08:00."


# The body of POST /bookings. Its bounds are documented here but checked by the service,
# whose messages are translated (pydantic's are English only). A plain pydantic model, because
# ninja's Schema reads attributes of any value, so a JSON string or list would pass as an
# object with every field missing.
class BookingIn(BaseModel):
    space: int
    start: str = Field(description=_INSTANT, json_schema_extra={"format": "date-time"})
    end: str = Field(description=_INSTANT, json_schema_extra={"format": "date-time"})
    title: str = Field(json_schema_extra={"minLength": 1, "maxLength": 200})
    attendees: int = Field(json_schema_extra={"minimum": 1})
    organization: int | None = Field(default=None, description="Booked for this organization.")
    repeat_weeks: int = Field(
        default=0,
        description="Book the same slot this many more weeks.",
        json_schema_extra={"minimum": 0, "maximum": 52},
    )


_CREATE_DOC: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": BookingIn.model_json_schema()}},
    },
    # The Idempotency-Key header is documented by @idempotent (common.idempotency).
}


def _instant(value: str, field: str, errors: dict[str, list[str]]) -> dt.datetime | None:
    try:
        parsed = parse_datetime(value.strip())
    except ValueError:
        parsed = None
    if parsed is None or parsed.utcoffset() is None:
        errors[field] = [
            _("Give a date and time with its UTC offset, e.g. 2026-05-01T09:00:00+08:00.")
        ]
        return None
    return parsed


def _bad_input(exc: InputError) -> dict[str, Any]:
    errors = [
        {**e, "type": _INPUT_ALIASES.get(e["type"], e["type"])}
        for e in exc.errors(include_url=False)
    ]
    return problem_from_input(errors)


@router.get("/spaces", response={200: SpacePage, 401: Problem, 422: Problem})
def list_spaces(request: HttpRequest, page: int = 1) -> Any:
    """The meeting rooms and halls the caller may book."""
    result = paginate(spaces_bookable_by(request.user), page=page, per_page=100)
    return {"items": [SpaceOut.from_space(s) for s in result.items], "count": result.count}


@router.get("/bookings", response={200: BookingPage, 401: Problem, 404: Problem, 422: Problem})
def list_bookings(request: HttpRequest, space: int, page: int = 1) -> Any:
    """The bookings of a room or hall the caller may book, by start."""
    try:
        room = space_bookable_get_for(request.user, space)
    except Http404:
        return Status(404, {"detail": _("Not found.")})
    result = paginate(bookings_of(room, request.user), page=page, per_page=100)
    return {"items": [BookingOut.from_booking(b) for b in result.items], "count": result.count}


@router.post(
    "/bookings",
    response={
        201: BookingOut,
        400: Problem,
        401: Problem,
        403: Problem,
        404: Problem,
        409: Problem,
    },
    openapi_extra=_CREATE_DOC,
)
@idempotent(invalid_status=400)  # this endpoint answers 400 for every invalid request
def create_booking(request: HttpRequest) -> Any:
    """Book a room or hall: 409 when the slot is taken, 400 for anything invalid."""
    try:
        data = BookingIn.model_validate_json(request.body or b"")
    except InputError as exc:
        return Status(400, _bad_input(exc))
    errors: dict[str, list[str]] = {}
    start = _instant(data.start, "start", errors)
    end = _instant(data.end, "end", errors)
    if errors:
        return Status(400, problem_from_validation(ValidationError(errors)))
    space = Space.objects.select_related("park").filter(pk=data.space).first()
    if space is None:
        return Status(404, {"detail": _("Not found.")})
    organization = None
    if data.organization is not None:
        organization = Organization.objects.filter(pk=data.organization).first()
        if organization is None:
            error = ValidationError({"organization": _("No such organization.")})
            return Status(400, problem_from_validation(error))
    try:
        booking = booking_create(
            actor=request.user,
            space=space,
            start=start,
            end=end,
            title=data.title,
            attendees=data.attendees,
            organization=organization,
            repeat_weeks=data.repeat_weeks,
            idempotency_key=request.headers.get("Idempotency-Key", ""),
        )
    except PermissionDenied as exc:
        return Status(403, {"detail": str(exc)})
    except BookingConflict as exc:
        return Status(409, problem_from_validation(exc))
    except ValidationError as exc:
        return Status(400, problem_from_validation(exc))
    return Status(201, BookingOut.from_booking(booking))
