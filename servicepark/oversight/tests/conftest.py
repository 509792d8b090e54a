"""Oversight test fixtures: a frozen clock, an official and an organization of Wuhou."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from unittest import mock

import pytest
from django.utils import timezone

from servicepark.accounts.roles import Role
from servicepark.accounts.tests.factories import make_user
from servicepark.registry.tests.factories import make_org

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


@contextmanager
def frozen(day: dt.date, hour: int = 10) -> Iterator[None]:
    """The clock stands at `day`, `hour`:00 Beijing time."""
    instant = dt.datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI)
    with mock.patch.object(timezone, "now", return_value=instant):
        yield


@pytest.fixture
def clock() -> Callable[[dt.date], object]:
    return frozen


@pytest.fixture
def org(db):  # type: ignore[no-untyped-def]
    return make_org(status="registered", founded_on="2018-03-01", address="武侯区一环路1号")


@pytest.fixture
def official(db):  # type: ignore[no-untyped-def]
    return make_user(Role.OFFICIAL, division="510107")


@pytest.fixture
def outsider(db):  # type: ignore[no-untyped-def]
    return make_user(Role.OFFICIAL, division="510104")


@pytest.fixture
def admin(org):  # type: ignore[no-untyped-def]
    return make_user(Role.ORG_ADMIN, organization=org)
