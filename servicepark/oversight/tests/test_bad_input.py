"""Oversight forms refuse slips and double clicks with a message, and store nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from servicepark.oversight.models import GradeAssessment, Rectification, RegisteredLetter
from servicepark.oversight.services.credit import letter_send
from servicepark.oversight.services.grades import grade_apply
from servicepark.oversight.services.inspections import rectification_order
from servicepark.oversight.tests.conftest import frozen

pytestmark = pytest.mark.django_db
D = dt.date


def refused(call) -> str:
    with pytest.raises(ValidationError) as caught:
        call()
    return " ".join(caught.value.messages)


def test_implausible_dates_are_refused(org, official, english):
    with frozen(D(2026, 7, 1)):
        assert (
            refused(
                lambda: letter_send(
                    actor=official, organization=org, sent_on="1900-01-01", tracking_number="XA1"
                )
            )
            == "the day the letter was sent cannot be before 2006-07-01."
        )
        assert (
            refused(
                lambda: rectification_order(
                    actor=official, organization=org, order="补齐凭证", deadline="2999-01-01"
                )
            )
            == "The deadline cannot be after 2028-07-01."
        )
        letter_send(actor=official, organization=org, sent_on="2026-06-30", tracking_number="XA2")
    assert list(RegisteredLetter.objects.values_list("tracking_number", flat=True)) == ["XA2"]
    assert not Rectification.objects.exists()


def test_the_same_open_order_is_not_given_twice(org, official, admin, english):
    with frozen(D(2026, 6, 1)):
        rectification_order(
            actor=official, organization=org, order="补齐财务凭证", deadline="2026-06-30"
        )
        assert (
            refused(
                lambda: rectification_order(
                    actor=official, organization=org, order="补齐财务凭证", deadline="2026-06-30"
                )
            )
            == "The same rectification was already ordered on 2026-06-01 and is still open."
        )
        rectification_order(
            actor=official, organization=org, order="更新登记住所", deadline="2026-06-30"
        )
    assert Rectification.objects.filter(organization=org).count() == 2


def test_applying_twice_for_a_grade_is_refused(org, admin, english):
    with frozen(D(2026, 7, 1)):
        first = grade_apply(actor=admin, organization=org)  # no 2025 report: excluded
        assert first.state == GradeAssessment.State.EXCLUDED
        assert refused(lambda: grade_apply(actor=admin, organization=org)) == (
            "This organization applied today and was excluded for the same reasons."
        )
    assert GradeAssessment.objects.filter(organization=org).count() == 1


def test_picked_records_that_are_not_ids_get_a_message(org, official):
    from servicepark.oversight.tests.test_pages import client_for

    c = client_for(official)
    for bad in ("abc", "99999999999999999999", "²", ""):
        page = c.post(
            f"/oversight/organizations/{org.pk}/act/",
            {"action": "verify", "rectification": bad, "note": "核实"},
            follow=True,
        )
        assert page.status_code == 200
        assert "Choose one of this organization&#x27;s records." in page.content.decode(), bad
