"""Who must sign in with a second factor (TOTP), and checking a code."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from servicepark.accounts.scoping import user_roles


def needs_two_factor(user: Any) -> bool:
    """Officials, purchasers, experts, auditors (and superusers) when the setting is on."""
    if not settings.SERVICEPARK_REQUIRE_2FA or not getattr(user, "is_authenticated", False):
        return False
    if getattr(user, "pk", None) is None:  # system actors
        return False
    return bool(user.is_superuser or user_roles(user) & set(settings.SERVICEPARK_2FA_ROLES))


def has_device(user: Any) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def verify_code(user: Any, code: str | None) -> Any:
    """The confirmed device that accepts `code` (each code once), or None."""
    code = (code or "").strip().replace(" ", "")
    if not (code.isdigit() and len(code) == 6):
        return None
    return match_token(user, code)


def client_address(group: str, request: Any) -> str:
    """The rate limits' key: the client's address (empty when the server gives none)."""
    return str(request.META.get("REMOTE_ADDR", ""))


def login_rate(group: str, request: Any) -> str:
    return str(settings.SERVICEPARK_LOGIN_RATE)
