"""Revealing one masked phone or ID number (servicepark/common/reveal.py)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from servicepark.common.reveal import reveal


@login_required
@require_POST
def reveal_view(request: HttpRequest, kind: str, pk: int, field: str) -> HttpResponse:
    """htmx swaps the answer in place of the mask; without it, a small page answers."""
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}):
        back = ""
    context = {"back": back}
    try:
        context["value"] = reveal(
            actor=request.user, kind=kind, pk=pk, field=field, reason=request.POST.get("reason", "")
        )
        status = 200
    except ValidationError as exc:
        context["error"] = " ".join(exc.messages)
        status = 400
    except PermissionDenied as exc:
        context["error"] = str(exc)
        status = 403
    htmx = bool(getattr(request, "htmx", False))
    template = "common/revealed_fragment.html" if htmx else "common/revealed.html"
    response = render(request, template, context, status=status)
    response["Cache-Control"] = "no-store"
    return response
