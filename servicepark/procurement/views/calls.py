"""Public calls for proposals."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from servicepark.common.pagination import paginate
from servicepark.common.permissions import has_permission
from servicepark.procurement.models import Application
from servicepark.procurement.selectors import call_get_for, call_list
from servicepark.procurement.selectors_decisions import (
    bulletin_list,
    organizations_user_may_apply_for,
)

PHASES = ("open", "upcoming", "closed")


def call_index(request: HttpRequest) -> HttpResponse:
    phase = request.GET.get("phase", "")
    phase = phase if phase in PHASES else ""
    page = paginate(
        call_list(user=request.user, phase=phase), page=request.GET.get("page"), per_page=20
    )
    return render(
        request,
        "procurement/calls.html",
        {"page": page, "phase": phase, "query": f"phase={phase}" if phase else ""},
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
            "can_run": has_permission("call.manage", user, call)[0]
            or has_permission("application.screen", user, Application(call=call))[0],
            "bulletins": bulletin_list().filter(call=call)[:1],
        },
    )
