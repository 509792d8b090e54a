"""Reports, service records, the beneficiary survey and third-party evaluation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from servicepark.accounts.tests.factories import make_user
from servicepark.common.actors import SystemActor
from servicepark.procurement.models import ExpenseLine, Report, SurveyResponse
from servicepark.procurement.services.evaluation import (
    evaluation_assign,
    evaluation_submit,
    satisfaction_of,
    track_record,
)
from servicepark.procurement.services.reporting import (
    ExpenseInput,
    report_submit,
    reports_remind,
    service_record_add,
    survey_answer,
    variance_flagged,
)
from servicepark.procurement.tests.money_fixtures import (  # noqa: F401  (fixtures)
    awarded,
    provider_admin,
    sign_and_start,
)
from servicepark.procurement.tests.test_decisions import scored  # noqa: F401  (fixture)
from servicepark.registry.services.people import membership_add
from servicepark.registry.tests.factories import make_org

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def running(awarded):  # noqa: F811
    call, buyer, apps, decision = awarded
    admin = provider_admin(apps[0])
    contract = sign_and_start(buyer, decision.awards.get(application=apps[0]), admin)
    return buyer, admin, contract


def test_reports_with_expenses_in_yuan_and_variances_flagged(running):
    buyer, admin, contract = running
    financial = contract.reports.filter(kind="financial").first()
    with pytest.raises(ValidationError) as err:
        report_submit(
            actor=admin,
            report=financial,
            summary="中期财务",
            expenses=[ExpenseInput("人员费用", "60000", "61000", currency="USD")],
        )
    assert "yuan (CNY)" in err.value.messages[0]
    other = make_user("org_admin", organization=make_org(name="别家机构"))
    progress = contract.reports.filter(kind="progress").first()
    with pytest.raises(PermissionDenied):  # a report for someone else's contract
        report_submit(actor=other, report=progress, summary="冒充")
    report_submit(
        actor=admin,
        report=financial,
        summary="中期财务",
        expenses=[
            ExpenseInput("人员费用", "60000", "61000"),
            ExpenseInput("活动费用", "40000", "30000"),
        ],
    )
    flags = [variance_flagged(line) for line in ExpenseLine.objects.order_by("id")]
    assert flags == [False, True]
    with pytest.raises(ValidationError):
        report_submit(actor=admin, report=financial, summary="再交", expenses=[])


def test_reminders_once_and_overdue_marks(running):
    _buyer, admin, contract = running
    first = contract.reports.order_by("due_on").first()
    assert reports_remind(actor=SystemActor("t"), today=first.due_on - dt.timedelta(days=3)) == (
        1,
        0,
    )
    assert reports_remind(actor=SystemActor("t"), today=first.due_on - dt.timedelta(days=2)) == (
        0,
        0,
    )
    reminded, overdue = reports_remind(
        actor=SystemActor("t"), today=first.due_on + dt.timedelta(days=1)
    )
    assert overdue == 1
    assert Report.objects.get(pk=first.pk).overdue_since == first.due_on + dt.timedelta(days=1)
    call_command("reports", "remind")


def test_service_records_count_people_and_the_survey_needs_no_account(running, client):
    _buyer, admin, contract = running
    today = timezone.localdate()
    service_record_add(
        actor=admin, contract=contract, held_on=today, activity="健康讲座", people_served=35
    )
    with pytest.raises(ValidationError):
        service_record_add(
            actor=admin,
            contract=contract,
            held_on=today + dt.timedelta(days=2),
            activity="未来",
            people_served=1,
        )
    with pytest.raises(ValidationError):
        service_record_add(
            actor=admin, contract=contract, held_on=today, activity="讲座", people_served=-3
        )
    token = contract.survey.token
    for bad in (0, 6, "x"):
        with pytest.raises(ValidationError):
            survey_answer(token=token, satisfaction=bad)
    survey_answer(token=token, satisfaction=5, comment="社工很耐心")
    survey_answer(token=token, satisfaction=4)
    with pytest.raises(ValidationError):
        survey_answer(token="no-such-token", satisfaction=5)
    mean, answers = satisfaction_of(contract)
    assert (str(mean), answers) == ("4.50", 2)
    assert SurveyResponse.objects.count() == 2


def test_an_evaluator_without_conflicts_grades_and_the_grade_is_a_track_record(running):
    buyer, admin, contract = running
    with pytest.raises(ValidationError):
        evaluation_assign(actor=buyer, contract=contract, evaluator=contract.provider)
    shared = make_org(name="评估中心甲")
    person = membership_add(
        actor=SystemActor("t"), organization=contract.provider, name="高建", role="board_member"
    ).person
    membership_add(
        actor=SystemActor("t"),
        organization=shared,
        name="高建",
        role="legal_representative",
        phone="",
    )
    from servicepark.registry.models import Membership

    Membership.objects.filter(organization=shared).update(person=person)
    with pytest.raises(ValidationError) as err:
        evaluation_assign(actor=buyer, contract=contract, evaluator=shared)
    assert "legal representative or board member" in err.value.messages[0]
    evaluator = make_org(name="第三方评估中心")
    evaluation = evaluation_assign(actor=buyer, contract=contract, evaluator=evaluator)
    staff = make_user("org_member", organization=evaluator)
    scores = {"outputs": 18, "outcomes": 22, "satisfaction": 18, "finance": 17, "capacity": 12}
    with pytest.raises(ValidationError):
        evaluation_submit(actor=staff, evaluation=evaluation, scores=scores | {"outputs": 21})
    with pytest.raises(PermissionDenied):
        evaluation_submit(actor=admin, evaluation=evaluation, scores=scores)
    done = evaluation_submit(actor=staff, evaluation=evaluation, scores=scores, comment="成效明显")
    assert (done.total, done.grade) == (87, "good")
    assert list(track_record([contract.provider_id])) == [done]


def test_the_grade_is_shown_to_future_juries(running, client):
    from servicepark.procurement.models import Assignment, ExpertProfile

    buyer, admin, contract = running
    evaluator = make_org(name="评估机构乙")
    evaluation = evaluation_assign(actor=buyer, contract=contract, evaluator=evaluator)
    scores = {"outputs": 18, "outcomes": 22, "satisfaction": 18, "finance": 17, "capacity": 12}
    evaluation_submit(
        actor=make_user("org_member", organization=evaluator), evaluation=evaluation, scores=scores
    )
    later = contract.award.application
    expert = ExpertProfile.objects.create(user=make_user("expert", division="510100"))
    sheet = Assignment.objects.create(application=later, expert=expert)
    client.force_login(expert.user)
    page = client.get(f"/reviews/{sheet.pk}/").content.decode()
    assert contract.number in page and "评估机构乙" in page
