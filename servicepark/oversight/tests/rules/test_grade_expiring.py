import datetime as dt

import pytest

from servicepark.oversight.models import GradeAssessment, Severity
from servicepark.oversight.tests.rules.builders import AS_OF, DAY, evaluate, explain, severity
from servicepark.registry.tests.factories import make_org

pytestmark = pytest.mark.django_db
RULE = "grade_expiring"
GRADED = GradeAssessment.State.GRADED


def grade(org, until, state=GRADED, grade="4A"):
    return GradeAssessment.objects.create(
        organization=org,
        applied_on=until - 5 * 365 * DAY,
        state=state,
        grade=grade if state == GRADED else "",
        valid_from=until - 5 * 365 * DAY,
        valid_until=until,
    )


def test_grade_expiring_within_the_notice(english):
    org = make_org()
    item = grade(org, dt.date(2026, 9, 30))
    grade(org, dt.date(2026, 12, 31), state=GradeAssessment.State.NOT_GRADED)
    [hit] = evaluate(RULE)
    assert (hit.organization_id, hit.key) == (org.pk, f"grade:{item.pk}")
    assert severity(RULE, hit) == Severity.LOW
    assert explain(RULE, hit) == (
        "The organization's 4A evaluation grade expires on Sept. 30, 2026 and no new assessment "
        "has been graded."
    )


def test_renewed_expired_or_distant_grades_do_not_fire(settings):
    settings.SERVICEPARK_GRADE_NOTICE_DAYS = 180
    renewed, expired, distant = make_org(), make_org(), make_org()
    grade(renewed, AS_OF + 30 * DAY)
    grade(renewed, AS_OF + 5 * 365 * DAY, grade="5A")
    grade(expired, AS_OF - DAY)
    grade(distant, AS_OF + 181 * DAY)
    assert evaluate(RULE) == []
    assert [h.organization_id for h in evaluate(RULE, as_of=AS_OF + DAY)] == [distant.pk]


def test_incremental_run_looks_only_at_its_organizations():
    org, other = make_org(), make_org()
    grade(org, AS_OF + 10 * DAY)
    assert evaluate(RULE, other) == []
    assert len(evaluate(RULE, org)) == 1
