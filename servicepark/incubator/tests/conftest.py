"""A park in Chengdu's Wuhou district with a meeting room, a hall and a desk; its staff, a
resident organization (admin and member), and people who are not part of it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from servicepark.accounts.models import User
from servicepark.accounts.tests.factories import make_user
from servicepark.incubator.models import Park, Residency, Space
from servicepark.registry.models import Organization
from servicepark.registry.tests.factories import make_org


@dataclass
class World:
    park: Park
    room: Space  # 10 people
    hall: Space  # 120 people; more than 50 need the staff's approval
    desk: Space
    staff: User
    resident: Organization
    admin: User
    member: User
    outsider: User  # admin of an organization that does not reside in the park
    other_park: Park
    other_room: Space


def make_resident(park: Park, name: str) -> tuple[Organization, User]:
    org = make_org(name=name, division_code="510107019")
    Residency.objects.create(
        park=park, organization=org, state=Residency.State.INCUBATING, proposal="孵化"
    )
    return org, make_user("org_admin", organization=org)


@pytest.fixture
def world() -> World:
    park = Park.objects.create(name="武侯社会组织孵化园", division_id="510107")
    other_park = Park.objects.create(name="徐汇公益园", division_id="310104")
    room = Space.objects.create(park=park, name="会议室一", kind=Space.Kind.ROOM, capacity=10)
    hall = Space.objects.create(
        park=park, name="多功能厅", kind=Space.Kind.HALL, capacity=120, approval_above=50
    )
    desk = Space.objects.create(park=park, name="工位 A1", kind=Space.Kind.DESK, capacity=1)
    other_room = Space.objects.create(
        park=other_park, name="会议室", kind=Space.Kind.ROOM, capacity=8
    )
    resident, admin = make_resident(park, "成都武侯益路社会工作服务中心")
    outsider_org = make_org(name="成都锦江心桥社区服务中心", division_code="510104")
    return World(
        park=park,
        room=room,
        hall=hall,
        desk=desk,
        staff=make_user("center_staff", division="510107"),
        resident=resident,
        admin=admin,
        member=make_user("org_member", organization=resident),
        outsider=make_user("org_admin", organization=outsider_org),
        other_park=other_park,
        other_room=other_room,
    )


@pytest.fixture
def day() -> dt.datetime:
    """Midnight (Beijing time) the day after tomorrow: every slot of a test is in the future."""
    now = timezone.localtime()
    return (now + dt.timedelta(days=2)).replace(hour=0, minute=0, second=0, microsecond=0)
