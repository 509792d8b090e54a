import datetime as dt

import pytest

from servicepark.accounts.tests.factories import make_user
from servicepark.oversight.models import Severity
from servicepark.oversight.tests.rules.builders import at, evaluate, explain, severity
from servicepark.registry.models import ChangeRequest
from servicepark.registry.tests.factories import make_org

pytestmark = pytest.mark.django_db
RULE = "legal_rep_changes"


def change(org, day, changes=None, state=ChangeRequest.State.APPROVED):
    return ChangeRequest.objects.create(
        organization=org,
        requested_by=make_user(),
        changes=changes or {"legal_representative": "李四"},
        previous={"legal_representative": "张三"},
        state=state,
        decided_at=at(day),
    )


def test_two_changes_in_three_years(english):
    org = make_org()
    made = [change(org, dt.date(2024, 5, 6)), change(org, dt.date(2026, 1, 10))]
    [hit] = evaluate(RULE)
    assert (hit.organization_id, hit.key) == (org.pk, "legal_rep")
    assert severity(RULE, hit) == Severity.LOW
    assert [e["id"] for e in hit.evidence] == [c.pk for c in made]
    assert explain(RULE, hit) == (
        "The legal representative was changed 2 times in three years (May 6, 2024、Jan. 10, 2026)."
    )


def test_three_changes_are_graver():
    org = make_org()
    for day in (dt.date(2024, 5, 6), dt.date(2025, 5, 6), dt.date(2026, 1, 10)):
        change(org, day, {"legal_representative": "王五", "address": "成都市"})
    [hit] = evaluate(RULE)
    assert severity(RULE, hit) == Severity.MEDIUM


def test_near_misses_do_not_fire():
    org = make_org()
    change(org, dt.date(2026, 1, 10))
    change(org, dt.date(2023, 7, 1))  # three years ago
    change(org, dt.date(2026, 2, 1), {"address": "成都市武侯区"})
    change(org, dt.date(2026, 3, 1), state=ChangeRequest.State.REJECTED)
    change(org, dt.date(2026, 7, 2))  # after the date
    assert evaluate(RULE) == []


def test_incremental_run_looks_only_at_its_organizations():
    org, other = make_org(), make_org()
    change(org, dt.date(2025, 5, 6))
    change(org, dt.date(2026, 1, 10))
    assert evaluate(RULE, other) == []
    assert len(evaluate(RULE, org)) == 1
