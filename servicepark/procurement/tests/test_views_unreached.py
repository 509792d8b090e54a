"""Bad input on the forms an earlier fuzz run could not reach (the demo had no object in the
needed state): the expert's score sheet, drafting a contract, issuing vouchers, catalogue
entries and objections. Each gets a message in the page, keeps what was typed where it can,
and stores nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from servicepark.accounts.tests.factories import make_user
from servicepark.common.models import AuditEvent
from servicepark.procurement.models import (
    Assignment,
    CatalogueEntry,
    Contract,
    Objection,
    Voucher,
    VoucherScheme,
)
from servicepark.procurement.services.catalogue import (
    catalogue_create,
    catalogue_entry_add,
    purchaser_create,
)
from servicepark.procurement.services.contracts import (
    contract_create,
    contract_sign,
    contract_transition,
)
from servicepark.procurement.services.decisions import decision_propose, decision_publish, vote_cast
from servicepark.procurement.services.jury import jury_assign, score_submit
from servicepark.procurement.services.screening import application_screen
from servicepark.procurement.tests.helpers import close
from servicepark.procurement.tests.money_fixtures import (  # noqa: F401  (fixture)
    awarded,
    contract_input,
    provider_admin,
)
from servicepark.procurement.tests.test_decisions import apply, expert, scored  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def sheet(call):
    """An expert's assignment, not yet scored (rubric: 需求分析 0–30, 项目设计 0–40,
    执行能力 0–30)."""
    buyer = make_user("purchaser", division="510100")
    app, _admin = apply(call, "甲社工中心", "100000.00")
    application_screen(actor=buyer, application=app, passed=True)
    for i in range(3):
        expert(f"e{i}")
    close(call)
    jury_assign(actor=buyer, call=call)
    return app.assignments.select_related("expert__user").first()


GOOD = {"score_need": "20", "score_design": "30", "score_capacity": "20", "comment": "清晰"}


def test_an_out_of_range_score_names_the_criterion_and_keeps_the_sheet(client, sheet):
    client.force_login(sheet.expert.user)
    events = AuditEvent.objects.count()
    response = client.post(
        f"/reviews/{sheet.pk}/", {**GOOD, "score_need": "-1", "comment": "方案清晰"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "“需求分析” takes a whole number from 0 to 30." in page
    assert "“need”" not in page  # not the rubric's internal key
    assert 'value="30"' in page and "方案清晰</textarea>" in page  # what was typed is kept
    sheet.refresh_from_db()
    assert sheet.submitted_at is None and sheet.scores == {}
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize("score", ["31", "99999999999999999999", "1e309", "abc", ""])
def test_scores_outside_the_range_are_refused(client, sheet, score):
    client.force_login(sheet.expert.user)
    page = client.post(f"/reviews/{sheet.pk}/", {**GOOD, "score_need": score}).content.decode()
    assert "takes a whole number from 0 to 30" in page
    assert Assignment.objects.get(pk=sheet.pk).submitted_at is None


@pytest.mark.parametrize("comment", ["x" * 5001, "测试\x00内容"])
def test_a_long_or_nul_comment_is_refused_not_cut(client, sheet, comment):
    client.force_login(sheet.expert.user)
    page = client.post(f"/reviews/{sheet.pk}/", {**GOOD, "comment": comment}).content.decode()
    assert "The comments must be plain text of at most 5,000 characters." in page
    sheet.refresh_from_db()
    assert sheet.submitted_at is None and sheet.comment == ""
    with pytest.raises(ValidationError):
        score_submit(
            actor=sheet.expert.user,
            assignment=sheet,
            scores={"need": 1, "design": 1, "capacity": 1},
            comment=comment,
        )


def test_a_valid_sheet_is_stored_once(client, sheet):
    client.force_login(sheet.expert.user)
    first = client.post(f"/reviews/{sheet.pk}/", GOOD)
    assert first.status_code == 302
    again = client.post(f"/reviews/{sheet.pk}/", {**GOOD, "score_need": "5"})
    assert "already submitted" in again.content.decode()
    sheet.refresh_from_db()
    assert sheet.scores == {"need": 20, "design": 30, "capacity": 20}


def contract_form(start: dt.date, **overrides: str) -> dict[str, str]:
    form = {
        "title": "甲项目合同",
        "service_content": "上门服务",
        "beneficiaries": "老人 100 人",
        "quantities": "每月 200 人次",
        "price": "200000.00",
        "starts_on": start.isoformat(),
        "ends_on": (start + dt.timedelta(days=200)).isoformat(),
        "m0_title": "首期",
        "m0_deliverable": "启动报告",
        "m0_due_on": (start + dt.timedelta(days=30)).isoformat(),
        "m0_amount": "200000.00",
    }
    form.update(overrides)
    return form


@pytest.mark.parametrize(("year", "needle"), [(1900, "too early"), (2999, "too late")])
def test_a_contract_term_in_an_impossible_year_is_refused(client, awarded, year, needle):  # noqa: F811
    call, buyer, apps, decision = awarded
    award = decision.awards.get(application=apps[0])
    client.force_login(buyer)
    response = client.post(f"/awards/{award.pk}/contract/", contract_form(dt.date(year, 3, 1)))
    assert response.status_code == 200
    assert needle in response.content.decode()
    assert not Contract.objects.exists()


def test_contract_texts_longer_than_their_fields_are_refused(client, awarded):  # noqa: F811
    call, buyer, apps, decision = awarded
    award = decision.awards.get(application=apps[0])
    client.force_login(buyer)
    start = timezone.localdate() + dt.timedelta(days=10)
    response = client.post(
        f"/awards/{award.pk}/contract/", contract_form(start, quantities="每月服务" * 1251)
    )
    assert response.status_code == 200
    assert "At most 5,000 characters" in response.content.decode()
    assert not Contract.objects.exists()


def test_a_bad_milestone_row_shows_its_error(client, awarded):  # noqa: F811
    call, buyer, apps, decision = awarded
    award = decision.awards.get(application=apps[0])
    client.force_login(buyer)
    start = timezone.localdate()
    form = contract_form(start, m0_due_on="2026-02-30", m0_title="x" * 300)
    page = client.post(f"/awards/{award.pk}/contract/", form).content.decode()
    assert "Enter a valid date." in page
    assert "Ensure this value has at most 200 characters" in page
    assert not Contract.objects.exists()
    ok = client.post(f"/awards/{award.pk}/contract/", contract_form(start), follow=True)
    assert "The contract is drafted" in ok.content.decode()
    assert Contract.objects.count() == 1


def test_issuing_vouchers_before_a_scheme_is_a_message_not_a_server_error(client, awarded):  # noqa: F811
    call, buyer, apps, decision = awarded
    award = decision.awards.get(application=apps[0])
    contract = contract_create(actor=buyer, award=award, data=contract_input("200000.00"))
    contract_sign(actor=buyer, contract=contract, side="purchaser")
    contract_sign(actor=provider_admin(apps[0]), contract=contract, side="provider")
    contract_transition(actor=buyer, contract=contract, action="activate")
    client.force_login(buyer)
    response = client.post(
        f"/contracts/{contract.pk}/act/", {"action": "issue", "holders": "张三"}, follow=True
    )
    assert response.status_code == 200
    assert "Set up the voucher scheme before issuing vouchers." in response.content.decode()
    assert not Voucher.objects.exists() and not VoucherScheme.objects.exists()


@pytest.fixture
def catalogue():
    official = make_user("official", division="510100")
    buyer = make_user("purchaser", division="510100")
    purchaser = purchaser_create(
        actor=official, name="成都市民政局", kind="civil_affairs", division_code="510100"
    )
    catalogue = catalogue_create(actor=buyer, purchaser=purchaser, year=2027)
    top = catalogue_entry_add(actor=buyer, catalogue=catalogue, code="A", name="养老服务")
    middle = catalogue_entry_add(
        actor=buyer, catalogue=catalogue, code="A01", name="居家养老", parent=top
    )
    return catalogue, buyer, middle


def test_a_refused_catalogue_entry_comes_back_with_its_errors_and_input(client, catalogue):
    catalogue, buyer, middle = catalogue
    client.force_login(buyer)
    before = CatalogueEntry.objects.count()
    form = {"parent": str(middle.pk), "code": "", "name": "助餐服务", "budget": "NaN"}
    response = client.post(f"/catalogues/{catalogue.pk}/entries/", form)
    page = response.content.decode()
    assert response.status_code == 200
    assert "This field is required." in page  # under the code field
    assert 'value="助餐服务"' in page  # what was typed is kept
    response = client.post(
        f"/catalogues/{catalogue.pk}/entries/",
        {**form, "code": "A0101", "fields_of_service": ["elderly"]},
    )
    page = response.content.decode()
    assert "“NaN” is not an amount in yuan." in page and "negative" not in page
    assert 'value="A0101"' in page
    assert CatalogueEntry.objects.count() == before


def test_a_double_submitted_objection_is_filed_once(client, scored):  # noqa: F811
    call, buyer, apps, group, _experts = scored
    decision = decision_propose(actor=buyer, call=call)
    for member in group[:2]:
        decision = vote_cast(actor=member, decision=decision, choice="approve")
    decision = decision_publish(actor=buyer, decision=decision)
    objector = make_user("org_admin", organization=apps[2].organization)
    client.force_login(objector)
    url = f"/bulletins/{decision.pk}/objections/"
    client.post(url, {"text": "评分有误，请复核。"})
    again = client.post(url, {"text": "评分有误，请复核。"}, follow=True)
    assert "You have already filed this objection" in again.content.decode()
    assert Objection.objects.filter(decision=decision).count() == 1
