"""Oversight in the browser: an official sees the alert for an organization listed for a
missed annual report, opens the explanation, orders rectification; the organization answers;
the official verifies it, and the organization leaves the abnormal activity list."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from servicepark.accounts.tests.factories import make_user
from servicepark.oversight import engine
from servicepark.oversight.models import CreditListing
from servicepark.registry.tests.factories import make_org
from tests.browser.conftest import TIMEOUT_MS, login

pytestmark = pytest.mark.browser


def test_alert_rectification_and_leaving_the_list(page: Page, live_server) -> None:
    base = live_server.url
    org = make_org(
        name="济南市市中区春晖社会工作服务中心",
        division_code="370103002",
        status="registered",
        founded_on="2019-05-01",
    )
    make_user("official", division="370103", username="official")
    make_user("org_admin", organization=org, username="chunhui")
    engine.run()  # today's scheduled run: the 2025 report was due on 31 May 2026
    listing = CreditListing.objects.get(organization=org)
    assert listing.removed_on is None

    login(page, live_server, "official")
    page.click("#nav-oversight")
    row = page.locator("#alerts tr", has_text=org.name).filter(has=page.locator(".open-alert"))
    row.first.locator(".open-alert").click()
    explanation = page.locator("#explanation")
    expect(explanation).to_contain_text("2026")  # the date it was listed
    expect(page.locator("#evidence li")).not_to_have_count(0)
    page.click("#alert-acknowledge")
    expect(page.locator("#alert-state")).to_have_attribute("data-state", "acknowledged")

    page.click("#to-orders")
    deadline = (timezone.localdate() + dt.timedelta(days=15)).isoformat()
    form = page.locator("#order-form")
    form.locator("textarea[name=order]").fill("请补报2025年度工作报告并说明逾期原因")
    form.locator("input[name=deadline]").fill(deadline)
    form.locator("select[name=listing]").select_option(str(listing.pk))
    page.click("#order-rectification")
    expect(page.locator(".order[data-state=ordered]")).to_have_count(1)

    context = page.context.browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    context.set_default_timeout(TIMEOUT_MS)
    ngo = context.new_page()
    login(ngo, live_server, "chunhui")
    ngo.goto(f"{base}/oversight/organizations/{org.pk}/")
    ngo.locator(".order textarea[name=response]").fill("已补报年度报告，逾期系财务人员交接所致")
    ngo.click(".answer-order")
    expect(ngo.locator(".order[data-state=submitted]")).to_have_count(1)

    page.reload()
    page.locator(".order input[name=note]").fill("核实年报已补报，内容完整")
    page.click(".verify-order")
    expect(page.locator(".order[data-state=verified]")).to_have_count(1)
    expect(page.locator(".listing[data-trigger=annual_report_late]")).to_have_attribute(
        "data-current", "no"
    )
    page.goto(f"{base}/credit/?list=abnormal")
    expect(page.locator("#credit-list")).not_to_contain_text(org.name)
    listing.refresh_from_db()
    assert listing.removal == "fulfilled"
    context.close()
