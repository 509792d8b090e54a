"""Oversight permission rules, allowed and denied."""

from __future__ import annotations

import pytest

from servicepark.accounts.roles import Role
from servicepark.accounts.tests.factories import make_user
from servicepark.common.permissions import has_permission

pytestmark = pytest.mark.django_db


def test_officials_manage_inside_their_jurisdiction_only(org, official, outsider):
    assert has_permission("oversight.manage", official, org)[0]
    assert not has_permission("oversight.manage", outsider, org)[0]


def test_auditors_and_center_staff_read_but_do_not_manage(org):
    for role in (Role.AUDITOR, Role.CENTER_STAFF):
        user = make_user(role, division="510107")
        assert has_permission("oversight.view", user, org)[0]
        assert not has_permission("oversight.manage", user, org)[0]


def test_the_organization_files_for_itself_but_not_for_others(org, admin):
    from servicepark.registry.tests.factories import make_org

    other = make_org(status="registered")
    assert has_permission("oversight.file", admin, org)[0]
    assert has_permission("oversight.view", admin, org)[0]
    assert not has_permission("oversight.file", admin, other)[0]
    assert not has_permission("oversight.manage", admin, org)[0]
    member = make_user(Role.ORG_MEMBER, organization=org)
    assert not has_permission("oversight.file", member, org)[0]


def test_experts_score_in_their_area_not_their_own_organization(org):
    from servicepark.oversight.models import GradeAssessment

    item = GradeAssessment(organization=org, applied_on="2026-01-01")
    expert = make_user(Role.EXPERT, division="510107")
    assert has_permission("grade.score", expert, item)[0]
    assert not has_permission("grade.score", make_user(Role.EXPERT, division="110101"), item)[0]
    from servicepark.accounts.services import grant_add
    from servicepark.common.actors import SystemActor

    grant_add(actor=SystemActor("t"), user=expert, role=Role.ORG_MEMBER, organization_id=org.pk)
    expert = type(expert).objects.get(pk=expert.pk)
    assert not has_permission("grade.score", expert, item)[0]


def test_umbrella_staff_and_scoring_experts_see_the_oversight_page(org):
    from servicepark.oversight.models import GradeAssessment
    from servicepark.registry.tests.factories import make_org

    attached = make_org(registration_kind="attached", umbrella_uscc=org.uscc, status="filed")
    staff = make_user(Role.ASSOCIATION_STAFF, organization=org)
    assert has_permission("oversight.view", staff, attached)[0]
    expert = make_user(Role.EXPERT, division="510107")
    assert not has_permission("oversight.view", expert, org)[0]
    GradeAssessment.objects.create(organization=org, applied_on="2026-07-01")
    assert has_permission("oversight.view", expert, org)[0]
    assert not has_permission("oversight.view", make_user(Role.EXPERT, division="110101"), org)[0]
