"""Advisory advice against decisions, coordination events, training feedback, certificates."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from servicepark.accounts.tests.factories import make_user
from servicepark.incubator.models import (
    AdvisoryMember,
    Park,
    Registration,
    Residency,
    TrainingSession,
)
from servicepark.incubator.services.community import (
    advice_record,
    coordination_event_create,
    coordination_event_record,
    training_feedback,
)
from servicepark.registry.tests.factories import make_org

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def park():
    return Park.objects.create(name="服务园", division_id="510107")


def test_advice_is_recorded_against_a_residency_of_the_park(park):
    staff = make_user("center_staff", division="510107")
    member = AdvisoryMember.objects.create(park=park, name="高教授", affiliation="四川大学")
    org = make_org(name="入驻机构")
    residency = Residency.objects.create(
        park=park, organization=org, proposal="项目", state="applied"
    )
    other_park = Park.objects.create(name="别的园区", division_id="510107", residency_months=10)
    stranger = Residency.objects.create(park=other_park, organization=org, proposal="项目")
    with pytest.raises(ValidationError):
        advice_record(
            actor=staff,
            park=park,
            met_on=timezone.localdate(),
            present=[member],
            text="建议",
            residency=stranger,
        )
    with pytest.raises(ValidationError):
        advice_record(actor=staff, park=park, met_on=timezone.localdate(), present=[], text="建议")
    with pytest.raises(PermissionDenied):
        advice_record(
            actor=make_user("center_staff", division="370103"),
            park=park,
            met_on=timezone.localdate(),
            present=[member],
            text="建议",
        )
    advice = advice_record(
        actor=staff,
        park=park,
        met_on=timezone.localdate(),
        present=[member],
        text="建议录取",
        residency=residency,
    )
    assert residency.advice.get() == advice


def test_coordination_event_records_who_came_and_what_followed(park, client):
    staff = make_user("center_staff", division="510107")
    invited = [make_org(name=f"助残机构{i}") for i in range(3)]
    event = coordination_event_create(
        actor=staff,
        park=park,
        field="disability",
        partner="高新区残联",
        title="残障组织联席会",
        held_at=timezone.now(),
        invited=invited,
    )
    with pytest.raises(ValidationError):
        coordination_event_record(
            actor=staff, event=event, attended=[make_org(name="未邀请")], partnerships=[]
        )
    coordination_event_record(
        actor=staff, event=event, attended=invited[:2], partnerships=["残联购买辅具适配服务"]
    )
    page = client.get(f"/parks/{park.pk}/").content.decode()
    assert "残障组织联席会" in page and "残联购买辅具适配服务" in page


def test_feedback_and_certificate_only_after_check_in(park, client):
    org = make_org(name="学员机构")
    admin = make_user("org_admin", organization=org)
    now = timezone.now()
    session = TrainingSession.objects.create(
        park=park,
        title="财务管理",
        topic="finance",
        starts_at=now - dt.timedelta(hours=1),
        ends_at=now + dt.timedelta(hours=1),
        capacity=10,
        checkin_code="ABCDEF",
    )
    registration = Registration.objects.create(
        session=session, organization=org, participant="李会计"
    )
    with pytest.raises(ValidationError):
        training_feedback(actor=admin, registration=registration, score=5)
    client.force_login(admin)
    assert client.get(f"/registrations/{registration.pk}/certificate/").status_code == 404
    Registration.objects.filter(pk=registration.pk).update(checked_in_at=now)
    registration.refresh_from_db()
    with pytest.raises(ValidationError):
        training_feedback(actor=admin, registration=registration, score=9)
    assert training_feedback(actor=admin, registration=registration, score=4).feedback == 4
    certificate = client.get(f"/registrations/{registration.pk}/certificate/").content.decode()
    assert "李会计" in certificate and "财务管理" in certificate
    client.force_login(make_user("org_admin", organization=make_org(name="别人")))
    assert client.get(f"/registrations/{registration.pk}/certificate/").status_code == 403


def test_staff_record_advice_events_and_meetings_on_the_park_page(park, client):
    from servicepark.incubator.models import AdvisoryAdvice, CoordinationEvent, Mentorship

    staff = make_user("center_staff", division="510107")
    member = AdvisoryMember.objects.create(park=park, name="高教授", affiliation="四川大学")
    org, mentor = make_org(name="入驻甲"), make_org(name="导师机构")
    Residency.objects.create(park=park, organization=org, proposal="x", state="incubating")
    pairing = Mentorship.objects.create(park=park, mentor=mentor, mentee=org, goals="财务制度")
    url = f"/parks/{park.pk}/community/"
    client.force_login(make_user("org_admin", organization=org))
    client.post(
        url, {"action": "advice", "met_on": "2026-11-01", "present": [member.pk], "text": "x"}
    )
    assert not AdvisoryAdvice.objects.exists()  # residents cannot
    client.force_login(staff)
    bad = client.post(
        url,
        {"action": "advice", "met_on": "昨天", "present": [member.pk], "text": "x"},
        follow=True,
    )
    assert "YYYY-MM-DD" in bad.content.decode() and not AdvisoryAdvice.objects.exists()
    client.post(
        url,
        {"action": "advice", "met_on": "2026-11-01", "present": [member.pk], "text": "建议延期"},
    )
    client.post(
        url,
        {
            "action": "event",
            "title": "联席会",
            "partner": "区残联",
            "field": "disability",
            "held_at": "2030-01-10T09:30",
            "invited": [org.pk],
        },
    )
    event = CoordinationEvent.objects.get()
    client.post(
        url,
        {
            "action": "attendance",
            "event": event.pk,
            "attended": [org.pk],
            "partnerships": "辅具适配",
        },
    )
    client.post(
        url,
        {"action": "meeting", "mentorship": pairing.pk, "held_on": "2026-11-02", "notes": "预算"},
    )
    assert AdvisoryAdvice.objects.get().text == "建议延期"
    assert list(CoordinationEvent.objects.get().attended.all()) == [org]
    assert Mentorship.objects.get().log[0]["notes"] == "预算"
    page = client.get(f"/parks/{park.pk}/").content.decode()
    assert "建议延期" in page  # the staff read the committee's advice on the park page
    client.logout()
    page = client.get(f"/parks/{park.pk}/").content.decode()
    assert "高教授" in page and "建议延期" not in page  # the public sees members, not advice
