"""One small world for the authorization matrix: two jurisdictions, each with the people of
every role and one of every object a URL or API operation takes as a parameter.

Chengdu Wuhou (510107) is "A", Jinan Shizhong (370103) is "B". In each, two sides are built
alike: side 1 around the organization whose admin and member are the users under test, side 2
around another organization of the same jurisdiction. The objects a request is made about are:

- own:     A, side 1 (the tested user's organization, the tested expert's sheet, the tested
           official's import job, the park where the tested organization resides, ...);
- inside:  A, side 2 (same jurisdiction, somebody else's);
- outside: B, side 1 (another jurisdiction).

The users under test are A's: one per role (`World.users`). Everything is made with the ORM
or the services the existing tests use; nothing here is random, so failures reproduce.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from django.conf import settings
from django.utils import timezone

from servicepark.accounts.models import User
from servicepark.accounts.roles import Role
from servicepark.accounts.tests.factories import make_user
from servicepark.incubator.models import (
    Booking,
    IntakeRound,
    Park,
    Registration,
    Residency,
    ServiceRequest,
    Space,
    TrainingSession,
)
from servicepark.oversight.models import Alert, CreditListing, GradeAssessment, Signal
from servicepark.procurement.models import (
    Application,
    Assignment,
    Award,
    Call,
    Catalogue,
    Contract,
    Decision,
    Evaluation,
    ExpertProfile,
    Milestone,
    Objection,
    Purchaser,
    Report,
    Survey,
    Voucher,
    VoucherScheme,
)
from servicepark.procurement.services.attachments import attachment_add
from servicepark.procurement.tests.helpers import pdf
from servicepark.registry.models import (
    AssociationMember,
    ChangeRequest,
    ImportJob,
    Membership,
    Organization,
    Person,
)
from servicepark.registry.tests.factories import make_org

SCOPES = ("own", "inside", "outside")
# The roles under test, in the order the report lists them; "anonymous" is nobody signed in.
ROLES = (
    "anonymous",
    Role.OFFICIAL.value,
    Role.PURCHASER.value,
    Role.CENTER_STAFF.value,
    Role.EXPERT.value,
    Role.AUDITOR.value,
    Role.ORG_ADMIN.value,
    Role.ORG_MEMBER.value,
    Role.ASSOCIATION_STAFF.value,
)
RUBRIC = [
    {"key": "need", "name": "需求分析", "max_points": 30},
    {"key": "design", "name": "项目设计", "max_points": 40},
    {"key": "capacity", "name": "执行能力", "max_points": 30},
]
CONTENT = {
    "title": "社区长者关爱",
    "summary": "为独居老人提供上门探访",
    "beneficiaries": "独居老人 200 人",
    "targets": "每月探访 800 人次",
    "activities": ["上门探访"],
    "budget_lines": [{"item": "人员费用", "requested": "100000.00", "matching": {}}],
    "governance": {"leading_group": ["王晓明"], "advisory_board": [], "project_office": []},
}

_serial = itertools.count(1)


@dataclass(frozen=True)
class Place:
    key: str  # "A" or "B"
    district: str  # the code grants are made over
    street: str  # where its organizations are registered
    city: str  # a short name for titles


PLACES = (
    Place("A", "510107", "510107019", "武侯"),
    Place("B", "370103", "370103002", "市中"),
)


@dataclass
class World:
    users: dict[str, User]  # role -> A's user holding it
    bundles: dict[str, SimpleNamespace]  # scope -> the objects requests are made about
    people: dict[str, SimpleNamespace] = field(default_factory=dict)  # "A"/"B" -> users

    def bundle(self, scope: str) -> SimpleNamespace:
        return self.bundles[scope]


def _n() -> int:
    return next(_serial)


def _people(place: Place) -> SimpleNamespace:
    d = place.district
    p = SimpleNamespace(
        official=make_user(Role.OFFICIAL, division=d),
        official2=make_user(Role.OFFICIAL, division=d),
        purchaser=make_user(Role.PURCHASER, division=d),
        center_staff=make_user(Role.CENTER_STAFF, division=d),
        expert=make_user(Role.EXPERT, division=d),
        expert2=make_user(Role.EXPERT, division=d),
        auditor=make_user(Role.AUDITOR, division=d),
        leader=make_user(),  # on the purchasers' leading groups; holds no role
    )
    p.expert_profile = ExpertProfile.objects.create(user=p.expert, affiliation="高校")
    p.expert2_profile = ExpertProfile.objects.create(user=p.expert2, affiliation="高校")
    return p


def _organization(place: Place, label: str, **extra: Any) -> Organization:
    return make_org(
        name=f"{place.city}{label}社会工作服务中心{_n()}",
        division_code=place.street,
        status="registered",
        founded_on="2015-06-01",
        **extra,
    )


def _call(purchaser: Purchaser, title: str, *, opens: dt.datetime, closes: dt.datetime, **kw: Any):
    values: dict[str, Any] = {
        "kind": "purchase",
        "method": "public_tender",
        "title": title,
        "description": "为辖区独居老人提供上门探访服务。",
        "off_catalogue_reason": "试点",
        "fields": 1,
        "total_budget": Decimal("600000.00"),
        "per_project_cap": Decimal("200000.00"),
        "rubric": RUBRIC,
        "required_documents": ["登记证书"],
        "eligibility": {},
        "opens_at": opens,
        "closes_at": closes,
        "state": "published",
    }
    values.update(kw)
    return Call.objects.create(purchaser=purchaser, **values)


def _apply(
    call: Call,
    org: Organization,
    admin: User,
    state: str = "submitted",
    applicant: Organization | None = None,
) -> Application:
    return Application.objects.create(
        call=call,
        organization=org,
        applicant=applicant or org,
        created_by=admin,
        state=state,
        content=CONTENT,
        field="elderly",
        eligible=True,
        screening="passed" if state == "submitted" else "pending",
    )


def _contract(award: Award, state: str = "active") -> Contract:
    app = award.application
    today = timezone.localdate()
    return Contract.objects.create(
        award=award,
        call=app.call,
        purchaser=app.call.purchaser,
        provider=app.organization,
        payee=app.organization,
        number=f"AUTHZ-{_n():05d}",
        title=f"{app.organization.name}服务合同",
        service_content="上门探访",
        beneficiaries="独居老人",
        quantities="每月 800 人次",
        price=award.amount,
        starts_on=today - dt.timedelta(days=30),
        ends_on=today + dt.timedelta(days=300),
        state=state,
        purchaser_signed_at=timezone.now() - dt.timedelta(days=31),
        provider_signed_at=timezone.now() - dt.timedelta(days=31),
    )


def _side(place: Place, people: SimpleNamespace, side: int, errors_dir: Path) -> SimpleNamespace:
    """Every object of one side of one jurisdiction (see the module's docstring)."""
    now = timezone.now()
    today = timezone.localdate()
    b = SimpleNamespace(place=place.key, side=side)

    # Registry: the organization and its people, an association, a change request, an import.
    b.org = _organization(place, f"{side}号")
    b.admin = make_user(Role.ORG_ADMIN, organization=b.org)
    b.member = make_user(Role.ORG_MEMBER, organization=b.org) if side == 1 else None
    b.association = _organization(
        place, f"{side}号协会", org_type="social_group", registration_kind="registered"
    )
    b.association_staff = make_user(Role.ASSOCIATION_STAFF, organization=b.association)
    # Not yet on the public register: only its jurisdiction's staff see it.
    b.preparing_org = _organization(place, f"{side}号筹备")
    Organization.objects.filter(pk=b.preparing_org.pk).update(status="preparing")
    if side == 1:
        AssociationMember.objects.create(association=b.association, member=b.org)
    # Attached to the association (挂靠): its staff file and apply for it.
    b.attached_org = _organization(
        place,
        f"{side}号挂靠",
        org_type="other",
        registration_kind="attached",
        umbrella_uscc=b.association.uscc,
    )
    person = Person.objects.create(name=f"李{side}{place.key}", phone="13900001234")
    b.membership = Membership.objects.create(person=person, organization=b.org, role="staff")
    b.change_request = ChangeRequest.objects.create(
        organization=b.org,
        requested_by=b.admin,
        changes={"address": "新地址1号"},
        previous={"address": ""},
    )
    errors = errors_dir / f"errors-{place.key}{side}.csv"
    errors.write_text("row,message\n2,bad\n", encoding="utf-8")
    b.import_job = ImportJob.objects.create(
        actor=people.official if side == 1 else people.official2,
        original_name="orgs.csv",
        state="done",
        errors_path=str(errors),
        finished_at=now,
    )

    # Procurement: a purchasing body with calls in every phase.
    b.purchaser = Purchaser.objects.create(
        name=f"{place.city}区第{side}采购单位", kind="civil_affairs", division_id=place.district
    )
    b.purchaser.leading_group.set([people.leader])
    b.catalogue = Catalogue.objects.create(purchaser=b.purchaser, year=2027, state="draft")
    b.catalogue_published = Catalogue.objects.create(
        purchaser=b.purchaser, year=2026, state="published"
    )
    open_window = {"opens": now - dt.timedelta(days=1), "closes": now + dt.timedelta(days=20)}
    closed_window = {"opens": now - dt.timedelta(days=40), "closes": now - dt.timedelta(days=10)}
    b.draft_call = _call(b.purchaser, "草稿项目", state="draft", **open_window)
    b.open_call = _call(b.purchaser, "开放项目", **open_window)
    b.closed_call = _call(b.purchaser, "评审项目", **closed_window)
    b.draft_application = _apply(b.open_call, b.org, b.admin, state="draft")
    # Filed by the association for the organization attached to it ("1 + 4").
    b.association_application = _apply(
        b.open_call,
        b.attached_org,
        b.association_staff,
        state="draft",
        applicant=b.association,
    )
    b.attachment = attachment_add(
        actor=b.admin, application=b.draft_application, upload=pdf("登记证书.pdf"), label="登记证书"
    )
    b.application = _apply(b.closed_call, b.org, b.admin)
    expert = people.expert_profile if side == 1 else people.expert2_profile
    b.assignment = Assignment.objects.create(application=b.application, expert=expert)
    b.decision = Decision.objects.create(
        call=b.closed_call,
        state="proposed",
        proposed_by=people.purchaser,
        total_amount=Decimal("100000.00"),
    )

    # A published result in its objection period, with an objection.
    b.published_call = _call(b.purchaser, "公示项目", **closed_window)
    published_app = _apply(b.published_call, b.org, b.admin)
    b.published_decision = Decision.objects.create(
        call=b.published_call,
        state="published",
        proposed_by=people.purchaser,
        total_amount=Decimal("100000.00"),
        published_at=now - dt.timedelta(days=1),
        objection_ends_at=now + dt.timedelta(days=6),
    )
    published_app.award = Award.objects.create(
        decision=b.published_decision,
        application=published_app,
        amount=Decimal("100000.00"),
        score=Decimal("80.00"),
        rank=1,
    )
    # Its contract is still a draft: only the parties and the jurisdiction see it.
    b.draft_contract = _contract(published_app.award, state="draft")
    b.objection = Objection.objects.create(
        decision=b.published_decision, filed_by=b.admin, organization=b.org, text="评分有误"
    )

    # A final result: one award with an active contract, one award still without.
    b.final_call = _call(b.purchaser, "已定项目", **closed_window)
    final = Decision.objects.create(
        call=b.final_call,
        state="final",
        proposed_by=people.purchaser,
        total_amount=Decimal("200000.00"),
        published_at=now - dt.timedelta(days=9),
        objection_ends_at=now - dt.timedelta(days=2),
        finalized_at=now - dt.timedelta(days=1),
    )
    b.award = Award.objects.create(
        decision=final,
        application=_apply(b.final_call, b.org, b.admin),
        amount=Decimal("100000.00"),
        score=Decimal("85.00"),
        rank=1,
    )
    b.contract = _contract(b.award)
    other = _organization(place, f"{side}号中标")
    b.free_award = Award.objects.create(
        decision=final,
        application=_apply(b.final_call, other, b.admin),
        amount=Decimal("100000.00"),
        score=Decimal("80.00"),
        rank=2,
    )
    b.milestone = Milestone.objects.create(
        contract=b.contract,
        seq=1,
        title="中期",
        deliverable="中期报告",
        due_on=today + dt.timedelta(days=60),
        amount=Decimal("50000.00"),
    )
    b.milestone_submitted = Milestone.objects.create(
        contract=b.contract,
        seq=2,
        title="结项",
        deliverable="结项报告",
        due_on=today + dt.timedelta(days=200),
        amount=Decimal("50000.00"),
        state="submitted",
        delivered_note="已交付",
    )
    b.report = Report.objects.create(
        contract=b.contract, kind="progress", due_on=today + dt.timedelta(days=30)
    )
    b.survey = Survey.objects.create(contract=b.contract, token=f"authz{place.key}{side}{_n()}")
    scheme = VoucherScheme.objects.create(
        contract=b.contract, service="日间照料一天", public_share=Decimal("50.00")
    )
    b.voucher = Voucher.objects.create(
        scheme=scheme,
        code=f"AZ{place.key}{side}{_n()}"[:16].upper(),
        holder="张桂兰",
        holder_phone="13800280002",
        holder_id_number="11010519491231002X",
    )

    # Incubator: a park where the side's organization resides, and what happens there.
    b.park = Park.objects.create(name=f"{place.city}第{side}孵化园", division_id=place.district)
    b.room = Space.objects.create(park=b.park, name="会议室", kind=Space.Kind.ROOM, capacity=10)
    b.desk = Space.objects.create(park=b.park, name="工位", kind=Space.Kind.DESK, capacity=1)
    b.residency = Residency.objects.create(
        park=b.park,
        organization=b.org,
        state=Residency.State.INCUBATING,
        proposal="孵化",
        desk=b.desk,
        starts_on=today - dt.timedelta(days=30),
        ends_on=today + dt.timedelta(days=270),
    )
    b.intake_round = IntakeRound.objects.create(
        park=b.park,
        title="第一批入驻",
        criteria="社区服务类",
        opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=30),
    )
    # Another organization's application to the round, waiting for the panel's scores.
    b.residency_application = Residency.objects.create(
        park=b.park,
        round=b.intake_round,
        organization=_organization(place, f"{side}号申请入驻"),
        state=Residency.State.APPLIED,
        proposal="申请入驻",
    )
    b.session = TrainingSession.objects.create(
        park=b.park,
        title="财务管理",
        topic="finance",
        starts_at=now + dt.timedelta(days=3),
        ends_at=now + dt.timedelta(days=3, hours=2),
        capacity=30,
        room=b.room,
        checkin_code=f"CK{place.key}{side}{_n()}",
    )
    b.registration = Registration.objects.create(
        session=b.session,
        organization=b.org,
        participant="王五",
        user=b.admin,
        checked_in_at=now,
    )
    b.service_request = ServiceRequest.objects.create(
        park=b.park,
        organization=b.org,
        kind="legal",
        text="章程修改",
        due_by=now + dt.timedelta(days=3),
        filed_by=b.admin,
    )
    b.booking = Booking.objects.create(
        space=b.room,
        organization=b.org,
        booked_by=b.admin,
        title="理事会",
        start=now + dt.timedelta(days=2),
        end=now + dt.timedelta(days=2, hours=1),
        attendees=5,
    )

    # Oversight: a credit listing and the alert it raised.
    b.listing = CreditListing.objects.create(
        organization=b.org,
        list="abnormal",
        trigger="annual_report_late",
        source=f"authz-{_n()}",
        evidence="未按时报送年报",
        listed_on=today - dt.timedelta(days=5),
    )
    signal = Signal.objects.create(
        organization=b.org,
        rule="credit_listed",
        key=f"listing:{b.listing.pk}",
        severity=2,
        params={
            "list": "abnormal",
            "trigger": "annual_report_late",
            "listed_on": b.listing.listed_on.isoformat(),
        },
        first_seen_on=today,
        last_seen_on=today,
    )
    b.alert = Alert.objects.create(organization=b.org, signal=signal)
    b.grade_assessment = GradeAssessment.objects.create(
        organization=b.org, applied_on=today, applied_by=b.admin
    )
    return b


def _link_evaluations(one: SimpleNamespace, two: SimpleNamespace) -> None:
    """Each side's organization evaluates the other side's contract: `evaluation` of a side
    is the one its organization's people do."""
    one.evaluation = Evaluation.objects.create(contract=two.contract, evaluator=one.org)
    two.evaluation = Evaluation.objects.create(contract=one.contract, evaluator=two.org)


def build_world() -> World:
    errors_dir = Path(settings.MEDIA_ROOT) / "authz-import-errors"  # a throwaway dir in tests
    errors_dir.mkdir(parents=True, exist_ok=True)
    sides: dict[tuple[str, int], SimpleNamespace] = {}
    people: dict[str, SimpleNamespace] = {}
    for place in PLACES:
        people[place.key] = _people(place)
        for side in (1, 2):
            sides[place.key, side] = _side(place, people[place.key], side, errors_dir)
        _link_evaluations(sides[place.key, 1], sides[place.key, 2])
    a, own = people["A"], sides["A", 1]
    users = {
        Role.OFFICIAL.value: a.official,
        Role.PURCHASER.value: a.purchaser,
        Role.CENTER_STAFF.value: a.center_staff,
        Role.EXPERT.value: a.expert,
        Role.AUDITOR.value: a.auditor,
        Role.ORG_ADMIN.value: own.admin,
        Role.ORG_MEMBER.value: own.member,
        Role.ASSOCIATION_STAFF.value: own.association_staff,
    }
    bundles = {"own": own, "inside": sides["A", 2], "outside": sides["B", 1]}
    return World(users=users, bundles=bundles, people=people)
