"""Signals follow the events that matter, once the transaction commits."""

from __future__ import annotations

import datetime as dt

import pytest

from servicepark.oversight import engine
from servicepark.oversight.models import Signal
from servicepark.oversight.services.annual import annual_report_file
from servicepark.oversight.tests.conftest import frozen

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture(autouse=True)
def incremental(settings):
    settings.SERVICEPARK_OVERSIGHT_INCREMENTAL = True


def test_filing_the_missing_report_clears_the_signal_on_commit(
    org, admin, django_capture_on_commit_callbacks
):
    with frozen(D(2026, 6, 1)):
        engine.run(as_of=D(2026, 6, 1))
        assert Signal.objects.filter(
            organization=org, rule="annual_report_overdue", cleared_on__isnull=True
        ).exists()
        with django_capture_on_commit_callbacks(execute=True):
            annual_report_file(
                actor=admin,
                organization=org,
                year=2025,
                data={
                    "revenue_government": "900000",
                    "revenue_fees": "10000",
                    "activities": "居家养老",
                },
            )
    open_rules = set(
        Signal.objects.filter(organization=org, cleared_on__isnull=True).values_list(
            "rule", flat=True
        )
    )
    # The report is in (late: the listing stays until verified), and it shows dependency.
    assert "annual_report_overdue" not in open_rules
    assert {"government_dependency", "credit_listed"} <= open_rules


def test_a_failing_refresh_never_breaks_the_write(
    org, admin, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(ids):
        raise RuntimeError("boom")

    monkeypatch.setattr(engine, "refresh", broken)
    with frozen(D(2026, 5, 1)), django_capture_on_commit_callbacks(execute=True):
        annual_report_file(
            actor=admin,
            organization=org,
            year=2025,
            data={"revenue_grants": "1", "activities": "x"},
        )
    assert org.annual_reports.count() == 1
