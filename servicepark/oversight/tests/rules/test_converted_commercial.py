import datetime as dt

import pytest

from servicepark.oversight.models import Severity
from servicepark.oversight.tests.rules.builders import (
    contract,
    evaluate,
    explain,
    set_org,
    severity,
)
from servicepark.procurement.models import Contract
from servicepark.registry.tests.factories import make_org

pytestmark = pytest.mark.django_db
RULE = "converted_commercial"


def converted(day):
    return set_org(make_org(), converted_on=day)


def test_contract_soon_after_conversion(english):
    org = converted(dt.date(2025, 4, 1))
    deal = contract(org, starts_on=dt.date(2026, 3, 1))
    [hit] = evaluate(RULE)
    assert (hit.organization_id, hit.key) == (org.pk, f"contract:{deal.pk}")
    assert severity(RULE, hit) == Severity.MEDIUM
    assert explain(RULE, hit) == (
        f"Contract {deal.number} was signed on March 1, 2026, less than two years after the "
        "organization converted from a company (April 1, 2025)."
    )


def test_near_misses_do_not_fire():
    org = converted(dt.date(2024, 3, 1))
    contract(org, starts_on=dt.date(2026, 3, 1))  # two years exactly
    contract(org, starts_on=dt.date(2024, 2, 1))  # before the conversion
    contract(org, starts_on=dt.date(2025, 3, 1), state=Contract.State.DRAFT)
    contract(make_org(), starts_on=dt.date(2026, 3, 1))  # never a company
    assert evaluate(RULE) == []


def test_an_old_contract_is_no_longer_a_warning():
    # Signed soon after the conversion, but more than two years before the run's date.
    org = converted(dt.date(2021, 6, 1))
    old = contract(org, starts_on=dt.date(2022, 6, 1))
    assert evaluate(RULE, as_of=dt.date(2024, 5, 31))[0].key == f"contract:{old.pk}"
    assert evaluate(RULE, as_of=dt.date(2024, 6, 1)) == []


def test_incremental_run_looks_only_at_its_organizations():
    org, other = converted(dt.date(2025, 4, 1)), make_org()
    contract(org, starts_on=dt.date(2026, 3, 1))
    assert evaluate(RULE, other) == []
    assert len(evaluate(RULE, org)) == 1
