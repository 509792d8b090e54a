import datetime as dt

import pytest

from servicepark.oversight.models import CreditList, CreditListing, Severity
from servicepark.oversight.tests.rules.builders import AS_OF, DAY, evaluate, explain, severity
from servicepark.registry.tests.factories import make_org

pytestmark = pytest.mark.django_db
RULE = "credit_listed"


def listing(org, listed, trigger, listed_on, removed_on=None):
    return CreditListing.objects.create(
        organization=org,
        list=listed,
        trigger=trigger,
        source=f"test:{trigger}:{listed_on}",
        evidence="测试",
        listed_on=listed_on,
        removed_on=removed_on,
    )


def test_abnormal_listing(english):
    org = make_org()
    item = listing(org, CreditList.ABNORMAL, "annual_report_late", dt.date(2026, 6, 1))
    [hit] = evaluate(RULE)
    assert (hit.organization_id, hit.key) == (org.pk, f"listing:{item.pk}")
    assert severity(RULE, hit) == Severity.MEDIUM
    assert hit.params["trigger"] == "annual_report_late"
    assert explain(RULE, hit) == (
        "On the abnormal activity list since June 1, 2026: annual report not filed on time."
    )


def test_serious_listing_is_graver(english):
    org = make_org()
    listing(org, CreditList.SERIOUS, "court_debtor", dt.date(2026, 2, 1))
    [hit] = evaluate(RULE)
    assert severity(RULE, hit) == Severity.HIGH
    assert explain(RULE, hit) == (
        "On the serious illegal and dishonest list since Feb. 1, 2026: listed by a court as a "
        "dishonest debtor."
    )


def test_removed_or_later_listings_do_not_fire():
    org = make_org()
    listing(org, CreditList.ABNORMAL, "unreachable", AS_OF - 90 * DAY, removed_on=AS_OF)
    listing(org, CreditList.ABNORMAL, "minor_penalty", AS_OF + DAY)
    assert evaluate(RULE) == []
    assert len(evaluate(RULE, as_of=AS_OF - DAY)) == 1


def test_incremental_run_looks_only_at_its_organizations():
    org, other = make_org(), make_org()
    listing(org, CreditList.ABNORMAL, "unreachable", AS_OF - DAY)
    assert evaluate(RULE, other) == []
    assert len(evaluate(RULE, org)) == 1
