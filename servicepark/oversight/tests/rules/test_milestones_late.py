import datetime as dt

import pytest

from servicepark.oversight.models import Severity
from servicepark.oversight.tests.rules.builders import (
    AS_OF,
    DAY,
    contract,
    evaluate,
    explain,
    milestone,
    severity,
)
from servicepark.procurement.models import Contract, Milestone
from servicepark.registry.tests.factories import make_org

pytestmark = pytest.mark.django_db
RULE = "milestones_late"


def test_pending_milestones_past_due(english):
    org = make_org()
    deal = contract(org)
    milestone(deal, dt.date(2026, 6, 1))
    milestone(deal, dt.date(2026, 5, 1))
    milestone(deal, dt.date(2026, 4, 1), state=Milestone.State.PAID)
    [hit] = evaluate(RULE)
    assert (hit.organization_id, hit.key) == (org.pk, f"contract:{deal.pk}")
    assert severity(RULE, hit) == Severity.MEDIUM
    assert hit.params["count"] == 2
    assert explain(RULE, hit) == (
        f"2 milestones of contract {deal.number} are late with nothing delivered; the first "
        "was due on May 1, 2026."
    )


def test_one_late_milestone_reads_in_the_singular(english):
    deal = contract(make_org())
    milestone(deal, dt.date(2026, 6, 1))
    [hit] = evaluate(RULE)
    assert explain(RULE, hit) == (
        f"A milestone of contract {deal.number} was due on June 1, 2026 and nothing has been "
        "delivered."
    )


def test_delivered_due_today_or_suspended_do_not_fire():
    org = make_org()
    milestone(contract(org), AS_OF - DAY, state=Milestone.State.SUBMITTED)
    milestone(contract(org), AS_OF)
    milestone(contract(org, state=Contract.State.SUSPENDED), AS_OF - 30 * DAY)
    assert evaluate(RULE) == []


def test_incremental_run_looks_only_at_its_organizations():
    org, other = make_org(), make_org()
    milestone(contract(org), AS_OF - DAY)
    assert evaluate(RULE, other) == []
    assert len(evaluate(RULE, org)) == 1
