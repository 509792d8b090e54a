"""legal_rep_changes counts the changes and takes their local dates in the database (B6):
the same hits as counting and converting in Python."""

from __future__ import annotations

import datetime as dt

import pytest

from servicepark.accounts.tests.factories import make_user
from servicepark.oversight.tests.rules.builders import at, evaluate
from servicepark.registry.models import ChangeRequest
from servicepark.registry.tests.factories import make_org

pytestmark = pytest.mark.django_db
RULE = "legal_rep_changes"


def change(org, decided_at, name="李四"):
    return ChangeRequest.objects.create(
        organization=org,
        requested_by=make_user(),
        changes={"legal_representative": name},
        previous={"legal_representative": "张三"},
        state=ChangeRequest.State.APPROVED,
        decided_at=decided_at,
    )


def test_dates_are_local_and_changes_in_order():
    org, once, other = make_org(), make_org(), make_org()
    late = dt.datetime(2025, 5, 6, 23, 30, tzinfo=dt.UTC)  # 7 May, 07:30 in Beijing
    made = [change(org, at(dt.date(2026, 1, 10)), "王五"), change(org, late, "赵六")]
    made.append(change(org, at(dt.date(2026, 1, 10), hour=9), "钱七"))
    change(once, at(dt.date(2026, 1, 10)))  # one change: no hit
    change(other, at(dt.date(2024, 1, 2)))
    change(other, at(dt.date(2024, 1, 3)))
    hits = {hit.organization_id: hit for hit in evaluate(RULE)}
    assert set(hits) == {org.pk, other.pk}
    hit = hits[org.pk]
    assert hit.params == {"count": 3, "dates": ["2025-05-07", "2026-01-10", "2026-01-10"]}
    assert [e["id"] for e in hit.evidence] == [made[1].pk, made[2].pk, made[0].pk]
    assert [e["text"] for e in hit.evidence] == [
        "2025-05-07: 赵六",
        "2026-01-10: 钱七",
        "2026-01-10: 王五",
    ]
    assert [h.organization_id for h in evaluate(RULE, org, once)] == [org.pk]
