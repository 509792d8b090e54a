"""GET /api/v1/spaces, POST and GET /api/v1/bookings: status codes, shapes, query counts."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from servicepark.incubator.models import Booking
from servicepark.incubator.tests.helpers import at, book, token

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def post(client, body, headers, **extra):
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(
        "/api/v1/bookings", data, content_type="application/json", **headers, **extra
    )


def body(world, day, start=9, end=10, **over):
    data = {
        "space": world.room.pk,
        "start": at(day, start).isoformat(),
        "end": at(day, end).isoformat(),
        "title": "志愿者培训",
        "attendees": 6,
    }
    data.update(over)
    return data


@pytest.mark.smoke
def test_book_then_clash_201_and_409(client, world, day):
    headers = token(client, world.member.username)
    created = post(client, body(world, day), headers)
    assert created.status_code == 201
    booking = Booking.objects.get()
    assert created.json() == {
        "id": booking.pk,
        "space": world.room.pk,
        "organization": world.resident.pk,
        "title": "志愿者培训",
        "start": at(day, 9).isoformat(),  # in Beijing time
        "end": at(day, 10).isoformat(),
        "attendees": 6,
        "state": "confirmed",
        "series": None,
    }
    clash = post(client, body(world, day, 9.5, 11), token(client, world.admin.username))
    assert clash.status_code == 409
    assert clash.json() == {
        "detail": f"会议室一 is already booked for {at(day, 9):%Y-%m-%d} 09:00–10:00.",
        "errors": {
            "__all__": [f"会议室一 is already booked for {at(day, 9):%Y-%m-%d} 09:00–10:00."]
        },
    }


def test_anonymous_callers_get_401(client, world, day):
    for response in (
        client.get("/api/v1/spaces"),
        client.get(f"/api/v1/bookings?space={world.room.pk}"),
        post(client, body(world, day), {}),
        post(client, body(world, day), {"HTTP_AUTHORIZATION": "Bearer nonsense"}),
    ):
        assert response.status_code == 401
        assert set(response.json()) == {"detail", "errors"}
    assert not Booking.objects.exists()


DROP = object()


def _change(world, data, changes):
    """The request body with `changes`: DROP removes a field; DESK, SAME and PAST stand for
    the desk's id, the start again, and two hours ago."""
    for key, value in changes.items():
        if value is DROP:
            data.pop(key)
        elif value == "DESK":
            data[key] = world.desk.pk
        elif value == "SAME":
            data[key] = data["start"]
        elif value == "PAST":
            data[key] = (timezone.now() - dt.timedelta(hours=2)).isoformat()
        else:
            data[key] = value
    return data


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ("", "__all__"),
        ("{not json", "__all__"),
        ("[1, 2]", "__all__"),
        ('"text"', "__all__"),
        ({"space": DROP}, "space"),
        ({"end": DROP, "title": DROP}, "title"),
        ({"space": "one"}, "space"),
        ({"attendees": "many"}, "attendees"),
        ({"attendees": 2.5}, "attendees"),
        ({"title": 7}, "title"),
        ({"start": "tomorrow 9am"}, "start"),
        ({"start": "2030-13-01T09:00:00+08:00"}, "start"),
        ({"end": "2030-01-01T10:00:00+25:00"}, "end"),
        ({"start": "2030-01-01T09:00:00"}, "start"),  # no UTC offset
        ({"start": "9999-12-31T23:59:59-23:59", "end": "0001-01-01T00:00:00+14:00"}, "end"),
        ({"organization": 987654321}, "organization"),
        ({"organization": "mine"}, "organization"),
        ({"repeat_weeks": 60}, "repeat_weeks"),
        ({"title": ""}, "title"),
        ({"title": "a\u0000b"}, "title"),
        ({"attendees": 0}, "attendees"),
        ({"attendees": 11}, "attendees"),
        ({"space": "DESK"}, "space"),
        ({"end": "SAME"}, "end"),
        ({"start": "PAST"}, "start"),
    ],
)
def test_invalid_requests_get_400_with_a_message_by_field(client, world, day, raw, field):
    headers = token(client, world.member.username)
    data = _change(world, body(world, day), raw) if isinstance(raw, dict) else raw
    response = post(client, data, headers)
    assert response.status_code == 400, response.content
    problem = response.json()
    assert field in problem["errors"], problem
    assert problem["detail"]
    assert not Booking.objects.exists()


def test_outsiders_get_403_and_unknown_spaces_404(client, world, day):
    response = post(client, body(world, day), token(client, world.outsider.username))
    assert response.status_code == 403
    assert response.json()["detail"] == (
        "Only the park's residents, partner organizations and staff may book its rooms."
    )
    response = post(client, body(world, day, space=987654321), token(client, world.admin.username))
    assert response.status_code == 404


def test_a_retried_post_with_the_same_idempotency_key_returns_the_first_booking(client, world, day):
    headers = token(client, world.member.username)
    first = post(client, body(world, day), headers, HTTP_IDEMPOTENCY_KEY="8d1c-booking")
    again = post(client, body(world, day), headers, HTTP_IDEMPOTENCY_KEY="8d1c-booking")
    assert (first.status_code, again.status_code) == (201, 201)
    assert first.json() == again.json()
    assert Booking.objects.count() == 1
    other = post(client, body(world, day, 11, 12), headers, HTTP_IDEMPOTENCY_KEY="8d1c-booking")
    assert other.status_code == 400 and "idempotency_key" in other.json()["errors"]
    assert post(client, body(world, day), headers).status_code == 409  # no key: a clash


def test_a_weekly_series_and_a_large_event_over_the_api(client, world, day):
    headers = token(client, world.admin.username)
    series = post(client, body(world, day, repeat_weeks=2), headers).json()
    assert series["series"] and Booking.objects.filter(series=series["series"]).count() == 3
    hall = post(client, body(world, day, space=world.hall.pk, attendees=90), headers)
    assert hall.status_code == 201 and hall.json()["state"] == "pending"


def test_spaces_lists_the_rooms_and_halls_the_caller_may_book(client, world):
    mine = client.get("/api/v1/spaces", **token(client, world.member.username)).json()
    assert mine == {
        "count": 2,
        "items": [
            {
                "id": world.room.pk,
                "name": "会议室一",
                "park": world.park.pk,
                "park_name": "武侯社会组织孵化园",
                "kind": "room",
                "capacity": 10,
                "approval_above": None,
            },
            {
                "id": world.hall.pk,
                "name": "多功能厅",
                "park": world.park.pk,
                "park_name": "武侯社会组织孵化园",
                "kind": "hall",
                "capacity": 120,
                "approval_above": 50,
            },
        ],
    }
    staff = client.get("/api/v1/spaces", **token(client, world.staff.username)).json()
    assert [s["id"] for s in staff["items"]] == [world.room.pk, world.hall.pk]
    assert client.get("/api/v1/spaces", **token(client, world.outsider.username)).json() == {
        "items": [],
        "count": 0,
    }


def test_bookings_of_a_space_are_listed_for_residents_and_staff(client, world, day):
    mine = book(world.member, world.room, day, 9, 10)
    theirs = book(world.staff, world.room, day, 10, 11)
    gone = book(world.staff, world.room, day, 11, 12)
    Booking.objects.filter(pk=gone.pk).update(state="cancelled")
    url = f"/api/v1/bookings?space={world.room.pk}"
    member = client.get(url, **token(client, world.member.username)).json()
    assert [b["id"] for b in member["items"]] == [mine.pk, theirs.pk]
    assert member["count"] == 2
    staff = client.get(url, **token(client, world.staff.username)).json()
    assert [b["id"] for b in staff["items"]] == [mine.pk, theirs.pk, gone.pk]
    outsider = token(client, world.outsider.username)
    assert client.get(url, **outsider).status_code == 404
    assert client.get(f"/api/v1/bookings?space={world.desk.pk}", **outsider).status_code == 404
    missing = client.get("/api/v1/bookings", **outsider)
    assert missing.status_code == 422 and "space" in missing.json()["errors"]


def test_the_bookings_list_costs_a_fixed_number_of_queries(client, world, day):
    headers = token(client, world.member.username)
    url = f"/api/v1/bookings?space={world.room.pk}"

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url, **headers)
        assert response.status_code == 200
        return len(ctx.captured_queries)

    book(world.member, world.room, day, 9, 10)
    book(world.admin, world.room, day, 10, 11, organization=world.resident)
    few = count()
    for hour in range(11, 17):
        book(world.staff, world.room, day, hour, hour + 1)
    assert count() == few
    assert client.get(url, **headers).json()["count"] == 8
