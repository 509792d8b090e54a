"""Procurement API: calls for proposals (public)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.responses import Status

from servicepark.common.api import Problem
from servicepark.common.pagination import paginate
from servicepark.common.permissions import has_permission
from servicepark.procurement.models import Application, Assignment, Call
from servicepark.procurement.scoring import aggregate
from servicepark.procurement.selectors import (
    application_get_for,
    application_list,
    call_get_for,
    call_list,
)
from servicepark.procurement.services.jury import scores_visible_to
from servicepark.registry.models.choices import mask_to_fields

router = Router(tags=["procurement"])


class CriterionOut(Schema):
    key: str
    name: str
    max_points: int


class CallOut(Schema):
    id: int
    title: str
    kind: str
    method: str
    state: str
    phase: str
    purchaser: str
    division_code: str
    catalogue_item: str | None
    fields: list[str]
    total_budget: str
    per_project_min: str
    per_project_cap: str
    matching_ratio: str
    opens_at: dt.datetime
    closes_at: dt.datetime
    jury_size: int
    objection_days: int
    rubric: list[CriterionOut]
    required_documents: list[str]
    eligibility: dict[str, Any]

    @staticmethod
    def from_call(call: Call) -> dict[str, Any]:
        return {
            "id": call.pk,
            "title": call.title,
            "kind": call.kind,
            "method": call.method,
            "state": call.state,
            "phase": call.phase(),
            "purchaser": call.purchaser.name,
            "division_code": call.purchaser.division_id,
            "catalogue_item": call.catalogue_item.code if call.catalogue_item else None,
            "fields": mask_to_fields(call.fields),
            "total_budget": str(call.total_budget),
            "per_project_min": str(call.per_project_min),
            "per_project_cap": str(call.per_project_cap),
            "matching_ratio": str(call.matching_ratio),
            "opens_at": call.opens_at,
            "closes_at": call.closes_at,
            "jury_size": call.jury_size,
            "objection_days": call.objection_days,
            "rubric": call.rubric,
            "required_documents": call.required_documents,
            "eligibility": call.eligibility,
        }


class CallPage(Schema):
    items: list[CallOut]
    count: int


@router.get("/calls", response={200: CallPage, 422: Problem}, auth=None)
def list_calls(request: HttpRequest, phase: str = "", page: int = 1) -> Any:
    result = paginate(call_list(user=request.user, phase=phase), page=page, per_page=50)
    return {"items": [CallOut.from_call(c) for c in result.items], "count": result.count}


@router.get("/calls/{call_id}", response={200: CallOut, 404: Problem, 422: Problem}, auth=None)
def get_call(request: HttpRequest, call_id: int) -> Any:
    try:
        return Status(200, CallOut.from_call(call_get_for(user=request.user, pk=call_id)))
    except Http404:
        return Status(404, {"detail": _("Not found.")})


class ApplicationOut(Schema):
    id: int
    call: int
    organization: int
    organization_name: str
    applicant: int
    state: str
    requested_total: str
    matching_total: str
    field: str
    eligible: bool | None
    screening_reasons: list[str]
    screening: str
    screening_note: str
    content: dict[str, Any]

    @staticmethod
    def from_application(app: Application) -> dict[str, Any]:
        return {
            "id": app.pk,
            "call": app.call_id,
            "organization": app.organization_id,
            "organization_name": app.organization.name,
            "applicant": app.applicant_id,
            "state": app.state,
            "requested_total": str(app.requested_total),
            "matching_total": str(app.matching_total),
            "field": app.field,
            "eligible": app.eligible,
            "screening_reasons": app.screening_reasons,
            "screening": app.screening,
            "screening_note": app.screening_note,
            "content": app.content,
        }


class ApplicationPage(Schema):
    items: list[ApplicationOut]
    count: int


@router.get("/applications", response={200: ApplicationPage, 401: Problem, 422: Problem})
def list_applications(request: HttpRequest, page: int = 1) -> Any:
    result = paginate(application_list(user=request.user), page=page, per_page=50)
    return {
        "items": [ApplicationOut.from_application(a) for a in result.items],
        "count": result.count,
    }


@router.get(
    "/applications/{application_id}",
    response={200: ApplicationOut, 401: Problem, 404: Problem, 422: Problem},
)
def get_application(request: HttpRequest, application_id: int) -> Any:
    try:
        app = application_get_for(user=request.user, pk=application_id)
    except Http404:
        return Status(404, {"detail": _("Not found.")})
    return Status(200, ApplicationOut.from_application(app))


class SheetOut(Schema):
    juror: int
    scores: dict[str, int]
    comment: str


class ReviewsOut(Schema):
    application: int
    sheets: list[SheetOut]
    per_criterion: dict[str, str]
    total: str
    disagreement: bool


@router.get(
    "/applications/{application_id}/reviews",
    response={200: ReviewsOut, 401: Problem, 403: Problem, 404: Problem, 422: Problem},
)
def get_reviews(request: HttpRequest, application_id: int) -> Any:
    """Jurors (after submitting their own sheet) and the purchaser's staff; nobody else."""
    try:
        app = application_get_for(user=request.user, pk=application_id)
    except Http404:
        return Status(404, {"detail": _("Not found.")})
    juror = Assignment.objects.filter(
        application=app, expert__user_id=request.user.pk or 0
    ).exists()
    if not juror and not has_permission("call.manage", request.user, app.call)[0]:
        return Status(403, {"detail": _("Only the jury and the purchaser's staff see reviews.")})
    sheets = scores_visible_to(user=request.user, application=app)
    keys = [c["key"] for c in app.call.rubric]
    result = aggregate([s.scores for s in sheets], keys) if sheets else None
    return Status(
        200,
        {
            "application": app.pk,
            "sheets": [
                {"juror": i + 1, "scores": s.scores, "comment": s.comment}
                for i, s in enumerate(sheets)
            ],
            "per_criterion": {
                k: str(v) for k, v in (result.per_criterion if result else {}).items()
            },
            "total": str(result.total if result else "0.00"),
            "disagreement": bool(result and result.disagreement),
        },
    )
