"""What a locked-out sign-in gets (django-axes' AXES_LOCKOUT_CALLABLE): the lockout page, or a
JSON problem for the API."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"detail": _("Too many wrong passwords: try again in 30 minutes."), "errors": {}},
            status=429,
        )
    return render(request, "accounts/locked.html", status=429)
