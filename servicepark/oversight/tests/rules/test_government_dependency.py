import datetime as dt
from decimal import Decimal

import pytest

from servicepark.oversight.models import AnnualReport, Severity
from servicepark.oversight.tests.rules.builders import at, evaluate, explain, severity
from servicepark.registry.tests.factories import make_org

pytestmark = pytest.mark.django_db
RULE = "government_dependency"


def annual(org, year, government, other):
    return AnnualReport.objects.create(
        organization=org,
        year=year,
        revenue_government=Decimal(government),
        revenue_donations=Decimal(other),
        activities="社区服务",
        submitted_at=at(dt.date(year + 1, 4, 1)),
    )


def test_mostly_government_revenue(english):
    org = make_org()
    report = annual(org, 2025, "90000.00", "10000.00")
    [hit] = evaluate(RULE)
    assert (hit.organization_id, hit.key) == (org.pk, "dependency")
    assert severity(RULE, hit) == Severity.LOW
    assert hit.evidence[0]["id"] == report.pk
    assert explain(RULE, hit) == (
        "In 2025, 90 % of the organization's revenue came from government purchase (the "
        "warning threshold is 80 %): it may not survive without it and may not be independent "
        "of its purchasers."
    )


def test_eighty_per_cent_exactly_or_an_older_year_does_not_fire():
    org = make_org()
    annual(org, 2024, "95000.00", "5000.00")
    annual(org, 2025, "80000.00", "20000.00")  # the latest year decides
    assert evaluate(RULE) == []


def test_incremental_run_looks_only_at_its_organizations():
    org, other = make_org(), make_org()
    annual(org, 2025, "90000.00", "10000.00")
    assert evaluate(RULE, other) == []
    assert len(evaluate(RULE, org)) == 1
