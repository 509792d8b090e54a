import datetime as dt

import pytest

from servicepark.oversight.models import Severity
from servicepark.oversight.tests.rules.builders import (
    AS_OF,
    DAY,
    contract,
    evaluate,
    explain,
    report,
    severity,
)
from servicepark.procurement.models import Contract
from servicepark.registry.tests.factories import make_org

pytestmark = pytest.mark.django_db
RULE = "reports_overdue"


def test_reports_past_due_and_not_submitted(english):
    org = make_org()
    deal = contract(org)
    first = report(deal, dt.date(2026, 5, 15))
    second = report(deal, dt.date(2026, 6, 15), kind="financial")
    [hit] = evaluate(RULE)
    assert (hit.organization_id, hit.key) == (org.pk, f"contract:{deal.pk}")
    assert severity(RULE, hit) == Severity.MEDIUM
    assert [e["id"] for e in hit.evidence] == [first.pk, second.pk]
    assert explain(RULE, hit) == (
        f"2 reports on contract {deal.number} have not been submitted; the first was due on "
        "May 15, 2026."
    )


def test_submitted_not_yet_due_or_terminated_do_not_fire():
    org = make_org()
    report(contract(org), AS_OF - 10 * DAY, submitted_on=AS_OF - 12 * DAY)
    report(contract(org), AS_OF)
    report(contract(org, state=Contract.State.TERMINATED), AS_OF - 10 * DAY)
    assert evaluate(RULE) == []


def test_a_report_submitted_after_the_date_was_still_overdue_then(english):
    deal = contract(make_org())
    report(deal, AS_OF - 10 * DAY, submitted_on=AS_OF + 5 * DAY)
    [hit] = evaluate(RULE)
    assert explain(RULE, hit) == (
        f"A report on contract {deal.number} was due on June 21, 2026 and has not been submitted."
    )
    assert evaluate(RULE, as_of=AS_OF + 5 * DAY) == []


def test_incremental_run_looks_only_at_its_organizations():
    org, other = make_org(), make_org()
    report(contract(org), AS_OF - DAY)
    assert evaluate(RULE, other) == []
    assert len(evaluate(RULE, org)) == 1


def test_the_evidence_is_stored_with_codes_and_read_with_labels():
    from django.utils import translation

    from servicepark.oversight.rules import RULES

    deal = contract(make_org())
    report(deal, dt.date(2026, 6, 15), kind="financial")
    [hit] = evaluate(RULE)
    [item] = hit.evidence
    assert item["text"] == f"{deal.number} financial 2026-06-15"  # as the signal sync compares
    with translation.override("zh-hans"):
        assert RULES[RULE].evidence_text(item) == f"{deal.number}，财务报告，2026-06-15 到期"
    with translation.override("en"):
        assert (
            RULES[RULE].evidence_text(item) == f"{deal.number}, financial report, due on 2026-06-15"
        )
    assert RULES[RULE].evidence_text({"kind": "report", "text": "odd"}) == "odd"
