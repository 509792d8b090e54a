"""The park page's forms (booking, services desk, committee advice, coordination events,
mentoring) answer bad input with a message in Chinese, keep what was typed and store nothing
(the form fuzz report, /parks/<id>/book/, /desk/ and /community/)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from servicepark.accounts.tests.factories import make_user
from servicepark.common.inputs import add_months
from servicepark.incubator.models import (
    AdvisoryAdvice,
    AdvisoryMember,
    Booking,
    CoordinationEvent,
    IntakeRound,
    Mentorship,
    Residency,
    ServiceRequest,
)
from servicepark.incubator.services.community import coordination_event_create
from servicepark.incubator.tests.helpers import posted, stored
from servicepark.registry.tests.factories import make_org

pytestmark = pytest.mark.django_db

FORMAT = "请按“年-月-日 时:分”（YYYY-MM-DD HH:MM）填写日期和时间。"


def _booking(world, day, **changes):
    start = day + dt.timedelta(hours=10)
    data = {
        "space": world.room.pk,
        "start": f"{start:%Y-%m-%dT%H:%M}",
        "end": f"{start + dt.timedelta(hours=1):%Y-%m-%dT%H:%M}",
        "title": "理事会例会",
        "attendees": "5",
        "organization": world.resident.pk,
    }
    return {**data, **changes}


# 1.1, 1.2, 1.3, 3.3: /parks/<id>/book/
@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"space": "__bogus_option__"}, "请选择本园区的会议室或大厅。"),  # 1.1: was a 500
        ({"space": ""}, "请选择本园区的会议室或大厅。"),  # 3.3: was a 404
        ({"space": "999999"}, "请选择本园区的会议室或大厅。"),  # 3.3: was a 404
        ({"attendees": "abc"}, "请填写参加人数（至少 1 人）。"),  # 1.2
        ({"attendees": "1e309"}, "请填写参加人数（至少 1 人）。"),  # 1.2
        ({"start": "2026-13-45T99:99"}, FORMAT),  # 1.3
        ({"end": "2026-02-30T10:00"}, FORMAT),
        ({"organization": "abc"}, "请选择您所属的组织。"),
    ],
)
def test_a_bad_booking_is_explained_on_the_park_page_with_the_input_kept(
    client, world, day, changes, message
):
    client.force_login(world.member)
    before = stored(Booking)
    page = posted(client, f"/parks/{world.park.pk}/book/", _booking(world, day, **changes))
    assert message in page
    assert 'value="理事会例会"' in page  # what was typed is still in the form
    assert stored(Booking) == before


def test_the_typed_input_comes_back_once_on_the_park_page(client, world, day):
    client.force_login(world.member)
    url = f"/parks/{world.park.pk}/"
    response = client.post(f"{url}book/", _booking(world, day, attendees="abc"))
    assert (response.status_code, response.url) == (302, url)
    page = client.get(url).content.decode()
    assert "请填写参加人数（至少 1 人）。" in page and 'value="理事会例会"' in page
    assert 'value="理事会例会"' not in client.get(url).content.decode()


def test_a_good_booking_still_goes_through(client, world, day):
    client.force_login(world.member)
    response = client.post(f"/parks/{world.park.pk}/book/", _booking(world, day))
    assert response.status_code == 302
    assert Booking.objects.get().organization == world.resident


def test_outsiders_are_still_refused_whatever_they_typed(client, world, day):
    client.force_login(world.outsider)
    url = f"/parks/{world.park.pk}/book/"
    assert client.post(url, _booking(world, day, space="abc")).status_code == 403
    assert not Booking.objects.exists()


# 3.4, 5.3: /parks/<id>/desk/ action=file
@pytest.mark.parametrize("organization", ["", "abc", "999999"])
def test_filing_without_a_valid_organization_is_explained_not_forbidden(
    client, world, organization
):
    client.force_login(world.admin)
    data = {"action": "file", "organization": organization, "kind": "legal", "text": "合同审查"}
    page = posted(client, f"/parks/{world.park.pk}/desk/", data)
    assert "请选择您所属的组织。" in page and 'value="合同审查"' in page
    assert not ServiceRequest.objects.exists()


def test_filing_for_someone_elses_organization_is_still_forbidden(client, world):
    client.force_login(world.admin)
    other = make_org(name="别人的机构")
    data = {"action": "file", "organization": other.pk, "kind": "legal", "text": "合同审查"}
    assert client.post(f"/parks/{world.park.pk}/desk/", data).status_code == 403
    client.force_login(world.staff)  # no organization of their own
    data["organization"] = ""
    assert client.post(f"/parks/{world.park.pk}/desk/", data).status_code == 403
    assert not ServiceRequest.objects.exists()


def test_a_double_submitted_request_is_filed_once(client, world):
    client.force_login(world.admin)
    data = {"action": "file", "organization": world.resident.pk, "kind": "audit", "text": "年审"}
    url = f"/parks/{world.park.pk}/desk/"
    assert "您的申请已提交。" in posted(client, url, data)
    before = stored(ServiceRequest)
    page = posted(client, url, data)
    assert "贵组织的相同申请已提交，正在等待处理" in page and "您的申请已提交。" not in page
    assert stored(ServiceRequest) == before and ServiceRequest.objects.count() == 1
    # Another request, or the same once answered, is filed.
    posted(client, url, {**data, "text": "法律咨询"})
    ServiceRequest.objects.filter(text="年审").update(state=ServiceRequest.State.ANSWERED)
    posted(client, url, data)
    assert ServiceRequest.objects.count() == 3


# 1.7: /parks/<id>/desk/ with a request id that is not a number
@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"action": "rate", "request": "abc", "satisfaction": "5"}, "本园区服务台没有这项申请。"),
        ({"action": "answer", "request": "", "answer": "好"}, "本园区服务台没有这项申请。"),
        ({"action": "route", "professional": "abc"}, "只能转派给入驻园区的专业机构。"),
        ({"action": "", "request": "1"}, "未知操作。"),
    ],
)
def test_desk_actions_on_a_bad_request_id_are_explained(client, world, data, message):
    request = ServiceRequest.objects.create(
        park=world.park,
        organization=world.resident,
        kind="legal",
        text="合同审查",
        due_by=timezone.now() + dt.timedelta(days=3),
        filed_by=world.admin,
    )
    if data["action"] == "route":
        data = {**data, "request": request.pk}
    client.force_login(world.staff if data["action"] in ("route", "answer") else world.admin)
    before = stored(ServiceRequest)
    assert message in posted(client, f"/parks/{world.park.pk}/desk/", data)
    assert stored(ServiceRequest) == before


@pytest.fixture
def committee(world):
    return AdvisoryMember.objects.create(park=world.park, name="高教授", affiliation="四川大学")


def _advice(committee, **changes):
    data = {
        "action": "advice",
        "met_on": f"{timezone.localdate():%Y-%m-%d}",
        "present": [committee.pk],
        "text": "建议延期三个月",
        "residency": "",
    }
    return {**data, **changes}


# 2.3: advice with a year typed as 1900 or 2999, or a residency that is not on the list
@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"met_on": "1900-01-01"}, "1900-01-01 过早：请填写 {earliest} 及以后的日期。"),
        ({"met_on": "2999-01-01"}, "2999-01-01 过晚：请填写不晚于 {today} 的日期。"),
        ({"residency": "999999"}, "意见须涉及本园区的入驻组织。"),
        ({"residency": "abc"}, "意见须涉及本园区的入驻组织。"),
        ({"present": ["abc"]}, "请列出出席的委员。"),
    ],
)
def test_advice_with_a_slip_is_refused_with_the_input_kept(
    client, world, committee, changes, message
):
    today = timezone.localdate()
    message = message.format(earliest=add_months(today, -12), today=today)
    client.force_login(world.staff)
    page = posted(client, f"/parks/{world.park.pk}/community/", _advice(committee, **changes))
    assert message in page and 'value="建议延期三个月"' in page
    assert not AdvisoryAdvice.objects.exists()


def test_advice_of_a_listed_residency_is_recorded(client, world, committee):
    client.force_login(world.staff)
    residency = world.resident.residencies.get()
    page = posted(
        client,
        f"/parks/{world.park.pk}/community/",
        _advice(committee, residency=residency.pk),
    )
    assert "意见已记录。" in page and AdvisoryAdvice.objects.get().residency == residency


def _event(world, **changes):
    data = {
        "action": "event",
        "title": "残障组织联席会",
        "partner": "区残联",
        "field": "disability",
        "held_at": f"{timezone.localdate() + dt.timedelta(days=10):%Y-%m-%d}T09:30",
        "invited": [world.resident.pk],
    }
    return {**data, **changes}


# 1.4, 1.5, 2.1: coordination events
@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"held_at": "2026-02-30T10:00"}, FORMAT),  # 1.4: was a 500
        ({"held_at": "2026-13-45T99:99"}, FORMAT),  # 1.5: was a 500
        ({"held_at": "0001-01-01T00:00"}, "0001-01-01 00:00 过早"),
        ({"held_at": "2999-01-01T10:00"}, "2999-01-01 10:00 过晚"),
        ({"title": "测试\x00内容"}, "请填写合作方和活动名称。"),  # 2.1: was stored
        ({"partner": "测试\x00内容"}, "请填写合作方和活动名称。"),  # 2.1
        ({"invited": ["abc"]}, "请从页面列出的选项中选择。"),
    ],
)
def test_a_bad_event_is_refused_with_the_input_kept(client, world, changes, message):
    client.force_login(world.staff)
    page = posted(client, f"/parks/{world.park.pk}/community/", _event(world, **changes))
    assert message in page
    assert 'value="区残联"' in page or 'value="残障组织联席会"' in page  # the input is kept
    assert not CoordinationEvent.objects.exists()


def test_a_good_event_is_planned(client, world):
    client.force_login(world.staff)
    page = posted(client, f"/parks/{world.park.pk}/community/", _event(world))
    assert "活动已安排，并已邀请相关组织。" in page
    assert CoordinationEvent.objects.get().title == "残障组织联席会"


@pytest.fixture
def event(world):
    event = coordination_event_create(
        actor=world.staff,
        park=world.park,
        field="disability",
        partner="区残联",
        title="联席会",
        held_at=timezone.now(),
        invited=[world.resident],
    )
    CoordinationEvent.objects.filter(pk=event.pk).update(follow_up=["区残联购买辅具服务"])
    return event


# 1.6, 2.6: recording attendance
@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"event": "abc"}, "该活动不属于本园区。"),  # 1.6: was a 500
        (
            {"partnerships": "x" * 10_000},
            "后续合作最多填写 20 项，每行一项，每项不超过 500 个字符。",
        ),
        ({"partnerships": "合作\x00"}, "后续合作最多填写 20 项"),
        ({"partnerships": "\n".join(f"合作{i}" for i in range(21))}, "后续合作最多填写 20 项"),
        ({}, "请勾选出席的组织，或填写后续合作。"),  # 2.6: an empty record
        ({"attended": ["999999"]}, "请从页面列出的选项中选择。"),
    ],
)
def test_a_bad_attendance_record_changes_nothing(client, world, event, data, message):
    client.force_login(world.staff)
    before = stored(CoordinationEvent)
    attended = list(event.attended.all())
    page = posted(
        client,
        f"/parks/{world.park.pk}/community/",
        {"action": "attendance", "event": event.pk, **data},
    )
    assert message in page
    assert stored(CoordinationEvent) == before and list(event.attended.all()) == attended


def test_recording_attendance_again_keeps_the_partnerships_shown(client, world, event):
    client.force_login(world.staff)
    page = client.get(f"/parks/{world.park.pk}/").content.decode()
    assert ">区残联购买辅具服务</textarea>" in page


# 1.6: a mentoring meeting on a pair that is not a number, or on a day typed as 2999
@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"mentorship": "abc"}, "该导师结对不属于本园区。"),
        ({"held_on": "2999-01-01"}, "2999-01-01 过晚"),
    ],
)
def test_a_bad_mentoring_meeting_is_refused(client, world, data, message):
    pairing = Mentorship.objects.create(
        park=world.park, mentor=make_org(name="导师机构"), mentee=world.resident, goals="财务"
    )
    client.force_login(world.staff)
    data = {
        "action": "meeting",
        "mentorship": pairing.pk,
        "held_on": f"{timezone.localdate():%Y-%m-%d}",
        "notes": "预算",
        **data,
    }
    before = stored(Mentorship)
    assert message in posted(client, f"/parks/{world.park.pk}/community/", data)
    assert stored(Mentorship) == before


def test_residents_are_still_refused_on_the_committee_forms(client, world, committee):
    client.force_login(make_user("org_admin", organization=world.resident))
    url = f"/parks/{world.park.pk}/community/"
    assert client.post(url, _advice(committee, met_on="abc")).status_code == 403
    assert not AdvisoryAdvice.objects.exists()


def test_applying_without_a_valid_organization_is_explained(client, world):
    now = timezone.now()
    round_ = IntakeRound.objects.create(
        park=world.park,
        title="第二期入驻",
        criteria="服务社区",
        opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=10),
    )
    client.force_login(world.outsider)
    before = stored(Residency)
    page = posted(
        client, f"/intake/{round_.pk}/apply/", {"organization": "", "proposal": "社区陪伴"}
    )
    assert "请选择您所属的组织。" in page and ">社区陪伴</textarea>" in page
    assert stored(Residency) == before
