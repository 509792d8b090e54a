"""The HTTP API, version 1: /api/v1/…, OpenAPI at /api/v1/openapi.json."""

from __future__ import annotations

from ninja import NinjaAPI

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
api.add_router("/", accounts_router)
api.add_router("/", registry_router)
