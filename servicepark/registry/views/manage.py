"""Registrar and organization-admin pages: create, edit, status, change requests."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from servicepark.common.feedback import add_errors, flash_error
from servicepark.common.permissions import has_permission
from servicepark.registry.forms import (
    DecisionForm,
    MembershipForm,
    OrganizationForm,
    ProfileForm,
    TransitionForm,
)
from servicepark.registry.models import Membership
from servicepark.registry.selectors import (
    change_request_get_for,
    change_request_list,
    organization_get_for,
)
from servicepark.registry.services.organizations import (
    change_request_decide,
    organization_create,
    organization_transition,
    organization_update_profile,
)
from servicepark.registry.services.people import membership_add, membership_end

# The form cannot call a field "fields" (Form.fields is the field dictionary).
FORM_FIELDS = "fields_of_service"


def _to_service(data: dict[str, Any]) -> dict[str, Any]:
    out = dict(data)
    if FORM_FIELDS in out:
        out["fields"] = out.pop(FORM_FIELDS)
    return out


def add_service_errors(form: Any, exc: ValidationError) -> None:
    """Show a service's ValidationError on the organization form."""
    add_errors(form, exc, {"division": "division_code", "fields": FORM_FIELDS})


@login_required
def create(request: HttpRequest) -> HttpResponse:
    allowed, reason = has_permission("organization.create", request.user)
    if not allowed:
        raise PermissionDenied(reason)
    form = OrganizationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            org = organization_create(actor=request.user, data=_to_service(form.cleaned_data))
        except PermissionDenied as exc:
            form.add_error("division_code", str(exc))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The organization was added to the registry."))
            return redirect("registry:detail", org.pk)
    return render(
        request, "registry/form.html", {"form": form, "title": _("Register an organization")}
    )


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    org = organization_get_for(user=request.user, pk=pk)
    allowed, reason = has_permission("organization.edit_profile", request.user, org)
    if not allowed:
        raise PermissionDenied(reason)
    initial = {f: getattr(org, f) for f in ProfileForm.base_fields if f != FORM_FIELDS}
    initial[FORM_FIELDS] = org.field_codes
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        changes = _to_service(
            {k: v for k, v in form.cleaned_data.items() if k in form.changed_data}
        )
        try:
            _org, change = organization_update_profile(
                actor=request.user, organization=org, changes=changes
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if change is not None:
                messages.info(
                    request,
                    _("Changes to registered particulars were sent to the registrar for approval."),
                )
            else:
                messages.success(request, _("The profile was saved."))
            return redirect("registry:detail", org.pk)
    return render(
        request,
        "registry/form.html",
        {
            "form": form,
            "title": _("Edit profile: %(name)s") % {"name": org.name},
            "org": org,
            "legal_note": True,
        },
    )


@login_required
@require_POST
def transition(request: HttpRequest, pk: int) -> HttpResponse:
    org = organization_get_for(user=request.user, pk=pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The request was incomplete."))
        return redirect("registry:detail", pk)
    try:
        organization_transition(
            actor=request.user,
            organization=org,
            action=form.cleaned_data["action"],
            reason=form.cleaned_data["reason"],
        )
    except (ValidationError, PermissionDenied) as exc:
        flash_error(request, exc)
    else:
        messages.success(request, _("The status was changed."))
    return redirect("registry:detail", pk)


@login_required
def changes(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", "pending")
    items = list(change_request_list(user=request.user, state=state)[:200])
    return render(
        request, "registry/changes.html", {"items": items, "state": state, "form": DecisionForm()}
    )


@login_required
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    change = change_request_get_for(user=request.user, pk=pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            change_request_decide(
                actor=request.user,
                change=change,
                approve=form.cleaned_data["decision"] == "approve",
                reason=form.cleaned_data["reason"],
            )
        except (ValidationError, PermissionDenied) as exc:
            flash_error(request, exc)
        else:
            messages.success(request, _("The decision was recorded."))
    else:
        flash_error(request, form)
    return redirect("registry:changes")


@login_required
@require_POST
def people_add(request: HttpRequest, pk: int) -> HttpResponse:
    org = organization_get_for(user=request.user, pk=pk)
    form = MembershipForm(request.POST)
    if not form.is_valid():
        flash_error(request, form)
        return redirect("registry:detail", pk)
    try:
        membership_add(actor=request.user, organization=org, **form.cleaned_data)
    except ValidationError as exc:
        flash_error(request, exc)
    except PermissionDenied as exc:
        raise exc
    else:
        messages.success(request, _("The person was added."))
    return redirect("registry:detail", pk)


@login_required
@require_POST
def people_end(request: HttpRequest, pk: int, membership_id: int) -> HttpResponse:
    org = organization_get_for(user=request.user, pk=pk)
    membership = get_object_or_404(Membership, pk=membership_id, organization=org)
    try:
        membership_end(actor=request.user, membership=membership)
    except ValidationError as exc:
        flash_error(request, exc)
    else:
        messages.success(request, _("The role was ended."))
    return redirect("registry:detail", pk)
