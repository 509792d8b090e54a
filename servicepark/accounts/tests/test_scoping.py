"""One scoping helper narrows every list to the user's jurisdictions and organizations."""

import pytest

from servicepark.accounts.roles import Role
from servicepark.accounts.scoping import scope_for
from servicepark.accounts.tests.factories import make_user
from servicepark.common.actors import SystemActor
from servicepark.registry.models import Organization
from servicepark.registry.selectors import organization_visible
from servicepark.registry.tests.factories import make_org

pytestmark = [pytest.mark.django_db, pytest.mark.smoke]


@pytest.fixture
def orgs():
    umbrella = make_org(
        name="西城社工协会",
        org_type="social_group",
        registration_kind="registered",
        division_code="110102",
    )
    return {
        "cd": make_org(name="成都", division_code="510107019"),
        "sh": make_org(name="上海", division_code="310107015"),
        "umbrella": umbrella,
        "attached": make_org(
            name="挂靠",
            registration_kind="attached",
            uscc="",
            umbrella_uscc=umbrella.uscc,
            division_code="110102009",
        ),
    }


def names(qs):
    return set(qs.values_list("name", flat=True))


def test_division_grant_sees_inside_only(orgs):
    official = make_user("official", division="510100")
    assert names(scope_for(official, Organization.objects.all(), roles=[Role.OFFICIAL])) == {"成都"}


def test_role_must_match(orgs):
    expert = make_user("expert", division="510100")
    assert names(scope_for(expert, Organization.objects.all(), roles=[Role.OFFICIAL])) == set()


def test_association_staff_see_their_attached(orgs):
    staff = make_user("association_staff", organization=orgs["umbrella"])
    scoped = scope_for(staff, Organization.objects.all(), roles=[Role.ASSOCIATION_STAFF])
    assert names(scoped) == {"西城社工协会", "挂靠"}


def test_no_grant_sees_nothing_superuser_sees_all(orgs):
    nobody = make_user()
    assert not scope_for(nobody, Organization.objects.all(), roles=list(Role)).exists()
    assert scope_for(SystemActor("x"), Organization.objects.all(), roles=[]).count() == 4


def test_preparing_organizations_are_visible_to_their_registrar_only(orgs):
    Organization.objects.filter(pk=orgs["cd"].pk).update(status="preparing")
    from django.contrib.auth.models import AnonymousUser

    assert "成都" not in names(organization_visible(AnonymousUser()))
    assert "成都" in names(organization_visible(make_user("official", division="510107")))
    assert "成都" not in names(organization_visible(make_user("official", division="310107")))
    admin = make_user("org_admin", organization=orgs["cd"])
    assert "成都" in names(organization_visible(admin))
