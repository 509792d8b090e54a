"""django-axes' lockout for every sign-in that comes with a request (the login form and the
API token endpoint both pass theirs); server-side checks without one (tests' Client.login,
scripts) go straight to the model backend."""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend


class LockoutBackend(AxesStandaloneBackend):
    def authenticate(self, request: Any = None, *args: Any, **kwargs: Any) -> Any:
        if request is None:
            return None
        return super().authenticate(request, *args, **kwargs)
