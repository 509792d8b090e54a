import pytest

from servicepark.oversight.models import Severity
from servicepark.oversight.tests.rules.builders import (
    AS_OF,
    DAY,
    contract,
    evaluate,
    explain,
    purchaser,
    severity,
)
from servicepark.procurement.models import Contract
from servicepark.registry.tests.factories import make_org

pytestmark = pytest.mark.django_db
RULE = "single_purchaser"


def contracts(org, buyer, n, **kwargs):
    return [contract(org, buyer=buyer, **kwargs) for _ in range(n)]


def test_three_of_four_contracts_from_one_purchaser(english):
    org = make_org()
    main, other = purchaser("成都市民政局"), purchaser("成都市残疾人联合会")
    made = contracts(org, main, 3)
    contracts(org, other, 1)
    [hit] = evaluate(RULE)
    assert (hit.organization_id, hit.key) == (org.pk, f"purchaser:{main.pk}")
    assert severity(RULE, hit) == Severity.LOW
    assert sorted(e["id"] for e in hit.evidence) == sorted(c.pk for c in made)
    assert explain(RULE, hit) == (
        "3 of the organization's 4 contracts of the last three years (75 %) came from one "
        "purchaser, 成都市民政局: it depends on that purchaser and may not be independent of it."
    )


def test_seventy_per_cent_exactly_does_not_fire():
    org = make_org()
    contracts(org, purchaser("成都市民政局"), 7)
    contracts(org, purchaser("成都市残疾人联合会"), 3)
    assert evaluate(RULE) == []


def test_old_draft_and_too_few_contracts_do_not_count():
    org = make_org()
    main, other = purchaser("成都市民政局"), purchaser("成都市残疾人联合会")
    contracts(org, main, 2)
    contracts(org, main, 2, state=Contract.State.DRAFT)
    contracts(org, main, 2, starts_on=AS_OF - 3 * 366 * DAY)
    contracts(org, main, 1, starts_on=AS_OF + DAY)
    assert evaluate(RULE) == []  # two contracts count: fewer than three
    contracts(org, other, 1)
    assert evaluate(RULE) == []  # two of three: 67 %


def test_incremental_run_looks_only_at_its_organizations():
    org, other = make_org(), make_org()
    contracts(org, purchaser(), 3)
    assert evaluate(RULE, other) == []
    assert len(evaluate(RULE, org)) == 1
