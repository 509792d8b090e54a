import datetime as dt

import pytest

from servicepark.incubator.models import Park, Residency
from servicepark.oversight.models import Severity
from servicepark.oversight.tests.rules.builders import AS_OF, DAY, evaluate, explain, severity
from servicepark.registry.tests.factories import make_org

pytestmark = pytest.mark.django_db
RULE = "overstaying"


def residency(org, ends_on, state=Residency.State.INCUBATING):
    park, _ = Park.objects.get_or_create(name="武侯社会组织孵化园", division_id="510107")
    return Residency.objects.create(
        park=park,
        organization=org,
        state=state,
        proposal="孵化",
        starts_on=ends_on - 300 * DAY,
        ends_on=ends_on,
    )


def test_still_in_the_park_after_the_end(english):
    org = make_org()
    stay = residency(org, dt.date(2026, 6, 20))
    [hit] = evaluate(RULE)
    assert (hit.organization_id, hit.key) == (org.pk, f"residency:{stay.pk}")
    assert severity(RULE, hit) == Severity.LOW
    assert explain(RULE, hit) == (
        "The residency in 武侯社会组织孵化园 ended on June 20, 2026, but the organization is "
        "still recorded as in the park."
    )


def test_graduated_or_ending_today_do_not_fire():
    residency(make_org(), AS_OF - 30 * DAY, state=Residency.State.GRADUATED)
    residency(make_org(), AS_OF, state=Residency.State.EXTENDED)
    assert evaluate(RULE) == []


def test_incremental_run_looks_only_at_its_organizations():
    org, other = make_org(), make_org()
    residency(org, AS_OF - DAY)
    assert evaluate(RULE, other) == []
    assert len(evaluate(RULE, org)) == 1
