"""People's roles in organizations, recorded by the organization or the registrar."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from servicepark.accounts.tests.factories import PASSWORD, make_user
from servicepark.registry.models import Membership, Person
from servicepark.registry.services.people import membership_add, membership_end
from servicepark.registry.tests.factories import make_org

pytestmark = pytest.mark.django_db


def test_add_and_end_roles_link_one_person_across_organizations():
    a, b = make_org(), make_org()
    admin_a = make_user("org_admin", organization=a)
    official = make_user("official", division="510100")
    membership_add(
        actor=admin_a,
        organization=a,
        name="高建",
        role="board_member",
        phone="13800280002",
        started_on=dt.date(2020, 1, 1),
    )
    membership_add(actor=official, organization=b, name="高建", role="advisor", phone="13800280002")
    person = Person.objects.get(name="高建")
    assert set(person.memberships.values_list("organization_id", flat=True)) == {a.pk, b.pk}
    with pytest.raises(ValidationError):
        membership_add(
            actor=admin_a, organization=a, name="高建", role="board_member", phone="13800280002"
        )
    first = Membership.objects.get(organization=a)
    membership_end(actor=admin_a, membership=first, ended_on=dt.date(2024, 6, 30))
    with pytest.raises(ValidationError):
        membership_end(actor=admin_a, membership=first)


@pytest.mark.parametrize(
    "bad",
    [
        {"name": ""},
        {"name": "长" * 51},
        {"role": "king"},
        {"phone": "123"},
        {"started_on": dt.date(2999, 1, 1)},
    ],
)
def test_bad_input_is_refused(bad):
    org = make_org()
    admin = make_user("org_admin", organization=org)
    data = {"name": "李四", "role": "staff", "phone": "", "started_on": None, **bad}
    with pytest.raises(ValidationError):
        membership_add(actor=admin, organization=org, **data)
    assert not Membership.objects.exists()


def test_strangers_cannot_add_people():
    org = make_org()
    with pytest.raises(PermissionDenied):
        membership_add(
            actor=make_user("org_admin", organization=make_org()),
            organization=org,
            name="王五",
            role="staff",
        )


def test_people_form_on_the_page(client):
    org = make_org()
    make_user("org_admin", organization=org, username="ngo")
    client.login(username="ngo", password=PASSWORD)
    client.post(
        f"/organizations/{org.pk}/people/",
        {"name": "<i>赵六</i>", "role": "director", "phone": "", "started_on": ""},
    )
    page = client.get(f"/organizations/{org.pk}/").content.decode()
    assert "&lt;i&gt;赵六&lt;/i&gt;" in page
    client.logout()
    public = client.get(f"/organizations/{org.pk}/").content.decode()
    assert "赵六" not in public
