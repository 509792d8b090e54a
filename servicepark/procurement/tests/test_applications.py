"""Applications: drafts, on-time idempotent submission with kept versions, screening."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from servicepark.accounts.tests.factories import make_user
from servicepark.common.audit import audit_verify
from servicepark.procurement.models import Application, ApplicationVersion, Call
from servicepark.procurement.services.applications import (
    application_save_draft,
    application_start,
    application_submit,
    application_withdraw,
)
from servicepark.procurement.tests.helpers import attach_required
from servicepark.registry.services.associations import association_member_add
from servicepark.registry.tests.factories import make_org

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def content(requested="100000.00", matching="50000.00", **overrides):
    base = {
        "title": "社区长者关爱",
        "summary": "为独居老人提供上门探访",
        "beneficiaries": "独居老人 200 人",
        "targets": "每月探访 800 人次",
        "activities": ["上门探访", "健康讲座"],
        "budget_lines": [
            {"item": "人员费用", "requested": requested, "matching": {"基金会": matching}}
        ],
        "governance": {
            "leading_group": ["王晓明"],
            "advisory_board": ["高教授"],
            "project_office": ["李四"],
        },
    }
    base.update(overrides)
    return base


@pytest.mark.smoke
def test_draft_submit_is_idempotent_and_versions_are_kept(call, spina):
    org, admin = spina
    app = application_start(actor=admin, call=call, organization=org)
    application_save_draft(actor=admin, application=app, content=content())
    attach_required(admin, app)
    first = application_submit(actor=admin, application=app, submission_key="click-1")
    again = application_submit(actor=admin, application=app, submission_key="click-1")
    assert first.pk == again.pk and ApplicationVersion.objects.count() == 1
    application_save_draft(
        actor=admin, application=app, content=content(requested="120000.00", matching="60000.00")
    )
    second = application_submit(actor=admin, application=app, submission_key="click-2")
    assert second.number == 2
    assert first.content["budget_lines"][0]["requested"] == "100000.00"  # v1 unchanged
    app.refresh_from_db()
    assert app.state == "submitted" and app.eligible is True and app.screening_reasons == []
    assert str(app.requested_total) == "120000.00"
    assert audit_verify() is None


@pytest.mark.parametrize(
    ("bad", "needle"),
    [
        (content(requested="-5"), "negative"),
        (content(requested="abc"), "not an amount"),
        (content(requested="250000.00", matching="200000.00"), "cap"),
        (content(matching="49999.99"), "Matching funds"),
        (content(governance={"leading_group": ["王"]}), "leading group"),
        (content(title=""), "title"),
        (content(budget_lines=[]), "budget line"),
    ],
)
def test_bad_content_is_refused_at_submission(call, spina, bad, needle):
    org, admin = spina
    app = application_start(actor=admin, call=call, organization=org)
    application_save_draft(actor=admin, application=app, content=bad)
    with pytest.raises(ValidationError) as err:
        application_submit(actor=admin, application=app, submission_key="k")
    assert any(needle in m for m in err.value.messages), err.value.messages
    assert not ApplicationVersion.objects.exists()
    assert Application.objects.get(pk=app.pk).state == "draft"


def test_nothing_is_accepted_after_the_deadline_to_the_second(call, spina):
    org, admin = spina
    app = application_start(actor=admin, call=call, organization=org)
    application_save_draft(actor=admin, application=app, content=content())
    Call.objects.filter(pk=call.pk).update(closes_at=timezone.now() - dt.timedelta(seconds=1))
    with pytest.raises(ValidationError) as err:
        application_submit(actor=admin, application=app, submission_key="late")
    assert "deadline" in " ".join(err.value.messages)
    with pytest.raises(ValidationError):
        application_save_draft(actor=admin, application=app, content=content())
    with pytest.raises(ValidationError):
        application_withdraw(actor=admin, application=app)
    assert not ApplicationVersion.objects.exists()


def test_withdrawal_before_the_deadline(call, spina):
    org, admin = spina
    app = application_start(actor=admin, call=call, organization=org)
    application_withdraw(actor=admin, application=app)
    with pytest.raises(ValidationError):
        application_submit(actor=admin, application=app, submission_key="k")


def test_association_applies_for_an_attached_organization(call):
    association = make_org(
        name="成都社会工作协会",
        org_type="social_group",
        registration_kind="registered",
        division_code="510107",
    )
    attached = make_org(
        name="挂靠社工站",
        registration_kind="attached",
        uscc="",
        umbrella_uscc=association.uscc,
        division_code="510107019",
        founded_on="2015-01-01",
    )
    staff = make_user("association_staff", organization=association)
    app = application_start(actor=staff, call=call, organization=attached)
    assert app.applicant == association and app.organization == attached
    application_save_draft(actor=staff, application=app, content=content())
    attach_required(staff, app)
    application_submit(actor=staff, application=app, submission_key="k")
    stranger = make_user(
        "association_staff",
        organization=make_org(org_type="social_group", registration_kind="registered"),
    )
    with pytest.raises(PermissionDenied):
        application_start(actor=stranger, call=call, organization=make_org())


def test_screening_gives_reasons(call):
    young = make_org(
        name="新成立中心",
        division_code="510107019",
        founded_on=timezone.localdate().replace(year=timezone.localdate().year - 1).isoformat(),
    )
    admin = make_user("org_admin", organization=young)
    app = application_start(actor=admin, call=call, organization=young)
    application_save_draft(actor=admin, application=app, content=content())
    attach_required(admin, app)
    application_submit(actor=admin, application=app, submission_key="k")
    app.refresh_from_db()
    assert app.eligible is False
    assert any("requires 2" in r or "2" in r for r in app.screening_reasons)


def test_one_application_per_call_and_others_cannot_edit(call, spina):
    org, admin = spina
    app = application_start(actor=admin, call=call, organization=org)
    with pytest.raises(ValidationError):
        application_start(actor=admin, call=call, organization=org)
    other = make_user("org_admin", organization=make_org())
    with pytest.raises(PermissionDenied):
        application_save_draft(actor=other, application=app, content=content())


def test_association_applies_for_a_member_and_the_application_records_both(call):
    association = make_org(
        name="西城区社会组织联合会",
        org_type="social_group",
        registration_kind="registered",
        division_code="510107",
    )
    member = make_org(name="会员社工中心", division_code="510107019", founded_on="2012-01-01")
    staff = make_user("association_staff", organization=association)
    with pytest.raises(PermissionDenied):
        application_start(actor=staff, call=call, organization=member)
    association_member_add(actor=staff, association=association, member=member)
    with pytest.raises(ValidationError):
        association_member_add(actor=staff, association=association, member=member)  # twice
    app = application_start(actor=staff, call=call, organization=member)
    assert (app.applicant, app.organization) == (association, member)


def test_required_documents_must_be_attached(call, spina):
    org, admin = spina
    app = application_start(actor=admin, call=call, organization=org)
    application_save_draft(actor=admin, application=app, content=content())
    with pytest.raises(ValidationError) as err:
        application_submit(actor=admin, application=app, submission_key="k")
    assert "登记证书" in " ".join(err.value.messages)
    assert not ApplicationVersion.objects.exists()


def test_only_invited_organizations_apply_to_an_invitational_call(call, spina):
    org, admin = spina
    outsider = make_org(name="未受邀中心", division_code="510107019", founded_on="2010-01-01")
    Call.objects.filter(pk=call.pk).update(
        method="invitational_tender", restriction_reason="专业性强，仅三家机构具备资质"
    )
    call.refresh_from_db()
    call.invited.set([org])
    application_start(actor=admin, call=call, organization=org)
    with pytest.raises(ValidationError) as err:
        application_start(
            actor=make_user("org_admin", organization=outsider), call=call, organization=outsider
        )
    assert "only the invited organizations" in err.value.messages[0]
    assert not Application.objects.filter(organization=outsider).exists()
