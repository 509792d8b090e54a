"""The HTTP API, version 1: /api/v1/…, OpenAPI at /api/v1/openapi.json."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError

from servicepark.accounts.api import BearerAuth
from servicepark.accounts.api import router as accounts_router
from servicepark.common.api import problem_from_input
from servicepark.incubator.api import router as incubator_router
from servicepark.oversight.api import router as oversight_router
from servicepark.procurement.api import router as procurement_router
from servicepark.registry.api import router as registry_router
from servicepark.transparency.api import router as transparency_router

api = NinjaAPI(
    title="Servicepark API",
    version="1",
    urls_namespace="api-v1",
    auth=BearerAuth(),
    docs_url="/docs",
    openapi_url="/openapi.json",
)


@api.exception_handler(NinjaValidationError)
def invalid_input(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    """Malformed requests get the same shape as rule violations: a sentence and fields."""
    return api.create_response(request, problem_from_input(list(exc.errors)), status=422)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """Ninja's own errors in the same shape and the user's language."""
    if exc.status_code == 400:  # a body that is not JSON at all
        return api.create_response(
            request, problem_from_input([{"type": "json_invalid"}]), status=422
        )
    detail = {
        401: _("Send a valid token: Authorization: Bearer <token> (POST /api/v1/auth/token)."),
        403: _("You may not do this."),
        429: _("Too many requests; try again later."),
    }.get(exc.status_code, str(exc))
    return api.create_response(
        request, {"detail": str(detail), "errors": {}}, status=exc.status_code
    )


api.add_router("/", accounts_router)
api.add_router("/", registry_router)
api.add_router("/", procurement_router)
api.add_router("/", transparency_router)
api.add_router("/", incubator_router)
api.add_router("/", oversight_router)
