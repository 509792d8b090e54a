"""The demo's parks (seeds 000 and 001): the Chengdu NGO Service Park with its first cohort
of 15 organizations in two rows of cubicles on the third floor and the 200 m² first-floor hall;
the Jinan Shizhong park with Raindrop in its 10-month residency, the social workers'
association as a mature mentor, a policy seminar, and a graduated resident holding a
government contract."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from servicepark.demo.clock import Clock
from servicepark.demo.history import _u

CHENGDU_PARK = "成都高新区公益组织服务园"
JINAN_PARK = "济南市市中区社会组织孵化园"
DIMENSIONS = ("governance", "finance", "people", "programmes", "fundraising", "communications")


def _park(name: str, division: str, operator: str, address: str) -> Any:
    from servicepark.incubator.models import Park
    from servicepark.registry.models import Organization

    park, _created = Park.objects.get_or_create(
        name=name,
        division_id=division,
        defaults={
            "operator": Organization.objects.filter(name=operator).first(),
            "address": address,
            "residency_months": 10,
            "graduation_threshold": 60,
        },
    )
    return park


def _layout() -> tuple[Any, Any]:
    """Park layouts are set up by the operators; the demo creates them directly."""
    from servicepark.incubator.models import Floor, Space

    chengdu = _park(
        CHENGDU_PARK, "510107", "成都高新区公益组织服务园运营中心", "成都市高新区紫瑞北街8号"
    )
    jinan = _park(JINAN_PARK, "370103", "济南市市中区社会组织孵化园", "济南市市中区泺源大街")
    if not chengdu.floors.exists():
        first = Floor.objects.create(park=chengdu, name="一楼", level=1, columns=4, rows=2)
        third = Floor.objects.create(park=chengdu, name="三楼孵化区", level=3, columns=8, rows=2)
        Space.objects.create(
            park=chengdu,
            floor=first,
            name="一楼多功能厅",
            kind="hall",
            capacity=150,
            area_m2=200,
            approval_above=80,
            x=0,
            y=0,
        )
        Space.objects.create(
            park=chengdu, floor=first, name="一楼会议室", kind="room", capacity=20, x=2, y=0
        )
        for row, letter in enumerate("AB"):
            for col in range(8):
                Space.objects.create(
                    park=chengdu,
                    floor=third,
                    name=f"3F-{letter}{col + 1:02d}",
                    kind="desk",
                    x=col,
                    y=row,
                )
    if not jinan.floors.exists():
        floor = Floor.objects.create(park=jinan, name="二楼", level=2, columns=6, rows=2)
        Space.objects.create(
            park=jinan, floor=floor, name="培训室", kind="room", capacity=40, x=0, y=0
        )
        for col in range(1, 6):
            Space.objects.create(
                park=jinan, floor=floor, name=f"2F-{col:02d}", kind="desk", x=col, y=0
            )
        for col in range(6):
            Space.objects.create(
                park=jinan, floor=floor, name=f"2F-{col + 6:02d}", kind="office", x=col, y=1
            )
    return chengdu, jinan


def load_incubator_early(actor: Any, clock: Clock) -> None:
    """January–February 2026: intake rounds, admissions, desks, agreements."""
    from servicepark.incubator.models import IntakeRound, Residency
    from servicepark.incubator.services.capacity import mentorship_create
    from servicepark.incubator.services.residency import (
        residency_admit,
        residency_apply,
        residency_sign_agreement,
    )
    from servicepark.registry.models import Organization

    chengdu, jinan = _layout()
    if Residency.objects.filter(park=chengdu).exists():
        return
    staff_cd, staff_jn = _u("center-cd"), _u("center-jn")
    clock.at("2026-01-05", "10:00")
    rounds = {}
    for park, title in ((chengdu, "2026年第一期入驻招募"), (jinan, "2026年春季入驻招募")):
        rounds[park.pk] = IntakeRound.objects.create(
            park=park,
            title=title,
            criteria="服务社区、补位政府；有明确的服务对象和可行的项目计划；愿意参加园区能力建设。",
            opens_at=timezone.now(),
            closes_at=timezone.now() + dt.timedelta(days=20),
        )
    seen: set[str] = set()
    cohort = []
    for org in (
        Organization.objects.filter(
            division__code__startswith="5101", status__in=["registered", "filed"]
        )
        .exclude(name__in=["成都高新区公益组织服务园运营中心", "成都高新区公益发展基金会"])
        .order_by("id")
    ):
        if org.name not in seen:
            seen.add(org.name)
            cohort.append(org)
    cohort = cohort[:15]
    jinan_orgs = [
        Organization.objects.get(name="济南市市中区雨滴公益服务中心"),
        Organization.objects.get(name="济南市市中区阳光社区服务中心"),
    ]
    clock.at("2026-01-12", "10:00")
    applied = []
    for org in cohort:
        applied.append(
            residency_apply(
                actor=actor,
                round=rounds[chengdu.pk],
                organization=org,
                proposal=f"{org.name}的社区服务项目",
            )
        )
    for org in jinan_orgs:
        applied.append(
            residency_apply(
                actor=actor,
                round=rounds[jinan.pk],
                organization=org,
                proposal=f"{org.name}的社区服务项目",
            )
        )
    clock.at("2026-01-28", "15:00")
    desks = {
        chengdu.pk: list(chengdu.spaces.filter(kind="desk").order_by("y", "x")),
        jinan.pk: list(jinan.spaces.filter(kind__in=["desk", "office"]).order_by("y", "x")),
    }
    for n, residency in enumerate(applied):
        park = residency.park
        staff = staff_cd if park.pk == chengdu.pk else staff_jn
        index = n if park.pk == chengdu.pk else n - len(cohort)
        residency_admit(
            actor=staff,
            residency=residency,
            reason="服务对象明确、与政府职能互补，予以入驻。",
            desk=desks[park.pk][index],
            starts_on=dt.date(2026, 2, 1),
        )
    clock.at("2026-02-01", "10:00")
    for residency in applied:
        residency_sign_agreement(actor=actor, residency=Residency.objects.get(pk=residency.pk))
    mentorship_create(
        actor=staff_jn,
        park=jinan,
        mentor=Organization.objects.get(name="济南市市中区社会工作者协会"),
        mentee=jinan_orgs[0],
        goals="建立规范的财务制度；完成第一个政府购买服务项目申报。",
    )


def load_incubator_late(actor: Any, clock: Clock) -> None:
    """Autumn 2026: assessments, an extension, a mentoring log, a graduation."""
    from servicepark.incubator.models import Mentorship, Residency
    from servicepark.incubator.services.capacity import (
        assessment_record,
        mentorship_log,
        service_request_answer,
        service_request_file,
    )
    from servicepark.incubator.services.residency import residency_extend, residency_graduate
    from servicepark.registry.models import Membership
    from servicepark.registry.services.people import membership_add

    sunshine = Residency.objects.filter(organization__name="济南市市中区阳光社区服务中心").first()
    if sunshine is None or sunshine.state == "graduated":
        return
    clock.at("2026-11-02", "10:00")
    for residency in Residency.objects.filter(state="incubating").select_related(
        "park", "organization"
    ):
        staff = _u("center-cd") if residency.park.name == CHENGDU_PARK else _u("center-jn")
        strong = residency.organization.name in (
            "济南市市中区阳光社区服务中心",
            "成都高新区推动力公益发展中心",
        )
        base = 8 if strong else 5
        assessment_record(
            actor=staff,
            residency=residency,
            scores={d: base - (i % 2 if not strong else 0) for i, d in enumerate(DIMENSIONS)},
        )
    org = sunshine.organization
    for name, role in (("阳光理事长", "legal_representative"), ("阳光理事", "board_member")):
        if not Membership.objects.filter(organization=org, role=role).exists():
            membership_add(actor=actor, organization=org, name=name, role=role)
    mentorship = Mentorship.objects.get()
    _committee_and_coordination(actor)
    mentorship_log(
        actor=actor,
        mentorship=mentorship,
        held_on=dt.date(2026, 11, 2),
        notes="梳理财务制度，约定下月完成年度预算。",
    )
    spina = Residency.objects.get(organization__name="成都高新区推动力公益发展中心")
    request = service_request_file(
        actor=_u("ngo-spina"),
        park=spina.park,
        organization=spina.organization,
        kind="audit",
        text="年度审计需要园区推荐的会计师事务所。",
    )
    clock.at("2026-11-04", "10:00")
    service_request_answer(
        actor=_u("center-cd"),
        request=request,
        answer="已对接园区签约的会计师事务所，本周内联系您。",
    )
    clock.at("2026-11-05", "10:00")
    residency_extend(
        actor=_u("center-cd"),
        residency=spina,
        until=dt.date(2027, 2, 1),
        reason="正在申报中央财政支持项目，延长三个月以完成申报。",
    )
    clock.at("2026-11-20", "10:00")
    residency_graduate(actor=_u("center-jn"), residency=Residency.objects.get(pk=sunshine.pk))


def _committee_and_coordination(actor: Any) -> None:
    """Chengdu's advisory committee (advice on SpinaChina's extension) and the first of two
    coordination events of disability organizations with the district's federation."""
    from servicepark.incubator.models import AdvisoryMember, Park, Residency
    from servicepark.incubator.services.community import (
        advice_record,
        coordination_event_create,
        coordination_event_record,
    )
    from servicepark.registry.models import Organization

    chengdu = Park.objects.get(name=CHENGDU_PARK)
    members = [
        AdvisoryMember.objects.get_or_create(
            park=chengdu, name=name, defaults={"affiliation": where}
        )[0]
        for name, where in (
            ("高教授", "四川大学社会发展与西部开发研究院"),
            ("徐文", "成都高新区公益组织服务园运营中心"),
            ("李思源", "成都高新区公益发展基金会"),
        )
    ]
    spina = Residency.objects.get(organization__name="成都高新区推动力公益发展中心")
    advice_record(
        actor=_u("center-cd"),
        park=chengdu,
        met_on=timezone.localdate(),
        present=members,
        residency=spina,
        text="推动力正在申报中央财政支持项目，建议延长入驻三个月，期满再评估出壳条件。",
    )
    disability = list(
        Organization.objects.filter(division__code__startswith="5101", name__contains="助残")
    ) + [spina.organization]
    event = coordination_event_create(
        actor=_u("center-cd"),
        park=chengdu,
        field="disability",
        partner="成都高新区残疾人联合会",
        title="残障服务组织联席会（第一次）",
        held_at=timezone.now(),
        invited=disability,
    )
    coordination_event_record(
        actor=_u("center-cd"),
        event=event,
        attended=disability,
        partnerships=["区残联委托推动力开展脊柱裂家庭康复支持（试点）"],
    )


def load_incubator_today(actor: Any) -> None:
    """Today's calendar: events booked in the hall, a policy seminar in Jinan."""
    from servicepark.incubator.models import Booking, Park, TrainingSession
    from servicepark.incubator.services.bookings import booking_create
    from servicepark.incubator.services.capacity import session_create, session_register
    from servicepark.registry.models import Organization

    chengdu = Park.objects.get(name=CHENGDU_PARK)
    jinan = Park.objects.get(name=JINAN_PARK)
    if Booking.objects.filter(space__park=chengdu).exists():
        return
    hall = chengdu.spaces.get(name="一楼多功能厅")
    day = timezone.localdate() + dt.timedelta(days=3)
    spina = Organization.objects.get(name="成都高新区推动力公益发展中心")
    for offset, (title, who, attendees, org) in enumerate(
        (
            ("残障组织联席会（与区残联）", "center-cd", 60, None),
            ("脊柱裂家庭互助沙龙", "ngo-spina", 40, spina),
            ("残障就业支持协调会", "center-cd", 90, None),
        )
    ):
        start = timezone.make_aware(
            dt.datetime.combine(day + dt.timedelta(days=offset * 2), dt.time(14, 0))
        )
        booking_create(
            actor=_u(who),
            space=hall,
            start=start,
            end=start + dt.timedelta(hours=2),
            title=title,
            attendees=attendees,
            organization=org,
        )
    from servicepark.incubator.services.community import coordination_event_create

    held = timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=10), dt.time(9, 30)))
    coordination_event_create(
        actor=_u("center-cd"),
        park=chengdu,
        field="disability",
        partner="成都高新区残疾人联合会",
        title="残障服务组织联席会（第二次）",
        held_at=held,
        invited=list(
            Organization.objects.filter(division__code__startswith="5101", name__contains="助残")
        )
        + [spina],
    )
    if not TrainingSession.objects.filter(park=jinan).exists():
        start = timezone.make_aware(
            dt.datetime.combine(timezone.localdate() + dt.timedelta(days=5), dt.time(9, 30))
        )
        seminar = session_create(
            actor=_u("center-jn"),
            park=jinan,
            title="政府购买服务政策解读",
            topic="policy",
            starts_at=start,
            ends_at=start + dt.timedelta(hours=2),
            capacity=40,
        )
        session_register(
            actor=_u("ngo-raindrop"),
            session=seminar,
            organization=Organization.objects.get(name="济南市市中区雨滴公益服务中心"),
            participant="刘雨",
        )
