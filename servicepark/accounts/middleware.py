"""Users who must use two factors reach nothing but the two-factor page until they have."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from servicepark.accounts.two_factor import needs_two_factor

OPEN_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/api/")


class TwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and needs_two_factor(user)
            and not user.is_verified()
            and not request.path.startswith(OPEN_PREFIXES)
        ):
            target = reverse("accounts:two_factor") + "?" + urlencode({"next": request.path})
            return HttpResponseRedirect(target)
        return self.get_response(request)
