"""Writes to accounts: users, grants and API tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from servicepark.accounts.models import ApiToken, Grant, User
from servicepark.accounts.roles import DIVISION_ROLES, ORGANIZATION_ROLES
from servicepark.accounts.two_factor import needs_two_factor, verify_code
from servicepark.common.audit import audit_record


def user_create(
    *, actor: Any, username: str, password: str, display_name: str = "", is_superuser: bool = False
) -> User:
    with transaction.atomic():
        if User.objects.filter(username=username).exists():
            raise ValidationError({"username": [_("This username is taken.")]})
        user = User(
            username=username,
            display_name=display_name,
            is_superuser=is_superuser,
            is_staff=is_superuser,
        )
        user.set_password(password)
        user.save()
        audit_record(
            actor=actor,
            action="user.create",
            obj=user,
            after={
                "username": username,
                "display_name": display_name,
                "is_superuser": is_superuser,
            },
        )
    return user


def grant_add(
    *,
    actor: Any,
    user: User,
    role: str,
    division_code: str | None = None,
    organization_id: int | None = None,
) -> Grant:
    if role in DIVISION_ROLES and not division_code:
        raise ValidationError(_("This role is granted over a jurisdiction (division code)."))
    if role in ORGANIZATION_ROLES and not organization_id:
        raise ValidationError(_("This role is granted over an organization."))
    with transaction.atomic():
        grant, created = Grant.objects.get_or_create(
            user=user,
            role=role,
            division_id=division_code if role in DIVISION_ROLES else None,
            organization_id=organization_id if role in ORGANIZATION_ROLES else None,
        )
        if created:
            audit_record(
                actor=actor,
                action="grant.add",
                obj=grant,
                after={
                    "user": user.pk,
                    "role": role,
                    "division": grant.division_id,
                    "organization": grant.organization_id,
                },
            )
    user.__dict__.pop("_grants_cache", None)
    return grant


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def api_token_issue(
    *, username: str, password: str, otp: str | None = None, request: HttpRequest | None = None
) -> str:
    """Check the credentials (and, for the roles that need it, a TOTP code) and return a new
    bearer token (stored only as a hash). Wrong passwords count towards the lockout."""
    # PostgreSQL refuses NUL in text; the lockout log keeps usernames of at most 255
    # characters (a longer one was a database error: found by fuzzing). No username is longer.
    if "\x00" in username or "\x00" in password or len(username) > 150:
        raise ValidationError(_("Wrong username or password."))
    if request is None:  # a call from the server itself (benchmarks, scripts)
        request = HttpRequest()
        request.META["REMOTE_ADDR"] = "127.0.0.1"
    user = authenticate(request=request, username=username, password=password)
    if user is None or not user.is_active:
        raise ValidationError(_("Wrong username or password."))
    if needs_two_factor(user) and verify_code(user, otp) is None:
        raise ValidationError(
            _("This account needs the six-digit code of its authenticator app (field “otp”).")
        )
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        row = ApiToken.objects.create(
            user=user,
            key_hash=_token_hash(token),
            prefix=token[:8],
            expires_at=timezone.now() + dt.timedelta(days=settings.SERVICEPARK_API_TOKEN_DAYS),
        )
        audit_record(actor=user, action="api_token.issue", obj=row, after={"prefix": row.prefix})
    return token


def api_token_user(token: str) -> User | None:
    """The active user behind a bearer token, or None."""
    row = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=_token_hash(token), revoked=False, expires_at__gt=timezone.now())
        .first()
    )
    if row is None or not row.user.is_active:
        return None
    return row.user
