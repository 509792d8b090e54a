"""Public calls for proposals."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from servicepark.common.pagination import paginate
from servicepark.procurement.selectors import call_get_for, call_list

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
    return render(request, "procurement/call.html", {"call": call, "phase": call.phase()})
