import datetime as dt
from decimal import Decimal

import pytest

from servicepark.oversight.models import AnnualReport, Severity
from servicepark.oversight.tests.rules.builders import at, evaluate, explain, severity
from servicepark.registry.tests.factories import make_org

pytestmark = pytest.mark.django_db
RULE = "revenue_jump"


def annual(org, year, fees, grants="0", filed=None):
    return AnnualReport.objects.create(
        organization=org,
        year=year,
        revenue_fees=Decimal(fees),
        revenue_grants=Decimal(grants),
        activities="社区服务",
        submitted_at=at(filed or dt.date(year + 1, 4, 1)),
    )


def test_revenue_more_than_five_times_the_year_before(english):
    org = make_org()
    annual(org, 2024, "100000.00")
    report = annual(org, 2025, "500000.00", grants="0.01")
    [hit] = evaluate(RULE)
    assert (hit.organization_id, hit.key) == (org.pk, "year:2025")
    assert severity(RULE, hit) == Severity.MEDIUM
    assert hit.evidence[0]["id"] == report.pk
    assert explain(RULE, hit) == (
        "The organization's revenue in 2025 was ¥500,000.01, 5 times the ¥100,000.00 of the "
        "year before."
    )


def test_near_misses_do_not_fire():
    five_times, from_zero, late = make_org(), make_org(), make_org()
    annual(five_times, 2024, "100000.00")
    annual(five_times, 2025, "500000.00")  # five times exactly
    annual(from_zero, 2024, "0")
    annual(from_zero, 2025, "900000.00")
    annual(late, 2024, "100000.00", filed=dt.date(2026, 8, 1))  # filed after the date
    annual(late, 2025, "900000.00")
    assert evaluate(RULE) == []


def test_incremental_run_looks_only_at_its_organizations():
    org, other = make_org(), make_org()
    annual(org, 2024, "100000.00")
    annual(org, 2025, "600000.00")
    assert evaluate(RULE, other) == []
    assert len(evaluate(RULE, org)) == 1
