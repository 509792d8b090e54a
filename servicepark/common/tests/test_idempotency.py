"""Idempotency-Key on every state-changing API operation (issue 7): a retry with the same key
runs once and gets the first response; another request under the same key is refused; no key
works as before; concurrent retries on PostgreSQL run once."""

from __future__ import annotations

import datetime as dt
import json
import threading
import time

import pytest
from django.db import connection  # noqa: F401  (named by the skipif conditions)
from django.test import Client

from servicepark.accounts.services import api_token_issue
from servicepark.accounts.tests.factories import PASSWORD, make_user
from servicepark.api import api
from servicepark.common.audit import audit_verify
from servicepark.common.idempotency import idempotency_purge
from servicepark.common.models import AuditEvent, IdempotencyKey
from servicepark.common.tests.threads import run_parallel
from servicepark.incubator.models import Booking
from servicepark.incubator.tests.conftest import day, world  # noqa: F401  (fixtures)
from servicepark.registry import api as registry_api
from servicepark.registry.models import Organization
from servicepark.registry.tests.factories import make_org, org_data

pytestmark = [pytest.mark.django_db, pytest.mark.smoke, pytest.mark.usefixtures("english")]

POSTGRES_ONLY = pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="concurrent transactions need PostgreSQL"
)
STATE_CHANGING = {"post", "put", "patch", "delete"}
# POST /auth/token is the one exception: it is unauthenticated (no user to scope a key by), a
# repeat only issues another token, and keeping its response would store a live bearer token.
NOT_KEYED = {("post", "/api/v1/auth/token")}


def bearer(user) -> dict[str, str]:
    token = api_token_issue(username=user.username, password=PASSWORD)
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def post(client, url, body, auth, key=None):
    headers = dict(auth)
    if key is not None:
        headers["HTTP_IDEMPOTENCY_KEY"] = key
    data = body if isinstance(body, str) else json.dumps(body)
    return client.post(url, data, content_type="application/json", **headers)


def events(action: str) -> int:
    return AuditEvent.objects.filter(action=action).count()


@pytest.fixture
def official():
    user = make_user("official", division="510100")
    return user, bearer(user)


def booking_body(world, day, start=9, **over):  # noqa: F811
    data = {
        "space": world.room.pk,
        "start": (day + dt.timedelta(hours=start)).isoformat(),
        "end": (day + dt.timedelta(hours=start + 1)).isoformat(),
        "title": "志愿者培训",
        "attendees": 6,
    }
    data.update(over)
    return data


def test_every_state_changing_operation_documents_the_header():
    spec = api.get_openapi_schema()
    keyed = []
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            if method not in STATE_CHANGING or (method, path) in NOT_KEYED:
                continue
            headers = [p for p in operation.get("parameters", []) if p["in"] == "header"]
            assert [h["name"] for h in headers] == ["Idempotency-Key"], (method, path)
            assert headers[0]["schema"]["maxLength"] == 64
            keyed.append(f"{method.upper()} {path}")
    assert sorted(keyed) == [
        "POST /api/v1/bookings",
        "POST /api/v1/organizations",
        "POST /api/v1/organizations/{org_id}/transitions",
    ]


def test_creating_an_organization_twice_with_one_key_creates_it_once(client, official):
    _user, auth = official
    body = org_data(division_code="510107019", fields=["community"])
    first = post(client, "/api/v1/organizations", body, auth, key="org-1")
    before = (
        Organization.objects.count(),
        events("organization.create"),
        AuditEvent.objects.count(),
    )
    # The same body with other spacing and key order is the same request.
    reordered = json.dumps(dict(reversed(list(body.items()))), indent=2)
    again = post(client, "/api/v1/organizations", reordered, auth, key="org-1")
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.content == first.content and again["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    after = (
        Organization.objects.count(),
        events("organization.create"),
        AuditEvent.objects.count(),
    )
    assert after == before and before[:2] == (1, 1)
    assert IdempotencyKey.objects.get().response_status == 201
    assert audit_verify() is None


def test_the_same_key_with_another_body_is_refused_with_422(client, official):
    _user, auth = official
    post(client, "/api/v1/organizations", org_data(division_code="510107019"), auth, key="k")
    other = post(
        client, "/api/v1/organizations", org_data(division_code="510107019"), auth, key="k"
    )
    assert other.status_code == 422
    assert other.json() == {
        "detail": "This Idempotency-Key was already used for a different request. "
        "Send a new key with a new request.",
        "errors": {
            "idempotency_key": [
                "This Idempotency-Key was already used for a different request. "
                "Send a new key with a new request."
            ]
        },
    }
    assert Organization.objects.count() == 1


def test_a_transition_retried_with_one_key_happens_once(client, official):
    _user, auth = official
    org = make_org(division_code="510107019")
    url = f"/api/v1/organizations/{org.pk}/transitions"
    suspend = {"action": "suspend", "reason": "整改"}
    first = post(client, url, suspend, auth, key="t-1")
    count = events("organization.suspend")
    again = post(client, url, suspend, auth, key="t-1")
    assert (first.status_code, again.status_code) == (200, 200)
    assert again.content == first.content and first.json()["status"] == "suspended"
    assert events("organization.suspend") == count == 1
    # The same key on another organization is another request.
    other = make_org(division_code="510107019")
    elsewhere = post(client, f"/api/v1/organizations/{other.pk}/transitions", suspend, auth, "t-1")
    assert elsewhere.status_code == 422 and "idempotency_key" in elsewhere.json()["errors"]
    assert Organization.objects.get(pk=other.pk).status == "registered"


def test_a_booking_retried_with_one_key_is_booked_once(client, world, day):  # noqa: F811
    auth = bearer(world.member)
    first = post(client, "/api/v1/bookings", booking_body(world, day), auth, key="b-1")
    count = events("booking.create")
    again = post(client, "/api/v1/bookings", booking_body(world, day), auth, key="b-1")
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.content == first.content
    assert Booking.objects.count() == 1 and events("booking.create") == count == 1
    # This endpoint answers 400 for every invalid request, a reused key included.
    other = post(client, "/api/v1/bookings", booking_body(world, day, 11), auth, key="b-1")
    assert other.status_code == 400 and "idempotency_key" in other.json()["errors"]
    assert Booking.objects.count() == 1


def test_without_a_key_everything_works_as_before(client, official, world, day):  # noqa: F811
    _user, auth = official
    body = org_data(division_code="510107019")
    assert post(client, "/api/v1/organizations", body, auth).status_code == 201
    assert post(client, "/api/v1/organizations", body, auth).status_code == 422  # a duplicate
    member = bearer(world.member)
    assert post(client, "/api/v1/bookings", booking_body(world, day), member).status_code == 201
    assert post(client, "/api/v1/bookings", booking_body(world, day), member).status_code == 409
    empty = post(client, "/api/v1/bookings", booking_body(world, day, 12), member, key="  ")
    assert empty.status_code == 201  # an empty header is no key
    assert IdempotencyKey.objects.count() == 0


def test_keys_belong_to_one_user_and_one_operation(client, official):
    _user, auth = official
    other_auth = bearer(make_user("official", division="510100"))
    first = post(client, "/api/v1/organizations", org_data(division_code="510107019"), auth, "k")
    second = post(
        client, "/api/v1/organizations", org_data(division_code="510107019"), other_auth, "k"
    )
    org = make_org(division_code="510107019")
    third = post(
        client,
        f"/api/v1/organizations/{org.pk}/transitions",
        {"action": "suspend", "reason": "整改"},
        auth,
        "k",
    )
    assert (first.status_code, second.status_code, third.status_code) == (201, 201, 200)
    assert IdempotencyKey.objects.count() == 3


def test_refused_requests_are_not_kept_so_a_corrected_retry_runs(client, official):
    _user, auth = official
    org = make_org(division_code="510107019")
    url = f"/api/v1/organizations/{org.pk}/transitions"
    refused = post(client, url, {"action": "suspend"}, auth, key="fix-me")  # no reason
    assert refused.status_code == 422 and "idempotency_key" not in refused.json()["errors"]
    assert IdempotencyKey.objects.count() == 0
    fixed = post(client, url, {"action": "suspend", "reason": "整改"}, auth, key="fix-me")
    assert fixed.status_code == 200 and fixed.json()["status"] == "suspended"
    assert IdempotencyKey.objects.count() == 1


def test_a_server_error_leaves_nothing_behind(client, official, monkeypatch):
    _user, auth = official
    body = org_data(division_code="510107019")

    def broken(**kwargs):
        raise RuntimeError("the response could not be built")

    with monkeypatch.context() as patch:
        patch.setattr(registry_api, "organization_get_for", broken)
        audit_before = AuditEvent.objects.count()
        with pytest.raises(RuntimeError):
            post(client, "/api/v1/organizations", body, auth, key="boom")
        # organization_create ran and was rolled back with the key.
        assert Organization.objects.count() == 0 and IdempotencyKey.objects.count() == 0
        assert AuditEvent.objects.count() == audit_before
    retried = post(client, "/api/v1/organizations", body, auth, key="boom")
    assert retried.status_code == 201 and Organization.objects.count() == 1
    assert audit_verify() is None


def test_keys_expire_and_then_run_again(client, official, settings):
    settings.SERVICEPARK_IDEMPOTENCY_HOURS = 2
    _user, auth = official
    org = make_org(division_code="510107019")
    url = f"/api/v1/organizations/{org.pk}/transitions"
    suspend = {"action": "suspend", "reason": "整改"}
    assert post(client, url, suspend, auth, key="old").status_code == 200
    assert post(client, url, {"action": "reinstate", "reason": "已整改"}, auth).status_code == 200
    count = events("organization.suspend")
    assert count == 1
    assert post(client, url, suspend, auth, key="old").status_code == 200  # replayed
    assert events("organization.suspend") == count
    IdempotencyKey.objects.update(created_at=dt.datetime.now(dt.UTC) - dt.timedelta(hours=3))
    assert post(client, url, suspend, auth, key="old").status_code == 200  # ran again
    assert events("organization.suspend") == count + 1
    assert Organization.objects.get(pk=org.pk).status == "suspended"
    IdempotencyKey.objects.update(created_at=dt.datetime.now(dt.UTC) - dt.timedelta(hours=3))
    assert idempotency_purge() == 1 and IdempotencyKey.objects.count() == 0


def test_malformed_keys_are_refused(client, official, world, day):  # noqa: F811
    _user, auth = official
    long = post(client, "/api/v1/organizations", org_data(), auth, key="k" * 65)
    assert long.status_code == 422 and long.json()["errors"]["idempotency_key"] == [
        "An Idempotency-Key has 1 to 64 printable characters."
    ]
    booking = post(
        client, "/api/v1/bookings", booking_body(world, day), bearer(world.member), key="k" * 65
    )
    assert booking.status_code == 400
    assert Organization.objects.count() == 2 and Booking.objects.count() == 0  # world's two
    anonymous = post(client, "/api/v1/organizations", org_data(), {}, key="k")
    assert anonymous.status_code == 401


@POSTGRES_ONLY
@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_with_one_key_run_once(official):
    user, auth = official
    body = json.dumps(org_data(division_code="510107019"))
    responses = []

    def send() -> None:
        responses.append(post(Client(), "/api/v1/organizations", body, auth, key="race"))

    audit_before = AuditEvent.objects.count()
    errors = run_parallel([send for _ in range(8)])
    assert errors == []
    assert [r.status_code for r in responses] == [201] * 8
    assert len({r.content for r in responses}) == 1
    assert sum(r.get("Idempotent-Replayed") == "true" for r in responses) == 7
    assert Organization.objects.count() == 1
    assert AuditEvent.objects.count() == audit_before + 1
    assert IdempotencyKey.objects.filter(user=user).count() == 1
    assert audit_verify() is None


@POSTGRES_ONLY
@pytest.mark.django_db(transaction=True)
def test_a_retry_while_the_first_attempt_runs_waits_and_gets_its_response(official, monkeypatch):
    _user, auth = official
    body = json.dumps(org_data(division_code="510107019"))
    entered, release = threading.Event(), threading.Event()
    calls = []
    real = registry_api.organization_create

    def slow(**kwargs):
        calls.append(1)
        organization = real(**kwargs)  # written, not yet committed
        entered.set()
        assert release.wait(10)
        return organization

    monkeypatch.setattr(registry_api, "organization_create", slow)
    results: dict[str, object] = {}

    def send(name: str) -> None:
        try:
            results[name] = post(Client(), "/api/v1/organizations", body, auth, key="slow")
        finally:
            connection.close()

    first = threading.Thread(target=send, args=("first",))
    first.start()
    assert entered.wait(10)
    retry = threading.Thread(target=send, args=("retry",))
    retry.start()
    time.sleep(0.5)
    assert retry.is_alive(), "the retry must wait for the first attempt"
    release.set()
    first.join(10)
    retry.join(10)
    assert calls == [1]
    first_response, retry_response = results["first"], results["retry"]
    assert (first_response.status_code, retry_response.status_code) == (201, 201)
    assert retry_response.content == first_response.content
    assert retry_response["Idempotent-Replayed"] == "true"
    assert Organization.objects.count() == 1 and events("organization.create") == 1


@POSTGRES_ONLY
@pytest.mark.django_db(transaction=True)
def test_concurrent_bookings_with_one_key_book_once(world, day):  # noqa: F811
    auth = bearer(world.member)
    body = json.dumps(booking_body(world, day))
    responses = []
    errors = run_parallel(
        [
            lambda: responses.append(post(Client(), "/api/v1/bookings", body, auth, key="b"))
            for _ in range(6)
        ]
    )
    assert errors == []
    assert [r.status_code for r in responses] == [201] * 6
    assert len({r.content for r in responses}) == 1
    assert Booking.objects.count() == 1 and events("booking.create") == 1
    assert audit_verify() is None
