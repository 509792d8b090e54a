from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from servicepark.accounts.scoping import user_grants
from servicepark.common.pagination import paginate
from servicepark.common.permissions import has_permission
from servicepark.common.selectors import audit_event_list
from servicepark.registry.selectors import organization_public_count


def home(request: HttpRequest) -> HttpResponse:
    grants = user_grants(request.user)
    return render(
        request,
        "common/home.html",
        {
            "public_count": organization_public_count(),
            "grants": grants,
        },
    )


@login_required
def audit_list(request: HttpRequest) -> HttpResponse:
    allowed, reason = has_permission("audit.view", request.user)
    if not allowed:
        raise PermissionDenied(reason)
    page = paginate(
        audit_event_list(user=request.user, action=request.GET.get("action", "")),
        page=request.GET.get("page"),
        per_page=50,
    )
    return render(request, "common/audit_list.html", {"page": page})


def rate_limited(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Too many requests from one address (django-ratelimit's RATELIMIT_VIEW)."""
    from django.utils.translation import gettext as _

    response = render(
        request,
        "403.html",
        {"exception": _("Too many requests; try again in a minute.")},
        status=429,
    )
    response["Retry-After"] = "60"
    return response
