"""API authentication: POST /api/v1/auth/token, then `Authorization: Bearer <token>`."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.responses import Status
from ninja.security import HttpBearer

from servicepark.accounts.scoping import user_grants
from servicepark.accounts.services import api_token_issue, api_token_user
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


@router.post("/auth/token", response={200: TokenOut, 401: Problem, 422: Problem}, auth=None)
def token(request: HttpRequest, payload: TokenIn) -> Any:
    try:
        return Status(
            200, {"token": api_token_issue(username=payload.username, password=payload.password)}
        )
    except ValidationError as exc:
        return Status(401, {"detail": " ".join(exc.messages)})


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
