"""Every registry permission rule, allowed and denied."""

import pytest

from servicepark.accounts.tests.factories import make_user
from servicepark.common.permissions import has_permission
from servicepark.registry.tests.factories import make_org

pytestmark = [pytest.mark.django_db, pytest.mark.smoke]


@pytest.fixture
def org():
    return make_org(division_code="510107019")


def test_transition_official_inside_allowed_outside_denied(org):
    assert has_permission("organization.transition", make_user("official", division="510100"), org)[
        0
    ]
    allowed, reason = has_permission(
        "organization.transition", make_user("official", division="310107"), org
    )
    assert not allowed and reason
    assert not has_permission(
        "organization.transition", make_user("auditor", division="510000"), org
    )[0]


def test_create_needs_official_of_that_division():
    official = make_user("official", division="370103")
    assert has_permission("organization.create", official, "370103014")[0]
    assert not has_permission("organization.create", official, "510107")[0]
    assert not has_permission(
        "organization.create", make_user("center_staff", division="370103"), "370103014"
    )[0]


def test_edit_profile_own_admin_allowed_other_admin_denied(org):
    other = make_org()
    admin = make_user("org_admin", organization=org)
    assert has_permission("organization.edit_profile", admin, org)[0]
    assert not has_permission("organization.edit_profile", admin, other)[0]
    member = make_user("org_member", organization=org)
    assert not has_permission("organization.edit_profile", member, org)[0]


def test_decide_change(org):
    assert has_permission(
        "organization.decide_change", make_user("official", division="510107"), org
    )[0]
    assert not has_permission(
        "organization.decide_change", make_user("org_admin", organization=org), org
    )[0]


def test_import_and_export(org):
    official = make_user("official", division="510100")
    auditor = make_user("auditor", division="510000")
    admin = make_user("org_admin", organization=org)
    assert has_permission("organization.import", official)[0]
    assert not has_permission("organization.import", auditor)[0]
    assert has_permission("organization.export", auditor)[0]
    assert not has_permission("organization.export", admin)[0]


def test_anonymous_and_inactive_are_denied(org):
    from django.contrib.auth.models import AnonymousUser

    allowed, reason = has_permission("organization.export", AnonymousUser())
    assert not allowed and reason
    official = make_user("official", division="510100")
    official.is_active = False
    assert not has_permission("organization.transition", official, org)[0]


def test_audit_view(org):
    assert has_permission("audit.view", make_user("auditor", division="510000"), org)[0]
    assert not has_permission("audit.view", make_user("official", division="370103"), org)[0]
    assert not has_permission("audit.view", make_user("org_admin", organization=org), org)[0]


def test_change_request_queue_is_for_officials(org):
    assert has_permission("change_request.review", make_user("official", division="510100"))[0]
    assert not has_permission("change_request.review", make_user("auditor", division="510000"))[0]
    assert not has_permission("change_request.review", make_user("org_admin", organization=org))[0]


def test_association_members_by_its_staff_or_an_official():
    association = make_org(
        org_type="social_group", registration_kind="registered", division_code="110102"
    )
    assert has_permission(
        "association.members", make_user("association_staff", organization=association), association
    )[0]
    assert has_permission(
        "association.members", make_user("official", division="110000"), association
    )[0]
    other = make_org(org_type="social_group", registration_kind="registered")
    allowed, reason = has_permission(
        "association.members", make_user("association_staff", organization=other), association
    )
    assert not allowed and reason
    assert not has_permission(
        "association.members", make_user("official", division="510100"), association
    )[0]
