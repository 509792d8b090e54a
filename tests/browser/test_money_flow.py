"""Money in the browser: from a final award to a paid milestone through an umbrella
association (its fee visible), a beneficiary answering the survey without an account, and an
evaluator grading the contract."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from servicepark.accounts.tests.factories import make_user
from servicepark.common.audit import audit_verify
from servicepark.procurement.models import Payment
from servicepark.registry.tests.factories import make_org
from tests.browser.conftest import TIMEOUT_MS, login
from tests.browser.setup_awards import final_award

pytestmark = pytest.mark.browser


def _final_award_through_an_association():
    association = make_org(
        name="成都市社会工作协会", org_type="social_group", registration_kind="registered"
    )
    staff = make_user("association_staff", organization=association, username="association")
    attached = make_org(
        name="锦江长者社工站",
        registration_kind="attached",
        uscc="",
        umbrella_uscc=association.uscc,
        division_code="510104",
        founded_on="2012-01-01",
    )
    return final_award(staff, attached), association, attached


def _new_page(page: Page, live_server, username: str | None) -> Page:
    context = page.context.browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    context.set_default_timeout(TIMEOUT_MS)
    other = context.new_page()
    if username:
        login(other, live_server, username)
    return other


def test_money_reaches_the_member_through_the_association(page: Page, live_server) -> None:
    base = live_server.url
    decision, association, attached = _final_award_through_an_association()
    evaluator = make_org(name="成都第三方评估中心")
    make_user("org_member", organization=evaluator, username="evaluator")

    # The purchaser drafts the contract from the final award and signs.
    login(page, live_server, "buyer")
    page.goto(f"{base}/decisions/{decision.pk}/")
    page.locator(".draft-contract").click()
    form = page.locator("#contract-form")
    form.locator("[name=service_content]").fill("为锦江区独居老人提供上门探访与健康讲座")
    today = timezone.localdate()
    form.locator("[name=starts_on]").fill(today.isoformat())
    form.locator("[name=ends_on]").fill((today + dt.timedelta(days=300)).isoformat())
    for n, (title, days, amount) in enumerate(
        (("启动", 20, "60000.00"), ("结项", 290, "40000.00"))
    ):
        form.locator(f"[name=m{n}_title]").fill(title)
        form.locator(f"[name=m{n}_deliverable]").fill(f"{title}报告")
        form.locator(f"[name=m{n}_due_on]").fill((today + dt.timedelta(days=days)).isoformat())
        form.locator(f"[name=m{n}_amount]").fill(amount)
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/contracts/\d+/$"))
    contract_url = page.url
    page.locator("#sign-purchaser").click()
    expect(page.locator(".messages")).to_contain_text("购买主体")

    # The association signs for its member, the purchaser starts the service.
    staff = _new_page(page, live_server, "association")
    staff.goto(contract_url)
    expect(staff.locator("#payee")).to_contain_text(association.name)
    staff.locator("#sign-provider").click()
    page.reload()
    page.locator("#activate").click()
    expect(page.locator("#contract-state")).to_have_attribute("data-state", "active")

    # The first deliverable is reported, accepted and paid; the fee is visible.
    staff.reload()
    staff.locator("#milestone-1 input[name=note]").fill("启动报告已提交")
    staff.locator("#milestone-1 button").click()
    page.reload()
    page.locator("#milestone-1 button").click()  # accept
    page.locator("#milestone-1 button.pay").click()
    expect(page.locator("#milestone-1 .milestone-state")).to_have_text("已支付")
    payments = page.locator("#payments")
    expect(payments).to_contain_text("60,000.00")
    expect(payments.locator(".fee")).to_have_text("6,000.00")
    expect(payments).to_contain_text("54,000.00")
    staff.goto(f"{base}/associations/{association.pk}/finance/")
    expect(staff.locator("#pool")).to_contain_text("1,800.00")
    assert Payment.objects.count() == 1

    # A beneficiary answers the survey without an account.
    link = page.locator("#survey-link").get_attribute("href")
    visitor = _new_page(page, live_server, None)
    visitor.goto(link)
    visitor.locator("input[name=satisfaction][value='5']").check()
    visitor.locator("textarea[name=comment]").fill("社工每周都来，很贴心")
    visitor.locator("#survey-form button").click()
    expect(visitor.locator("#thanks")).to_be_visible()

    # The purchaser assigns an evaluator, who grades the contract.
    page.reload()
    page.locator("#evaluation input[name=evaluator]").fill(evaluator.name)
    page.locator("#evaluation button").click()
    grader = _new_page(page, live_server, "evaluator")
    grader.goto(contract_url)
    grader.locator("#evaluate").click()
    for name, value in (
        ("outputs", "19"),
        ("outcomes", "23"),
        ("satisfaction", "19"),
        ("finance", "19"),
        ("capacity", "13"),  # 93 of 100: excellent
    ):
        grader.locator(f"#evaluation-form [name={name}]").fill(value)
    grader.locator("#evaluation-form button").click()
    expect(grader.locator("#grade")).to_contain_text("优秀")
    page.reload()
    expect(page.locator("#grade")).to_contain_text("优秀")
    assert audit_verify() is None
    for other in (staff, visitor, grader):
        other.context.close()
