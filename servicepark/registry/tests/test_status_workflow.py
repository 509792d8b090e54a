"""Registration status moves only along the workflow table, and every step is audited."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from servicepark.accounts.tests.factories import PASSWORD, make_user
from servicepark.common.audit import audit_verify
from servicepark.common.models import AuditEvent
from servicepark.registry.models import Organization, Status
from servicepark.registry.services.organizations import organization_transition
from servicepark.registry.tests.factories import make_org

pytestmark = pytest.mark.django_db


@pytest.fixture
def official():
    return make_user("official", division="510100")


@pytest.mark.smoke
def test_suspend_reinstate_revoke_with_reasons(official):
    org = make_org()
    assert org.status == Status.REGISTERED
    organization_transition(actor=official, organization=org, action="suspend", reason="未年检")
    org.refresh_from_db()
    assert org.status == Status.SUSPENDED
    organization_transition(actor=official, organization=org, action="reinstate", reason="已整改")
    org.refresh_from_db()
    assert org.status == Status.REGISTERED
    organization_transition(actor=official, organization=org, action="revoke", reason="骗取登记")
    org.refresh_from_db()
    assert org.status == Status.REVOKED
    trail = list(
        AuditEvent.objects.filter(
            object_id=str(org.pk), action__startswith="organization."
        ).values_list("action", "context")
    )
    assert trail[-3:] == [
        ("organization.suspend", {"reason": "未年检"}),
        ("organization.reinstate", {"reason": "已整改"}),
        ("organization.revoke", {"reason": "骗取登记"}),
    ]
    assert audit_verify() is None


def test_filed_organization_reinstates_to_filed(official):
    org = make_org(registration_kind="filed", org_type="other")
    organization_transition(actor=official, organization=org, action="suspend", reason="x")
    organization_transition(actor=official, organization=org, action="reinstate", reason="y")
    assert Organization.objects.get(pk=org.pk).status == Status.FILED


def test_impossible_transition_and_missing_reason_change_nothing(official):
    org = make_org()
    with pytest.raises(ValidationError):
        organization_transition(actor=official, organization=org, action="reinstate", reason="x")
    with pytest.raises(ValidationError):
        organization_transition(actor=official, organization=org, action="suspend", reason="  ")
    with pytest.raises(ValidationError):
        organization_transition(actor=official, organization=org, action="explode")
    organization_transition(actor=official, organization=org, action="deregister", reason="注销")
    with pytest.raises(ValidationError):
        organization_transition(actor=official, organization=org, action="suspend", reason="x")
    assert Organization.objects.get(pk=org.pk).status == Status.DEREGISTERED


def test_official_elsewhere_is_refused(official):
    org = make_org(division_code="310107015")
    with pytest.raises(PermissionDenied):
        organization_transition(actor=official, organization=org, action="suspend", reason="x")
    assert Organization.objects.get(pk=org.pk).status == Status.REGISTERED


def test_register_guard_needs_legal_kind():
    from servicepark.registry.workflows import ORGANIZATION_STATUS

    org = make_org(registration_kind="filed", org_type="other")
    Organization.objects.filter(pk=org.pk).update(status=Status.PREPARING)
    org.refresh_from_db()
    assert {t.action for t in ORGANIZATION_STATUS.available(org)} == {"register", "file"}
    official = make_user("official", division="510100")
    with pytest.raises(ValidationError):
        organization_transition(actor=official, organization=org, action="register")
    organization_transition(actor=official, organization=org, action="file")
    assert Organization.objects.get(pk=org.pk).status == Status.FILED


def test_status_buttons_on_the_page(client, official):
    org = make_org()
    make_user("official", division="510107", username="off")
    client.login(username="off", password=PASSWORD)
    page = client.get(f"/organizations/{org.pk}/").content.decode()
    assert 'value="suspend"' in page and 'value="reinstate"' not in page
    response = client.post(
        f"/organizations/{org.pk}/status/", {"action": "suspend", "reason": ""}, follow=True
    )
    assert Organization.objects.get(pk=org.pk).status == Status.REGISTERED
    assert response.status_code == 200
    client.post(f"/organizations/{org.pk}/status/", {"action": "suspend", "reason": "责令整改"})
    assert Organization.objects.get(pk=org.pk).status == Status.SUSPENDED
    client.logout()
    assert client.post(f"/organizations/{org.pk}/status/", {"action": "revoke"}).status_code == 302
    assert Organization.objects.get(pk=org.pk).status == Status.SUSPENDED
