import datetime as dt

import pytest

from servicepark.oversight.models import Severity
from servicepark.oversight.tests.rules.builders import (
    AS_OF,
    DAY,
    at,
    contract,
    evaluate,
    explain,
    severity,
)
from servicepark.procurement.models import Evaluation
from servicepark.registry.tests.factories import make_org

pytestmark = pytest.mark.django_db
RULE = "low_evaluation"


def evaluation(deal, grade, day):
    return Evaluation.objects.create(
        contract=deal, evaluator=make_org(), grade=grade, submitted_at=at(day)
    )


def test_failed_evaluation(english):
    org = make_org()
    deal = contract(org)
    item = evaluation(deal, Evaluation.Grade.FAIL, dt.date(2026, 3, 2))
    [hit] = evaluate(RULE)
    assert (hit.organization_id, hit.key) == (org.pk, f"evaluation:{item.pk}")
    assert severity(RULE, hit) == Severity.MEDIUM
    assert explain(RULE, hit) == (
        f"The third-party evaluation of contract {deal.number}, submitted on March 2, 2026, "
        "graded the service a fail."
    )


def test_passed_old_or_later_evaluations_do_not_fire():
    org = make_org()
    evaluation(contract(org), Evaluation.Grade.PASS, AS_OF - DAY)
    evaluation(contract(org), Evaluation.Grade.FAIL, dt.date(2023, 7, 1))  # three years ago
    evaluation(contract(org), Evaluation.Grade.FAIL, AS_OF + DAY)
    assert evaluate(RULE) == []


def test_incremental_run_looks_only_at_its_organizations():
    org, other = make_org(), make_org()
    evaluation(contract(org), Evaluation.Grade.FAIL, AS_OF - DAY)
    assert evaluate(RULE, other) == []
    assert len(evaluate(RULE, org)) == 1


def test_the_evidence_reads_the_grade_label():
    from django.utils import translation

    from servicepark.oversight.rules import RULES

    deal = contract(make_org())
    evaluation(deal, Evaluation.Grade.FAIL, dt.date(2026, 3, 2))
    [hit] = evaluate(RULE)
    graded, linked = hit.evidence
    assert graded["text"] == f"{deal.number}: fail 2026-03-02"  # stored as before
    with translation.override("zh-hans"):
        assert RULES[RULE].evidence_text(graded) == f"{deal.number}：不合格，2026-03-02"
        assert RULES[RULE].evidence_text(linked) == deal.number
