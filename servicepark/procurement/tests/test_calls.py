"""Calls: opened from a catalogue item or as grant calls, with every rule checked."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from servicepark.accounts.tests.factories import make_user
from servicepark.common.audit import audit_verify
from servicepark.procurement.models import Call
from servicepark.procurement.services.calls import CallInput, call_create, call_publish
from servicepark.procurement.services.catalogue import (
    catalogue_create,
    catalogue_entry_add,
    catalogue_publish,
    purchaser_create,
)
from servicepark.registry.tests.factories import make_org

pytestmark = pytest.mark.django_db
RUBRIC = [
    {"key": "need", "name": "需求分析", "max_points": 30},
    {"key": "design", "name": "项目设计", "max_points": 40},
    {"key": "capacity", "name": "执行能力", "max_points": 30},
]


@pytest.fixture
def world():
    official = make_user("official", division="510100")
    buyer = make_user("purchaser", division="510100", username="buyer")
    purchaser = purchaser_create(
        actor=official, name="成都市民政局", kind="civil_affairs", division_code="510100"
    )
    catalogue = catalogue_create(actor=buyer, purchaser=purchaser, year=2026)
    cat = catalogue_entry_add(actor=buyer, catalogue=catalogue, code="B", name="社会服务")
    sub = catalogue_entry_add(actor=buyer, catalogue=catalogue, code="B02", name="养老", parent=cat)
    item = catalogue_entry_add(
        actor=buyer,
        catalogue=catalogue,
        code="B0201",
        name="社区居家养老服务",
        parent=sub,
        fields=["elderly"],
        budget="1000000.00",
    )
    catalogue_publish(actor=buyer, catalogue=catalogue)
    return buyer, purchaser, item


def data(item=None, **overrides) -> CallInput:
    now = timezone.now()
    base = CallInput(
        kind="purchase",
        method="public_tender",
        title="2026年社区居家养老服务项目",
        total_budget="600000.00",
        per_project_cap="200000.00",
        rubric=RUBRIC,
        opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=20),
        catalogue_item=item,
        matching_ratio="0.5",
        eligibility={
            "kinds": ["registered", "direct"],
            "min_years": 2,
            "min_grade": "3A",
            "within": "510100",
        },
        required_documents=["登记证书", "项目预算表"],
    )
    return dataclasses.replace(base, **overrides)


@pytest.mark.smoke
def test_purchase_call_from_catalogue_item_is_public_once_published(client, world):
    buyer, purchaser, item = world
    call = call_create(actor=buyer, purchaser=purchaser, data=data(item))
    assert call.fields and call.state == "draft"
    assert client.get(f"/calls/{call.pk}/").status_code == 404
    call_publish(actor=buyer, call=call)
    page = client.get(f"/calls/{call.pk}/").content.decode()
    assert "2026年社区居家养老服务项目" in page and 'data-phase="open"' in page
    api = client.get("/api/v1/calls").json()
    assert api["count"] == 1 and api["items"][0]["total_budget"] == "600000.00"
    assert api["items"][0]["fields"] == ["elderly"]
    assert client.get(f"/api/v1/calls/{call.pk}").json()["rubric"][1]["max_points"] == 40
    assert audit_verify() is None


def test_calls_cannot_overspend_their_catalogue_item(world):
    buyer, purchaser, item = world
    call_create(actor=buyer, purchaser=purchaser, data=data(item))
    with pytest.raises(ValidationError) as err:
        call_create(
            actor=buyer,
            purchaser=purchaser,
            data=data(item, total_budget="400000.01", per_project_cap="100000.00"),
        )
    assert "400000.00" in str(err.value.message_dict["total_budget"])
    call_create(
        actor=buyer,
        purchaser=purchaser,
        data=data(item, total_budget="400000.00", per_project_cap="100000.00"),
    )


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"total_budget": "-1"}, "total_budget"),
        ({"total_budget": "abc"}, "total_budget"),
        ({"total_budget": "0"}, "total_budget"),
        ({"per_project_cap": "700000.00"}, "per_project_cap"),
        ({"per_project_min": "300000.00"}, "per_project_min"),
        ({"matching_ratio": "1.5"}, "matching_ratio"),
        ({"method": "grant"}, "method"),
        ({"method": "lottery"}, "method"),
        ({"title": ""}, "title"),
        ({"rubric": []}, "rubric"),
        ({"rubric": RUBRIC[:2]}, "rubric"),
        ({"rubric": [{"key": "a", "name": "甲", "max_points": 150}]}, "rubric"),
        ({"eligibility": {"kinds": ["pirate"]}}, "eligibility"),
        ({"eligibility": {"within": "310107"}}, "eligibility"),
        ({"eligibility": {"min_grade": "6A"}}, "eligibility"),
        ({"eligibility": {"colour": "red"}}, "eligibility"),
        ({"jury_size": 0}, "jury_size"),
        ({"fields": ["flying"]}, "fields"),
        ({"required_documents": [""]}, "required_documents"),
    ],
)
def test_bad_call_input_is_explained(world, overrides, field):
    buyer, purchaser, item = world
    with pytest.raises(ValidationError) as err:
        call_create(actor=buyer, purchaser=purchaser, data=data(item, **overrides))
    assert field in err.value.message_dict, err.value.message_dict
    assert not Call.objects.exists()


def test_window_must_be_ordered_and_aware(world):
    buyer, purchaser, item = world
    now = timezone.now()
    with pytest.raises(ValidationError):
        call_create(
            actor=buyer,
            purchaser=purchaser,
            data=data(item, opens_at=now, closes_at=now - dt.timedelta(seconds=1)),
        )
    with pytest.raises(ValidationError):
        call_create(
            actor=buyer,
            purchaser=purchaser,
            data=data(
                item,
                opens_at=dt.datetime(2026, 1, 1),  # noqa: DTZ001 (naive on purpose)
                closes_at=dt.datetime(2026, 2, 1),  # noqa: DTZ001
            ),
        )


def test_off_catalogue_purchase_needs_a_reason(world):
    buyer, purchaser, _ = world
    with pytest.raises(ValidationError) as err:
        call_create(actor=buyer, purchaser=purchaser, data=data(None))
    assert "catalogue_item" in err.value.message_dict
    call = call_create(
        actor=buyer,
        purchaser=purchaser,
        data=data(None, off_catalogue_reason="突发疫情应急心理援助，目录未列"),
    )
    assert call.catalogue_item is None


def test_single_source_records_why_and_whom(world):
    buyer, purchaser, item = world
    spina = make_org(name="成都高新区推动力公益发展中心")
    with pytest.raises(ValidationError) as err:
        call_create(actor=buyer, purchaser=purchaser, data=data(item, method="single_source"))
    assert {"restriction_reason", "invited"} <= set(err.value.message_dict)
    with pytest.raises(ValidationError):
        call_create(
            actor=buyer,
            purchaser=purchaser,
            data=data(
                item,
                method="single_source",
                restriction_reason="唯一具备资质",
                invited=[spina, make_org()],
            ),
        )
    call = call_create(
        actor=buyer,
        purchaser=purchaser,
        data=data(item, method="single_source", restriction_reason="唯一具备资质", invited=[spina]),
    )
    assert list(call.invited.all()) == [spina]


def test_grant_call_without_catalogue(world):
    buyer, purchaser, _ = world
    call = call_create(
        actor=buyer,
        purchaser=purchaser,
        data=data(
            None,
            kind="grant",
            method="grant",
            title="公益创投种子资金",
            total_budget="100000.00",
            per_project_min="5000.00",
            per_project_cap="10000.00",
            fields=["community"],
        ),
    )
    assert call.kind == "grant" and call.per_project_min == Decimal("5000.00")


def test_only_the_purchasers_staff_open_and_publish(world):
    _, purchaser, item = world
    with pytest.raises(PermissionDenied):
        call_create(
            actor=make_user("purchaser", division="310107"), purchaser=purchaser, data=data(item)
        )


def test_publishing_after_the_window_closed_is_refused(world):
    buyer, purchaser, item = world
    now = timezone.now()
    call = call_create(
        actor=buyer,
        purchaser=purchaser,
        data=data(
            item, opens_at=now - dt.timedelta(days=10), closes_at=now - dt.timedelta(seconds=1)
        ),
    )
    with pytest.raises(ValidationError):
        call_publish(actor=buyer, call=call)


def test_call_list_runs_a_fixed_number_of_queries(client, world):
    buyer, purchaser, item = world

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/calls/").status_code == 200
        return len(ctx.captured_queries)

    publish = [
        call_create(
            actor=buyer,
            purchaser=purchaser,
            data=data(item, total_budget="10000.00", per_project_cap="10000.00"),
        )
    ]
    call_publish(actor=buyer, call=publish[0])
    few = count()
    for _ in range(5):
        call_publish(
            actor=buyer,
            call=call_create(
                actor=buyer,
                purchaser=purchaser,
                data=data(item, total_budget="10000.00", per_project_cap="10000.00"),
            ),
        )
    assert count() == few
    assert client.get("/calls/", {"phase": "closed"}).status_code == 200
