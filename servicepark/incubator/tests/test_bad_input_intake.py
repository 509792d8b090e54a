"""Applying to an intake round (/intake/<id>/apply/) answers bad input with a message in
Chinese, keeps what was typed and stores nothing (the form fuzz report, third run)."""

from __future__ import annotations

import datetime as dt
import html

import pytest
from django.utils import timezone

from servicepark.common.models import AuditEvent
from servicepark.incubator.models import IntakeRound, Residency
from servicepark.incubator.tests.helpers import posted, stored

pytestmark = pytest.mark.django_db

WRITE = "请填写组织计划开展的工作（不超过 5000 个字符）。"
CHOOSE = "请选择您所属的组织。"
NOT_STORED = "您填写的内容未保存，离开本页前请复制："


def _round(park, opens=-1, closes=10):
    now = timezone.now()
    return IntakeRound.objects.create(
        park=park,
        title="第二期入驻",
        criteria="服务社区",
        opens_at=now + dt.timedelta(days=opens),
        closes_at=now + dt.timedelta(days=closes),
    )


@pytest.fixture
def applicant(world):
    """The outsider: admin of an organization that does not reside in the park."""
    return world.outsider, world.outsider.grants.get().organization_id


@pytest.mark.parametrize(
    ("organization", "proposal", "message"),
    [
        (None, "", WRITE),
        (None, "   ", WRITE),
        (None, "长" * 10000, WRITE),
        (None, "社区\x00陪伴", WRITE),
        ("", "社区陪伴", CHOOSE),
        ("abc", "社区陪伴", CHOOSE),
        ("-1", "社区陪伴", CHOOSE),
        ("1e309", "社区陪伴", CHOOSE),
        ("99999999999999999999", "社区陪伴", CHOOSE),
        ("999999", "社区陪伴", CHOOSE),
    ],
)
def test_a_bad_application_is_explained_and_kept(
    client, world, applicant, organization, proposal, message
):
    user, org = applicant
    round_ = _round(world.park)
    client.force_login(user)
    before = stored(Residency)
    data = {"organization": org if organization is None else organization, "proposal": proposal}
    page = posted(client, f"/intake/{round_.pk}/apply/", data)
    assert message in page and "申请已提交" not in page
    if proposal.strip():
        assert proposal.replace("\x00", "")[:40] in page.replace("\x00", "")
    assert stored(Residency) == before


# 3.1: a round that closed (or is not open yet) while the proposal was typed: the message
# came, the park's page had no form of that round left, and the proposal was lost.
@pytest.mark.parametrize(("opens", "closes"), [(-10, -1), (2, 10)])
def test_applying_to_a_round_not_open_keeps_the_proposal(client, world, applicant, opens, closes):
    user, org = applicant
    round_ = _round(world.park, opens, closes)
    client.force_login(user)
    before = stored(Residency)
    proposal = "为社区独居老人提供陪伴 <b>服务</b>"
    url = f"/intake/{round_.pk}/apply/"
    response = client.post(url, {"organization": org, "proposal": proposal}, follow=True)
    page = html.unescape(raw := response.content.decode())
    assert response.status_code == 200 and "本次入驻招募未开放。" in page
    assert NOT_STORED in page and proposal in page
    assert "<b>服务" not in raw  # escaped
    assert stored(Residency) == before


# 3.2: members were offered the form, then refused with a 403 page that lost the proposal.
def test_members_are_told_only_admins_apply(client, world):
    round_ = _round(world.other_park)
    client.force_login(world.member)
    page = client.get(f"/parks/{world.other_park.pk}/").content.decode()
    assert f"/intake/{round_.pk}/apply/" not in page
    assert "只有组织管理员可以申请入驻。" in page
    client.force_login(world.admin)
    page = client.get(f"/parks/{world.other_park.pk}/").content.decode()
    assert f"/intake/{round_.pk}/apply/" in page
    # Posting anyway is still refused, storing nothing.
    client.force_login(world.member)
    before = stored(Residency)
    for organization in (world.resident.pk, ""):
        data = {"organization": organization, "proposal": "社区陪伴"}
        assert client.post(f"/intake/{round_.pk}/apply/", data).status_code == 403
    assert stored(Residency) == before


def test_a_double_submit_files_one_application(client, world, applicant):
    user, org = applicant
    round_ = _round(world.park)
    client.force_login(user)
    audits = AuditEvent.objects.filter(action="residency.apply")
    data = {"organization": org, "proposal": "社区陪伴"}
    first = posted(client, f"/intake/{round_.pk}/apply/", data)
    again = posted(client, f"/intake/{round_.pk}/apply/", data)
    assert "您的申请已提交" in first
    assert "该组织在本园区已有申请或正在入驻。" in again
    assert Residency.objects.filter(round=round_).count() == 1 and audits.count() == 1


def test_extra_fields_and_markup_are_not_taken_as_given(client, world, applicant):
    user, org = applicant
    round_ = _round(world.park)
    client.force_login(user)
    data = {
        "organization": f" {org} ",
        "proposal": "<script>alert(1)</script>",
        "state": "incubating",
        "score": "99999999999999999999",
        "starts_on": "2026-02-30",
        "park": world.other_park.pk,
    }
    posted(client, f"/intake/{round_.pk}/apply/", data)
    residency = Residency.objects.get(round=round_)
    assert residency.park == world.park and residency.state == "applied"
    assert residency.score is None and residency.starts_on is None
    assert residency.proposal == "<script>alert(1)</script>"
    client.force_login(world.staff)
    page = client.get(f"/residencies/{residency.pk}/").content.decode()
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page
