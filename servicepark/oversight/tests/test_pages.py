"""Oversight pages and the public credit API, through the HTTP stack."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from servicepark.accounts.tests.factories import PASSWORD
from servicepark.oversight import engine
from servicepark.oversight.models import Alert, CreditListing, Rectification
from servicepark.oversight.tests.conftest import frozen

pytestmark = pytest.mark.django_db
D = dt.date


def client_for(user) -> Client:
    c = Client()
    assert c.login(username=user.username, password=PASSWORD)
    c.cookies["django_language"] = "en"
    return c


@pytest.fixture
def listed(org):
    with frozen(D(2026, 6, 1)):
        engine.run(as_of=D(2026, 6, 1))
    return CreditListing.objects.get(organization=org)


def test_public_credit_api_lists_current_entries_and_history(listed, org, official):
    c = Client()
    body = c.get("/api/v1/credit-lists?list=abnormal").json()
    assert body["count"] == 1
    assert body["items"][0] == {
        "uscc": org.uscc,
        "name": org.name,
        "list": "abnormal",
        "trigger": "annual_report_late",
        "listed_on": "2026-06-01",
        "removed_on": None,
    }
    assert c.get("/api/v1/credit-lists?list=serious").json() == {"items": [], "count": 0}
    from servicepark.oversight.services.credit import listing_verify

    listing_verify(actor=official, listing=listed, evidence="已补报")
    assert c.get("/api/v1/credit-lists?list=abnormal").json()["count"] == 0
    history = c.get("/api/v1/credit-lists?list=abnormal&all=1").json()
    assert history["count"] == 1 and history["items"][0]["removed_on"] is not None
    bad = c.get("/api/v1/credit-lists?list=grey")
    assert bad.status_code == 422 and "abnormal" in bad.json()["detail"]


def test_public_pages_show_the_lists_and_the_credit_record(listed, org):
    c = Client()
    c.cookies["django_language"] = "en"
    page = c.get("/credit/?list=abnormal").content.decode()
    assert org.name in page and "annual report not filed on time" in page
    record = c.get(f"/credit/organizations/{org.pk}/").content.decode()
    assert "MCA Order 60 (2018): abnormal activity list" in record and "2026-06-01" in record


def test_official_handles_an_alert_through_the_pages(listed, org, official, admin):
    c = client_for(official)
    desk = c.get("/oversight/").content.decode()
    alert = Alert.objects.get(organization=org, signal__rule="credit_listed")
    assert org.name in desk and f"/oversight/alerts/{alert.pk}/" in desk
    page = c.get(f"/oversight/alerts/{alert.pk}/").content.decode()
    assert "annual report not filed on time" in page and "MCA Order 60" in page
    c.post(f"/oversight/alerts/{alert.pk}/act/", {"action": "acknowledge"})
    alert.refresh_from_db()
    assert alert.state == "acknowledged"
    refused = c.post(
        f"/oversight/alerts/{alert.pk}/act/", {"action": "close", "note": " "}, follow=True
    )
    assert "Write a note" in refused.content.decode()
    alert.refresh_from_db()
    assert alert.state == "acknowledged"
    deadline = (timezone.localdate() + dt.timedelta(days=20)).isoformat()
    c.post(
        f"/oversight/organizations/{org.pk}/act/",
        {
            "action": "order",
            "order": "补报2025年度年报",
            "deadline": deadline,
            "listing": listed.pk,
        },
    )
    order = Rectification.objects.get(organization=org)
    assert order.listing_id == listed.pk
    client_for(admin).post(
        f"/oversight/organizations/{org.pk}/act/",
        {"action": "answer", "rectification": order.pk, "response": "已补报"},
    )
    c.post(
        f"/oversight/organizations/{org.pk}/act/",
        {"action": "verify", "rectification": order.pk, "note": "核实无误"},
    )
    listed.refresh_from_db()
    assert listed.removal == "fulfilled"


def test_outsiders_and_anonymous_users_are_kept_out(listed, org, outsider):
    alert = Alert.objects.get(organization=org, signal__rule="credit_listed")
    c = client_for(outsider)
    assert c.get(f"/oversight/alerts/{alert.pk}/").status_code == 404
    assert c.get(f"/oversight/organizations/{org.pk}/").status_code == 403
    before = Rectification.objects.count()
    assert (
        c.post(
            f"/oversight/organizations/{org.pk}/act/",
            {"action": "order", "order": "x", "deadline": "2030-01-01"},
        ).status_code
        == 403
    )
    assert Rectification.objects.count() == before
    anonymous = Client().get("/oversight/")
    assert anonymous.status_code == 302


def test_annual_report_form_files_and_explains_bad_input(org, admin):
    c = client_for(admin)
    bad = c.post(
        f"/oversight/organizations/{org.pk}/annual-report/",
        {"year": "2025", "revenue_grants": "-3", "activities": "x"},
    )
    assert bad.status_code == 200 and "cannot be negative" in bad.content.decode()
    assert not org.annual_reports.exists()
    ok = c.post(
        f"/oversight/organizations/{org.pk}/annual-report/",
        {"year": "2025", "revenue_grants": "30000", "activities": "助老服务"},
    )
    assert ok.status_code == 302 and org.annual_reports.get().year == 2025


def test_the_alert_reads_rule_titles_and_labels_not_codes(listed, org, official):
    alert = Alert.objects.get(organization=org, signal__rule="credit_listed")
    c = client_for(official)
    page = c.get(f"/oversight/alerts/{alert.pk}/").content.decode()
    assert "On a credit list: +" in page and "Annual report overdue: +" in page
    assert "credit_listed" not in page and f"listing:{listed.pk}" not in page
    assert (
        "credit listing: abnormal activity list (annual report not filed on time), 2026-06-01"
        in page
    )
    assert "abnormal/annual_report_late" not in page
    c.cookies["django_language"] = "zh-hans"
    page = c.get(f"/oversight/alerts/{alert.pk}/").content.decode()
    assert "已列入信用名录：+" in page and "年度报告逾期未报：+" in page
    assert "活动异常名录（未按时报送年度报告），2026-06-01" in page
    assert "credit_listed" not in page and "annual_report_late" not in page
