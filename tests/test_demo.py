"""`servicepark demo` tells the seed cases and can be run again without changing anything."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from servicepark.accounts.models import User
from servicepark.common.audit import audit_verify
from servicepark.common.models import AuditEvent
from servicepark.procurement.models import Application, Call, Catalogue
from servicepark.registry.models import ChangeRequest, Organization

pytestmark = [pytest.mark.django_db, pytest.mark.smoke]

ACCOUNTS = {
    "official-sh",
    "official-cd",
    "official-jn",
    "center-cd",
    "center-jn",
    "center-sh",
    "purchaser-cd",
    "expert1",
    "expert2",
    "expert3",
    "expert4",
    "purchaser-jn",
    "purchaser-xc",
    "leader-jn1",
    "evaluator-jn",
    "ngo-spina",
    "ngo-raindrop",
    "assoc-xicheng",
    "auditor",
}


def test_demo_loads_the_seed_cases_idempotently(client):
    out = io.StringIO()
    call_command("demo", stdout=out)
    assert ACCOUNTS <= set(User.objects.values_list("username", flat=True))
    for name in (
        "成都高新区推动力公益发展中心",
        "济南市市中区雨滴公益服务中心",
        "上海基督教青年会",
        "北京市西城区社会工作协会",
        "七里山街道蓝马甲志愿服务队",
        "北京协作者社会工作发展中心",
    ):
        assert Organization.objects.filter(name=name).exists(), name
    changshoulu = Organization.objects.get(name="上海市普陀区长寿路街道社会组织服务中心")
    assert changshoulu.division_id == "310107015"
    association = Organization.objects.get(name="北京市西城区社会工作协会")
    assert {"悦群社会工作事务所", "仁助社会工作事务所"} <= set(
        association.attached.values_list("name", flat=True)
    )
    assert Organization.objects.count() >= 60
    names = list(Organization.objects.values_list("name", flat=True))
    assert len(names) == len(set(names))  # a visitor never meets two organizations of one name
    assert ChangeRequest.objects.filter(state="pending").exists()
    chengdu = Catalogue.objects.get(purchaser__name="成都市民政局", year=2012)
    assert chengdu.state == "published"
    assert sum(e.budget for e in chengdu.entries.filter(tier=3)) == Decimal("160000000.00")
    calls = set(Call.objects.filter(state="published").values_list("title", flat=True))
    assert "市中区社会组织孵化园初创项目资助" in calls
    assert sum("中央财政支持社会组织参与社会服务项目" in t for t in calls) == 4
    submitted = Application.objects.filter(state="submitted")
    assert {a.organization.name for a in submitted} >= {
        "成都高新区推动力公益发展中心",
        "济南市市中区雨滴公益服务中心",
        "北京市西城区牧友社会工作事务所",
    }
    on_behalf = submitted.get(
        organization__name="北京市西城区牧友社会工作事务所",
        call__title="西城区社会工作服务专项资金（2026）",
    )
    assert on_behalf.applicant.name == "北京市西城区社会工作协会"
    for name in ("ngo-spina", "official-cd"):
        assert name in out.getvalue()
    _the_story_of_money_is_told()
    _the_parks_are_running()
    _oversight_is_watching()
    times = list(AuditEvent.objects.order_by("id").values_list("occurred_at", flat=True))
    assert times == sorted(times)  # the past was replayed in the order of the calendar
    counts = (Organization.objects.count(), User.objects.count(), AuditEvent.objects.count())
    call_command("demo", stdout=io.StringIO())
    assert (
        Organization.objects.count(),
        User.objects.count(),
        AuditEvent.objects.count(),
    ) == counts
    assert audit_verify() is None
    assert client.login(username="official-cd", password="demo-pass-2026")


def _the_story_of_money_is_told() -> None:
    from servicepark.procurement.models import (
        AssociationFinance,
        Contract,
        Decision,
        Evaluation,
        Payment,
        Report,
        SupportRequest,
        SurveyResponse,
        Voucher,
    )

    jinan = Decision.objects.get(call__title="市中区2026年社区服务初创项目资助（第一批）")
    assert jinan.state == "final" and jinan.objections.get().state == "dismissed"
    awarded = set(jinan.awards.values_list("application__organization__name", flat=True))
    assert "济南市市中区星火环保促进会" in awarded  # kept by the environment minimum
    assert jinan.optimiser["greedy"]["total_score"] > jinan.optimiser["total_score"]
    muyou = Contract.objects.get(provider__name="北京市西城区牧友社会工作事务所")
    assert muyou.payee.name == "北京市西城区社会工作协会"
    fee = Payment.objects.filter(contract=muyou).first()
    assert fee.fee == fee.amount / 10 and fee.net_to_provider == fee.amount - fee.fee
    assert (
        Payment.objects.filter(
            contract__provider__name__contains="阳光", milestone__isnull=False
        ).count()
        == 2
    )
    assert Contract.objects.filter(milestones__state="pending").exists()  # pending milestones too
    assert Voucher.objects.filter(redeemed_at__isnull=False).exists()
    assert SupportRequest.objects.get().state == "approved"
    assert AssociationFinance.objects.get().pool_balance >= 0
    assert Report.objects.filter(overdue_since__isnull=False).exists()
    assert Evaluation.objects.get(submitted_at__isnull=False).grade == "good"
    assert SurveyResponse.objects.exists()


def _the_parks_are_running() -> None:
    from servicepark.incubator.models import Booking, Mentorship, Park, Residency, TrainingSession

    chengdu = Park.objects.get(name="成都高新区公益组织服务园")
    cohort = Residency.objects.filter(park=chengdu)
    assert cohort.count() == 15 and all(r.desk and r.desk.name.startswith("3F-") for r in cohort)
    assert cohort.get(organization__name="成都高新区推动力公益发展中心").state == "extended"
    assert Booking.objects.filter(space__name="一楼多功能厅").count() == 3
    raindrop = Residency.objects.get(organization__name="济南市市中区雨滴公益服务中心")
    assert raindrop.state == "incubating" and (raindrop.ends_on - raindrop.starts_on).days >= 300
    graduate = Residency.objects.get(state="graduated")
    assert graduate.organization.contracts.exists()  # graduated with a government contract
    assert Mentorship.objects.get().mentee == raindrop.organization
    assert TrainingSession.objects.filter(topic="policy").exists()
    from servicepark.incubator.models import AdvisoryAdvice, CoordinationEvent

    assert CoordinationEvent.objects.filter(field="disability").count() == 2
    assert (
        AdvisoryAdvice.objects.get().residency.organization.name == "成都高新区推动力公益发展中心"
    )


def _oversight_is_watching() -> None:
    from servicepark.oversight.models import Alert, CreditListing, GradeAssessment, Signal

    def listing(name: str, **kw: object) -> CreditListing:
        return CreditListing.objects.filter(organization__name=name, **kw).order_by("id").first()

    missed = listing("济南市市中区绿芽志愿者协会", trigger="annual_report_late")
    assert missed.removed_on is None and missed.listed_on.isoformat() == "2026-06-01"
    rectified = listing("济南市市中区春晖社会工作服务中心")
    assert rectified.removal == "fulfilled" and rectified.rectifications.get().state == "verified"
    escalated = listing("济南市市中区心桥法律援助服务中心", list="serious")
    assert escalated.trigger == "abnormal_two_years" and escalated.removed_on is None
    open_rules = set(Signal.objects.filter(cleared_on__isnull=True).values_list("rule", flat=True))
    assert {"related_parties", "government_dependency", "grade_expiring", "unreachable"} <= (
        open_rules
    )
    dependent = Signal.objects.get(rule="government_dependency", cleared_on__isnull=True)
    assert dependent.organization.name == "济南市市中区阳光社区服务中心"
    assert (
        GradeAssessment.objects.get(organization__name="济南市市中区雨滴公益服务中心").grade == "4A"
    )
    states = set(Alert.objects.values_list("state", flat=True))
    assert {"open", "investigating", "closed"} <= states
