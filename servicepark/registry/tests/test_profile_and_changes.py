"""Organization admins edit their profile; registered particulars wait for an official."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from servicepark.accounts.tests.factories import PASSWORD, make_user
from servicepark.common.audit import audit_verify
from servicepark.common.models import AuditEvent
from servicepark.registry.models import ChangeRequest, Organization
from servicepark.registry.services.organizations import (
    change_request_decide,
    organization_update_profile,
)
from servicepark.registry.tests.factories import make_org

pytestmark = pytest.mark.django_db


@pytest.fixture
def org():
    return make_org(name="成都高新区推动力公益发展中心", division_code="510107019")


@pytest.mark.smoke
def test_profile_fields_apply_and_legal_fields_wait(org):
    admin = make_user("org_admin", organization=org)
    updated, change = organization_update_profile(
        actor=admin,
        organization=org,
        changes={
            "name_en": "SpinaChina",
            "fields": ["disability", "medical"],
            "address": "紫瑞北街8号3楼",
            "name": "成都推动力公益发展中心",
        },
    )
    org.refresh_from_db()
    assert org.name_en == "SpinaChina"
    assert set(org.field_codes) == {"disability", "medical"}
    assert org.name == "成都高新区推动力公益发展中心"  # unchanged until approved
    assert change is not None and change.changes == {
        "address": "紫瑞北街8号3楼",
        "name": "成都推动力公益发展中心",
    }
    official = make_user("official", division="510100")
    change_request_decide(actor=official, change=change, approve=True)
    org.refresh_from_db()
    assert org.name == "成都推动力公益发展中心" and org.address == "紫瑞北街8号3楼"
    assert org.name_initials == "cdtdlgyfzzx"
    assert (
        AuditEvent.objects.filter(action="organization.update", object_id=str(org.pk)).count() == 2
    )
    assert audit_verify() is None


def test_rejection_needs_reason_and_leaves_org_unchanged(org):
    admin = make_user("org_admin", organization=org)
    _, change = organization_update_profile(
        actor=admin, organization=org, changes={"legal_representative": "李四"}
    )
    official = make_user("official", division="510100")
    with pytest.raises(ValidationError):
        change_request_decide(actor=official, change=change, approve=False, reason=" ")
    change_request_decide(actor=official, change=change, approve=False, reason="材料不全")
    org.refresh_from_db()
    assert org.legal_representative == "张三"
    assert ChangeRequest.objects.get(pk=change.pk).state == "rejected"
    with pytest.raises(ValidationError):
        change_request_decide(actor=official, change=change, approve=True)


def test_official_of_another_place_cannot_decide(org):
    admin = make_user("org_admin", organization=org)
    _, change = organization_update_profile(
        actor=admin, organization=org, changes={"address": "新地址"}
    )
    with pytest.raises(PermissionDenied):
        change_request_decide(
            actor=make_user("official", division="310107"), change=change, approve=True
        )


def test_other_org_admin_cannot_edit(org):
    stranger = make_user("org_admin", organization=make_org())
    with pytest.raises(PermissionDenied):
        organization_update_profile(actor=stranger, organization=org, changes={"name_en": "x"})


def test_bad_profile_input_changes_nothing(org):
    admin = make_user("org_admin", organization=org)
    for changes in ({"phone": "12"}, {"fields": ["flying"]}, {"uscc": "X"}):
        with pytest.raises(ValidationError):
            organization_update_profile(actor=admin, organization=org, changes=changes)
    assert Organization.objects.get(pk=org.pk).phone == ""


def test_profile_page_flow(client, org):
    make_user("org_admin", organization=org, username="ngo")
    client.login(username="ngo", password=PASSWORD)
    response = client.post(
        f"/organizations/{org.pk}/edit/",
        {
            "name": org.name,
            "legal_representative": "王五",
            "address": "",
            "name_en": "Spina",
            "phone": "not a phone",
            "email": "",
            "website": "",
            "description": "",
            "fields_of_service": ["community"],
        },
    )
    assert response.status_code == 200
    assert "phone" in response.content.decode().lower() or "电话" in response.content.decode()
    response = client.post(
        f"/organizations/{org.pk}/edit/",
        {
            "name": org.name,
            "legal_representative": "王五",
            "address": "",
            "name_en": "Spina",
            "phone": "028-85123456",
            "email": "",
            "website": "",
            "description": "<b>hi</b>",
            "fields_of_service": ["community"],
        },
    )
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.name_en == "Spina" and org.legal_representative == "张三"
    assert ChangeRequest.objects.filter(organization=org, state="pending").count() == 1
    page = client.get(f"/organizations/{org.pk}/").content.decode()
    assert "&lt;b&gt;hi&lt;/b&gt;" in page
