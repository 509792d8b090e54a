"""Registry API: the public directory, and registrar actions for officials."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.responses import Status

from servicepark.common.api import Problem, problem_from_validation
from servicepark.common.idempotency import idempotent
from servicepark.common.pagination import paginate
from servicepark.registry.models import Organization
from servicepark.registry.selectors import (
    DirectoryFilters,
    directory_count_cap,
    organization_get_for,
    organization_list,
)
from servicepark.registry.services.organizations import (
    organization_create,
    organization_transition,
)

router = Router(tags=["registry"])


class OrganizationOut(Schema):
    id: int
    uscc: str | None
    filing_number: str | None
    name: str
    name_en: str = ""
    org_type: str
    registration_kind: str
    division_code: str
    division_name: str
    status: str
    fields: list[str]
    founded_on: dt.date | None
    umbrella_id: int | None

    @staticmethod
    def from_org(org: Organization) -> dict[str, Any]:
        return {
            "id": org.pk,
            "uscc": org.uscc,
            "filing_number": org.filing_number,
            "name": org.name,
            "name_en": getattr(org, "name_en", "")
            if "name_en" not in org.get_deferred_fields()
            else "",
            "org_type": org.org_type,
            "registration_kind": org.registration_kind,
            "division_code": org.division_id,
            "division_name": org.division.name,
            "status": org.status,
            "fields": org.field_codes,
            "founded_on": org.founded_on,
            "umbrella_id": org.umbrella_id,
        }


class OrganizationPage(Schema):
    count: int
    count_capped: bool
    page: int
    pages: int
    results: list[OrganizationOut]


class OrganizationIn(Schema):
    uscc: str = ""
    filing_number: str = ""
    name: str
    name_en: str = ""
    org_type: str
    registration_kind: str
    division_code: str
    address: str = ""
    legal_representative: str = ""
    founded_on: str = ""
    fields: list[str] | str = []
    umbrella_uscc: str = ""
    phone: str = ""


class TransitionIn(Schema):
    action: str
    reason: str = ""


class DirectoryFilterIn(Schema):
    q: str = ""
    division: str = ""
    org_type: str = ""
    kind: str = ""
    field: str = ""
    status: str = ""


@router.get("/organizations", response={200: OrganizationPage, 422: Problem}, auth=None)
def list_organizations(
    request: HttpRequest, filters: Query[DirectoryFilterIn], page: int = 1
) -> Any:
    directory = DirectoryFilters(**filters.dict())
    qs = organization_list(user=request.user, filters=directory)
    result = paginate(qs, page=page, per_page=50, cap=directory_count_cap(directory))
    return {
        "count": result.count,
        "count_capped": result.count_capped,
        "page": result.number,
        "pages": result.num_pages,
        "results": [OrganizationOut.from_org(o) for o in result.items],
    }


@router.get(
    "/organizations/{org_id}",
    response={200: OrganizationOut, 404: Problem, 422: Problem},
    auth=None,
)
def get_organization(request: HttpRequest, org_id: int) -> Any:
    try:
        return Status(
            200, OrganizationOut.from_org(organization_get_for(user=request.user, pk=org_id))
        )
    except Http404:
        return Status(404, {"detail": _("Not found.")})


@router.post(
    "/organizations", response={201: OrganizationOut, 401: Problem, 403: Problem, 422: Problem}
)
@idempotent()
def create_organization(request: HttpRequest, payload: OrganizationIn) -> Any:
    try:
        org = organization_create(actor=request.user, data=payload.dict())
    except PermissionDenied as exc:
        return Status(403, {"detail": str(exc)})
    except ValidationError as exc:
        return Status(422, problem_from_validation(exc))
    org = organization_get_for(user=request.user, pk=org.pk)
    return Status(201, OrganizationOut.from_org(org))


@router.post(
    "/organizations/{org_id}/transitions",
    response={200: OrganizationOut, 401: Problem, 403: Problem, 404: Problem, 422: Problem},
)
@idempotent()
def transition_organization(request: HttpRequest, org_id: int, payload: TransitionIn) -> Any:
    try:
        org = organization_get_for(user=request.user, pk=org_id)
        organization_transition(
            actor=request.user, organization=org, action=payload.action, reason=payload.reason
        )
    except Http404:
        return Status(404, {"detail": _("Not found.")})
    except PermissionDenied as exc:
        return Status(403, {"detail": str(exc)})
    except ValidationError as exc:
        return Status(422, problem_from_validation(exc))
    return Status(200, OrganizationOut.from_org(organization_get_for(user=request.user, pk=org_id)))
