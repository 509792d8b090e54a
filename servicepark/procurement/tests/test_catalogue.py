"""Guiding catalogues: three tiers, budgets on items, and how they spread over fields."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from servicepark.accounts.tests.factories import PASSWORD, make_user
from servicepark.common.audit import audit_verify
from servicepark.common.models import AuditEvent
from servicepark.common.permissions import has_permission
from servicepark.procurement.models import Catalogue, CatalogueEntry
from servicepark.procurement.selectors import catalogue_field_spread
from servicepark.procurement.services.catalogue import (
    catalogue_create,
    catalogue_entry_add,
    catalogue_publish,
    purchaser_create,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    official = make_user("official", division="510100")
    buyer = make_user("purchaser", division="510100", username="buyer")
    purchaser = purchaser_create(
        actor=official, name="成都市民政局", kind="civil_affairs", division_code="510100"
    )
    catalogue = catalogue_create(actor=buyer, purchaser=purchaser, year=2012)
    return buyer, purchaser, catalogue


def add_tree(buyer, catalogue):
    cat = catalogue_entry_add(actor=buyer, catalogue=catalogue, code="A", name="基本公共服务")
    sub = catalogue_entry_add(
        actor=buyer, catalogue=catalogue, code="A01", name="养老服务", parent=cat
    )
    item = catalogue_entry_add(
        actor=buyer,
        catalogue=catalogue,
        code="A0101",
        name="社区居家养老服务",
        parent=sub,
        fields=["elderly", "community"],
        budget="1000000.01",
    )
    return cat, sub, item


@pytest.mark.smoke
def test_three_tiers_and_the_field_spread(setup):
    buyer, _, catalogue = setup
    _, sub, _ = add_tree(buyer, catalogue)
    catalogue_entry_add(
        actor=buyer,
        catalogue=catalogue,
        code="A0102",
        name="法律援助",
        parent=sub,
        fields=["legal"],
        budget="500000.00",
    )
    spread = {s.code: s for s in catalogue_field_spread(catalogue)}
    assert spread["elderly"].amount == Decimal("500000.01")  # the odd fen goes to the first
    assert spread["community"].amount == Decimal("500000.00")
    assert spread["legal"].amount == Decimal("500000.00")
    assert sum(s.amount for s in spread.values()) == Decimal("1500000.01")
    assert spread["environment"].is_empty and spread["culture"].is_empty
    assert len(spread) == 16
    assert AuditEvent.objects.filter(action="catalogue.entry_add").count() == 4
    assert AuditEvent.objects.filter(action="catalogue.entry_add").first().division_code == "510100"
    assert audit_verify() is None


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"code": "X", "name": "类别", "budget": "10.00"}, "budget"),
        ({"code": "X", "name": "类别", "fields": ["elderly"]}, "budget"),
        ({"code": "", "name": "类别"}, "code"),
        ({"code": "X" * 17, "name": "类别"}, "code"),
        ({"code": "X", "name": ""}, "name"),
    ],
)
def test_categories_refuse_budgets_and_bad_text(setup, kwargs, field):
    buyer, _, catalogue = setup
    with pytest.raises(ValidationError) as err:
        catalogue_entry_add(actor=buyer, catalogue=catalogue, **kwargs)
    assert field in err.value.message_dict
    assert not CatalogueEntry.objects.exists()


@pytest.mark.parametrize(
    ("budget", "fields", "field"),
    [
        ("-1.00", ["elderly"], "budget"),
        ("abc", ["elderly"], "budget"),
        ("1.001", ["elderly"], "budget"),
        (None, ["elderly"], "budget"),
        ("10.00", [], "fields"),
        ("10.00", ["flying"], "fields"),
    ],
)
def test_items_need_valid_budget_and_fields(setup, budget, fields, field):
    buyer, _, catalogue = setup
    cat, sub, _ = add_tree(buyer, catalogue)
    with pytest.raises(ValidationError) as err:
        catalogue_entry_add(
            actor=buyer,
            catalogue=catalogue,
            code="A0199",
            name="项目",
            parent=sub,
            fields=fields,
            budget=budget,
        )
    assert field in err.value.message_dict
    assert CatalogueEntry.objects.count() == 3


def test_no_fourth_tier_no_duplicate_code_and_publish_freezes(setup):
    buyer, _, catalogue = setup
    _, sub, item = add_tree(buyer, catalogue)
    with pytest.raises(ValidationError):
        catalogue_entry_add(actor=buyer, catalogue=catalogue, code="Z", name="下级", parent=item)
    with pytest.raises(ValidationError):
        catalogue_entry_add(actor=buyer, catalogue=catalogue, code="A01", name="重复")
    catalogue_publish(actor=buyer, catalogue=catalogue)
    with pytest.raises(ValidationError):
        catalogue_entry_add(actor=buyer, catalogue=catalogue, code="B", name="新类别")
    with pytest.raises(ValidationError):
        catalogue_publish(actor=buyer, catalogue=catalogue)


def test_publishing_needs_an_item_and_one_catalogue_a_year(setup):
    buyer, purchaser, catalogue = setup
    with pytest.raises(ValidationError):
        catalogue_publish(actor=buyer, catalogue=catalogue)
    with pytest.raises(ValidationError):
        catalogue_create(actor=buyer, purchaser=purchaser, year=2012)
    with pytest.raises(ValidationError):
        catalogue_create(actor=buyer, purchaser=purchaser, year=1850)


def test_permissions(setup):
    buyer, purchaser, catalogue = setup
    elsewhere = make_user("purchaser", division="310107")
    assert has_permission("catalogue.edit", buyer, purchaser)[0]
    assert not has_permission("catalogue.edit", elsewhere, purchaser)[0]
    assert not has_permission(
        "catalogue.edit", make_user("official", division="510100"), purchaser
    )[0]
    assert has_permission("purchaser.create", make_user("official", division="510000"), "510100")[0]
    assert not has_permission("purchaser.create", buyer, "510100")[0]
    with pytest.raises(PermissionDenied):
        catalogue_entry_add(actor=elsewhere, catalogue=catalogue, code="A", name="类别")


def test_pages_public_after_publishing_with_fixed_queries(client, setup):
    buyer, _, catalogue = setup
    add_tree(buyer, catalogue)
    assert client.get(f"/catalogues/{catalogue.pk}/").status_code == 404  # draft: not public
    catalogue_publish(actor=buyer, catalogue=catalogue)
    page = client.get(f"/catalogues/{catalogue.pk}/").content.decode()
    assert "社区居家养老服务" in page and 'id="empty-fields"' in page
    assert "2012" in client.get("/catalogues/").content.decode()

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            client.get(f"/catalogues/{catalogue.pk}/")
        return len(ctx.captured_queries)

    before = count()
    Catalogue.objects.filter(pk=catalogue.pk).update(state="draft")
    sub = CatalogueEntry.objects.get(code="A01")
    for i in range(10):
        catalogue_entry_add(
            actor=buyer,
            catalogue=catalogue,
            code=f"A01{i + 10}",
            name=f"项目{i}",
            parent=sub,
            fields=["culture"],
            budget="1.00",
        )
    Catalogue.objects.filter(pk=catalogue.pk).update(state="published")
    assert count() == before


def test_purchaser_adds_entries_on_the_page(client, setup):
    _, _, catalogue = setup
    client.login(username="buyer", password=PASSWORD)
    client.post(f"/catalogues/{catalogue.pk}/entries/", {"code": "C", "name": "文化服务"})
    cat = CatalogueEntry.objects.get(code="C")
    client.post(
        f"/catalogues/{catalogue.pk}/entries/",
        {"code": "C01", "name": "群众文化", "parent": cat.pk},
    )
    sub = CatalogueEntry.objects.get(code="C01")
    response = client.post(
        f"/catalogues/{catalogue.pk}/entries/",
        {
            "code": "C0101",
            "name": "社区图书室",
            "parent": sub.pk,
            "fields_of_service": ["culture"],
            "budget": "-5",
        },
        follow=True,
    )
    assert not CatalogueEntry.objects.filter(code="C0101").exists()
    assert response.status_code == 200
    client.post(
        f"/catalogues/{catalogue.pk}/entries/",
        {
            "code": "C0101",
            "name": "社区图书室",
            "parent": sub.pk,
            "fields_of_service": ["culture"],
            "budget": "80000.00",
            "open_to_social_orgs": "on",
        },
    )
    assert CatalogueEntry.objects.get(code="C0101").budget == Decimal("80000.00")


def test_item_badges_show_field_labels_in_the_readers_language(client, setup):
    buyer, _, catalogue = setup
    _, sub, _ = add_tree(buyer, catalogue)
    catalogue_entry_add(
        actor=buyer,
        catalogue=catalogue,
        code="A0102",
        name="法律援助",
        parent=sub,
        fields=["legal"],
        budget="1.00",
    )
    catalogue_publish(actor=buyer, catalogue=catalogue)
    page = client.get(f"/catalogues/{catalogue.pk}/").content.decode()  # Chinese by default
    assert '<span class="badge">养老服务</span><span class="badge">社区服务</span>' in page
    assert '<span class="badge">elderly</span>' not in page
    assert "助残、儿童、青少年" in page  # fields with no budget, listed the Chinese way
    client.cookies["django_language"] = "en"
    page = client.get(f"/catalogues/{catalogue.pk}/").content.decode()
    assert '<span class="badge">legal aid</span>' in page and ">legal<" not in page
    assert "disability, children, youth" in page and "、" not in page
