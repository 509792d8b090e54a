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


def test_a_decision_is_seen_by_the_purchasers_staff_and_leading_group(call):
    member = make_user()
    call.purchaser.leading_group.add(member)
    decision = Decision(call=call)
    assert has_permission("decision.view", make_user("purchaser", division="510100"), decision)[0]
    assert has_permission("decision.view", member, decision)[0]
    allowed, reason = has_permission(
        "decision.view", make_user("center_staff", division="510100"), decision
    )
    assert not allowed and "leading group" in reason


def test_an_associations_books_are_for_its_staff_and_member_admins():
    from servicepark.registry.services.associations import association_member_add
    from servicepark.registry.tests.factories import make_org

    association = make_org(
        name="区社会工作协会", org_type="social_group", registration_kind="registered"
    )
    member = make_org(name="会员机构")
    staff = make_user("association_staff", organization=association)
    association_member_add(actor=staff, association=association, member=member)
    assert has_permission("association.finance", staff, association)[0]
    assert has_permission(
        "association.finance", make_user("org_admin", organization=member), association
    )[0]
    allowed, reason = has_permission(
        "association.finance", make_user("auditor", division="510000"), association
    )
    assert not allowed and "members" in reason
    assert not has_permission(
        "association.finance",
        make_user("org_admin", organization=make_org(name="旁人")),
        association,
    )[0]
