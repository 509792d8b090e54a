"""API authentication: POST /api/v1/auth/token, then `Authorization: Bearer <token>`."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django_ratelimit.core import is_ratelimited
from ninja import Router, Schema
from ninja.responses import Status
from ninja.security import HttpBearer

from servicepark.accounts.scoping import user_grants
from servicepark.accounts.services import api_token_issue, api_token_user
from servicepark.accounts.two_factor import client_address, login_rate
from servicepark.common.api import Problem

router = Router(tags=["auth"])


class BearerAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = api_token_user(token)
        if user is not None:
            request.user = user
        return user


class TokenIn(Schema):
    username: str
    password: str
    otp: str | None = None  # the authenticator's code, for roles that sign in with two factors


class TokenOut(Schema):
    token: str


class GrantOut(Schema):
    role: str
    division: str | None
    organization: int | None


class MeOut(Schema):
    username: str
    display_name: str
    grants: list[GrantOut]


@router.post(
    "/auth/token", response={200: TokenOut, 401: Problem, 422: Problem, 429: Problem}, auth=None
)
def token(request: HttpRequest, payload: TokenIn) -> Any:
    """A bearer token for the user. Officials, purchasers, experts and auditors also send
    `otp`, the current code of their authenticator app. Five wrong passwords lock the username
    from this address for 30 minutes; each address may ask only so often (429)."""
    if is_ratelimited(
        request,
        group="api-token",
        key=client_address,
        rate=login_rate,
        method="POST",
        increment=True,
    ):
        return Status(429, {"detail": _("Too many requests; try again in a minute.")})
    if getattr(request, "axes_locked_out", False):
        return Status(429, {"detail": _("Too many wrong passwords: try again in 30 minutes.")})
    try:
        issued = api_token_issue(
            username=payload.username, password=payload.password, otp=payload.otp, request=request
        )
    except ValidationError as exc:
        if getattr(request, "axes_locked_out", False):
            return Status(429, {"detail": _("Too many wrong passwords: try again in 30 minutes.")})
        return Status(401, {"detail": " ".join(exc.messages)})
    return Status(200, {"token": issued})


@router.get("/me", response={200: MeOut, 401: Problem})
def me(request: HttpRequest) -> Any:
    user = request.user
    return {
        "username": user.get_username(),
        "display_name": getattr(user, "display_name", ""),
        "grants": [
            {"role": g.role, "division": g.division_id, "organization": g.organization_id}
            for g in user_grants(user)
        ],
    }
