"""An official sees a board member's phone masked, gives a reason, and the number appears in
place (htmx under the strict Content-Security-Policy); the look is in the audit trail."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from servicepark.accounts.tests.factories import make_user
from servicepark.common.models import AuditEvent
from servicepark.registry.services.people import membership_add
from servicepark.registry.tests.factories import make_org
from tests.browser.conftest import login

pytestmark = pytest.mark.browser


def test_an_official_reveals_a_phone_with_a_reason(page: Page, live_server) -> None:
    org = make_org(name="成都市武侯区绿芽社工中心", division_code="510107019")
    official = make_user("official", division="510107", username="official")
    membership_add(
        actor=official, organization=org, name="高建", role="board_member", phone="13800280002"
    )
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    login(page, live_server, "official")
    page.goto(f"{live_server.url}/organizations/{org.pk}/")
    people = page.locator("#people")
    expect(people).to_contain_text("138****0002")
    expect(people).not_to_contain_text("13800280002")
    people.locator("input[name=reason]").fill("核实董事联系方式")
    people.get_by_role("button", name="查看").click()
    expect(people.locator(".personal.revealed")).to_have_text("13800280002")
    assert page.url.endswith(f"/organizations/{org.pk}/")  # swapped in place, no navigation
    event = AuditEvent.objects.get(action="personal.reveal")
    assert event.actor_id == official.pk
    assert not [e for e in errors if "Content Security Policy" in e]
