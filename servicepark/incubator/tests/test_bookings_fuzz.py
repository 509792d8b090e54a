"""Fuzz the incubator's endpoints as a signed-in resident (the API-wide fuzz test has no
token, so it only ever sees 401): no input may cause a server error, and every response must
match the documented schema, 400 and 409 included."""

from __future__ import annotations

import datetime as dt

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application
from servicepark.accounts.services import api_token_issue
from servicepark.accounts.tests.factories import PASSWORD

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application).include(
    tag="incubator"
)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def bearer(world):
    """A resident's token; the WSGI calls must keep the test's connection (see
    tests/test_api_fuzz.py)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield {
        "Authorization": "Bearer "
        + api_token_issue(username=world.member.username, password=PASSWORD)
    }
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@settings(
    derandomize=True,
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_booking_endpoints_never_fail_and_match_their_schema(case, bearer, world, day):
    body = case.body
    if isinstance(body, dict) and isinstance(body.get("attendees"), int):
        # Random ids and instants nearly never name a room and a free future slot: aim a
        # part of the bodies at the room, so that titles and attendees reach the service
        # and 201 and 409 answers are checked too.
        start = day + dt.timedelta(hours=body["attendees"] % 20)
        body.update(
            space=world.room.pk,
            start=start.isoformat(),
            end=(start + dt.timedelta(hours=1)).isoformat(),
        )
    case.call_and_validate(headers=bearer, checks=CHECKS)
