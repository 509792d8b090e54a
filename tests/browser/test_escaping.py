"""Hostile text in the browser (issue 7): HTML and script put into every kind of text field
through the services is shown as text on every page that shows it, and never runs; uploads are
served as downloads that the browser may not sniff.

The payload sets `window.__xss` when it runs, from a script element or an image's onerror. The
browser contexts bypass the Content-Security-Policy (which forbids inline script anyway), so
that it is the escaping that is tested here, not the CSP.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from playwright.sync_api import Browser, Page

from servicepark.accounts.tests.factories import make_user
from tests.browser.conftest import TIMEOUT_MS, login

pytestmark = pytest.mark.browser

PAYLOAD = '<script>window.__xss=1</script><img src=x onerror="window.__xss=1">'
# What the page must show as text (long texts may be shortened in lists, never this part).
VISIBLE = "<script>window.__xss=1</script>"
PDF = b"%PDF-1.4\n1 0 obj<< /Type /Catalog >>endobj\ntrailer<< /Root 1 0 R >>\n%%EOF\n"


def hostile(prefix: str = "") -> str:
    return f"{prefix}{PAYLOAD}"


@dataclasses.dataclass
class World:
    org: Any
    call: Any
    application: Any
    decision: Any
    contract: Any
    park: Any
    listing: Any
    alert: Any
    attachment: Any


def _world() -> World:
    """Every text a user can write, with the payload, through the services."""
    from servicepark.incubator.models import Park, Residency, Space
    from servicepark.incubator.services.bookings import booking_create
    from servicepark.oversight import engine
    from servicepark.oversight.models import Alert, CreditListing, Rectification
    from servicepark.oversight.services.annual import annual_report_file
    from servicepark.oversight.services.inspections import (
        inspection_record,
        rectification_answer,
        rectification_order,
    )
    from servicepark.procurement.models import Call, Decision, ExpertProfile
    from servicepark.procurement.services.applications import (
        application_save_draft,
        application_start,
        application_submit,
    )
    from servicepark.procurement.services.attachments import attachment_add
    from servicepark.procurement.services.bulletins import decision_finalize
    from servicepark.procurement.services.calls import call_create, call_publish
    from servicepark.procurement.services.catalogue import purchaser_create
    from servicepark.procurement.services.contracts import contract_create
    from servicepark.procurement.services.decisions import (
        decision_propose,
        decision_publish,
        vote_cast,
    )
    from servicepark.procurement.services.jury import jury_assign, score_submit
    from servicepark.procurement.services.screening import application_screen
    from servicepark.procurement.tests.money_fixtures import contract_input
    from servicepark.procurement.tests.test_applications import content
    from servicepark.procurement.tests.test_calls import data as call_data
    from servicepark.registry.tests.factories import make_org

    org = make_org(
        name=hostile("益路"),
        name_en=hostile(),
        address=hostile("紫瑞北街"),
        legal_representative="张<b>伟</b>",
        description=hostile("简介"),
        website="https://example.org/益路",
        division_code="510107019",
        founded_on="2019-05-01",
    )
    applicant = make_user("org_admin", organization=org, username="applicant")
    official = make_user("official", division="510100", username="official")
    buyer = make_user("purchaser", division="510100", username="buyer")
    purchaser = purchaser_create(
        actor=official, name=hostile("民政局"), kind="civil_affairs", division_code="510100"
    )
    data = dataclasses.replace(
        call_data(None),
        title=hostile("项目"),
        description=hostile("说明"),
        off_catalogue_reason=hostile("试点"),
        fields=["elderly"],
        required_documents=[],
        eligibility={"kinds": ["direct", "attached"], "within": "510100"},
    )
    call = call_publish(actor=buyer, call=call_create(actor=buyer, purchaser=purchaser, data=data))
    app = application_start(actor=applicant, call=call, organization=org)
    application_save_draft(
        actor=applicant,
        application=app,
        content=content(
            title=hostile("标题"),
            summary=hostile("摘要"),
            beneficiaries=hostile(),
            targets=hostile(),
            activities=[hostile("活动")],
        ),
    )
    attachment = attachment_add(
        actor=applicant,
        application=app,
        upload=SimpleUploadedFile(f"{PAYLOAD}.pdf", PDF, content_type="text/html"),
        label=hostile()[:100],
    )
    application_submit(actor=applicant, application=app, submission_key="k")
    application_screen(actor=buyer, application=app, passed=True)
    Call.objects.filter(pk=call.pk).update(closes_at=timezone.now() - dt.timedelta(seconds=1))
    call.refresh_from_db()
    for i in range(3):
        ExpertProfile.objects.create(user=make_user("expert", division="510100", username=f"e{i}"))
    jury_assign(actor=buyer, call=call)
    for sheet in app.assignments.select_related("expert__user"):
        score_submit(
            actor=sheet.expert.user,
            assignment=sheet,
            scores={"need": 25, "design": 35, "capacity": 25},
            comment=hostile("评语"),
        )
    leaders = [make_user(username=f"leader{i}") for i in range(2)]
    purchaser.leading_group.set(leaders)
    decision = decision_propose(actor=buyer, call=call)
    for leader in leaders:
        vote_cast(actor=leader, decision=decision, choice="approve")
    decision = decision_publish(actor=buyer, decision=Decision.objects.get(pk=decision.pk))
    decision = decision_finalize(
        actor=buyer, decision=decision, now=decision.objection_ends_at + dt.timedelta(seconds=1)
    )
    award = decision.awards.get()
    contract = contract_create(
        actor=buyer,
        award=award,
        data=contract_input(
            str(award.amount),
            title=hostile("合同"),
            service_content=hostile("服务"),
            beneficiaries=hostile(),
            quantities=hostile(),
        ),
    )

    park = Park.objects.create(name=hostile("园区"), division_id="510107")
    room = Space.objects.create(park=park, name=hostile("会议室"), kind="room", capacity=10)
    Residency.objects.create(park=park, organization=org, state="incubating", proposal=PAYLOAD)
    start = (timezone.localtime() + dt.timedelta(days=2)).replace(hour=9, minute=0, second=0)
    booking_create(
        actor=applicant,
        space=room,
        start=start,
        end=start + dt.timedelta(hours=2),
        title=hostile("议事会"),
        attendees=5,
        organization=org,
    )

    engine.run()  # the 2025 annual report is late: listed, and an alert for the official
    listing = CreditListing.objects.filter(organization=org).first()
    assert listing is not None
    annual_report_file(
        actor=applicant,
        organization=org,
        year=timezone.localdate().year - 1,
        data={"activities": hostile("年度活动"), "governance_changes": hostile("理事会")},
    )
    inspection_record(
        actor=official,
        organization=org,
        kind="inspection",
        held_on=timezone.localdate().isoformat(),
        findings=hostile("检查发现"),
        passed=False,
    )
    order = rectification_order(
        actor=official,
        organization=org,
        order=hostile("整改要求"),
        deadline=(timezone.localdate() + dt.timedelta(days=15)).isoformat(),
        listing=listing,
    )
    rectification_answer(
        actor=applicant, item=Rectification.objects.get(pk=order.pk), response=hostile("整改答复")
    )
    alert = Alert.objects.filter(organization=org).first()
    return World(org, call, app, decision, contract, park, listing, alert, attachment)


def _context(browser: Browser, live_server, username: str | None) -> Page:
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", bypass_csp=True)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    if username:
        login(page, live_server, username)
    return page


def _inert(page: Page, url: str, checked: list[str]) -> None:
    """The page shows the payload as text and nothing of it runs or becomes an element."""
    response = page.goto(url)
    assert response is not None and response.status == 200, (url, response and response.status)
    page.wait_for_load_state("networkidle")
    assert page.evaluate("typeof window.__xss") == "undefined", url
    assert page.locator("img[src='x']").count() == 0, url
    assert page.locator("script:not([src])").count() == 0, url
    assert page.locator("[onerror], [onload], iframe, object, embed").count() == 0, url
    assert page.locator("a[href^='javascript:' i], a[href^='data:' i]").count() == 0, url
    assert VISIBLE in page.locator("body").inner_text(), url
    checked.append(url.split("//", 1)[1].split("/", 1)[1])


def test_hostile_text_is_shown_as_text_everywhere(page: Page, live_server) -> None:
    w = _world()
    base = live_server.url
    browser = page.context.browser
    assert browser is not None
    checked: list[str] = []

    visitor = _context(browser, live_server, None)
    for url in (
        f"/organizations/?q={w.org.name[:2]}",
        f"/organizations/{w.org.pk}/",
        "/calls/",
        f"/calls/{w.call.pk}/",
        "/bulletins/",
        f"/bulletins/{w.decision.pk}/",
        "/credit/?list=abnormal",
        f"/credit/organizations/{w.org.pk}/",
        "/parks/",
        f"/parks/{w.park.pk}/",
    ):
        _inert(visitor, base + url, checked)

    applicant = _context(browser, live_server, "applicant")
    for url in (
        f"/applications/{w.application.pk}/",
        f"/contracts/{w.contract.pk}/",
        f"/parks/{w.park.pk}/",
        f"/oversight/organizations/{w.org.pk}/",
    ):
        _inert(applicant, base + url, checked)
    # The upload is a download the browser may not sniff, whatever its name and label say.
    download = applicant.request.get(f"{base}/attachments/{w.attachment.pk}/")
    assert download.status == 200
    assert download.headers["content-disposition"].startswith("attachment")
    assert download.headers["x-content-type-options"] == "nosniff"
    assert download.headers["content-type"] == "application/pdf"
    assert "<" not in download.headers["content-disposition"]
    assert download.body() == PDF

    buyer = _context(browser, live_server, "buyer")
    for url in (
        f"/calls/{w.call.pk}/manage/",
        f"/decisions/{w.decision.pk}/",
        f"/contracts/{w.contract.pk}/",
        f"/applications/{w.application.pk}/",
    ):
        _inert(buyer, base + url, checked)

    official = _context(browser, live_server, "official")
    urls = ["/oversight/", f"/oversight/organizations/{w.org.pk}/", "/audit/"]
    if w.alert is not None:
        urls.append(f"/oversight/alerts/{w.alert.pk}/")
    for url in urls:
        _inert(official, base + url, checked)

    expert = _context(browser, live_server, "e0")
    _inert(expert, f"{base}/reviews/", checked)

    assert len(checked) >= 20, checked
    for other in (visitor, applicant, buyer, official, expert):
        other.context.close()
