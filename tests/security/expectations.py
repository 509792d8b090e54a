"""The expected outcome of every page and API operation, for every role and scope.

This table is the policy; the matrix test (test_authorization_matrix.py) checks the running
application against it. Every named URL pattern and every operation of the OpenAPI document
must have an entry here, so a new route cannot be forgotten: the test fails until somebody
decides who may reach it.

How to read an entry:

- `PUBLIC`: anyone, signed in or not, for every object of the kind the check uses. Public
  pages and operations are declared with it, and only with it.
- `SIGNED_IN`: every role, and nobody who is not signed in.
- `allow(official="oi", org_admin="o")`: only these roles, for the scopes listed —
  "o" own, "i" inside the jurisdiction, "x" outside it (see world.py), "*" all of them and,
  for checks about no object, simply "may". Every role not named is expected to be denied.
- `NOBODY`: no role (the action belongs to people who hold no role, e.g. a leading group).

A check is one request: a method, the URL arguments taken from the scope's objects, and for
POST a small body that passes the form, so that the permission check is really reached (an
invalid form is often answered before the permission is looked at). POSTs run inside a
transaction that is rolled back, so what an authorized user does never changes the world for
the next check.

`gate="acted"` is for POST handlers that quietly show the page again to a user who may not act
(so the status says nothing): there, "allowed" means the action was carried out, which every
service records in the audit trail.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from servicepark.procurement.forms_contracts import RUBRIC as EVALUATION_RUBRIC
from servicepark.procurement.tests.helpers import PDF
from tests.security.world import ROLES, SCOPES, World

LETTERS = {"own": "o", "inside": "i", "outside": "x"}
SIGNED_ROLES = tuple(r for r in ROLES if r != "anonymous")

Args = Callable[[SimpleNamespace], dict[str, Any]]
Body = Callable[[SimpleNamespace, World], dict[str, Any]]


@dataclass(frozen=True)
class Access:
    """Which roles get through, and for which scopes."""

    roles: Mapping[str, str] = field(default_factory=dict)
    public: bool = False

    def allows(self, role: str, scope: str) -> bool:
        if self.public:
            return True
        letters = self.roles.get(role, "")
        if scope == "any":
            return bool(letters)
        return "*" in letters or LETTERS[scope] in letters


def allow(**roles: str) -> Access:
    unknown = set(roles) - set(SIGNED_ROLES)
    if unknown:
        raise ValueError(f"unknown roles: {sorted(unknown)}")
    return Access(roles=roles)


PUBLIC = Access(public=True)
SIGNED_IN = allow(**dict.fromkeys(SIGNED_ROLES, "*"))
NOBODY = allow()


@dataclass(frozen=True)
class Check:
    access: Access
    method: str = "GET"
    args: Args | None = None  # URL arguments from the scope's objects; None: no object
    body: Body | None = None  # POST data (a JSON object for the API)
    query: Args | None = None  # query string from the scope's objects
    scoped: bool = False  # without URL arguments, the body still names the scope's objects
    label: str = ""
    deny_if: tuple[str, ...] = ()  # a message that means "refused" although the status is 2xx/3xx
    gate: str = "http"  # or "acted": allowed = the action was carried out (audited)

    @property
    def scopes(self) -> tuple[str, ...]:
        return SCOPES if (self.args is not None or self.scoped) else ("any",)


def get(access: Access, args: Args | None = None, **kw: Any) -> Check:
    return Check(access, "GET", args, **kw)


def post(access: Access, args: Args | None = None, body: Body | None = None, **kw: Any) -> Check:
    return Check(access, "POST", args, body, **kw)


# URL arguments, by the object they name.
def pk(name: str) -> Args:
    """The `pk` argument: the scope's object called `name` (see world.py)."""
    return lambda b: {"pk": getattr(b, name).pk}


ORG = pk("org")
ATTACHED_ORG = pk("attached_org")
PREPARING_ORG = pk("preparing_org")
ASSOCIATION = pk("association")
CHANGE_REQUEST = pk("change_request")
IMPORT_JOB = pk("import_job")
OPEN_CALL = pk("open_call")
DRAFT_CALL = pk("draft_call")
CLOSED_CALL = pk("closed_call")
APPLICATION = pk("application")
DRAFT_APPLICATION = pk("draft_application")
ATTACHMENT = pk("attachment")
ASSIGNMENT = pk("assignment")
DECISION = pk("decision")
PUBLISHED_DECISION = pk("published_decision")
CONTRACT = pk("contract")
DRAFT_CONTRACT = pk("draft_contract")
CATALOGUE = pk("catalogue")
PUBLISHED_CATALOGUE = pk("catalogue_published")
PARK = pk("park")
RESIDENCY = pk("residency")
RESIDENCY_APPLICATION = pk("residency_application")
SESSION = pk("session")
ALERT = pk("alert")


def _later(days: int, hour: int) -> dt.datetime:
    day = timezone.localtime() + dt.timedelta(days=days)
    return day.replace(hour=hour, minute=0, second=0, microsecond=0)


def _pdf(name: str = "预算表.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _mine(w: World) -> int:
    """The tested users' own organization (what a form's "organization" field names)."""
    return w.bundle("own").org.pk


APPLICATION_FORM = {
    "title": "社区长者关爱",
    "field": "",
    "summary": "为独居老人提供上门探访",
    "beneficiaries": "独居老人 200 人",
    "targets": "每月探访 800 人次",
    "activities": "上门探访",
    "leading_group": "王晓明",
    "advisory_board": "",
    "project_office": "",
    "line0_item": "人员费用",
    "line0_requested": "100000.00",
    "action": "save",
}
# Who sees what is not (or no longer) public: the jurisdiction's staff.
READS_REGISTRY = dict(official="oi", auditor="oi", center_staff="oi", purchaser="oi")
READS_APPLICATION = dict(
    org_admin="o",
    org_member="o",
    official="oi",
    auditor="oi",
    purchaser="oi",
    center_staff="oi",
)

# --- Pages: every named URL pattern ------------------------------------------------------------

PAGES: dict[str, tuple[Check, ...]] = {
    "home": (get(PUBLIC),),
    # Accounts
    "accounts:login": (get(PUBLIC), post(PUBLIC, body=lambda b, w: {})),
    "accounts:logout": (post(PUBLIC),),
    "accounts:two_factor": (
        get(SIGNED_IN),
        post(SIGNED_IN, body=lambda b, w: {"code": "000000"}),
    ),
    # Registry
    "registry:directory": (get(PUBLIC),),
    "registry:create": (
        get(allow(official="*")),
        post(
            allow(official="oi"),
            scoped=True,
            label="in the scope's division",
            body=lambda b, w: {
                "name": "新登记社会工作服务中心",
                "org_type": "social_service_agency",
                "registration_kind": "direct",
                "division_code": b.org.division_id,
                "legal_representative": "张三",
                "founded_on": "2020-01-01",
                "fields_of_service": ["community"],
            },
        ),
    ),
    "registry:export_csv": (get(allow(official="*", auditor="*")),),
    "registry:export_xlsx": (get(allow(official="*", auditor="*")),),
    "registry:detail": (
        get(PUBLIC, ORG, label="registered"),
        get(allow(**READS_REGISTRY), PREPARING_ORG, label="preparing"),
    ),
    "registry:edit": (
        get(allow(org_admin="o", official="oi"), ORG),
        post(allow(org_admin="o", official="oi"), ORG, body=lambda b, w: {}),
    ),
    "registry:transition": (
        post(allow(official="oi"), ORG, body=lambda b, w: {"action": "suspend", "reason": "核查"}),
    ),
    "registry:people_add": (
        post(
            allow(org_admin="o", official="oi"),
            ORG,
            body=lambda b, w: {"name": "赵六", "role": "staff"},
        ),
    ),
    "registry:people_end": (
        post(
            allow(org_admin="o", official="oi"),
            lambda b: {"pk": b.org.pk, "membership_id": b.membership.pk},
        ),
    ),
    # An individual's phone or ID number: those whose role needs it, with a reason (audited).
    "personal:reveal": (
        post(
            allow(org_admin="o", official="oi"),
            lambda b: {"kind": "registry.person", "pk": b.membership.person_id, "field": "phone"},
            body=lambda b, w: {"reason": "核实联系方式"},
            label="person",
        ),
        post(
            allow(purchaser="oi", org_admin="o"),
            lambda b: {
                "kind": "procurement.voucher",
                "pk": b.voucher.pk,
                "field": "holder_id_number",
            },
            body=lambda b, w: {"reason": "核对身份"},
            label="voucher holder",
        ),
    ),
    # The queue is everyone's page, but lists only what the user may decide or asked for.
    "registry:changes": (get(SIGNED_IN),),
    "registry:decide": (
        post(allow(official="oi"), CHANGE_REQUEST, body=lambda b, w: {"decision": "approve"}),
    ),
    "registry:import": (get(allow(official="*")), post(allow(official="*"), body=lambda b, w: {})),
    "registry:import_job": (get(allow(official="o"), IMPORT_JOB),),
    "registry:import_errors": (get(allow(official="o"), IMPORT_JOB),),
    # Procurement: calls
    "procurement:calls": (get(PUBLIC),),
    "procurement:call_new": (
        get(allow(purchaser="*")),
        post(allow(purchaser="*"), body=lambda b, w: {}),
    ),
    "procurement:call": (
        get(PUBLIC, OPEN_CALL, label="published"),
        get(allow(purchaser="oi", official="oi", auditor="oi"), DRAFT_CALL, label="draft"),
    ),
    "procurement:call_publish": (post(allow(purchaser="oi"), DRAFT_CALL),),
    "procurement:apply": (
        get(SIGNED_IN, lambda b: {"call_pk": b.open_call.pk}),
        post(
            allow(org_admin="oix", association_staff="oix"),
            lambda b: {"call_pk": b.open_call.pk},
            body=lambda b, w: {"organization": _mine(w)},
            label="for the tested organization",
            deny_if=("Choose one of the organizations listed.",),
        ),
    ),
    "procurement:manage": (get(allow(purchaser="oi", center_staff="oi"), CLOSED_CALL),),
    "procurement:assign": (post(allow(purchaser="oi"), CLOSED_CALL),),
    "procurement:propose": (post(allow(purchaser="oi"), CLOSED_CALL, body=lambda b, w: {}),),
    # Procurement: applications
    "procurement:applications": (get(SIGNED_IN),),
    "procurement:application": (
        get(allow(**READS_APPLICATION, expert="o"), APPLICATION, label="submitted"),
        get(
            allow(**READS_REGISTRY, association_staff="o"),
            pk("association_application"),
            label="filed by an association",
        ),
        post(
            allow(org_admin="o"),
            DRAFT_APPLICATION,
            body=lambda b, w: APPLICATION_FORM,
            label="save the draft",
            gate="acted",
        ),
    ),
    "procurement:application_withdraw": (
        post(allow(org_admin="o"), DRAFT_APPLICATION),
        post(
            allow(association_staff="o"),
            pk("association_application"),
            label="filed by an association",
        ),
    ),
    "procurement:attach": (
        post(
            allow(org_admin="o"),
            DRAFT_APPLICATION,
            body=lambda b, w: {"label": "预算表", "file": _pdf()},
        ),
    ),
    "procurement:screen": (
        post(
            allow(purchaser="oi", center_staff="oi"),
            APPLICATION,
            body=lambda b, w: {"passed": "1", "reason": "符合条件"},
        ),
    ),
    "procurement:release_comment": (
        post(allow(purchaser="oi"), APPLICATION, body=lambda b, w: {"comment": "设计合理"}),
    ),
    "procurement:attachment": (get(allow(**READS_APPLICATION), ATTACHMENT),),
    "procurement:attachment_remove": (post(allow(org_admin="o"), ATTACHMENT),),
    # Procurement: the jury and the decision
    "procurement:reviews": (get(SIGNED_IN),),
    "procurement:review": (
        get(allow(expert="o"), ASSIGNMENT),
        post(
            allow(expert="o"),
            ASSIGNMENT,
            body=lambda b, w: {"score_need": "20", "score_design": "30", "score_capacity": "20"},
        ),
    ),
    "procurement:decision": (get(allow(purchaser="oi"), DECISION),),
    # Only members of the purchaser's leading group vote; they hold no role.
    "procurement:vote": (post(NOBODY, DECISION, body=lambda b, w: {"choice": "approve"}),),
    "procurement:publish": (post(allow(purchaser="oi"), DECISION),),
    "procurement:finalize": (post(allow(purchaser="oi"), PUBLISHED_DECISION),),
    "procurement:answer": (
        post(
            allow(purchaser="oi"),
            pk("objection"),
            body=lambda b, w: {"answer": "已复核，维持原结果", "upheld": "0"},
        ),
    ),
    # Procurement: contracts and after
    "procurement:contract_new": (
        get(allow(purchaser="oi"), lambda b: {"award_pk": b.free_award.pk}),
        post(allow(purchaser="oi"), lambda b: {"award_pk": b.free_award.pk}, body=lambda b, w: {}),
    ),
    "procurement:contracts": (get(PUBLIC),),
    "procurement:contract": (
        get(PUBLIC, CONTRACT, label="active"),
        get(
            allow(purchaser="oi", official="oi", auditor="oi", org_admin="o", org_member="o"),
            DRAFT_CONTRACT,
            label="draft",
        ),
    ),
    "procurement:contract_action": (
        post(
            allow(org_admin="o"),
            CONTRACT,
            label="record a service activity (provider)",
            body=lambda b, w: {
                "action": "record",
                "held_on": timezone.localdate().isoformat(),
                "activity": "上门探访",
                "people_served": "12",
            },
        ),
        post(
            allow(purchaser="oi"),
            CONTRACT,
            label="suspend (purchaser)",
            body=lambda b, w: {"action": "suspend", "reason": "核查"},
        ),
    ),
    "procurement:milestone_action": (
        post(
            allow(org_admin="o"),
            pk("milestone"),
            label="submit (provider)",
            body=lambda b, w: {"action": "submit", "note": "已交付"},
        ),
        post(
            allow(purchaser="oi"),
            pk("milestone_submitted"),
            label="accept (purchaser)",
            body=lambda b, w: {"action": "accept"},
        ),
    ),
    "procurement:report_submit": (
        post(
            allow(org_admin="o"),
            pk("report"),
            body=lambda b, w: {"summary": "顺利"},
        ),
    ),
    "procurement:evaluation": (
        get(allow(org_admin="o", org_member="o"), pk("evaluation")),
        post(
            allow(org_admin="o", org_member="o"),
            pk("evaluation"),
            body=lambda b, w: {**dict.fromkeys(EVALUATION_RUBRIC, "5"), "comment": "良好"},
        ),
    ),
    # The association's own staff, officials over it, and its members' admins (own requests).
    "procurement:association": (
        get(allow(association_staff="o", official="oi", org_admin="o"), ASSOCIATION),
    ),
    "procurement:association_action": (
        post(
            allow(association_staff="o", official="oi"),
            ASSOCIATION,
            label="set the terms",
            body=lambda b, w: {"action": "terms", "fee_rate": "0.1", "pool_share": "0.3"},
        ),
    ),
    "procurement:catalogues": (
        get(PUBLIC),
        post(
            allow(purchaser="oi"),
            scoped=True,
            label="open a catalogue for the scope's purchaser",
            body=lambda b, w: {"purchaser": b.purchaser.pk, "year": "2030"},
            gate="acted",
        ),
    ),
    "procurement:catalogue": (
        get(PUBLIC, PUBLISHED_CATALOGUE, label="published"),
        get(allow(purchaser="oi", official="oi", auditor="oi"), CATALOGUE, label="draft"),
    ),
    "procurement:catalogue_entry": (
        post(
            allow(purchaser="oi"),
            CATALOGUE,
            body=lambda b, w: {"code": "A01", "name": "基本公共服务"},
        ),
    ),
    "procurement:catalogue_publish": (post(allow(purchaser="oi"), CATALOGUE),),
    # Bulletins: public once published; anyone signed in may object.
    "bulletins:list": (get(PUBLIC),),
    "bulletins:detail": (
        get(PUBLIC, PUBLISHED_DECISION, label="published"),
        get(NOBODY, DECISION, label="not yet published"),
    ),
    "bulletins:object": (
        post(SIGNED_IN, PUBLISHED_DECISION, body=lambda b, w: {"text": "评分过程不透明"}),
    ),
    # Incubator
    "incubator:parks": (get(PUBLIC),),
    "incubator:park": (get(PUBLIC, PARK),),
    "incubator:book": (
        post(
            allow(center_staff="oi", org_admin="o", org_member="o"),
            PARK,
            body=lambda b, w: {
                "space": b.room.pk,
                "start": _later(5, 10).strftime("%Y-%m-%d %H:%M"),
                "end": _later(5, 11).strftime("%Y-%m-%d %H:%M"),
                "title": "项目会",
                "attendees": "3",
            },
        ),
    ),
    "incubator:desk": (
        post(
            allow(org_admin="o", org_member="o"),
            PARK,
            label="file a request (residents)",
            body=lambda b, w: {
                "action": "file",
                "organization": _mine(w),
                "kind": "legal",
                "text": "请协助修改章程",
            },
        ),
        post(
            allow(center_staff="oi"),
            PARK,
            label="answer a request (staff)",
            body=lambda b, w: {
                "action": "answer",
                "request": b.service_request.pk,
                "answer": "已答复",
            },
        ),
    ),
    "incubator:community": (
        post(
            allow(center_staff="oi"),
            PARK,
            label="plan an event (staff)",
            body=lambda b, w: {
                "action": "event",
                "field": "elderly",
                "partner": "区民政局",
                "title": "供需对接会",
                "held_at": _later(9, 14).strftime("%Y-%m-%d %H:%M"),
            },
        ),
    ),
    "incubator:apply": (
        post(
            allow(org_admin="oix"),
            pk("intake_round"),
            body=lambda b, w: {"organization": _mine(w), "proposal": "申请入驻孵化"},
        ),
    ),
    "incubator:residency": (
        get(allow(center_staff="oi", org_admin="o"), RESIDENCY, label="incubating"),
        get(allow(center_staff="oi", expert="oi"), RESIDENCY_APPLICATION, label="application"),
    ),
    "incubator:residency_action": (
        post(
            allow(center_staff="oi", expert="oi"),
            RESIDENCY_APPLICATION,
            label="score an application (the panel)",
            body=lambda b, w: {"action": "score", "score": "80"},
        ),
        post(
            allow(center_staff="oi", org_admin="o"),
            RESIDENCY,
            label="withdraw (the organization or staff)",
            body=lambda b, w: {"action": "withdraw", "reason": "迁出"},
        ),
    ),
    "incubator:session": (
        get(SIGNED_IN, SESSION),
        post(
            allow(org_admin="oix", org_member="oix"),
            SESSION,
            label="register a participant",
            body=lambda b, w: {
                "action": "register",
                "organization": _mine(w),
                "participant": "赵七",
            },
        ),
    ),
    "incubator:certificate": (
        get(
            allow(org_admin="o", org_member="o", center_staff="oi"),
            pk("registration"),
        ),
    ),
    # Oversight
    "oversight:credit_lists": (get(PUBLIC),),
    "oversight:credit_page": (
        get(PUBLIC, ORG, label="registered"),
        get(allow(**READS_REGISTRY), PREPARING_ORG, label="preparing"),
    ),
    "oversight:desk": (get(allow(official="*", auditor="*", center_staff="*")),),
    "oversight:alert": (get(allow(official="oi", auditor="oi", center_staff="oi"), ALERT),),
    "oversight:alert_action": (
        post(allow(official="oi"), ALERT, body=lambda b, w: {"action": "acknowledge"}),
    ),
    # Experts of the area score grade assessments "on the organization's oversight page"
    # (user guide); every organization of the world has one being scored.
    "oversight:organization": (
        get(
            allow(official="oi", auditor="oi", center_staff="oi", org_admin="o", expert="oi"),
            ORG,
            label="with a grade assessment",
        ),
        # The umbrella's staff file for an attached organization (rule oversight.file).
        get(
            allow(official="oi", auditor="oi", center_staff="oi", association_staff="o"),
            ATTACHED_ORG,
            label="attached to an association",
        ),
    ),
    "oversight:organization_action": (
        post(
            allow(official="oi"),
            ORG,
            label="record a registered letter (official)",
            body=lambda b, w: {
                "action": "letter",
                "sent_on": timezone.localdate().isoformat(),
                "tracking": "EMS1234567",
            },
        ),
        post(
            allow(org_admin="o"),
            ORG,
            label="apply for a grade (the organization)",
            body=lambda b, w: {"action": "grade_apply"},
        ),
        post(
            allow(expert="oi"),
            ORG,
            label="score a grade assessment (experts of the area)",
            body=lambda b, w: {
                "action": "grade_score",
                "assessment": b.grade_assessment.pk,
                **dict.fromkeys(settings.SERVICEPARK_GRADE_PARTS, "10"),
            },
        ),
    ),
    "oversight:annual_report_new": (
        get(allow(org_admin="o"), ORG),
        get(allow(association_staff="o"), ATTACHED_ORG, label="attached to an association"),
        post(allow(org_admin="o"), ORG, body=lambda b, w: {"year": "2025"}),
    ),
    # Beneficiaries answer the survey by its link, without an account.
    "survey": (
        get(PUBLIC, lambda b: {"token": b.survey.token}),
        post(PUBLIC, lambda b: {"token": b.survey.token}, body=lambda b, w: {"satisfaction": "5"}),
    ),
    "audit:list": (get(allow(official="*", auditor="*")),),
    "geo:picker": (get(PUBLIC),),
    # The API's own pages; its operations are checked from the OpenAPI document (API below).
    "api-v1:openapi-json": (get(PUBLIC),),
    "api-v1:openapi-view": (get(PUBLIC),),
    # django-ninja's root path answers 404 to everybody (the documents are the two above).
    "api-v1:api-root": (get(NOBODY),),
}

# Denies that are bugs, known and not yet fixed: (route, check label, role) -> why. They are
# reported on every run without failing it; once one is fixed the test fails until its entry
# is removed here.
KNOWN_DENIES: dict[tuple[str, str, str], str] = {}

# URL patterns the matrix does not request: name -> why.
SKIPPED = {
    "set_language": "Django's language switch (i18n): no data, no permission",
}

# --- API: every operation of the OpenAPI document, by operationId ------------------------------

API: dict[str, tuple[Check, ...]] = {
    "servicepark_accounts_api_token": (post(PUBLIC, body=lambda b, w: {}),),
    "servicepark_accounts_api_me": (get(SIGNED_IN),),
    "servicepark_registry_api_list_organizations": (get(PUBLIC),),
    "servicepark_registry_api_get_organization": (
        get(PUBLIC, lambda b: {"org_id": b.org.pk}, label="registered"),
        # A public operation reads no token: what is not public stays hidden here.
        get(NOBODY, lambda b: {"org_id": b.preparing_org.pk}, label="preparing"),
    ),
    "servicepark_registry_api_create_organization": (
        post(
            allow(official="oi"),
            scoped=True,
            label="in the scope's division",
            body=lambda b, w: {
                "name": "接口登记社会工作服务中心",
                "org_type": "social_service_agency",
                "registration_kind": "direct",
                "division_code": b.org.division_id,
            },
        ),
    ),
    "servicepark_registry_api_transition_organization": (
        post(
            allow(official="oi"),
            lambda b: {"org_id": b.org.pk},
            body=lambda b, w: {"action": "suspend", "reason": "核查"},
        ),
    ),
    "servicepark_procurement_api_list_calls": (get(PUBLIC),),
    "servicepark_procurement_api_get_call": (
        get(PUBLIC, lambda b: {"call_id": b.open_call.pk}, label="published"),
        # A public operation reads no token, so drafts stay hidden from everybody here.
        get(NOBODY, lambda b: {"call_id": b.draft_call.pk}, label="draft"),
    ),
    "servicepark_procurement_api_list_applications": (get(SIGNED_IN),),
    "servicepark_procurement_api_get_application": (
        get(allow(**READS_APPLICATION, expert="o"), lambda b: {"application_id": b.application.pk}),
    ),
    "servicepark_procurement_api_get_reviews": (
        get(allow(expert="o", purchaser="oi"), lambda b: {"application_id": b.application.pk}),
    ),
    "servicepark_transparency_api_list_releases": (get(PUBLIC),),
    "servicepark_incubator_api_list_spaces": (get(SIGNED_IN),),
    "servicepark_incubator_api_list_bookings": (
        get(
            allow(center_staff="oi", org_admin="o", org_member="o"),
            scoped=True,
            query=lambda b: {"space": b.room.pk},
        ),
    ),
    "servicepark_incubator_api_create_booking": (
        post(
            allow(center_staff="oi", org_admin="o", org_member="o"),
            scoped=True,
            body=lambda b, w: {
                "space": b.room.pk,
                "start": _later(6, 10).isoformat(),
                "end": _later(6, 11).isoformat(),
                "title": "项目会",
                "attendees": 3,
            },
        ),
    ),
    "servicepark_oversight_api_credit_lists": (get(PUBLIC),),
}
