import datetime as dt

import pytest

from servicepark.oversight.models import AnnualReport, Severity
from servicepark.oversight.tests.rules.builders import at, evaluate, explain, severity
from servicepark.registry.tests.factories import make_org

pytestmark = pytest.mark.django_db
RULE = "annual_report_overdue"


def test_report_not_filed_after_the_deadline(english):
    org = make_org()
    [hit] = evaluate(RULE, as_of=dt.date(2026, 6, 1))
    assert (hit.organization_id, hit.key) == (org.pk, "annual_report")
    assert severity(RULE, hit) == Severity.MEDIUM
    assert explain(RULE, hit) == (
        "The annual report for 2025 was due on May 31, 2026 and has not been filed."
    )


def test_filed_or_not_yet_due_does_not_fire():
    org = make_org()
    assert evaluate(RULE, as_of=dt.date(2026, 5, 31)) == []  # due today
    AnnualReport.objects.create(
        organization=org, year=2025, activities="社区服务", submitted_at=at(dt.date(2026, 5, 20))
    )
    assert evaluate(RULE, as_of=dt.date(2026, 6, 1)) == []


def test_incremental_run_looks_only_at_its_organizations():
    org, other = make_org(), make_org()
    AnnualReport.objects.create(
        organization=other, year=2025, activities="社区服务", submitted_at=at(dt.date(2026, 5, 20))
    )
    assert evaluate(RULE, other, as_of=dt.date(2026, 6, 1)) == []
    assert [h.organization_id for h in evaluate(RULE, org, as_of=dt.date(2026, 6, 1))] == [org.pk]
