"""Public credit lists: GET /api/v1/credit-lists?list=abnormal|serious[&all=1]."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from servicepark.common.api import Problem
from servicepark.oversight.models import CreditList
from servicepark.oversight.selectors import public_listings

router = Router(tags=["oversight"])
PER_PAGE = 100
MAX_PAGE = 1_000_000  # far past the last page of any list
list_of = list  # the parameter `list` shadows the builtin inside the view


class CreditEntryOut(Schema):
    uscc: str | None
    name: str
    list: str
    trigger: str
    listed_on: dt.date
    removed_on: dt.date | None


class CreditListsOut(Schema):
    items: list[CreditEntryOut]
    count: int


@router.get(
    "/credit-lists",
    response={200: CreditListsOut, 422: Problem},
    auth=None,
    summary="Public credit lists",
)
def credit_lists(
    request: HttpRequest,
    list: str | None = Query(None, description="abnormal or serious; both when left out."),
    all: int = 0,
    page: int = 1,
) -> dict[str, object]:
    """Organizations on the abnormal activity list and the serious illegal and dishonest list
    (MCA Order 60): current entries, or every entry with `all=1`; 100 a page."""
    if list is not None and list not in CreditList.values:
        raise HttpError(422, _("“list” is abnormal or serious."))
    items = public_listings(list_=list, history=bool(all))
    # Clamped: an offset past what SQL integers hold is a database error (found by fuzzing).
    start = (min(max(1, page), MAX_PAGE) - 1) * PER_PAGE
    rows, total = list_of(items[start : start + PER_PAGE]), items.count()
    return {
        "items": [
            {
                "uscc": e.organization.uscc,
                "name": e.organization.name,
                "list": e.list,
                "trigger": e.trigger,
                "listed_on": e.listed_on,
                "removed_on": e.removed_on,
            }
            for e in rows
        ],
        "count": total,
    }
