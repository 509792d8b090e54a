"""Open data over HTTP: OCDS releases."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema

from servicepark.common.api import Problem
from servicepark.transparency.exports.ocds import PER_PAGE, release_page

router = Router(tags=["open data"])


class ReleasePage(Schema):
    items: list[dict[str, Any]]
    count: int


@router.get(
    "/ocds/releases",
    response={200: ReleasePage, 422: Problem},
    auth=None,
    summary="OCDS 1.1 releases of the published calls",
)
def list_releases(request: HttpRequest, page: int = 1) -> Any:
    """Every release of `servicepark export ocds`, in the same order and with the same ids,
    50 a page. `count` is the number of releases in all; a page past the end shows the last."""
    result = release_page(page=page, per_page=PER_PAGE)
    # The releases are already JSON text (amounts written exactly); the page wraps them as is.
    body = '{"items":[' + ",".join(result.texts) + '],"count":' + str(result.count) + "}"
    return HttpResponse(body.encode(), content_type="application/json")
