"""The credit lists' transitions (MCA Order 60), with the clock frozen where services read it
and explicit as-of dates for the scheduled steps."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from servicepark.common.audit import audit_verify
from servicepark.oversight import engine
from servicepark.oversight.models import CancellationProposal, CreditListing, Rectification
from servicepark.oversight.services.annual import annual_report_file
from servicepark.oversight.services.credit import (
    letter_outcome,
    letter_send,
    listing_add,
    listing_apply_removal,
    listing_decide_removal,
    listing_verify,
    sanction_record,
)
from servicepark.oversight.services.inspections import (
    rectification_answer,
    rectification_order,
    rectification_verify,
)
from servicepark.oversight.tests.conftest import frozen
from servicepark.procurement.eligibility import screen

pytestmark = pytest.mark.django_db
D = dt.date
REPORT = {
    "revenue_government": "100000",
    "revenue_donations": "20000",
    "expenses": "90000",
    "activities": "社区养老服务",
}


def run_on(day: dt.date) -> engine.Outcome:
    """The scheduled run on `day` (the clock stands there: later dates would be previews)."""
    with frozen(day):
        return engine.run(as_of=day)


def listings(org, **kw):
    return list(CreditListing.objects.filter(organization=org, **kw).order_by("id"))


def test_late_annual_report_lists_from_the_day_after_the_deadline(org, system):
    run_on(D(2026, 5, 31))
    assert listings(org) == []
    run_on(D(2026, 6, 1))
    (entry,) = listings(org)
    assert (entry.list, entry.trigger, entry.listed_on) == (
        "abnormal",
        "annual_report_late",
        D(2026, 6, 1),
    )
    assert entry.needs_rectification
    run_on(D(2026, 6, 2))  # idempotent
    assert len(listings(org)) == 1
    assert audit_verify() is None


def test_foundations_are_due_by_31_march(system):
    from servicepark.registry.tests.factories import make_org

    foundation = make_org(status="registered", org_type="foundation", founded_on="2010-01-01")
    run_on(D(2026, 4, 1))
    assert [e.listed_on for e in listings(foundation)] == [D(2026, 4, 1)]


def test_filing_late_marks_fulfilled_and_verification_removes(org, admin, official, system):
    run_on(D(2026, 6, 1))
    with frozen(D(2026, 6, 10)):
        annual_report_file(actor=admin, organization=org, year=2025, data=REPORT)
    run_on(D(2026, 6, 10))
    (entry,) = listings(org)
    assert entry.fulfilled_on == D(2026, 6, 10) and entry.removed_on is None
    with frozen(D(2026, 6, 12)):
        listing_verify(actor=official, listing=entry, evidence="核实年报已补报")
    entry.refresh_from_db()
    assert (entry.removed_on, entry.removal) == (D(2026, 6, 12), "fulfilled")


def test_minor_fine_leaves_automatically_after_six_months_and_a_new_trigger_restarts(
    org, admin, official, system
):
    with frozen(D(2026, 1, 10)):
        annual_report_file(actor=admin, organization=org, year=2025, data=REPORT)
        sanction_record(
            actor=official,
            organization=org,
            kind="fine",
            amount_yuan="3000",
            decided_on="2026-01-10",
            reference="民罚〔2026〕1号",
            facts="超范围活动",
        )
    (first,) = listings(org)
    assert (first.trigger, first.needs_rectification) == ("minor_penalty", False)
    with frozen(D(2026, 5, 1)):
        sanction_record(
            actor=official,
            organization=org,
            kind="warning",
            decided_on="2026-05-01",
            reference="民罚〔2026〕9号",
            facts="未按章程换届",
        )
    # The second penalty within three years also puts the organization on the serious list.
    assert {e.trigger for e in listings(org)} == {"minor_penalty", "repeat_penalties"}
    run_on(D(2026, 7, 10))  # six months after the first: restarted
    assert all(e.removed_on is None for e in listings(org, list="abnormal"))
    run_on(D(2026, 11, 1))
    abnormal = listings(org, list="abnormal")
    assert {(e.removed_on, e.removal) for e in abnormal} == {(D(2026, 11, 1), "automatic")}


def test_major_fine_goes_straight_to_the_serious_list(org, official):
    with frozen(D(2026, 3, 1)):
        sanction_record(
            actor=official,
            organization=org,
            kind="fine",
            amount_yuan="50000",
            decided_on="2026-03-01",
            reference="民罚〔2026〕3号",
            facts="虚假宣传",
        )
    (entry,) = listings(org)
    assert (entry.list, entry.trigger) == ("serious", "major_fine")


def test_two_full_years_on_the_abnormal_list_escalate(org, system):
    run_on(D(2026, 6, 1))
    run_on(D(2028, 5, 31))
    assert not listings(org, list="serious")
    run_on(D(2028, 6, 1))
    serious = listings(org, list="serious", trigger="abnormal_two_years")
    assert [e.listed_on for e in serious] == [D(2028, 6, 1)]
    first = listings(org, source="annual_report:2025")[0]
    assert (first.removed_on, first.removal) == (D(2028, 6, 1), "escalated")
    run_on(D(2028, 6, 2))
    assert len(listings(org, list="serious", trigger="abnormal_two_years")) == 1


def test_two_missing_years_propose_cancellation_for_an_official(org, system):
    run_on(D(2027, 6, 1))
    (proposal,) = CancellationProposal.objects.filter(organization=org)
    assert (proposal.years, proposal.state) == ("2025,2026", "proposed")
    run_on(D(2027, 6, 2))
    assert CancellationProposal.objects.filter(organization=org).count() == 1


def test_serious_list_removal_on_application_only_after_two_years(org, admin, official):
    with frozen(D(2026, 3, 1)):
        sanction_record(
            actor=official,
            organization=org,
            kind="suspension",
            decided_on="2026-03-01",
            reference="民罚〔2026〕5号",
            facts="停止活动",
        )
    (entry,) = listings(org, list="serious")
    with frozen(D(2028, 2, 28)), pytest.raises(ValidationError, match="2028-03-01"):
        listing_apply_removal(actor=admin, listing=entry, statement="已整改两年")
    with frozen(D(2028, 3, 1)):
        listing_apply_removal(actor=admin, listing=entry, statement="已整改两年")
        listing_decide_removal(actor=official, listing=entry, approve=True, note="无新违法")
    entry.refresh_from_db()
    assert (entry.removed_on, entry.removal) == (D(2028, 3, 1), "applied")


def test_unreachable_after_two_unsigned_letters_and_a_signed_one_fulfils(org, official, system):
    with frozen(D(2026, 9, 1)):
        a = letter_send(
            actor=official, organization=org, sent_on="2026-08-01", tracking_number="XA001"
        )
        b = letter_send(
            actor=official, organization=org, sent_on="2026-08-20", tracking_number="XA002"
        )
        letter_outcome(actor=official, letter=a, signed=False, on="2026-08-10")
        assert listings(org) == []
        letter_outcome(actor=official, letter=b, signed=False, on="2026-08-30")
    (entry,) = listings(org)
    assert (entry.trigger, entry.listed_on) == ("unreachable", D(2026, 8, 30))
    with frozen(D(2026, 10, 1)):
        c = letter_send(
            actor=official, organization=org, sent_on="2026-09-20", tracking_number="XA003"
        )
        letter_outcome(actor=official, letter=c, signed=True, on="2026-09-25")
    entry.refresh_from_db()
    assert entry.fulfilled_on == D(2026, 9, 25)


def test_overdue_rectification_lists_and_verifying_it_removes(org, admin, official, system):
    with frozen(D(2026, 6, 1)):
        order = rectification_order(
            actor=official, organization=org, order="补齐财务凭证", deadline="2026-06-30"
        )
    run_on(D(2026, 7, 1))
    (entry,) = listings(org, trigger="rectification_overdue")
    assert entry.listed_on == D(2026, 7, 1)
    with frozen(D(2026, 7, 3)):
        rectification_answer(actor=admin, item=order, response="凭证已补齐")
        rectification_verify(actor=official, item=order, note="现场核验无误")
    entry.refresh_from_db()
    order.refresh_from_db()
    assert order.state == Rectification.State.VERIFIED
    assert (entry.removed_on, entry.removal) == (D(2026, 7, 3), "fulfilled")


def test_listed_organizations_fail_call_eligibility(org, official):
    class Call:
        eligibility: dict = {}

    assert screen(Call(), org) == []
    with frozen(D(2026, 3, 1)):
        listing_add(
            actor=official,
            organization=org,
            trigger="no_party_org",
            evidence="检查发现未建立党组织",
            listed_on="2026-03-01",
        )
        reasons = screen(Call(), org)
    assert len(reasons) == 1 and "2026-03-01" in reasons[0]


def test_bad_input_is_refused_and_nothing_changes(org, admin, official, outsider, english):
    with frozen(D(2026, 5, 20)):
        with pytest.raises(ValidationError, match="has not ended"):
            annual_report_file(actor=admin, organization=org, year=2026, data=REPORT)
        with pytest.raises(ValidationError) as bad:
            annual_report_file(
                actor=admin, organization=org, year=2025, data={**REPORT, "revenue_fees": "-5"}
            )
        assert "cannot be negative" in str(bad.value)
        annual_report_file(actor=admin, organization=org, year=2025, data=REPORT)
        with pytest.raises(ValidationError, match="already been filed"):
            annual_report_file(actor=admin, organization=org, year=2025, data=REPORT)
        engine.run(actor=official)
        with pytest.raises(ValidationError, match="evidence"):
            listing_add(
                actor=official,
                organization=org,
                trigger="no_party_org",
                evidence="  ",
                listed_on="2026-05-20",
            )
        with pytest.raises(PermissionDenied):
            listing_add(
                actor=outsider,
                organization=org,
                trigger="no_party_org",
                evidence="无党组织",
                listed_on="2026-05-20",
            )
        with pytest.raises(ValidationError, match="trigger"):
            listing_add(
                actor=official,
                organization=org,
                trigger="made_up",
                evidence="x",
                listed_on="2026-05-20",
            )
        with pytest.raises(ValidationError, match="amount"):
            sanction_record(
                actor=official,
                organization=org,
                kind="fine",
                amount_yuan="0",
                decided_on="2026-05-20",
                reference="x",
                facts="y",
            )
    assert listings(org) == []
    report = org.annual_reports.get()
    assert report.revenue == Decimal("120000.00")


def test_a_rule_that_raises_is_recorded_and_the_run_goes_on(org, system, monkeypatch):
    from servicepark.oversight.rules import RULES

    rule = RULES["government_dependency"]

    def broken(ctx):
        raise ZeroDivisionError("odd data")

    monkeypatch.setattr(rule, "evaluate", broken)
    outcome = run_on(D(2026, 6, 1))
    assert outcome.errors == [
        {"rule": "government_dependency", "error": "ZeroDivisionError: odd data"}
    ]
    assert outcome.run is not None and outcome.run.errors == outcome.errors
    assert listings(org)  # the other steps still listed the missing report
    assert outcome.counts["signals_new"] >= 1


def test_a_future_as_of_date_is_a_preview_that_stores_nothing(org, system):
    with frozen(D(2026, 11, 22)):
        outcome = engine.run(as_of=D(2099, 1, 1))
    assert not outcome.stored and outcome.counts["listed_late_reports"] == 2
    assert listings(org) == []


def test_the_full_recompute_runs_as_a_background_task(org):
    from servicepark.oversight.models import OversightRun
    from servicepark.oversight.tasks import oversight_recompute

    with frozen(D(2026, 6, 2)):
        result = oversight_recompute.enqueue("2026-06-02")
    assert result.return_value["listed_late_reports"] == 1
    assert OversightRun.objects.get().as_of == D(2026, 6, 2)


def test_removing_an_entry_needs_evidence(org, official, english):
    run_on(D(2026, 6, 1))
    (entry,) = listings(org)
    with frozen(D(2026, 6, 5)):
        with pytest.raises(ValidationError, match="what was verified"):
            listing_verify(actor=official, listing=entry, evidence="")
    entry.refresh_from_db()
    assert entry.removed_on is None
