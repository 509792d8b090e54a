"""A day at the park, in the browser: staff admit an applicant and give it a cubicle; the
resident books the hall, registers for a seminar and checks in with the code shown in the
room, and asks the services desk, which staff answer; the graduation checklist lights up once
the resident wins a government contract."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from servicepark.accounts.models import User
from servicepark.accounts.tests.factories import make_user
from servicepark.common.actors import SystemActor
from servicepark.incubator.models import Booking, Floor, IntakeRound, Park, Residency, Space
from servicepark.incubator.services.capacity import assessment_record, session_create
from servicepark.procurement.services.contracts import contract_create, contract_sign
from servicepark.procurement.tests.money_fixtures import contract_input
from servicepark.registry.services.people import membership_add
from servicepark.registry.tests.factories import make_org
from tests.browser.conftest import TIMEOUT_MS, login
from tests.browser.setup_awards import final_award

pytestmark = pytest.mark.browser


def _as(page: Page, live_server, username: str) -> Page:
    context = page.context.browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    context.set_default_timeout(TIMEOUT_MS)
    other = context.new_page()
    login(other, live_server, username)
    return other


def test_a_day_at_the_park(page: Page, live_server) -> None:
    base = live_server.url
    park = Park.objects.create(name="成都高新区公益组织服务园", division_id="510107")
    floor = Floor.objects.create(park=park, name="三楼孵化区", level=3, columns=4, rows=1)
    for i in range(4):
        Space.objects.create(park=park, floor=floor, name=f"3F-A0{i + 1}", kind="desk", x=i, y=0)
    Space.objects.create(park=park, name="一楼多功能厅", kind="hall", capacity=150, area_m2=200)
    staff = make_user("center_staff", division="510107", username="staff")
    org = make_org(
        name="成都高新区推动力公益发展中心", division_code="510107019", founded_on="2009-06-01"
    )
    make_user("org_admin", organization=org, username="spina")
    now = timezone.now()
    IntakeRound.objects.create(
        park=park,
        title="2026年第二期入驻招募",
        criteria="服务社区、补位政府",
        opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=10),
    )

    # The organization applies; staff admit it with a cubicle.
    resident = _as(page, live_server, "spina")
    resident.goto(f"{base}/parks/{park.pk}/")
    resident.locator("textarea[name=proposal]").fill("脊柱裂患者及家庭的社区支持")
    resident.get_by_role("button", name="申请入驻").click()
    expect(resident.locator(".messages")).to_contain_text("申请")
    residency = Residency.objects.get()
    login(page, live_server, "staff")
    page.goto(f"{base}/residencies/{residency.pk}/")
    page.locator("#residency-actions input[name=reason]").fill("服务对象明确，与政府职能互补")
    page.locator("#residency-actions select[name=desk]").select_option(label="3F-A02")
    page.locator("#admit").click()
    expect(page.locator("#residency-state")).to_have_attribute("data-state", "admitted")
    expect(page.locator("#desk")).to_have_text("3F-A02")
    resident.goto(f"{base}/residencies/{residency.pk}/")
    resident.locator("#sign-agreement").click()
    expect(resident.locator("#residency-state")).to_have_attribute("data-state", "incubating")
    page.goto(f"{base}/parks/{park.pk}/")
    expect(page.locator("#floor-3")).to_contain_text("推动力")

    # The resident books the hall (a taken slot is refused).
    day = timezone.localdate() + dt.timedelta(days=2)
    resident.goto(f"{base}/parks/{park.pk}/")
    form = resident.locator("#book-form")
    form.locator("input[name=start]").fill(f"{day.isoformat()}T14:00")
    form.locator("input[name=end]").fill(f"{day.isoformat()}T16:00")
    form.locator("input[name=title]").fill("脊柱裂家庭互助沙龙")
    form.locator("input[name=attendees]").fill("40")
    form.locator("button").click()
    expect(resident.locator("#bookings")).to_contain_text("脊柱裂家庭互助沙龙")
    form = resident.locator("#book-form")
    form.locator("input[name=start]").fill(f"{day.isoformat()}T15:00")
    form.locator("input[name=end]").fill(f"{day.isoformat()}T17:00")
    form.locator("input[name=title]").fill("重叠的活动")
    form.locator("input[name=attendees]").fill("10")
    form.locator("button").click()
    expect(resident.locator(".messages .error")).to_be_visible()
    assert Booking.objects.count() == 1

    # A seminar: register, then check in with the code shown in the room.
    seminar = session_create(
        actor=staff,
        park=park,
        title="政府购买服务政策解读",
        topic="policy",
        starts_at=timezone.now() + dt.timedelta(minutes=10),
        ends_at=timezone.now() + dt.timedelta(hours=2),
        capacity=30,
    )
    resident.goto(f"{base}/sessions/{seminar.pk}/")
    resident.locator("#register-form input[name=participant]").fill("王晓明")
    resident.locator("#register-form button").click()
    expect(resident.locator(".messages")).to_contain_text("已报名")
    page.goto(f"{base}/sessions/{seminar.pk}/")
    code = page.locator("#checkin-code").inner_text()
    resident.locator("#checkin-form input[name=code]").fill(code)
    resident.locator("#checkin-form button").click()
    expect(resident.locator(".messages")).to_contain_text("签到")
    page.reload()
    expect(page.locator("#registrations")).to_contain_text("✓")

    # The services desk: the resident asks, staff answer.
    resident.goto(f"{base}/parks/{park.pk}/")
    desk = resident.locator("#desk-form")
    desk.locator("select[name=kind]").select_option("audit")
    desk.locator("input[name=text]").fill("年度审计需要推荐会计师事务所")
    desk.locator("button").click()
    page.goto(f"{base}/parks/{park.pk}/")
    page.locator("#services-desk input[name=answer]").fill("已对接园区签约事务所")
    page.locator(".answer-request").click()
    resident.reload()
    expect(resident.locator("#services-desk")).to_contain_text("已对接园区签约事务所")

    # Governance and an assessment are in place; the contract is the last item.
    for name, role in (("王晓明", "legal_representative"), ("高建", "board_member")):
        membership_add(actor=SystemActor("t"), organization=org, name=name, role=role)
    assessment_record(
        actor=staff,
        residency=residency,
        scores={
            d: 8
            for d in (
                "governance",
                "finance",
                "people",
                "programmes",
                "fundraising",
                "communications",
            )
        },
    )
    page.goto(f"{base}/parks/{park.pk}/")
    row = page.locator(f"#resident-{org.pk} .checklist")
    expect(row).to_have_text(re.compile(r"4 / 5"))
    decision = final_award(User.objects.get(username="spina"), org)
    buyer = User.objects.get(username="buyer")
    contract = contract_create(
        actor=buyer,
        award=decision.awards.get(),
        data=contract_input(str(decision.awards.get().amount)),
    )
    contract_sign(actor=buyer, contract=contract, side="purchaser")
    contract_sign(actor=User.objects.get(username="spina"), contract=contract, side="provider")
    page.reload()
    expect(row).to_contain_text("5 / 5")
    expect(row).to_contain_text("可毕业")
    resident.context.close()
