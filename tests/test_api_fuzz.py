"""Fuzz the HTTP API from its own OpenAPI document: no input may cause a server error, and
every response must match the documented schema (status code, content type, body).

Every operation of /api/v1/openapi.json is fuzzed twice, with a bounded number of examples:

* anonymously, as the public and any caller without a token sees the API;
* signed in, with a Bearer token from POST /api/v1/auth/token for a user who holds grants
  (civil-affairs official and purchaser for Chengdu, admin of an organization residing in a
  park), against a small world of real objects: an organization, a published call with a
  submitted application, a park with a meeting room. A part of the generated ids and bodies
  is aimed at those objects so that the 200/201/409 answers are checked too, not only 404/422.

Schema-valid requests that break a business rule (an unknown division, a duplicate USCC) are
answered 4xx by design; so the checks are the ones the issue asks for: no 5xx, a documented
status code, the documented content type and a body that matches its schema.

The numbers of operations and examples are printed at the end of the session (also from an
xdist worker: its stderr is the terminal's).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import re
import sys
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.cache import cache
from django.db import close_old_connections
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application
from servicepark.accounts.tests.factories import PASSWORD, make_user

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
MAX_EXAMPLES = 25
FUZZ = settings(
    # Deterministic in `make test` so that CI is reproducible; SERVICEPARK_FUZZ_RANDOM=1 explores
    # new inputs on every run (that is how the NUL-byte server errors were found).
    derandomize=os.environ.get("SERVICEPARK_FUZZ_RANDOM") != "1",
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# (who, "METHOD /path") → examples sent; and status codes seen, for the summary.
EXAMPLES: Counter[tuple[str, str]] = Counter()
STATUSES: Counter[int] = Counter()
PHASES: Counter[str] = Counter()  # schemathesis' coverage phase, then hypothesis' fuzzing


def _operations() -> list[str]:
    return [
        f"{method.upper()} {path}"
        for path, ops in schema.raw_schema["paths"].items()
        for method in ops
        if method in ("get", "put", "post", "patch", "delete")
    ]


def _write(config: pytest.Config, lines: list[str]) -> None:
    """Print past pytest's capture (also from an xdist worker, whose stderr is the terminal)."""
    capman = config.pluginmanager.getplugin("capturemanager")
    with capman.global_and_fixture_disabled() if capman else _nothing():
        sys.stderr.write("\n" + "\n".join(lines) + "\n")
        sys.stderr.flush()


class _nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


@pytest.fixture(scope="session", autouse=True)
def _figures(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    operations = _operations()
    lines = [f"API fuzz: {len(operations)} operations in /api/v1/openapi.json"]
    for who in ("anonymous", "signed-in"):
        done = {op: n for (w, op), n in EXAMPLES.items() if w == who}
        if done:
            lines.append(
                f"  {who}: {len(done)} operations fuzzed, {sum(done.values())} requests "
                f"({min(done.values())}–{max(done.values())} per operation)"
            )
    lines.append(
        f"  total: {sum(EXAMPLES.values())} requests checked; by phase: "
        + ", ".join(f"{p} {n}" for p, n in sorted(PHASES.items()))
        + f" (hypothesis: max_examples={MAX_EXAMPLES} per operation and run)"
    )
    lines.append("  status codes: " + ", ".join(f"{s}×{n}" for s, n in sorted(STATUSES.items())))
    if EXAMPLES:
        _write(request.config, lines)


@pytest.fixture(autouse=True)
def _keep_test_connection():
    """Calling the WSGI app directly fires request_started/finished, whose handler closes the
    database connection that holds the test's transaction; Django's own test client detaches
    that handler the same way."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@dataclasses.dataclass
class World:
    headers: dict[str, str]
    organization: int
    call: int
    application: int
    space: int
    start: dt.datetime


def _world() -> World:
    """What a signed-in caller can reach, built through the services."""
    from servicepark.accounts.services import grant_add
    from servicepark.common.actors import SystemActor
    from servicepark.incubator.models import Park, Residency, Space
    from servicepark.procurement.services.applications import (
        application_save_draft,
        application_start,
        application_submit,
    )
    from servicepark.procurement.services.calls import call_create, call_publish
    from servicepark.procurement.services.catalogue import purchaser_create
    from servicepark.procurement.tests.test_applications import content
    from servicepark.procurement.tests.test_calls import data as call_data
    from servicepark.registry.tests.factories import make_org

    org = make_org(
        name="成都武侯益路社会工作服务中心", division_code="510107019", founded_on="2012-06-01"
    )
    park = Park.objects.create(name="武侯社会组织孵化园", division_id="510107")
    room = Space.objects.create(park=park, name="会议室一", kind=Space.Kind.ROOM, capacity=10)
    Residency.objects.create(
        park=park, organization=org, state=Residency.State.INCUBATING, proposal="孵化"
    )
    user = make_user("official", division="510100", username="fuzzer")
    grant_add(actor=SystemActor("test"), user=user, role="purchaser", division_code="510100")
    grant_add(actor=SystemActor("test"), user=user, role="org_admin", organization_id=org.pk)
    purchaser = purchaser_create(
        actor=user, name="成都市民政局", kind="civil_affairs", division_code="510100"
    )
    data = dataclasses.replace(
        call_data(None),
        off_catalogue_reason="试点",
        fields=["elderly"],
        required_documents=[],
        eligibility={"kinds": ["direct", "attached"], "within": "510100"},
    )
    call = call_publish(actor=user, call=call_create(actor=user, purchaser=purchaser, data=data))
    app = application_start(actor=user, call=call, organization=org)
    application_save_draft(actor=user, application=app, content=content())
    application_submit(actor=user, application=app, submission_key="fuzz")

    # The token as any client gets it: POST /api/v1/auth/token.
    cache.clear()  # the per-address rate limit of earlier tests
    answer = Client().post(
        "/api/v1/auth/token",
        {"username": "fuzzer", "password": PASSWORD},
        content_type="application/json",
    )
    assert answer.status_code == 200, answer.content
    start = (timezone.localtime() + dt.timedelta(days=2)).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    return World(
        headers={"Authorization": f"Bearer {answer.json()['token']}"},
        organization=org.pk,
        call=call.pk,
        application=app.pk,
        space=room.pk,
        start=start,
    )


@pytest.fixture
def world(db: None) -> Iterator[World]:
    built = _world()
    # Django's test client (used for the token) connects the handler again when it is done.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield built


TRANSITIONS = ("suspend", "reinstate", "deregister", "revoke", "register", "file")


def _aim(case: Any, world: World) -> None:
    """Point part of the generated requests at real objects, deterministically (a function of
    what hypothesis generated), so that the answers for objects that exist are checked too."""
    ids = {
        "org_id": world.organization,
        "call_id": world.call,
        "application_id": world.application,
    }
    for name, value in list((case.path_parameters or {}).items()):
        if name in ids and isinstance(value, int) and value % 2 == 0:
            case.path_parameters[name] = ids[name]
    query = case.query or {}
    if isinstance(query.get("space"), int) and query["space"] % 2 == 0:
        query["space"] = world.space
    body = case.body
    if not isinstance(body, dict):
        return
    path = case.operation.path.removeprefix("/api/v1")
    if path == "/bookings" and isinstance(body.get("attendees"), int):
        start = world.start + dt.timedelta(hours=body["attendees"] % 20)
        body.update(
            space=world.space,
            start=start.isoformat(),
            end=(start + dt.timedelta(hours=1)).isoformat(),
        )
    elif path == "/organizations" and isinstance(body.get("name"), str) and len(body["name"]) % 2:
        # A record that passes every rule but its (generated) name: the 201 answer is checked.
        body.update(
            uscc="",
            filing_number=f"成武备{len(body['name']):05d}{body['name'].encode().hex()[:20]}",
            org_type="social_service_agency",
            registration_kind="filed",
            division_code="510107019",
            founded_on="2015-06-01",
            fields="community",
            umbrella_uscc="",
            phone="",
        )
    elif path.endswith("/transitions") and isinstance(body.get("action"), str):
        body["action"] = TRANSITIONS[len(body["action"]) % len(TRANSITIONS)]
        body.setdefault("reason", "核查")
    elif path == "/auth/token" and isinstance(body.get("password"), str) and body["password"]:
        body.update(username="fuzzer", password=PASSWORD if len(body["password"]) % 2 else "x")


def _call(case: Any, who: str, headers: dict[str, str] | None = None) -> None:
    cache.clear()  # rate limits count per address; every example is a fresh client here
    EXAMPLES[who, f"{case.operation.method.upper()} {case.operation.path}"] += 1
    meta = getattr(case, "meta", None)
    PHASES[meta.phase.name.value if meta is not None else "explicit"] += 1
    # Every WSGI server sets REMOTE_ADDR (the rate limits key on it); werkzeug's test client
    # that schemathesis calls the application with does not.
    response = case.call_and_validate(
        headers=headers, checks=CHECKS, environ_overrides={"REMOTE_ADDR": "127.0.0.1"}
    )
    STATUSES[response.status_code] += 1


@pytest.mark.django_db
@schema.parametrize()
@FUZZ
def test_api_never_fails_and_matches_its_schema(case):
    """As a caller without a token."""
    _call(case, "anonymous")


@schema.parametrize()
@FUZZ
def test_api_signed_in_never_fails_and_matches_its_schema(case, world):
    """As a signed-in user with grants, against real objects."""
    _aim(case, world)
    _call(case, "signed-in", world.headers)


# Regression tests: what fuzzing found, and the hostile values random generation rarely hits.


@pytest.mark.django_db
def test_credit_lists_documents_its_422_for_an_unknown_list(client):
    """Found by the fuzzing above: `?list=` (any text but the two lists) answered 422, which
    the OpenAPI document did not declare."""
    assert client.get("/api/v1/credit-lists?list=&all=0").status_code == 422
    operation = client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/credit-lists"]["get"]
    assert "422" in operation["responses"]


@pytest.mark.django_db
@pytest.mark.parametrize("page", [10**19, 10**30, -(10**30)])
def test_credit_lists_survives_absurd_page_numbers(client, page):
    """Found by fuzzing: a page past 2**63 / PER_PAGE became an OFFSET that SQL integers do
    not hold, a server error."""
    assert client.get(f"/api/v1/credit-lists?page={page}").status_code == 200


@pytest.mark.django_db
def test_token_request_with_a_huge_username_is_refused_not_a_server_error(client):
    """Found by fuzzing on PostgreSQL: the lockout log (django-axes) stores the username in a
    varchar(255), so a longer one was a database error (500)."""
    cache.clear()
    answer = client.post(
        "/api/v1/auth/token",
        {"username": "u" * 100_000, "password": "x"},
        content_type="application/json",
    )
    assert answer.status_code == 401


BIG = 10**30
NUL = "a\x00b"


def _hostile_requests(w: World) -> list[tuple[str, str, Any]]:
    start, end = w.start.isoformat(), w.start.replace(hour=1).isoformat()
    booking = {"space": w.space, "start": start, "end": end, "title": "t", "attendees": 1}
    org = {"org_type": "social_service_agency", "registration_kind": "filed"}
    return [
        ("get", f"/api/v1/organizations?page={BIG}", None),
        ("get", f"/api/v1/organizations?q={NUL}&division={NUL}&org_type={NUL}&field={NUL}", None),
        ("get", "/api/v1/organizations?q=" + "%25" * 5000, None),
        ("get", f"/api/v1/organizations/{2**63}", None),
        ("get", f"/api/v1/calls?phase={NUL}&page={BIG}", None),
        ("get", f"/api/v1/calls/{BIG}", None),
        ("get", f"/api/v1/applications?page={BIG}", None),
        ("get", f"/api/v1/applications/{BIG}/reviews", None),
        ("get", f"/api/v1/ocds/releases?page=-{BIG}", None),
        ("get", f"/api/v1/spaces?page={BIG}", None),
        ("get", f"/api/v1/bookings?space={w.space}&page={BIG}", None),
        ("get", f"/api/v1/credit-lists?all={BIG}&list=abnormal&page={BIG}", None),
        ("post", "/api/v1/organizations", dict.fromkeys(["name", "division_code", *org], NUL)),
        (
            "post",
            "/api/v1/organizations",
            {**org, "name": "x" * 100_000, "filing_number": "y" * 1000, "division_code": "5101"},
        ),
        (
            "post",
            "/api/v1/organizations",
            {
                **org,
                "name": "好",
                "filing_number": "备1",
                "division_code": "510107019",
                "founded_on": "2020-02-30",
                "fields": ["community", "community", "=cmd"],
            },
        ),
        ("post", f"/api/v1/organizations/{w.organization}/transitions", {"action": NUL}),
        (
            "post",
            f"/api/v1/organizations/{w.organization}/transitions",
            {"action": "suspend", "reason": "r" * 100_000},
        ),
        ("post", f"/api/v1/organizations/{BIG}/transitions", {"action": "suspend"}),
        ("post", "/api/v1/bookings", {**booking, "space": BIG}),
        ("post", "/api/v1/bookings", {**booking, "organization": BIG, "repeat_weeks": BIG}),
        ("post", "/api/v1/bookings", {**booking, "title": NUL, "attendees": 2**40}),
        (
            "post",
            "/api/v1/bookings",
            {**booking, "start": "9999-12-31T23:59:59+14:00", "end": "9999-12-31T23:59:59-14:00"},
        ),
        (
            "post",
            "/api/v1/bookings",
            {**booking, "start": "0001-01-01T00:00:00+14:00", "end": "0001-01-01T01:00:00+14:00"},
        ),
        ("post", "/api/v1/bookings", {**booking, "start": "2026-05-01T09:00:00+99:00"}),
        ("post", "/api/v1/bookings", "[" * 10_000),
        ("post", "/api/v1/auth/token", {"username": NUL, "password": NUL, "otp": NUL}),
        ("post", "/api/v1/auth/token", {"username": "fuzzer", "password": "p" * 100_000}),
    ]


@pytest.mark.django_db
def test_hostile_values_are_answered_as_documented(world):
    """Huge integers (past 2**63), NUL bytes, 100 000 characters, impossible dates and deeply
    nested JSON, signed in: a documented 2xx/4xx answer every time."""
    documented = {
        (method, path): set(op["responses"])
        for path, ops in schema.raw_schema["paths"].items()
        for method, op in ops.items()
    }
    client = Client(HTTP_AUTHORIZATION=world.headers["Authorization"])
    for method, url, body in _hostile_requests(world):
        cache.clear()
        if method == "get":
            answer = client.get(url)
        else:
            data = body if isinstance(body, str) else json.dumps(body)
            answer = client.post(url, data, content_type="application/json")
        path = re.sub(r"/-?\d+(?=/|$)", "/{id}", url.split("?")[0])
        allowed = next(
            codes
            for (m, p), codes in documented.items()
            if m == method and re.sub(r"\{\w+\}", "{id}", p) == path
        )
        assert str(answer.status_code) in allowed, (method, url[:100], answer.content[:300])
