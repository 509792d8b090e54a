"""Property-based fuzzing (hypothesis, bounded) of the parsers of what people type (issue 7):
common.inputs (plain_text, iso_date, rating, add_months), money.parse_yuan, the oversight
checks (amount, count, past/future dates), the instants of POST /api/v1/bookings, and the
limits form of the award optimiser.

Each parser either returns a value that satisfies its contract or refuses with its own error
(ValidationError, AmountError) carrying a message; any other exception is a bug. Every test is
bounded and derandomized (SERVICEPARK_FUZZ_RANDOM=1 explores new inputs); the numbers of cases
are printed at the end of the session.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import os
import sys
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from servicepark.common.inputs import add_months, iso_date, plain_text, rating
from servicepark.common.money import AmountError, parse_yuan
from servicepark.oversight.services.common import amount, count, future_date, past_date

CASES: Counter[str] = Counter()


def fuzz(n: int) -> settings:
    return settings(
        max_examples=n,
        deadline=None,
        derandomize=os.environ.get("SERVICEPARK_FUZZ_RANDOM") != "1",
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


@pytest.fixture(scope="session", autouse=True)
def _figures(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    if not CASES:
        return
    lines = [f"Parser fuzz: {sum(CASES.values())} cases"]
    lines += [f"  {name}: {n}" for name, n in sorted(CASES.items())]
    capman = request.config.pluginmanager.getplugin("capturemanager")
    with capman.global_and_fixture_disabled():
        sys.stderr.write("\n" + "\n".join(lines) + "\n")


# ------------------------------------------------------------------------------ strategies

HOSTILE_TEXT = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=40),
    st.sampled_from(
        [
            "",
            " ",
            "\x00",
            "1\x00",
            "\ufeff2026-01-01",
            "２０２６-０１-０１",  # full-width digits
            "²",
            "①",
            "١٢",  # Arabic-Indic digits
            "1e30",
            "1E+999999",
            "-0",
            "0.001",
            "NaN",
            "sNaN",
            "Infinity",
            "-Infinity",
            "9" * 400,
            "1,000,000.00",
            "=cmd|' /C calc'!A0",
            "<script>alert(1)</script>",
            "2026-02-30",
            "0000-01-01",
            "9999-12-31",
            "10000-01-01",
            "2026-W01-1",
            "20260101",
        ]
    ),
)
ANY_VALUE = st.one_of(
    HOSTILE_TEXT,
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.binary(max_size=20),
    st.lists(st.integers(), max_size=3),
    st.dates().map(str),
)


def _refused(exc: ValidationError) -> None:
    assert exc.messages and all(isinstance(m, str) and m for m in exc.messages)


# ------------------------------------------------------------------------------ common.inputs


@given(value=ANY_VALUE, limit=st.integers(0, 50), required=st.booleans())
@example(value="a\x00b", limit=10, required=True)
@example(value="  ", limit=10, required=True)
@fuzz(300)
def test_plain_text(value: Any, limit: int, required: bool) -> None:
    CASES["inputs.plain_text"] += 1
    try:
        text = plain_text(value, limit=limit, missing="missing", required=required)
    except ValidationError as exc:
        _refused(exc)
        return
    assert isinstance(text, str) and text == text.strip() and "\x00" not in text
    assert len(text) <= limit and (text or not required)
    assert text == ("" if value is None else str(value)).strip()


@given(value=ANY_VALUE)
@example(value="9999-12-31")
@fuzz(300)
def test_iso_date(value: Any) -> None:
    CASES["inputs.iso_date"] += 1
    try:
        day = iso_date(value)
    except ValidationError as exc:
        _refused(exc)
        return
    assert isinstance(day, dt.date)


@given(day=st.dates())
@fuzz(100)
def test_iso_date_reads_every_date_it_writes(day: dt.date) -> None:
    CASES["inputs.iso_date (round trip)"] += 1
    assert iso_date(day.isoformat()) == day


@given(value=ANY_VALUE)
@example(value=float("inf"))  # was OverflowError
@example(value=float("nan"))
@example(value="٣")
@fuzz(300)
def test_rating(value: Any) -> None:
    CASES["inputs.rating"] += 1
    try:
        score = rating(value)
    except ValidationError as exc:
        _refused(exc)
        return
    assert isinstance(score, int) and 1 <= score <= 5


@given(day=st.dates(), months=st.integers(-12 * 10_000, 12 * 10_000))
@example(day=dt.date(2024, 1, 31), months=1)
@example(day=dt.date(9999, 12, 1), months=1)
@fuzz(300)
def test_add_months(day: dt.date, months: int) -> None:
    """The same day `months` later, clamped to the month's end; only a result outside the
    years 1–9999 is refused, with ValueError as datetime does."""
    CASES["inputs.add_months"] += 1
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    if not 1 <= year <= 9999:
        with pytest.raises(ValueError):
            add_months(day, months)
        return
    result = add_months(day, months)
    assert (result.year, result.month) == (year, month + 1)
    assert result.day == min(day.day, calendar.monthrange(year, month + 1)[1])


# ------------------------------------------------------------------------------ money

MONEY_TEXT = st.one_of(
    HOSTILE_TEXT,
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.integers().map(str),
    st.from_regex(r"\A-?\d{0,20}(\.\d{0,4})?([eE][+-]?\d{1,12})?\Z"),
)


@given(value=st.one_of(MONEY_TEXT, ANY_VALUE))
@example(value="1e30")  # was decimal.InvalidOperation
@example(value="1E+999999")
@fuzz(400)
def test_parse_yuan(value: Any) -> None:
    CASES["money.parse_yuan"] += 1
    try:
        yuan = parse_yuan(value)
    except AmountError as exc:
        assert exc.message
        return
    assert isinstance(yuan, Decimal) and yuan.is_finite()
    assert 0 <= yuan < Decimal("1e14") and yuan == yuan.quantize(Decimal("0.01"))
    assert yuan.as_tuple().exponent == -2


# ------------------------------------------------------------------------------ oversight


@given(value=st.one_of(MONEY_TEXT, ANY_VALUE))
@example(value="1e30")  # was decimal.InvalidOperation
@example(value="1,000,000.00")
@fuzz(400)
def test_oversight_amount(value: Any) -> None:
    CASES["oversight.amount"] += 1
    try:
        number = amount(value, "收入")
    except ValidationError as exc:
        _refused(exc)
        return
    assert number.is_finite() and 0 <= number < Decimal("1e12")
    assert number == number.quantize(Decimal("0.01"))


@given(value=ANY_VALUE)
@example(value="²")  # was ValueError from int()
@example(value="①")
@example(value="١٢")
@fuzz(400)
def test_oversight_count(value: Any) -> None:
    CASES["oversight.count"] += 1
    try:
        n = count(value, "人数")
    except ValidationError as exc:
        _refused(exc)
        return
    assert isinstance(n, int) and 0 <= n <= 999_999_999


@given(value=st.one_of(ANY_VALUE, st.dates()))
@fuzz(300)
def test_oversight_dates(value: Any) -> None:
    CASES["oversight.past_date/future_date"] += 1
    today = timezone.localdate()
    try:
        day = past_date(value, "检查日期")
    except ValidationError as exc:
        _refused(exc)
    else:
        assert day <= today
    try:
        day = future_date(value, "期限")
    except ValidationError as exc:
        _refused(exc)
    else:
        assert day > today


# ------------------------------------------------------------------------------ booking instants

OFFSETS = st.timedeltas(
    min_value=-dt.timedelta(hours=23, minutes=59), max_value=dt.timedelta(hours=23, minutes=59)
).map(lambda d: dt.timezone(dt.timedelta(minutes=d // dt.timedelta(minutes=1))))
INSTANT_TEXT = st.one_of(
    HOSTILE_TEXT,
    st.datetimes(timezones=st.one_of(st.none(), OFFSETS)).map(lambda d: d.isoformat()),
    st.from_regex(
        r"\A\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}(:?\d{2})?)?\Z"
    ),
)


@given(value=INSTANT_TEXT)
@example(value="2026-05-01T09:00:00+99:00")
@example(value="0001-01-01T00:00:00+14:00")
@example(value="9999-12-31T23:59:59-23:59")
@fuzz(400)
def test_booking_instant(value: str) -> None:
    """An instant with its UTC offset, or the field's error; never an exception."""
    from servicepark.incubator.api import _instant

    CASES["incubator.api._instant"] += 1
    errors: dict[str, list[str]] = {}
    parsed = _instant(value, "start", errors)
    if parsed is None:
        assert errors["start"] and all(errors["start"])
    else:
        assert not errors and parsed.utcoffset() is not None


@pytest.fixture
def resident_client(db: None) -> Iterator[tuple[Client, int, dt.datetime]]:
    from servicepark.accounts.tests.factories import PASSWORD, make_user
    from servicepark.incubator.models import Park, Residency, Space
    from servicepark.registry.tests.factories import make_org

    park = Park.objects.create(name="武侯社会组织孵化园", division_id="510107")
    room = Space.objects.create(park=park, name="会议室一", kind=Space.Kind.ROOM, capacity=10)
    org = make_org(name="成都武侯益路社会工作服务中心", division_code="510107019")
    Residency.objects.create(
        park=park, organization=org, state=Residency.State.INCUBATING, proposal="孵化"
    )
    make_user("org_admin", organization=org, username="resident")
    cache.clear()
    client = Client(REMOTE_ADDR="127.0.0.1")
    token = client.post(
        "/api/v1/auth/token",
        {"username": "resident", "password": PASSWORD},
        content_type="application/json",
    ).json()["token"]
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    day = (timezone.localtime() + dt.timedelta(days=2)).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    yield client, room.pk, day


@given(
    start=INSTANT_TEXT,
    end=INSTANT_TEXT,
    near=st.booleans(),
    hours=st.integers(-2, 14),
    repeat=st.integers(-1, 60),
)
@example(
    start="9999-12-31T23:00:00-14:00",
    end="9999-12-31T23:59:59-14:00",
    near=False,
    hours=0,
    repeat=52,
)
@example(
    start="0001-01-01T00:00:00+14:00",
    end="0001-01-01T01:00:00+14:00",
    near=False,
    hours=0,
    repeat=0,
)
@fuzz(120)
def test_booking_api_instants(resident_client, start, end, near, hours, repeat) -> None:
    """POST /api/v1/bookings with generated instants (near the datetime limits too): 201, or
    400/409 with the reason by field; never a server error."""
    client, space, day = resident_client
    CASES["POST /api/v1/bookings instants"] += 1
    if near:  # aimed at a free-ish slot, so that the rules after parsing are reached too
        start = (day + dt.timedelta(hours=hours % 12)).isoformat()
        end = (day + dt.timedelta(hours=hours % 12 + hours)).isoformat()
    body = {"space": space, "start": start, "end": end, "title": "议事会", "attendees": 5}
    body["repeat_weeks"] = repeat
    answer = client.post("/api/v1/bookings", json.dumps(body), content_type="application/json")
    assert answer.status_code in (201, 400, 409), answer.content[:300]
    if answer.status_code != 201:
        problem = answer.json()
        assert problem["detail"] and all(problem["errors"].values())


# ------------------------------------------------------------------------------ optimiser limits

LIMIT_LINES = st.lists(
    st.one_of(
        HOSTILE_TEXT,
        st.builds(
            lambda k, sep, v: f"{k}{sep}{v}",
            st.one_of(
                st.sampled_from(["elderly", "children", "community", "environment"]), HOSTILE_TEXT
            ),
            st.sampled_from([":", "：", "", " : "]),
            MONEY_TEXT,
        ),
    ),
    max_size=5,
).map("\n".join)


@given(
    min_lines=LIMIT_LINES,
    max_lines=LIMIT_LINES,
    cap=st.one_of(st.none(), HOSTILE_TEXT, st.integers().map(str)),
)
@example(min_lines="elderly: 1e30", max_lines="", cap=None)  # was decimal.InvalidOperation
@fuzz(200)
def test_limits_form_and_optimiser_input(min_lines: str, max_lines: str, cap: Any) -> None:
    """The proposal form's limits become the optimiser's input as in decision_propose: the
    form refuses, or the input is refused with a ValidationError, or it is solved."""
    from servicepark.procurement.allocation import AllocationInputError, allocate, parse_problem
    from servicepark.procurement.forms_applications import LimitsForm

    CASES["procurement LimitsForm → parse_problem"] += 1
    form = LimitsForm(
        {"min_per_field": min_lines, "max_per_field": max_lines, "max_per_organization": cap or ""}
    )
    if not form.is_valid():
        assert form.errors and all(all(ms) for ms in form.errors.values())
        return
    data = {
        "budget": "300000.00",
        **form.cleaned_data["limits"],
        "applications": [
            {
                "id": "1",
                "organization": "1",
                "field": "elderly",
                "requested": "100000.00",
                "score": 88.5,
            },
            {
                "id": "2",
                "organization": "2",
                "field": "children",
                "requested": "150000.00",
                "score": 91.0,
            },
            {
                "id": "3",
                "organization": "1",
                "field": "community",
                "requested": "80000.00",
                "score": 70.25,
            },
        ],
    }
    try:
        try:
            problem = parse_problem(data)
        except AllocationInputError as exc:
            raise ValidationError(exc.problems) from None  # as decision_propose does
    except ValidationError as exc:
        _refused(exc)
        return
    result = allocate(problem)
    assert result.status in ("optimal", "infeasible")
    if result.optimal is not None:
        assert result.optimal.total_amount <= Decimal("300000.00")
    else:
        assert result.reason


# ---------------------------------------------------------------- whole numbers in forms

RUBRIC_LINES = st.lists(
    st.one_of(
        HOSTILE_TEXT,
        st.builds(
            lambda name, sep, points: f"{name}{sep}{points}",
            st.sampled_from(["项目设计", "需求", "=cmd", ""]),
            st.sampled_from([":", "：", ""]),
            st.one_of(HOSTILE_TEXT, st.integers(-5, 200).map(str)),
        ),
    ),
    max_size=5,
).map("\n".join)


@given(rubric=RUBRIC_LINES)
@example(rubric="项目设计: ²")  # "²".isdigit() is true, int("²") was a ValueError (500)
@example(rubric="项目设计: ①")
@fuzz(150)
def test_call_form_rubric(db, rubric: str) -> None:
    """The call form's "criterion: points" lines: cleaned to whole points, or a form error."""
    from servicepark.procurement.forms_calls import CallForm
    from servicepark.procurement.models import Purchaser

    CASES["procurement CallForm rubric"] += 1
    form = CallForm({"rubric": rubric}, purchasers=Purchaser.objects.none())
    form.is_valid()
    if "rubric" in form.cleaned_data:
        assert all(isinstance(c["max_points"], int) for c in form.cleaned_data["rubric"])
    else:
        assert all(form.errors["rubric"])


# ---------------------------------------------------------------- links people type


@pytest.mark.django_db
@pytest.mark.parametrize(
    "website",
    ["javascript:window.__xss=1", "JavaScript:alert(1)", "data:text/html,<script>1</script>"],
)
def test_organization_create_refuses_a_website_that_is_not_a_web_address(website: str) -> None:
    """Found by review: organization_create stored `website` unchecked (the profile form and
    organization_update_profile check it), and the organization page links to it, so a
    "javascript:" website would run script when clicked."""
    from servicepark.common.actors import SystemActor
    from servicepark.registry.services.organizations import organization_create
    from servicepark.registry.tests.factories import org_data

    with pytest.raises(ValidationError) as refused:
        organization_create(actor=SystemActor("test"), data=org_data(website=website))
    assert "website" in refused.value.message_dict
    org = organization_create(
        actor=SystemActor("test"), data=org_data(website="https://example.org/")
    )
    assert org.website == "https://example.org/"
