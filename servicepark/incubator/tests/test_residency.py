"""Intake, residency with desks, graduation checklist, training check-in, services desk."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from servicepark.accounts.tests.factories import make_user
from servicepark.common.actors import SystemActor
from servicepark.common.audit import audit_verify
from servicepark.incubator.graduation import checklist, overstaying, ready_to_graduate
from servicepark.incubator.models import IntakeRound, Park, Residency, Space
from servicepark.incubator.services.capacity import (
    assessment_record,
    service_request_answer,
    service_request_file,
    service_request_rate,
    service_request_route,
    session_checkin,
    session_create,
    session_register,
)
from servicepark.incubator.services.residency import (
    residency_admit,
    residency_apply,
    residency_assign_desk,
    residency_extend,
    residency_graduate,
    residency_score,
    residency_sign_agreement,
    residency_transition,
)
from servicepark.procurement.models import ExpertProfile, ExpertTie
from servicepark.registry.services.people import membership_add
from servicepark.registry.tests.factories import make_org

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def park():
    park = Park.objects.create(name="成都公益组织服务园", division_id="510107", residency_months=10)
    for i in range(3):
        Space.objects.create(park=park, name=f"3F-{i + 1:02d}", kind="desk", x=i, y=0)
    Space.objects.create(park=park, name="一楼大厅", kind="hall", capacity=120, area_m2=200)
    return park


@pytest.fixture
def people(park):
    staff = make_user("center_staff", division="510107", username="staff")
    org = make_org(name="推动力", division_code="510107019")
    admin = make_user("org_admin", organization=org, username="spina")
    now = timezone.now()
    round_ = IntakeRound.objects.create(
        park=park,
        title="2026年第一期入驻",
        criteria="服务社区、补位政府",
        opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=10),
    )
    return staff, org, admin, round_


@pytest.mark.smoke
def test_admission_with_a_desk_and_a_desk_is_never_given_twice(park, people):
    staff, org, admin, round_ = people
    residency = residency_apply(
        actor=admin, round=round_, organization=org, proposal="脊柱裂患者支持"
    )
    with pytest.raises(ValidationError):
        residency_apply(actor=admin, round=round_, organization=org, proposal="再申请")
    with pytest.raises(PermissionDenied):
        residency_admit(actor=admin, residency=residency, reason="自己批准")
    desk = park.spaces.get(name="3F-01")
    residency = residency_admit(actor=staff, residency=residency, reason="契合社区需求", desk=desk)
    assert residency.state == "admitted" and residency.desk == desk
    assert (residency.ends_on - residency.starts_on).days in range(300, 310)  # 10 months
    other = make_org(name="雨滴", division_code="510107019")
    other_admin = make_user("org_admin", organization=other)
    second = residency_apply(
        actor=other_admin, round=round_, organization=other, proposal="儿童阅读"
    )
    with pytest.raises(ValidationError) as err:
        residency_admit(actor=staff, residency=second, reason="通过", desk=desk)
    assert "already given to 推动力" in err.value.messages[0]
    assert Residency.objects.get(pk=second.pk).state == "applied"
    hall = park.spaces.get(kind="hall")
    with pytest.raises(ValidationError):
        residency_assign_desk(actor=staff, residency=residency, desk=hall)
    residency_sign_agreement(actor=admin, residency=residency)
    with pytest.raises(ValidationError):
        residency_extend(actor=staff, residency=residency, until=residency.starts_on, reason="延期")
    assert audit_verify() is None


def test_panel_scores_refuse_a_conflicted_expert(park, people):
    staff, org, admin, round_ = people
    residency = residency_apply(actor=admin, round=round_, organization=org, proposal="项目")
    conflicted = ExpertProfile.objects.create(user=make_user("expert", division="510100"))
    ExpertTie.objects.create(expert=conflicted, organization=org, kind="advisor")
    with pytest.raises(ValidationError) as err:
        residency_score(actor=conflicted.user, residency=residency, score=90)
    assert "advisor" in err.value.messages[0]
    clean = ExpertProfile.objects.create(user=make_user("expert", division="510100"))
    residency_score(actor=clean.user, residency=residency, score=80)
    residency = residency_score(actor=staff, residency=residency, score=90)
    assert str(residency.score) == "85.00"
    with pytest.raises(ValidationError):
        residency_score(actor=staff, residency=residency, score=101)


def test_graduation_checklist_lights_up_and_staff_decide(park, people):
    staff, org, admin, round_ = people
    residency = residency_apply(actor=admin, round=round_, organization=org, proposal="项目")
    residency = residency_admit(actor=staff, residency=residency, reason="通过")
    residency = residency_sign_agreement(actor=admin, residency=residency)
    assert not ready_to_graduate(residency)
    with pytest.raises(ValidationError) as err:
        residency_graduate(actor=staff, residency=residency)
    assert "government purchase contract" in err.value.messages[0]
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
    met = {str(i.label): i.met for i in checklist(residency)}
    assert sum(met.values()) == 4 and not met["at least one government purchase contract"]
    graduated = residency_graduate(actor=staff, residency=residency, reason="已获基金会三年资助")
    assert graduated.state == "graduated"


def test_overstay_is_marked_and_removal_needs_a_reason(park, people):
    staff, org, admin, round_ = people
    residency = residency_apply(actor=admin, round=round_, organization=org, proposal="项目")
    residency = residency_admit(
        actor=staff,
        residency=residency,
        reason="通过",
        starts_on=timezone.localdate() - dt.timedelta(days=400),
    )
    assert overstaying(residency)
    with pytest.raises(ValidationError):
        residency_transition(actor=staff, residency=residency, action="remove")
    residency_transition(actor=staff, residency=residency, action="remove", reason="长期未开展活动")
    assert not overstaying(Residency.objects.get(pk=residency.pk))


def test_training_check_in_by_code_only_for_that_session_and_while_it_runs(park, people):
    staff, org, admin, round_ = people
    now = timezone.now()
    seminar = session_create(
        actor=staff,
        park=park,
        title="政府购买服务政策解读",
        topic="policy",
        starts_at=now + dt.timedelta(minutes=20),
        ends_at=now + dt.timedelta(hours=2),
        capacity=1,
    )
    other = session_create(
        actor=staff,
        park=park,
        title="财务管理",
        topic="finance",
        starts_at=now + dt.timedelta(days=3),
        ends_at=now + dt.timedelta(days=3, hours=2),
        capacity=30,
    )
    session_register(actor=admin, session=seminar, organization=org, participant="王晓明")
    with pytest.raises(ValidationError):  # full
        session_register(actor=admin, session=seminar, organization=org, participant="李四")
    with pytest.raises(ValidationError) as err:
        session_checkin(actor=admin, session=seminar, code=other.checkin_code)
    assert "another session" in err.value.messages[0]
    registration = session_checkin(actor=admin, session=seminar, code=seminar.checkin_code.lower())
    assert registration.checked_in_at is not None
    type(seminar).objects.filter(pk=seminar.pk).update(
        starts_at=now - dt.timedelta(hours=3), ends_at=now - dt.timedelta(hours=1)
    )
    with pytest.raises(ValidationError) as err:
        session_checkin(actor=admin, session=seminar, code=seminar.checkin_code)
    assert "ended" in err.value.messages[0]


def test_services_desk_request_answered_and_rated(park, people):
    staff, org, admin, round_ = people
    outsider = make_org(name="外部机构")
    with pytest.raises(PermissionDenied):
        service_request_file(
            actor=make_user("org_admin", organization=outsider),
            park=park,
            organization=outsider,
            kind="legal",
            text="咨询",
        )
    residency = residency_admit(
        actor=staff,
        residency=residency_apply(actor=admin, round=round_, organization=org, proposal="项目"),
        reason="通过",
    )
    assert residency.state == "admitted"
    request = service_request_file(
        actor=admin, park=park, organization=org, kind="audit", text="年度审计"
    )
    assert request.due_by - request.created_at > dt.timedelta(days=2)
    with pytest.raises(ValidationError):
        service_request_rate(actor=admin, request=request, satisfaction=5)
    with pytest.raises(PermissionDenied):
        service_request_answer(actor=admin, request=request, answer="自答")
    service_request_answer(actor=staff, request=request, answer="已联系园区会计师事务所")
    assert service_request_rate(actor=admin, request=request, satisfaction=5).state == "closed"


def test_a_request_routed_to_an_in_park_professional_is_answered_by_it(park, people):
    staff, org, admin, round_ = people
    residency_admit(
        actor=staff,
        residency=residency_apply(actor=admin, round=round_, organization=org, proposal="项目"),
        reason="通过",
    )
    lawyers = make_org(name="园区律师事务所", division_code="510107019")
    lawyer = make_user("org_member", organization=lawyers)
    request = service_request_file(
        actor=admin, park=park, organization=org, kind="legal", text="章程修改"
    )
    with pytest.raises(ValidationError):  # not resident in the park
        service_request_route(actor=staff, request=request, professional=lawyers)
    Residency.objects.create(
        park=park, organization=lawyers, proposal="法律服务", state="incubating"
    )
    with pytest.raises(PermissionDenied):
        service_request_answer(actor=lawyer, request=request, answer="尚未转派")
    service_request_route(actor=staff, request=request, professional=lawyers)
    answered = service_request_answer(actor=lawyer, request=request, answer="已修订章程草案")
    assert answered.state == "answered" and answered.answered_by == lawyer
