"""The contract pages: draft from a final award, sign, pay a milestone through an
association (fee visible), the public essentials, the survey without an account, and the
evaluator's form."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from servicepark.accounts.tests.factories import make_user
from servicepark.procurement.models import Application, Contract, Payment, SurveyResponse
from servicepark.procurement.services.evaluation import evaluation_assign
from servicepark.procurement.tests.money_fixtures import awarded  # noqa: F401  (fixture)
from servicepark.procurement.tests.test_decisions import scored  # noqa: F401  (fixture)
from servicepark.registry.services.associations import association_member_add
from servicepark.registry.tests.factories import make_org

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_money_from_award_to_a_paid_milestone_through_the_association(client, awarded):  # noqa: F811
    call, buyer, apps, decision = awarded
    association = make_org(
        name="区社会工作协会", org_type="social_group", registration_kind="registered"
    )
    Application.objects.filter(pk=apps[2].pk).update(applicant=association)
    staff = make_user("association_staff", organization=association)
    association_member_add(actor=staff, association=association, member=apps[2].organization)
    award = decision.awards.get(application=apps[2])
    client.force_login(buyer)
    page = client.get(f"/decisions/{decision.pk}/").content.decode()
    assert f"/awards/{award.pk}/contract/" in page
    start = timezone.localdate()
    form = {
        "title": "丙项目合同",
        "service_content": "上门服务",
        "beneficiaries": "老人 100 人",
        "quantities": "每月 200 人次",
        "price": "100000.00",
        "starts_on": start.isoformat(),
        "ends_on": (start + dt.timedelta(days=200)).isoformat(),
        "m0_title": "首期",
        "m0_deliverable": "启动报告",
        "m0_due_on": (start + dt.timedelta(days=30)).isoformat(),
        "m0_amount": "60000.00",
        "m1_title": "尾期",
        "m1_deliverable": "结项报告",
        "m1_due_on": (start + dt.timedelta(days=190)).isoformat(),
        "m1_amount": "30000.00",
    }
    bad = client.post(f"/awards/{award.pk}/contract/", form).content.decode()
    assert "add up to 90000.00" in bad and not Contract.objects.exists()
    response = client.post(f"/awards/{award.pk}/contract/", {**form, "m1_amount": "40000.00"})
    contract = Contract.objects.get()
    assert response.url == f"/contracts/{contract.pk}/"
    assert client.get(f"/contracts/{contract.pk}/").status_code == 200
    assert anonymous_status(contract) == 404  # drafts are not public
    act = f"/contracts/{contract.pk}/act/"
    client.post(act, {"action": "sign_purchaser"})
    client.force_login(staff)
    client.post(act, {"action": "sign_provider"})
    client.force_login(buyer)
    client.post(act, {"action": "activate"})
    first = contract.milestones.get(seq=1)
    client.force_login(staff)
    client.post(f"/milestones/{first.pk}/act/", {"action": "submit", "note": "启动报告已交"})
    client.force_login(buyer)
    client.post(f"/milestones/{first.pk}/act/", {"action": "accept"})
    too_much = client.post(
        f"/milestones/{first.pk}/act/",
        {"action": "pay", "amount": "60000.01", "key": "p1"},
        follow=True,
    ).content.decode()
    assert "more than the milestone" in too_much and not Payment.objects.exists()
    client.post(
        f"/milestones/{first.pk}/act/", {"action": "pay", "amount": "60000.00", "key": "p1"}
    )
    client.post(
        f"/milestones/{first.pk}/act/", {"action": "pay", "amount": "60000.00", "key": "p1"}
    )
    assert Payment.objects.count() == 1
    page = client.get(f"/contracts/{contract.pk}/").content.decode()
    assert "6,000.00" in page and "54,000.00" in page  # the fee kept, the rest passed on
    client.force_login(staff)
    books = client.get(f"/associations/{association.pk}/finance/").content.decode()
    assert "1,800.00" in books  # 30 % of the fee into the emergency pool
    client.logout()
    public = client.get(f"/contracts/{contract.pk}/").content.decode()
    assert "丙项目合同" in public and 'id="payments"' not in public


def anonymous_status(contract) -> int:
    from django.test import Client

    return Client().get(f"/contracts/{contract.pk}/").status_code


def test_the_survey_needs_no_account_and_the_evaluator_grades(client, awarded):  # noqa: F811
    from servicepark.procurement.tests.money_fixtures import provider_admin, sign_and_start

    call, buyer, apps, decision = awarded
    contract = sign_and_start(
        buyer, decision.awards.get(application=apps[0]), provider_admin(apps[0])
    )
    url = f"/s/{contract.survey.token}/"
    assert client.get(url).status_code == 200
    page = client.post(url, {"satisfaction": "9"}).content.decode()
    assert "from 1" in page and not SurveyResponse.objects.exists()
    assert (
        'id="thanks"' in client.post(url, {"satisfaction": "5", "comment": "很好"}).content.decode()
    )
    # The same browser is thanked again, not counted again; another browser is counted.
    assert 'id="thanks"' in client.post(url, {"satisfaction": "1"}).content.decode()
    assert 'id="thanks"' in client.get(url).content.decode()
    assert list(SurveyResponse.objects.values_list("satisfaction", flat=True)) == [5]
    Client().post(url, {"satisfaction": "4"})
    assert SurveyResponse.objects.count() == 2
    assert client.get("/s/nonsense/").status_code == 404
    evaluator = make_org(name="第三方评估所")
    evaluation = evaluation_assign(actor=buyer, contract=contract, evaluator=evaluator)
    reviewer = make_user("org_member", organization=evaluator)
    client.force_login(reviewer)
    assert (
        f"/evaluations/{evaluation.pk}/"
        in client.get(f"/contracts/{contract.pk}/").content.decode()
    )
    scores = {
        "outputs": "19",
        "outcomes": "23",
        "satisfaction": "19",
        "finance": "18",
        "capacity": "14",
    }
    client.post(f"/evaluations/{evaluation.pk}/", scores | {"comment": "扎实"})
    evaluation.refresh_from_db()
    assert (evaluation.total, evaluation.grade) == (93, "excellent")
    assert (
        '<p id="grade">excellent (93.00)</p>'
        in client.get(f"/evaluations/{evaluation.pk}/").content.decode()
    )
    client.cookies["django_language"] = "zh-hans"
    page = client.get(f"/contracts/{contract.pk}/").content.decode()
    assert '<strong id="grade">优秀（93.00）</strong>' in page
    client.cookies["django_language"] = "en"
    client.force_login(make_user("org_member", organization=make_org(name="旁人")))
    assert client.get(f"/evaluations/{evaluation.pk}/").status_code == 404


def test_the_associations_books_are_linked_only_for_those_who_may_read_them(client, awarded):  # noqa: F811
    from servicepark.procurement.tests.money_fixtures import sign_and_start

    call, buyer, apps, decision = awarded
    association = make_org(
        name="区社会工作协会", org_type="social_group", registration_kind="registered"
    )
    Application.objects.filter(pk=apps[2].pk).update(applicant=association)
    staff = make_user("association_staff", organization=association)
    association_member_add(actor=staff, association=association, member=apps[2].organization)
    contract = sign_and_start(buyer, decision.awards.get(application=apps[2]), staff)
    books = f"/associations/{association.pk}/finance/"
    auditor = make_user("auditor", division="510000")
    client.force_login(auditor)
    page = client.get(f"/contracts/{contract.pk}/").content.decode()
    assert 'id="payments"' in page and books not in page  # the auditor would get 403
    assert client.get(books).status_code == 403
    for reader in (staff, make_user("org_admin", organization=apps[2].organization)):
        client.force_login(reader)
        assert books in client.get(f"/contracts/{contract.pk}/").content.decode()
        assert client.get(books).status_code == 200
