"""The park's pages: who sees what, staff decisions through the page, fixed query counts."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from servicepark.accounts.tests.factories import make_user
from servicepark.incubator.models import Floor, IntakeRound, Park, Residency, Space
from servicepark.procurement.tests.conftest import call, spina  # noqa: F401  (fixtures)
from servicepark.procurement.tests.money_fixtures import (  # noqa: F401  (fixtures)
    awarded,
    provider_admin,
    sign_and_start,
)
from servicepark.procurement.tests.test_decisions import scored  # noqa: F401  (fixture)
from servicepark.registry.tests.factories import make_org

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def park():
    park = Park.objects.create(name="服务园", division_id="510107")
    floor = Floor.objects.create(park=park, name="三楼", level=3, columns=8, rows=2)
    for i in range(16):
        Space.objects.create(
            park=park, floor=floor, name=f"3F-{i:02d}", kind="desk", x=i % 8, y=i // 8
        )
    Space.objects.create(park=park, name="大厅", kind="hall", capacity=150)
    return park


def _residents(park, n, start=0):
    desks = list(park.spaces.filter(kind="desk").order_by("y", "x"))
    for i in range(start, start + n):
        org = make_org(name=f"机构{i}", division_code="510107019")
        Residency.objects.create(
            park=park,
            organization=org,
            state="incubating",
            proposal="项目",
            desk=desks[i],
            starts_on=timezone.localdate(),
            ends_on=timezone.localdate() + dt.timedelta(days=300),
        )


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_park_page_costs_the_same_for_two_and_for_eight_residents(client, park):
    staff = make_user("center_staff", division="510107")
    _residents(park, 2)
    client.force_login(staff)
    small = _count(client, f"/parks/{park.pk}/")
    _residents(park, 6, start=2)
    page = client.get(f"/parks/{park.pk}/").content.decode()
    assert "机构7" in page and "Graduation checklist" in page
    assert "<title>服务园 · Servicepark</title>" in page  # the title is the park's name only
    # The checklist costs a few queries per resident; the rest of the page is fixed.
    large = _count(client, f"/parks/{park.pk}/")
    client.logout()
    public_small = _count(client, f"/parks/{park.pk}/")
    _residents(park, 4, start=8)
    assert _count(client, f"/parks/{park.pk}/") == public_small
    assert (
        large - small == 6 * (large - small) // 6
    )  # grows per resident only through the checklist


def test_staff_admit_through_the_page_and_outsiders_cannot(client, park):
    staff = make_user("center_staff", division="510107")
    org = make_org(name="申请机构", division_code="510107019")
    admin = make_user("org_admin", organization=org)
    now = timezone.now()
    round_ = IntakeRound.objects.create(
        park=park,
        title="第一期",
        criteria="服务社区",
        opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=1),
    )
    client.force_login(admin)
    client.post(f"/intake/{round_.pk}/apply/", {"organization": org.pk, "proposal": "社区陪伴"})
    residency = Residency.objects.get()
    assert (
        client.post(
            f"/residencies/{residency.pk}/act/", {"action": "admit", "reason": "x"}
        ).status_code
        == 403
    )
    client.force_login(staff)
    desk = park.spaces.get(name="3F-00")
    page = client.post(
        f"/residencies/{residency.pk}/act/",
        {"action": "admit", "reason": "", "desk": desk.pk},
        follow=True,
    ).content.decode()
    assert "Write the reason" in page and Residency.objects.get().state == "applied"
    client.post(
        f"/residencies/{residency.pk}/act/",
        {"action": "admit", "reason": "契合需求", "desk": desk.pk},
    )
    residency.refresh_from_db()
    assert residency.state == "admitted" and residency.desk == desk
    bad = client.post(
        f"/residencies/{residency.pk}/act/", {"action": "assess", "governance": "x"}, follow=True
    )
    assert bad.status_code == 200 and not residency.assessments.exists()
    client.force_login(make_user("center_staff", division="370103"))
    assert client.get(f"/residencies/{residency.pk}/").status_code == 403


def test_alumni_outcomes_and_warning_signs(client, park, awarded, settings):  # noqa: F811
    """A graduate whose contract report is overdue shows in the park's figures once the
    early-warning system has seen it: the public reads the figures and the public credit lists,
    center staff of the jurisdiction also read the signals and the risk score."""
    from servicepark.common.actors import SystemActor
    from servicepark.oversight import engine
    from servicepark.oversight.models import CreditListing
    from servicepark.procurement.services.reporting import reports_remind

    _call, buyer, apps, decision = awarded
    contract = sign_and_start(
        buyer, decision.awards.get(application=apps[0]), provider_admin(apps[0])
    )
    Residency.objects.create(
        park=park, organization=apps[0].organization, proposal="x", state="graduated"
    )
    second = make_org(name="出壳机构乙")
    Residency.objects.create(park=park, organization=second, proposal="x", state="graduated")
    today = timezone.localdate()
    first = contract.reports.order_by("due_on").first()
    type(first).objects.filter(pk=first.pk).update(due_on=today - dt.timedelta(days=2))
    reports_remind(actor=SystemActor("t"), today=today)
    page = client.get(f"/parks/{park.pk}/").content.decode()
    assert "2 graduated; 1 (50 %) hold government contracts worth ¥200,000.00" in page
    assert "0 show warning signs" in page  # nothing until the early-warning system runs

    settings.SERVICEPARK_ANNUAL_REPORTS_FROM = today.year + 1  # no annual duties in this test
    engine.run()
    CreditListing.objects.create(
        organization=second,
        list="abnormal",
        trigger="annual_report",
        source="test:1",
        evidence="未按时提交年度报告",
        listed_on=today - dt.timedelta(days=3),
    )
    page = client.get(f"/parks/{park.pk}/").content.decode()
    assert "1 show warning signs; 1 on a credit list" in page
    assert "abnormal activity list</span></li>" in page  # the listed graduate: no signals
    assert "warning signs</span>" in page and "has not been submitted" not in page
    assert "risk score" not in page

    client.force_login(make_user("center_staff", division="510107"))
    page = client.get(f"/parks/{park.pk}/").content.decode()
    assert f"A report on contract {contract.number} was due on" in page
    assert "risk score" in page
    client.force_login(make_user("center_staff", division="370103"))
    page = client.get(f"/parks/{park.pk}/").content.decode()
    assert "has not been submitted" not in page  # staff of another jurisdiction


def test_an_expert_of_the_area_finds_an_application_and_scores_it(client, park):
    applicant = make_org(name="申请入园机构", division_code="510107019")
    residency = Residency.objects.create(park=park, organization=applicant, proposal="社区营造")
    from servicepark.procurement.models import ExpertProfile

    expert = make_user("expert", division="510107")
    ExpertProfile.objects.create(user=expert, affiliation="四川大学")
    client.force_login(expert)
    page = client.get(f"/parks/{park.pk}/").content.decode()
    assert f'href="/residencies/{residency.pk}/"' in page
    assert 'name="score"' in client.get(f"/residencies/{residency.pk}/").content.decode()
    client.post(f"/residencies/{residency.pk}/act/", {"action": "score", "score": "82"})
    residency.refresh_from_db()
    assert residency.score == 82
    client.force_login(make_user("expert", division="370103"))
    assert f"/residencies/{residency.pk}/" not in client.get(f"/parks/{park.pk}/").content.decode()
    assert client.get(f"/residencies/{residency.pk}/").status_code == 403


def test_visitors_see_sessions_with_a_login_link_and_english_punctuation(client, park):
    from servicepark.incubator.models import TrainingSession

    now = timezone.now()
    session = TrainingSession.objects.create(
        park=park,
        title="政策解读",
        topic="finance",
        starts_at=now + dt.timedelta(days=2),
        ends_at=now + dt.timedelta(days=2, hours=2),
        capacity=30,
        checkin_code="POLICY",
    )
    Space.objects.filter(name="大厅").update(area_m2=200)
    page = client.get(f"/parks/{park.pk}/").content.decode()
    url = f"/sessions/{session.pk}/"
    assert "政策解读" in page and f'href="{url}"' not in page  # it would send them to log in
    assert f'href="/accounts/login/?next={url}">Log in to register</a>' in page
    assert "大厅 (150 people, 200 m²)" in page and "（" not in page
    client.cookies["django_language"] = "zh-hans"
    page = client.get(f"/parks/{park.pk}/").content.decode()
    assert "大厅（150 人，200 m²）" in page and "登录后报名" in page
    client.force_login(make_user("org_admin", organization=make_org(name="学员机构")))
    page = client.get(f"/parks/{park.pk}/").content.decode()
    assert f'href="{url}">政策解读</a>' in page and "登录后报名" not in page


def test_capacity_assessments_show_translated_dimensions_in_their_order(client, park):
    from servicepark.incubator.models import Assessment
    from servicepark.incubator.services.capacity import assessment_record

    staff = make_user("center_staff", division="510107")
    residency = Residency.objects.create(
        park=park,
        organization=make_org(name="入驻机构", division_code="510107019"),
        state="incubating",
        proposal="项目",
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate() + dt.timedelta(days=300),
    )
    scores = dict(zip(Assessment.DIMENSIONS, [1, 2, 3, 4, 5, 6], strict=True))
    assessment_record(actor=staff, residency=residency, scores=scores)
    client.force_login(staff)
    page = client.get(f"/residencies/{residency.pk}/").content.decode()
    assert "<th>Governance</th><th>Finance</th><th>People</th>" in page
    assert '<label>Communications <input name="communications"' in page
    cells = re.findall(r'<meter class="bar" min="0" max="10" value="(\d+)">', page)
    assert cells == ["1", "2", "3", "4", "5", "6"]
    client.cookies["django_language"] = "zh-hans"
    page = client.get(f"/residencies/{residency.pk}/").content.decode()
    assert "<th>治理</th><th>财务</th><th>人力资源</th>" in page and "governance<" not in page
