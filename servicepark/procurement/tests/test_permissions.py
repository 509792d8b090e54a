"""The procurement rules added for deciding a call, each allowed and denied."""

import pytest

from servicepark.accounts.tests.factories import make_user
from servicepark.common.permissions import has_permission
from servicepark.procurement.models import Application, Decision

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_screening_by_the_purchaser_or_a_center_covering_its_area(call):
    probe = Application(call=call)
    assert has_permission("application.screen", make_user("purchaser", division="510100"), probe)[0]
    assert has_permission(
        "application.screen", make_user("center_staff", division="510000"), probe
    )[0]
    allowed, reason = has_permission(
        "application.screen", make_user("center_staff", division="510107"), probe
    )
    assert not allowed and "screen" in reason
    assert not has_permission(
        "application.screen", make_user("official", division="510100"), probe
    )[0]


def test_only_leading_group_members_vote(call):
    member, other = make_user(), make_user("purchaser", division="510100")
    call.purchaser.leading_group.add(member)
    decision = Decision(call=call)
    assert has_permission("decision.vote", member, decision)[0]
    allowed, reason = has_permission("decision.vote", other, decision)
    assert not allowed and "leading group" in reason


def test_objections_need_an_account(call):
    from django.contrib.auth.models import AnonymousUser

    decision = Decision(call=call)
    assert has_permission("objection.file", make_user(), decision)[0]
    allowed, reason = has_permission("objection.file", AnonymousUser(), decision)
    assert not allowed and reason
