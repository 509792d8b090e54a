import datetime as dt

import pytest

from servicepark.oversight.models import RegisteredLetter, Severity
from servicepark.oversight.tests.rules.builders import evaluate, explain, severity
from servicepark.registry.tests.factories import make_org

pytestmark = pytest.mark.django_db
RULE = "unreachable"


def letter(org, sent, *, signed=None, returned=None):
    return RegisteredLetter.objects.create(
        organization=org,
        sent_on=sent,
        address="成都市武侯区某街道 1 号",
        tracking_number=f"XA{sent:%m%d}CN",
        signed_on=signed,
        returned_on=returned,
    )


def test_two_letters_returned_unsigned(english):
    org = make_org()
    first = letter(org, dt.date(2026, 3, 1), returned=dt.date(2026, 3, 20))
    second = letter(org, dt.date(2026, 4, 10), returned=dt.date(2026, 5, 1))
    [hit] = evaluate(RULE)
    assert (hit.organization_id, hit.key) == (org.pk, "letters")
    assert severity(RULE, hit) == Severity.HIGH
    assert [e["id"] for e in hit.evidence] == [first.pk, second.pk]
    assert explain(RULE, hit) == (
        "2 registered letters to the registered address came back unsigned (the last on "
        "May 1, 2026) and none has been signed for since: the organization cannot be contacted "
        "there."
    )


def test_a_letter_signed_for_in_between_starts_again():
    org = make_org()
    letter(org, dt.date(2026, 3, 1), returned=dt.date(2026, 3, 20))
    letter(org, dt.date(2026, 3, 25), signed=dt.date(2026, 3, 28))
    letter(org, dt.date(2026, 4, 10), returned=dt.date(2026, 5, 1))
    assert evaluate(RULE) == []


def test_a_return_after_the_date_does_not_count_yet():
    org = make_org()
    letter(org, dt.date(2026, 3, 1), returned=dt.date(2026, 3, 20))
    letter(org, dt.date(2026, 6, 20), returned=dt.date(2026, 7, 2))
    assert evaluate(RULE) == []
    assert len(evaluate(RULE, as_of=dt.date(2026, 7, 2))) == 1


def test_incremental_run_looks_only_at_its_organizations():
    org, other = make_org(), make_org()
    letter(org, dt.date(2026, 3, 1), returned=dt.date(2026, 3, 20))
    letter(org, dt.date(2026, 4, 10), returned=dt.date(2026, 5, 1))
    assert evaluate(RULE, other) == []
    assert [h.organization_id for h in evaluate(RULE, org)] == [org.pk]
