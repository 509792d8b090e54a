"""The purchase of services end to end, in the browser: a purchaser opens a call, two NGOs
apply (one through its association), a conflicted juror is kept off, jurors score, the
optimiser proposes, the leading group approves, the bulletin appears publicly, and an
objection is answered on the record."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from servicepark.accounts.tests.factories import make_user
from servicepark.common.audit import audit_verify
from servicepark.procurement.models import Call, Decision, ExpertProfile, ExpertTie
from servicepark.procurement.services.catalogue import purchaser_create
from servicepark.procurement.tests.helpers import PDF
from servicepark.registry.tests.factories import make_org
from tests.browser.conftest import TIMEOUT_MS, login

pytestmark = pytest.mark.browser
TITLE = "2026年武侯区社区儿童关爱服务"


@pytest.fixture
def as_user(browser: Browser, live_server) -> Callable[[str], Page]:
    contexts = []

    def open_as(username: str) -> Page:
        context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        login(page, live_server, username)
        return page

    yield open_as
    for context in contexts:
        context.close()


def _apply(page: Page, base: str, call_id: int, organization: str, project: str) -> None:
    page.goto(f"{base}/calls/{call_id}/")
    page.locator("#apply").click()
    page.get_by_label(organization).check()
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/applications/\d+/$"))
    form = page.locator("#application-form")
    form.locator("[name=title]").fill(project)
    form.locator("[name=summary]").fill(f"{project}：社工带领志愿者开展课后陪伴与安全教育。")
    form.locator("[name=beneficiaries]").fill("社区留守及困境儿童 120 人")
    form.locator("[name=targets]").fill("全年服务 1,500 人次")
    form.locator("[name=activities]").fill("课后陪伴\n安全教育")
    form.locator("[name=leading_group]").fill("理事长")
    form.locator("[name=advisory_board]").fill("社区书记")
    form.locator("[name=project_office]").fill("项目主管")
    form.locator("[name=line0_item]").fill("人员费用")
    form.locator("[name=line0_requested]").fill("60000.00")
    form.locator("[name=line0_source]").fill("自筹")
    form.locator("[name=line0_matching]").fill("30000.00")
    form.locator("button[value=save]").click()
    expect(page.locator(".messages")).to_contain_text("草稿已保存")
    attach = page.locator("#attachments form").last
    attach.locator("input[name=label]").fill("项目计划书")
    attach.locator("input[name=file]").set_input_files(
        files=[{"name": "项目计划书.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    attach.locator("button[type=submit]").click()
    expect(page.locator("#attachments")).to_contain_text("项目计划书.pdf")
    page.locator("#submit-application").click()
    expect(page.locator("#app-state")).to_have_attribute("data-state", "submitted")


def test_from_call_to_answered_objection(page: Page, as_user, live_server) -> None:
    base = live_server.url
    official = make_user("official", division="510100", username="official")
    make_user("purchaser", division="510100", username="buyer")
    purchaser = purchaser_create(
        actor=official, name="成都市武侯区民政局", kind="civil_affairs", division_code="510107"
    )
    leaders = [make_user(username=f"leader{i}") for i in range(3)]
    purchaser.leading_group.set(leaders)
    sunflower = make_org(name="武侯区向日葵儿童服务中心", division_code="510107019")
    make_user("org_admin", organization=sunflower, username="sunflower")
    association = make_org(
        name="武侯区社会工作协会",
        org_type="social_group",
        registration_kind="registered",
        division_code="510107",
    )
    make_user("association_staff", organization=association, username="association")
    attached = make_org(
        name="彩虹儿童社工站",
        registration_kind="attached",
        uscc="",
        umbrella_uscc=association.uscc,
        division_code="510107019",
    )
    experts = []
    for i in range(4):
        user = make_user("expert", division="510100", username=f"juror{i}")
        experts.append(ExpertProfile.objects.create(user=user, affiliation=f"单位{i}"))
    # The first juror advises Sunflower: a conflict of interest.
    ExpertTie.objects.create(expert=experts[0], organization=sunflower, kind="advisor")

    # The purchaser opens the call.
    login(page, live_server, "buyer")
    page.goto(f"{base}/calls/")
    page.locator("#open-call").click()
    form = page.locator("#call-form")
    form.locator("[name=purchaser]").select_option(label="成都市武侯区民政局")
    form.locator("[name=kind]").select_option("purchase")
    form.locator("[name=off_catalogue_reason]").fill("年度目录外新增需求，经局务会研究")
    form.locator("[name=method]").select_option("public_tender")
    form.locator("[name=title]").fill(TITLE)
    form.locator("input[name=fields_of_service][value=children]").check()
    form.locator("[name=total_budget]").fill("150000.00")
    form.locator("[name=per_project_cap]").fill("80000.00")
    form.locator("[name=matching_percent]").fill("50")
    form.locator("[name=required_documents]").fill("项目计划书")
    form.locator("[name=rubric]").fill("需求分析: 30\n项目设计: 40\n执行能力: 30")
    now = timezone.localtime()
    form.locator("[name=opens_at]").fill(
        (now - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%S")
    )
    form.locator("[name=closes_at]").fill(
        (now + dt.timedelta(days=10)).strftime("%Y-%m-%dT%H:%M:%S")
    )
    form.locator("button[type=submit]").click()
    page.locator("#publish-call").click()
    expect(page.locator("#call-phase")).to_have_attribute("data-phase", "open")
    call = Call.objects.get(title=TITLE)

    # Two NGOs apply: Sunflower itself, Rainbow through its association.
    _apply(as_user("sunflower"), base, call.pk, sunflower.name, "向日葵四点半课堂")
    _apply(as_user("association"), base, call.pk, attached.name, "彩虹儿童安全守护")

    # The deadline passes.
    Call.objects.filter(pk=call.pk).update(closes_at=timezone.now() - dt.timedelta(seconds=1))

    # Screening and the jury.
    page.goto(f"{base}/calls/{call.pk}/manage/")
    for row in range(2):
        page.locator("form.screen-form").nth(row).locator("button").click()
        expect(page.locator(".messages")).to_contain_text("资格审查")
    page.locator("#assign-jury").click()
    expect(page.locator(".messages")).to_contain_text("回避")
    sunflower_row = page.locator("#board tr", has_text=sunflower.name)
    expect(sunflower_row).to_contain_text("1")  # one recusal recorded
    assert not experts[0].assignments.filter(application__organization=sunflower).exists()

    # Jurors score, blind, on their own pages.
    marks = {"向日葵四点半课堂": ("25", "35", "25"), "彩虹儿童安全守护": ("20", "30", "20")}
    for expert in experts:
        sheets = list(expert.assignments.all())
        if not sheets:
            continue
        juror = as_user(expert.user.username)
        for sheet in sheets:
            juror.goto(f"{base}/reviews/{sheet.pk}/")
            project = sheet.application.content["title"]
            for key, value in zip(("c1", "c2", "c3"), marks[project], strict=True):
                juror.locator(f"[name=score_{key}]").fill(value)
            juror.locator("#score-sheet button").click()
            expect(juror.locator(".messages")).to_contain_text("已提交")

    # The optimiser proposes; the leading group approves; the purchaser publishes.
    page.goto(f"{base}/calls/{call.pk}/manage/")
    page.locator("[name=max_per_organization]").fill("1")
    page.locator("#propose").click()
    expect(page.locator(".messages")).to_contain_text("领导小组")
    decision = Decision.objects.get(call=call)
    for leader in leaders[:2]:
        voter = as_user(leader.username)
        voter.goto(f"{base}/decisions/{decision.pk}/")
        voter.locator("#cast-vote").click()
        expect(voter.locator("#votes")).to_contain_text(leader.username)
    page.goto(f"{base}/decisions/{decision.pk}/")
    expect(page.locator("#decision-state")).to_have_attribute("data-state", "approved")
    page.locator("#publish").click()
    page.wait_for_url(f"{base}/bulletins/{decision.pk}/")

    # The bulletin is public; the awards name both organizations, never a juror.
    public = page.context.browser.new_page()  # a visitor without an account
    public.goto(f"{base}/bulletins/")
    public.get_by_role("link", name=TITLE).click()
    awards = public.locator("#awards")
    expect(awards).to_contain_text(sunflower.name)
    expect(awards).to_contain_text(attached.name)
    expect(awards).to_contain_text(association.name)
    for expert in experts:
        expect(public.locator("main")).not_to_contain_text(expert.user.username)
    public.close()

    # An objection is filed and answered; the answer is published with the bulletin.
    objector = as_user("sunflower")
    objector.goto(f"{base}/bulletins/{decision.pk}/")
    objector.locator("#object textarea").fill("彩虹社工站的执行团队不足三人，请复核。")
    objector.locator("#file-objection").click()
    expect(objector.locator(".messages")).to_contain_text("异议")
    page.goto(f"{base}/decisions/{decision.pk}/")
    page.locator("#objections textarea").fill("经核实，该站有专职社工三名，异议不成立。")
    page.locator(".answer-objection").click()
    expect(page.locator("#objections")).to_contain_text("异议不成立")
    page.goto(f"{base}/bulletins/{decision.pk}/")
    expect(page.locator("#answered-objections")).to_contain_text("异议不成立")
    assert Decision.objects.get(pk=decision.pk).state == "published"
    assert audit_verify() is None
