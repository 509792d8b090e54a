"""Public directory, organization pages and exports."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from servicepark.common.pagination import paginate
from servicepark.common.permissions import has_permission
from servicepark.common.selectors import audit_events_for_object
from servicepark.geo.selectors import division_ancestors
from servicepark.registry.exporting import build_xlsx, stream_csv
from servicepark.registry.forms import DirectoryFilterForm, MembershipForm, TransitionForm
from servicepark.registry.models import Membership
from servicepark.registry.selectors import (
    DirectoryFilters,
    directory_count_cap,
    organization_attached,
    organization_export_list,
    organization_get_for,
    organization_list,
)
from servicepark.registry.workflows import ORGANIZATION_STATUS


def _filters(request: HttpRequest) -> tuple[DirectoryFilterForm, DirectoryFilters]:
    form = DirectoryFilterForm(request.GET or None)
    if form.is_valid():
        return form, DirectoryFilters(**{k: v or "" for k, v in form.cleaned_data.items()})
    return form, DirectoryFilters()


def directory(request: HttpRequest) -> HttpResponse:
    form, filters = _filters(request)
    page = paginate(
        organization_list(user=request.user, filters=filters),
        page=request.GET.get("page"),
        per_page=20,
        cap=directory_count_cap(filters),
    )
    query = urlencode({k: v for k, v in filters.__dict__.items() if v})
    division_path = division_ancestors(filters.division) if filters.division else []
    return render(
        request,
        "registry/directory.html",
        {
            "form": form,
            "page": page,
            "query": query,
            "division_path": division_path,
            "can_export": has_permission("organization.export", request.user)[0]
            if request.user.is_authenticated
            else False,
        },
    )


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    org = organization_get_for(user=request.user, pk=pk)
    user = request.user
    is_official = user.is_authenticated and has_permission("organization.transition", user, org)[0]
    can_edit = user.is_authenticated and has_permission("organization.edit_profile", user, org)[0]
    people = (
        (
            Membership.objects.filter(organization=org, ended_on__isnull=True)
            .select_related("person")
            .prefetch_related("person__memberships__organization")
            .order_by("role", "id")
        )
        if can_edit or is_official
        else []
    )
    history = (
        audit_events_for_object(object_type="registry.organization", object_id=org.pk)
        if is_official or (user.is_authenticated and has_permission("audit.view", user, org)[0])
        else []
    )
    return render(
        request,
        "registry/detail.html",
        {
            "org": org,
            "division_path": division_ancestors(org.division_id),
            "attached": list(organization_attached(org)[:200]),
            "actions": ORGANIZATION_STATUS.available(org) if is_official else [],
            "transition_form": TransitionForm(),
            "can_edit": can_edit,
            "people": people,
            "membership_form": MembershipForm() if can_edit else None,
            "history": history,
            "can_oversee": user.is_authenticated and has_permission("oversight.view", user, org)[0],
        },
    )


@login_required
def export(request: HttpRequest, fmt: str) -> HttpResponse | StreamingHttpResponse:
    allowed, reason = has_permission("organization.export", request.user)
    if not allowed:
        raise PermissionDenied(reason)
    _, filters = _filters(request)
    orgs = organization_export_list(user=request.user, filters=filters)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response: HttpResponse | StreamingHttpResponse
    if fmt == "xlsx":
        response = HttpResponse(
            build_xlsx(orgs.iterator(chunk_size=2000)),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = StreamingHttpResponse(
            stream_csv(orgs.iterator(chunk_size=2000)), content_type="text/csv; charset=utf-8"
        )
    response["Content-Disposition"] = f'attachment; filename="organizations-{stamp}.{fmt}"'
    return response
