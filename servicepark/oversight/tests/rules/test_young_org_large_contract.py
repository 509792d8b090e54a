import datetime as dt

import pytest

from servicepark.oversight.models import Severity
from servicepark.oversight.tests.rules.builders import contract, evaluate, explain, severity
from servicepark.procurement.models import Contract
from servicepark.registry.tests.factories import make_org

pytestmark = pytest.mark.django_db
RULE = "young_org_large_contract"


def test_large_contract_months_after_founding(english):
    org = make_org(founded_on="2025-09-01")
    deal = contract(
        org, price="600000.00", starts_on=dt.date(2026, 3, 1), signed_on=dt.date(2026, 2, 20)
    )
    [hit] = evaluate(RULE)
    assert (hit.organization_id, hit.key) == (org.pk, f"contract:{deal.pk}")
    assert severity(RULE, hit) == Severity.MEDIUM
    assert explain(RULE, hit) == (
        f"Contract {deal.number} worth ¥600,000.00 was signed on Feb. 20, 2026, less than a "
        "year after the organization was founded (Sept. 1, 2025)."
    )


def test_unsigned_contract_counts_from_its_start():
    org = make_org(founded_on="2025-09-01")
    deal = contract(org, price="500000.00", starts_on=dt.date(2026, 3, 1))
    Contract.objects.filter(pk=deal.pk).update(provider_signed_at=None)
    [hit] = evaluate(RULE)
    assert hit.params["signed"] == "2026-03-01"


def test_near_misses_do_not_fire():
    young = make_org(founded_on="2025-09-01")
    contract(young, price="499999.99", starts_on=dt.date(2026, 3, 1))
    contract(young, price="900000.00", state=Contract.State.DRAFT, starts_on=dt.date(2026, 3, 1))
    year_old = make_org(founded_on="2025-02-01")
    contract(year_old, price="900000.00", starts_on=dt.date(2026, 2, 1))  # a year exactly
    long_ago = make_org(founded_on="2023-06-01")
    contract(long_ago, price="900000.00", starts_on=dt.date(2023, 12, 1))  # over two years ago
    assert evaluate(RULE) == []


def test_incremental_run_looks_only_at_its_organizations():
    org, other = make_org(founded_on="2025-09-01"), make_org()
    contract(org, price="600000.00", starts_on=dt.date(2026, 3, 1))
    assert evaluate(RULE, other) == []
    assert len(evaluate(RULE, org)) == 1
