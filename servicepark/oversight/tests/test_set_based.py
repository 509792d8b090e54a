"""The set-based writes of the full recompute (B6): they decide what the per-row code decided,
write an audit event for every change, rewrite nothing that did not change, and after an
event run only the rules that watch what was saved."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from servicepark.accounts.roles import Role
from servicepark.accounts.tests.factories import make_user
from servicepark.common.audit import audit_verify
from servicepark.common.inputs import add_months
from servicepark.common.models import AuditEvent
from servicepark.oversight import engine
from servicepark.oversight.deadlines import full_years_later
from servicepark.oversight.models import (
    AnnualReport,
    CreditListing,
    GradeAssessment,
    RiskScore,
    Signal,
)
from servicepark.oversight.rules import RULES
from servicepark.oversight.rules.base import Context
from servicepark.oversight.services import credit_steps
from servicepark.oversight.services.credit import sanction_record
from servicepark.oversight.services.listing import NewListing, add_listings
from servicepark.oversight.tests.conftest import frozen
from servicepark.registry.tests.factories import make_org

pytestmark = pytest.mark.django_db
D = dt.date


def run_on(day: dt.date) -> engine.Outcome:
    with frozen(day):
        return engine.run(as_of=day)


def events(action: str, pks: list[int]) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(
            action=action,
            object_type="oversight.creditlisting",
            object_id__in=[str(p) for p in pks],
        ).order_by("id")
    )


@pytest.mark.parametrize(
    "later",
    [lambda d: full_years_later(d, 2), lambda d: add_months(d, 6)],
    ids=["two full years", "six months"],
)
def test_the_cutoff_day_matches_checking_every_day(later):
    days = [D(2023, 12, 20) + dt.timedelta(days=n) for n in range(1200)]
    for as_of in [D(2026, 2, 28), D(2026, 3, 1), D(2028, 2, 29), D(2026, 8, 31), D(2026, 11, 22)]:
        cutoff = credit_steps.latest_day_before(as_of, later)
        assert [d for d in days if later(d) <= as_of] == [d for d in days if d <= cutoff]


def test_escalation_is_set_based_audited_and_lists_as_before(system):
    orgs = [make_org(status="registered", founded_on="2015-01-01") for _ in range(3)]
    add_listings(
        actor=system,
        items=[
            NewListing(orgs[0].pk, "no_party_org", "manual:a", D(2024, 2, 29), "证据" * 300),
            NewListing(orgs[1].pk, "minor_penalty", "manual:b", D(2024, 3, 1), "罚款"),
            NewListing(orgs[2].pk, "no_party_org", "manual:c", D(2025, 1, 1), "too recent"),
        ],
    )
    abnormal = {e.organization_id: e for e in CreditListing.objects.filter(list="abnormal")}
    ctx = Context(as_of=D(2026, 2, 28))
    with frozen(ctx.as_of):
        assert credit_steps.escalate(ctx, system) == 1  # 29 Feb 2024 + 2 years = 28 Feb 2026
        assert credit_steps.escalate(ctx, system) == 0  # idempotent
    first = abnormal[orgs[0].pk]
    first.refresh_from_db()
    assert (first.removed_on, first.removal) == (D(2026, 2, 28), "escalated")
    (serious,) = CreditListing.objects.filter(list="serious")
    assert (serious.organization_id, serious.trigger, serious.source) == (
        orgs[0].pk,
        "abnormal_two_years",
        f"abnormal:{first.pk}",
    )
    assert (serious.listed_on, serious.evidence) == (D(2026, 2, 28), ("证据" * 300)[:500])
    assert [e.division_code for e in events("credit.list", [serious.pk])] == [orgs[0].division_id]
    (removed,) = events("credit.remove", [first.pk])
    assert removed.division_code == orgs[0].division_id
    assert sorted((p["op"], p["path"], p["value"]) for p in removed.patch) == [
        ("add", "/evidence", ""),
        ("add", "/removal", "escalated"),
        ("replace", "/removed_on", "2026-02-28"),
    ]
    with frozen(D(2026, 3, 1)):
        assert credit_steps.escalate(Context(as_of=D(2026, 3, 1)), system) == 1
    assert CreditListing.objects.filter(list="abnormal", removed_on__isnull=True).count() == 1
    assert audit_verify() is None


def test_automatic_removal_takes_off_only_entries_with_nothing_to_rectify(system):
    org, other = make_org(), make_org()
    add_listings(
        actor=system,
        items=[
            NewListing(org.pk, "minor_penalty", "manual:1", D(2026, 1, 10), "a"),
            NewListing(org.pk, "no_party_org", "manual:2", D(2026, 1, 10), "b"),
            NewListing(other.pk, "minor_penalty", "manual:3", D(2026, 1, 10), "c"),
            NewListing(other.pk, "minor_penalty", "manual:4", D(2026, 3, 1), "restarts"),
        ],
    )
    with frozen(D(2026, 7, 10)):
        assert credit_steps.remove_automatically(Context(as_of=D(2026, 7, 10)), system) == 1
        assert credit_steps.remove_automatically(Context(as_of=D(2026, 7, 10)), system) == 0
    gone = CreditListing.objects.get(source="manual:1")
    assert (gone.removed_on, gone.removal) == (D(2026, 7, 10), "automatic")
    assert CreditListing.objects.get(source="manual:2").removed_on is None  # to rectify
    assert not CreditListing.objects.filter(organization=other, removed_on__isnull=False)
    assert len(events("credit.remove", [gone.pk])) == 1
    with frozen(D(2026, 9, 1)):
        assert credit_steps.remove_automatically(Context(as_of=D(2026, 9, 1)), system) == 2
    assert set(
        CreditListing.objects.filter(organization=other).values_list("removed_on", flat=True)
    ) == {D(2026, 9, 1)}
    assert audit_verify() is None


def test_a_sanction_recorded_late_makes_a_listed_one_a_repeat(org, official):
    with frozen(D(2026, 5, 1)):
        sanction_record(
            actor=official,
            organization=org,
            kind="warning",
            decided_on="2026-05-01",
            reference="B",
            facts="x",
        )
        assert not CreditListing.objects.filter(trigger="repeat_penalties").exists()
        sanction_record(  # decided earlier, recorded later: the May warning is a repeat
            actor=official,
            organization=org,
            kind="warning",
            decided_on="2026-01-02",
            reference="A",
            facts="y",
        )
    (repeat,) = CreditListing.objects.filter(trigger="repeat_penalties")
    assert (repeat.listed_on, repeat.evidence) == (D(2026, 5, 1), "A; B")
    assert credit_steps.list_sanctions(Context(as_of=D(2026, 5, 1)), official) == 0


def test_a_second_run_on_the_same_day_rewrites_no_unchanged_score(org, official, system):
    calm = make_org(status="registered", founded_on="2018-03-01")
    run_on(D(2026, 6, 1))
    before = dict(RiskScore.objects.values_list("organization_id", "id"))
    assert {org.pk, calm.pk} <= set(before)  # both owe the 2025 report
    run_on(D(2026, 6, 1))
    assert dict(RiskScore.objects.values_list("organization_id", "id")) == before
    with frozen(D(2026, 6, 1)):
        sanction_record(
            actor=official,
            organization=org,
            kind="fine",
            amount_yuan="60000",
            decided_on="2026-05-20",
            reference="民罚〔2026〕7号",
            facts="z",
        )
    run_on(D(2026, 6, 1))
    after = dict(RiskScore.objects.values_list("organization_id", "id"))
    assert after[calm.pk] == before[calm.pk]  # unchanged: the same row
    assert after[org.pk] != before[org.pk]  # changed: written again
    score = RiskScore.objects.get(organization=org)
    assert any(item[0] == "credit_listed" and item[2] == 3 for item in score.breakdown)


def test_an_event_runs_only_the_rules_watching_what_it_saved(
    org, admin, monkeypatch, settings, django_capture_on_commit_callbacks
):
    settings.SERVICEPARK_OVERSIGHT_INCREMENTAL = True
    run_on(D(2026, 6, 1))
    listed = set(
        Signal.objects.filter(organization=org, cleared_on__isnull=True).values_list(
            "rule", flat=True
        )
    )
    assert {"annual_report_overdue", "credit_listed"} <= listed
    evaluated: list[str] = []
    for rule in RULES.values():
        original = rule.evaluate

        def spy(ctx, _rule=rule, _original=original):
            evaluated.append(_rule.id)
            return _original(ctx)

        monkeypatch.setattr(rule, "evaluate", spy)
    with frozen(D(2026, 6, 1)), django_capture_on_commit_callbacks(execute=True):
        AnnualReport.objects.create(
            organization=org,
            year=2025,
            revenue_government=900000,
            activities="补报",
            submitted_at=dt.datetime(2026, 6, 1, 2, tzinfo=dt.UTC),
        )
    watching = {r.id for r in RULES.values() if "oversight.AnnualReport" in r.watches}
    # The late report marks the listing fulfilled: the rules watching listings run too.
    watching |= {r.id for r in RULES.values() if "oversight.CreditListing" in r.watches}
    assert set(evaluated) == watching
    assert "related_parties" not in evaluated
    score = RiskScore.objects.get(organization=org, as_of=D(2026, 6, 1))
    rules_in_score = {item[0] for item in score.breakdown}
    assert "annual_report_overdue" not in rules_in_score  # filed now
    assert {"credit_listed", "government_dependency"} <= rules_in_score


def test_expiring_grades_are_reminded_once_in_one_statement(org, system):
    admin = make_user(Role.ORG_ADMIN, organization=org)
    admin.email = "admin@example.org"
    admin.save(update_fields=["email"])
    grades = [
        GradeAssessment.objects.create(
            organization=org,
            applied_on=D(2021, 7, 1),
            state="graded",
            grade="4A",
            valid_from=D(2021, 7, 1),
            valid_until=valid_until,
            exclusion_reasons=[],
        )
        for valid_until in (D(2026, 7, 1), D(2029, 1, 1))
    ]
    ctx = Context(as_of=D(2026, 6, 1))
    with frozen(ctx.as_of):
        assert credit_steps.remind_expiring(ctx, system) == 1
        assert credit_steps.remind_expiring(ctx, system) == 0
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["admin@example.org"]
    soon, later = (GradeAssessment.objects.get(pk=g.pk) for g in grades)
    assert (soon.reminded_on, later.reminded_on) == (D(2026, 6, 1), None)
    (event,) = AuditEvent.objects.filter(action="grade.remind")
    assert (event.object_type, event.object_id) == ("oversight.gradeassessment", str(soon.pk))
    assert event.division_code == org.division_id
    assert audit_verify() is None


def test_a_changed_hit_updates_its_open_signal_in_place(org, system):
    run_on(D(2026, 6, 1))
    first = Signal.objects.get(organization=org, rule="annual_report_overdue")
    assert first.params["years"] == [2025]
    outcome = run_on(D(2027, 6, 1))  # now two years missing: the same signal, graver
    assert outcome.counts["signals_changed"] >= 1
    again = Signal.objects.get(organization=org, rule="annual_report_overdue")
    assert again.pk == first.pk and again.cleared_on is None
    assert (again.params["years"], again.severity) == ([2025, 2026], 3)
    assert (again.first_seen_on, again.last_seen_on) == (D(2026, 6, 1), D(2027, 6, 1))
