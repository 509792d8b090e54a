"""A residency's actions and a session's registration answer bad input with a message in
Chinese and store nothing (the form fuzz report, /residencies/<id>/act/ and /sessions/<id>/)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from servicepark.common.inputs import add_months
from servicepark.incubator.models import Assessment, Registration, Residency, Space, TrainingSession
from servicepark.incubator.tests.helpers import posted, stored
from servicepark.registry.tests.factories import make_org

pytestmark = pytest.mark.django_db


@pytest.fixture
def residency(world):
    today = timezone.localdate()
    residency = world.resident.residencies.get()
    Residency.objects.filter(pk=residency.pk).update(
        starts_on=today - dt.timedelta(days=100), ends_on=today + dt.timedelta(days=200)
    )
    residency.refresh_from_db()
    return residency


def _act(client, residency, data):
    return posted(client, f"/residencies/{residency.pk}/act/", data)


# 1.8: a `desk` that is not a number broke every action of the form
@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"action": "desk"}, "请选择本园区的工位或办公室。"),
        ({"action": "graduate"}, "尚未满足"),  # the checklist, as without a desk
        ({"action": "assess", "governance": "5"}, "每项为 0 到 10 的整数。"),
        ({"action": "extend", "until": "", "reason": "申报项目"}, "日期格式须为 YYYY-MM-DD。"),
        ({"action": "remove", "reason": ""}, "请填写理由。"),
    ],
)
def test_a_bogus_desk_breaks_no_action(client, world, residency, data, message):
    client.force_login(world.staff)
    before = stored(Residency, Assessment)
    page = _act(client, residency, {**data, "desk": "__bogus_option__"})
    assert message in page and "已记录。" not in page
    assert stored(Residency, Assessment) == before


# 3.2: assigning "no desk" said "已记录。" and stored nothing
@pytest.mark.parametrize("desk", ["", "999999"])
def test_assigning_no_desk_says_what_is_missing(client, world, residency, desk):
    client.force_login(world.staff)
    before = stored(Residency)
    page = _act(client, residency, {"action": "desk", "desk": desk})
    assert "请选择本园区的工位或办公室。" in page and "已记录。" not in page
    assert stored(Residency) == before


def test_assigning_a_desk_still_works_and_others_are_refused(client, world, residency):
    client.force_login(world.admin)
    url = f"/residencies/{residency.pk}/act/"
    assert client.post(url, {"action": "desk", "desk": "abc"}).status_code == 403
    client.force_login(world.staff)
    assert "已记录。" in _act(client, residency, {"action": "desk", "desk": world.desk.pk})
    residency.refresh_from_db()
    assert residency.desk == world.desk


def test_admitting_with_a_bogus_desk_is_refused_and_without_one_admits(client, world):
    org = make_org(name="申请机构", division_code="510107019")
    applied = Residency.objects.create(park=world.park, organization=org, proposal="社区陪伴")
    client.force_login(world.staff)
    before = stored(Residency)
    page = _act(client, applied, {"action": "admit", "reason": "契合", "desk": "999999"})
    assert "请选择本园区的工位或办公室。" in page and stored(Residency) == before
    _act(client, applied, {"action": "admit", "reason": "契合", "desk": ""})
    applied.refresh_from_db()
    assert applied.state == "admitted" and applied.desk is None


# 2.2: an extension to 2999-01-01 was accepted
@pytest.mark.parametrize(
    ("until", "message"),
    [
        ("2999-01-01", "2999-01-01 过晚：请填写不晚于 {latest} 的日期。"),
        ("{late}", "{late} 过晚"),
        ("{end}", "延期后的结束日期须晚于当前期限。"),
        ("2026-02-30", "日期格式须为 YYYY-MM-DD。"),
    ],
)
def test_an_extension_is_bounded(client, world, residency, until, message):
    latest = add_months(residency.ends_on, 36)
    values = {"latest": latest, "late": latest + dt.timedelta(days=1), "end": residency.ends_on}
    until, message = until.format(**values), message.format(**values)
    client.force_login(world.staff)
    before = stored(Residency)
    page = _act(client, residency, {"action": "extend", "until": until, "reason": "申报项目"})
    assert message in page and "已记录。" not in page
    assert stored(Residency) == before


def test_an_extension_within_three_years_is_recorded(client, world, residency):
    client.force_login(world.staff)
    until = add_months(residency.ends_on, 36)
    assert "已记录。" in _act(
        client, residency, {"action": "extend", "until": f"{until}", "reason": "申报项目"}
    )
    residency.refresh_from_db()
    assert (residency.state, residency.ends_on) == ("extended", until)


def test_a_graduation_reason_with_a_nul_or_too_long_is_refused(client, world, residency):
    client.force_login(world.staff)
    before = stored(Residency)
    for reason in ("理由\x00", "x" * 2001):
        assert "请填写决定理由（不超过 2000 个字符）。" in _act(
            client, residency, {"action": "graduate", "reason": reason}
        )
    assert stored(Residency) == before


@pytest.fixture
def session(world):
    start = timezone.now() + dt.timedelta(days=2)
    return TrainingSession.objects.create(
        park=world.park,
        title="财务管理",
        topic="finance",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        capacity=30,
        checkin_code="FIN001",
    )


# 3.4: /sessions/<id>/ action=register with an empty or invalid organization gave a 403
@pytest.mark.parametrize("organization", ["", "abc", "999999"])
def test_registering_without_a_valid_organization_is_explained(
    client, world, session, organization
):
    client.force_login(world.admin)
    page = posted(
        client,
        f"/sessions/{session.pk}/",
        {"action": "register", "organization": organization, "participant": "李会计"},
    )
    assert "请选择您所属的组织。" in page and 'value="李会计"' in page
    assert not Registration.objects.exists()


def test_registration_for_another_organization_is_still_forbidden(client, world, session):
    client.force_login(world.admin)
    url = f"/sessions/{session.pk}/"
    other = make_org(name="别人的机构")
    data = {"action": "register", "organization": other.pk, "participant": "李会计"}
    assert client.post(url, data).status_code == 403
    data["organization"] = world.resident.pk
    assert "已报名。" in posted(client, url, data)
    assert Registration.objects.get().organization == world.resident


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"action": "feedback", "registration": "abc", "score": "5"}, "该报名不属于本场培训。"),
        ({"action": ""}, "未知操作。"),
    ],
)
def test_session_actions_with_bad_ids_are_explained(client, world, session, data, message):
    client.force_login(world.admin)
    before = stored(Registration)
    assert message in posted(client, f"/sessions/{session.pk}/", data)
    assert stored(Registration) == before


def test_a_hall_is_not_a_desk(client, world, residency):
    client.force_login(world.staff)
    hall = Space.objects.get(pk=world.hall.pk)
    before = stored(Residency)
    assert "请分配本园区的工位或办公室。" in _act(
        client, residency, {"action": "desk", "desk": hall.pk}
    )
    assert stored(Residency) == before
