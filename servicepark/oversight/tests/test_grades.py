"""Evaluation grades: who may apply, expert scoring, the bands, the five years, eligibility."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from servicepark.accounts.roles import Role
from servicepark.accounts.tests.factories import make_user
from servicepark.oversight.models import GradeAssessment
from servicepark.oversight.services.annual import annual_report_file
from servicepark.oversight.services.grades import (
    grade_apply,
    grade_decide,
    grade_lookup,
    grade_score,
)
from servicepark.oversight.tests.conftest import frozen
from servicepark.procurement.eligibility import screen
from servicepark.registry.tests.factories import make_org

pytestmark = pytest.mark.django_db
D = dt.date
REPORT = {"revenue_grants": "50000", "activities": "社区服务"}
FULL = {"basic": "60", "governance": "350", "performance": "430", "public": "115"}  # 955


@pytest.fixture
def experts():
    return [make_user(Role.EXPERT, division="510107") for _ in range(2)]


def test_young_or_unreported_organizations_are_excluded_with_reasons(admin, org, english):
    young = make_org(status="registered", founded_on="2025-12-01")
    young_admin = make_user(Role.ORG_ADMIN, organization=young)
    with frozen(D(2026, 7, 1)):
        item = grade_apply(actor=young_admin, organization=young)
        assert item.state == "excluded"
        assert any("two full years" in r for r in item.exclusion_reasons)
        missing = grade_apply(actor=admin, organization=org)
    assert missing.state == "excluded"
    assert any("2025" in r and "missed or failed" in r for r in missing.exclusion_reasons)


def test_scores_give_the_grade_valid_five_years_and_it_feeds_eligibility(
    org, admin, official, experts
):
    class Call:
        eligibility = {"min_grade": "4A"}

    with frozen(D(2026, 4, 1)):
        annual_report_file(actor=admin, organization=org, year=2025, data=REPORT)
    with frozen(D(2026, 7, 1)):
        item = grade_apply(actor=admin, organization=org)
        assert item.state == "applied"
        grade_score(actor=experts[0], assessment=item, parts=FULL)
        grade_score(
            actor=experts[1], assessment=item, parts={**FULL, "performance": "400"}
        )  # 925 → average 940
        decided = grade_decide(actor=official, assessment=item)
        assert (decided.total, decided.grade) == (940, "4A")
        assert (decided.valid_from, decided.valid_until) == (D(2026, 7, 1), D(2031, 6, 30))
        assert grade_lookup(org) == "4A" and screen(Call(), org) == []
    with frozen(D(2031, 7, 1)):
        assert grade_lookup(org) is None
        assert screen(Call(), org)


def test_bad_scores_and_wrong_scorers_are_refused(org, admin, experts, english):
    with frozen(D(2026, 4, 1)):
        annual_report_file(actor=admin, organization=org, year=2025, data=REPORT)
        item = grade_apply(actor=admin, organization=org)
        with pytest.raises(ValidationError) as bad:
            grade_score(actor=experts[0], assessment=item, parts={**FULL, "public": "121"})
        assert "0 to 120" in str(bad.value)
        with pytest.raises(PermissionDenied):
            grade_score(actor=admin, assessment=item, parts=FULL)
        far = make_user(Role.EXPERT, division="110101")
        with pytest.raises(PermissionDenied):
            grade_score(actor=far, assessment=item, parts=FULL)
        grade_score(actor=experts[0], assessment=item, parts=FULL)
        with pytest.raises(ValidationError, match="already scored"):
            grade_score(actor=experts[0], assessment=item, parts=FULL)
        with pytest.raises(ValidationError, match="already under way"):
            grade_apply(actor=admin, organization=org)
    assert GradeAssessment.objects.get(pk=item.pk).scores.count() == 1
