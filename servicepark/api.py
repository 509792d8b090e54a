"""The HTTP API, version 1: /api/v1/…, OpenAPI at /api/v1/openapi.json."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import ValidationError as NinjaValidationError

from servicepark.accounts.api import BearerAuth
from servicepark.accounts.api import router as accounts_router
from servicepark.registry.api import router as registry_router

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
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        loc = [str(p) for p in error.get("loc", []) if p not in ("body", "payload", "query")]
        errors.setdefault(".".join(loc) or "__all__", []).append(str(error.get("msg", "")))
    detail = _("The request is not valid: %(fields)s") % {"fields": ", ".join(errors)}
    return api.create_response(request, {"detail": detail, "errors": errors}, status=422)


api.add_router("/", accounts_router)
api.add_router("/", registry_router)
