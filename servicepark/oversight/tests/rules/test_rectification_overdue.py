import datetime as dt

import pytest

from servicepark.oversight.models import Rectification, Severity
from servicepark.oversight.tests.rules.builders import AS_OF, DAY, evaluate, explain, severity
from servicepark.registry.tests.factories import make_org

pytestmark = pytest.mark.django_db
RULE = "rectification_overdue"


def order(org, deadline, state=Rectification.State.ORDERED):
    return Rectification.objects.create(
        organization=org, order="补充财务制度", deadline=deadline, state=state
    )


def test_order_past_its_deadline(english):
    org = make_org()
    item = order(org, dt.date(2026, 6, 15))
    [hit] = evaluate(RULE)
    assert (hit.organization_id, hit.key) == (org.pk, f"rectification:{item.pk}")
    assert severity(RULE, hit) == Severity.MEDIUM
    assert explain(RULE, hit) == (
        "The rectification order “补充财务制度” was due on June 15, 2026 and has not been answered."
    )


def test_answered_or_not_yet_due_orders_do_not_fire():
    org = make_org()
    order(org, AS_OF)  # due today: not late yet
    order(org, AS_OF - 30 * DAY, state=Rectification.State.SUBMITTED)
    order(org, AS_OF - 30 * DAY, state=Rectification.State.VERIFIED)
    assert evaluate(RULE) == []


def test_incremental_run_looks_only_at_its_organizations():
    org, other = make_org(), make_org()
    order(org, AS_OF - DAY)
    assert evaluate(RULE, other) == []
    assert len(evaluate(RULE, org)) == 1
