"""Public calls for proposals."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from servicepark.common.feedback import add_errors, attempt
from servicepark.common.pagination import paginate
from servicepark.common.permissions import has_permission
from servicepark.procurement.forms_calls import CallForm
from servicepark.procurement.models import Application
from servicepark.procurement.selectors import call_get_for, call_list, purchasers_editable_by
from servicepark.procurement.selectors_decisions import (
    bulletin_list,
    organizations_user_may_apply_for,
)
from servicepark.procurement.services.calls import call_create, call_publish

PHASES = ("open", "upcoming", "closed")
# Service field → form field, where they differ.
CALL_FORM_ALIASES = {
    "fields": "fields_of_service",
    "matching_ratio": "matching_percent",
    "eligibility": "kinds",
}


def call_index(request: HttpRequest) -> HttpResponse:
    phase = request.GET.get("phase", "")
    phase = phase if phase in PHASES else ""
    page = paginate(
        call_list(user=request.user, phase=phase), page=request.GET.get("page"), per_page=20
    )
    return render(
        request,
        "procurement/calls.html",
        {
            "page": page,
            "phase": phase,
            "query": f"phase={phase}" if phase else "",
            "can_open": request.user.is_authenticated
            and purchasers_editable_by(request.user).exists(),
        },
    )


def call_detail(request: HttpRequest, pk: int) -> HttpResponse:
    call = call_get_for(user=request.user, pk=pk)
    user = request.user
    return render(
        request,
        "procurement/call.html",
        {
            "call": call,
            "phase": call.phase(),
            "can_apply": organizations_user_may_apply_for(user).exists(),
            "can_edit": has_permission("call.manage", user, call)[0],
            "can_run": has_permission("call.manage", user, call)[0]
            or has_permission("application.screen", user, Application(call=call))[0],
            "bulletins": bulletin_list().filter(call=call)[:1],
        },
    )


@login_required
def call_new(request: HttpRequest) -> HttpResponse:
    purchasers = purchasers_editable_by(request.user)
    if not purchasers.exists():
        raise PermissionDenied(_("Only a purchaser's staff may open calls."))
    form = CallForm(request.POST or None, purchasers=purchasers)
    if request.method == "POST" and form.is_valid():
        try:
            call = call_create(
                actor=request.user, purchaser=form.cleaned_data["purchaser"], data=form.to_input()
            )
        except ValidationError as exc:
            add_errors(form, exc, CALL_FORM_ALIASES)
        else:
            messages.success(request, _("The call is saved as a draft; publish it when ready."))
            return redirect("procurement:call", call.pk)
    return render(request, "procurement/call_form.html", {"form": form})


@login_required
@require_POST
def call_publish_view(request: HttpRequest, pk: int) -> HttpResponse:
    call = call_get_for(user=request.user, pk=pk)
    attempt(
        request,
        lambda: call_publish(actor=request.user, call=call),
        _("The call is published."),
    )
    return redirect("procurement:call", call.pk)
