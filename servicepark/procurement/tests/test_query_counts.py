"""Lists cost a fixed number of queries, whatever the number of rows: calls, applications,
review sheets, the call board and the expert's work list, by page and by API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from servicepark.accounts.tests.factories import make_user
from servicepark.procurement.models import Call
from servicepark.procurement.services.jury import jury_assign, score_submit
from servicepark.procurement.services.screening import application_screen
from servicepark.procurement.tests.helpers import close
from servicepark.procurement.tests.test_application_api import token
from servicepark.procurement.tests.test_jury import expert, submitted

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
MARKS = {"need": 20, "design": 30, "capacity": 20}


def _queries(client, url: str, headers: dict[str, str]) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, **(headers if url.startswith("/api/") else {}))
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries)


def _grow(call, start: int, n: int) -> None:
    for i in range(n):
        submitted(call, f"组织{start + i}")


def test_lists_cost_the_same_for_two_and_for_six_rows(client, call):
    buyer = make_user("purchaser", division="510100")
    experts = [expert(f"q{i}") for i in range(3)]
    official = make_user("official", division="510100")

    def score_all():
        for app in call.applications.all():
            for sheet in app.assignments.filter(submitted_at__isnull=True).select_related(
                "expert__user"
            ):
                score_submit(actor=sheet.expert.user, assignment=sheet, scores=MARKS)

    def measure() -> dict[str, int]:
        first = call.applications.order_by("id").first()
        counts = {}
        for who, urls in (
            (buyer, ["/api/v1/calls", "/api/v1/applications", f"/calls/{call.pk}/manage/"]),
            (buyer, [f"/api/v1/applications/{first.pk}/reviews"]),
            (official, ["/applications/", "/api/v1/applications"]),
            (experts[0].user, ["/reviews/", "/api/v1/applications"]),
        ):
            client.force_login(who)
            headers = token(client, who.username)
            for url in urls:
                counts[f"{who.username} {url}"] = _queries(client, url, headers)
        return counts

    # Two applications, judged.
    _grow(call, 0, 2)
    close(call)
    for app in call.applications.all():
        application_screen(actor=buyer, application=app, passed=True)
    jury_assign(actor=buyer, call=call)
    score_all()
    small = measure()
    # Four more, judged the same way (the window is reopened for them).
    Call.objects.filter(pk=call.pk).update(closes_at=timezone.now() + dt.timedelta(days=1))
    call.refresh_from_db()
    _grow(call, 2, 4)
    close(call)
    for app in call.applications.filter(screening="pending"):
        application_screen(actor=buyer, application=app, passed=True)
    jury_assign(actor=buyer, call=call)
    score_all()
    assert call.applications.count() == 6
    assert measure() == small
