"""From scores to a final award: screening, proposal, leading-group vote, bulletin,
objections and finality — each step's bad input refused with nothing changed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from servicepark.accounts.tests.factories import make_user
from servicepark.common.actors import SystemActor
from servicepark.common.audit import audit_verify
from servicepark.common.models import AuditEvent
from servicepark.procurement.models import Application, Award, Call, Decision, Objection
from servicepark.procurement.services.applications import (
    application_save_draft,
    application_start,
    application_submit,
)
from servicepark.procurement.services.bulletins import (
    decision_finalize,
    decisions_finalize_due,
    objection_answer,
    objection_file,
)
from servicepark.procurement.services.decisions import (
    decision_propose,
    decision_publish,
    vote_cast,
)
from servicepark.procurement.services.jury import jury_assign, score_submit
from servicepark.procurement.services.screening import application_screen
from servicepark.procurement.tests.helpers import attach_required, close
from servicepark.procurement.tests.test_applications import content
from servicepark.procurement.tests.test_jury import expert
from servicepark.registry.tests.factories import make_org

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def apply(call, name: str, requested: str):
    org = make_org(name=name, division_code="510107019", founded_on="2010-01-01")
    admin = make_user("org_admin", organization=org)
    app = application_start(actor=admin, call=call, organization=org)
    half = f"{float(requested) / 2:.2f}"
    application_save_draft(
        actor=admin, application=app, content=content(requested=requested, matching=half)
    )
    attach_required(admin, app)
    application_submit(actor=admin, application=app, submission_key="k")
    return app, admin


@pytest.fixture
def scored(call):
    """Three screened applications scored by three experts, after the deadline; a leading
    group of three. Budget 600,000: the two best fit (200k + 200k), the third does not with
    a cap... see each test."""
    buyer = make_user("purchaser", division="510100")
    apps = [
        apply(call, "甲社工中心", "200000.00")[0],
        apply(call, "乙社工中心", "150000.00")[0],
        apply(call, "丙社工中心", "100000.00")[0],
    ]
    for app in apps:
        application_screen(actor=buyer, application=app, passed=True)
    experts = [expert(f"e{i}") for i in range(3)]
    close(call)
    jury_assign(actor=buyer, call=call)
    marks = {apps[0].pk: 25, apps[1].pk: 20, apps[2].pk: 10}
    for app in apps:
        for sheet in app.assignments.all():
            score_submit(
                actor=sheet.expert.user,
                assignment=sheet,
                scores={"need": marks[app.pk], "design": 30, "capacity": 20},
            )
    Call.objects.filter(pk=call.pk).update(closes_at=timezone.now() - dt.timedelta(seconds=1))
    group = [make_user(username=f"leader{i}") for i in range(3)]
    call.purchaser.leading_group.set(group)
    call.refresh_from_db()
    return call, buyer, apps, group, experts


def test_manual_screening_needs_reasons_and_the_right_person(call, english):
    app, _admin = apply(call, "丁社工中心", "100000.00")
    buyer = make_user("purchaser", division="510100")
    with pytest.raises(ValidationError) as err:
        application_screen(actor=buyer, application=app, passed=False)
    assert "why" in err.value.messages[0]
    outsider = make_user("purchaser", division="370100")
    with pytest.raises(PermissionDenied):
        application_screen(actor=outsider, application=app, passed=True)
    center = make_user("center_staff", division="510107")
    with pytest.raises(PermissionDenied):  # the center covers only part of the purchaser's area
        application_screen(actor=center, application=app, passed=True)
    city_center = make_user("center_staff", division="510100")
    application_screen(actor=city_center, application=app, passed=False, reason="预算表未盖章")
    app.refresh_from_db()
    assert (app.screening, app.screening_note) == ("rejected", "预算表未盖章")


def test_an_automatically_refused_application_passes_only_with_a_reason(call):
    young = make_org(name="新中心", division_code="510107019", founded_on="2025-06-01")
    admin = make_user("org_admin", organization=young)
    app = application_start(actor=admin, call=call, organization=young)
    application_save_draft(actor=admin, application=app, content=content())
    attach_required(admin, app)
    application_submit(actor=admin, application=app, submission_key="k")
    buyer = make_user("purchaser", division="510100")
    with pytest.raises(ValidationError):
        application_screen(actor=buyer, application=app, passed=True)
    application_screen(
        actor=buyer, application=app, passed=True, reason="成立满两年，系统登记日期有误"
    )
    assert Application.objects.get(pk=app.pk).screening == "passed"


@pytest.mark.smoke
def test_full_round_to_a_final_award(scored):
    call, buyer, apps, group, _experts = scored
    decision = decision_propose(actor=buyer, call=call, limits={"max_per_organization": 1})
    assert decision.state == "proposed"
    assert [r["organization"] for r in decision.ranking] == [
        "甲社工中心",
        "乙社工中心",
        "丙社工中心",
    ]
    # 600,000 fits all three (450,000).
    assert set(
        Award.objects.filter(decision=decision).values_list("application_id", flat=True)
    ) == {a.pk for a in apps}
    assert str(decision.total_amount) == "450000.00"
    vote_cast(actor=group[0], decision=decision, choice="approve")
    with pytest.raises(ValidationError):
        vote_cast(actor=group[0], decision=decision, choice="approve")  # once
    with pytest.raises(PermissionDenied):
        vote_cast(actor=buyer, decision=decision, choice="approve")  # not in the group
    decision = vote_cast(actor=group[1], decision=decision, choice="approve")
    assert decision.state == "approved"
    decision = decision_publish(actor=buyer, decision=decision)
    assert decision.objection_ends_at - decision.published_at == dt.timedelta(days=7)
    loser = make_user("org_admin", organization=make_org(name="戊中心"))
    objection = objection_file(actor=loser, decision=decision, text="评分标准不清")
    with pytest.raises(ValidationError):
        decision_finalize(actor=buyer, decision=decision)  # period still running
    later = decision.objection_ends_at + dt.timedelta(seconds=1)
    with pytest.raises(ValidationError) as err:
        decision_finalize(actor=buyer, decision=decision, now=later)
    assert "Answer every objection" in err.value.messages[0]
    objection_answer(actor=buyer, objection=objection, answer="评分细则见公告附件", upheld=False)
    decision = decision_finalize(actor=buyer, decision=decision, now=later)
    assert decision.state == "final"
    assert audit_verify() is None


def test_proposal_is_refused_before_the_deadline_and_with_an_impossible_minimum(scored):
    call, buyer, _apps, _group, _experts = scored
    Call.objects.filter(pk=call.pk).update(closes_at=timezone.now() + dt.timedelta(hours=1))
    with pytest.raises(ValidationError):
        decision_propose(actor=buyer, call=call)
    Call.objects.filter(pk=call.pk).update(closes_at=timezone.now() - dt.timedelta(seconds=1))
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as err:
        decision_propose(
            actor=buyer, call=call, limits={"min_per_field": {"environment": "10000.00"}}
        )
    assert "environment" in " ".join(err.value.messages)
    with pytest.raises(ValidationError):
        decision_propose(actor=buyer, call=call, limits={"budget": "1.00"})  # not a limit
    assert not Decision.objects.exists() and AuditEvent.objects.count() == events


def test_the_optimiser_respects_the_field_maximum(scored):
    call, buyer, apps, _group, _experts = scored
    decision = decision_propose(
        actor=buyer, call=call, limits={"max_per_field": {"elderly": "260000.00"}}
    )
    chosen = set(decision.awards.values_list("application_id", flat=True))
    # 甲 (200k, best) + 丙 (100k) is over 260k; the best total within it is 乙 + 丙.
    assert chosen == {apps[1].pk, apps[2].pk}
    assert decision.optimiser["greedy"]["selected"] == [str(apps[0].pk)]


def test_incomplete_jury_blocks_the_proposal(call):
    buyer = make_user("purchaser", division="510100")
    app, _ = apply(call, "甲社工中心", "200000.00")
    application_screen(actor=buyer, application=app, passed=True)
    [expert(f"e{i}") for i in range(3)]
    close(call)
    jury_assign(actor=buyer, call=call)
    Call.objects.filter(pk=call.pk).update(closes_at=timezone.now() - dt.timedelta(seconds=1))
    call.purchaser.leading_group.set([make_user()])
    with pytest.raises(ValidationError) as err:
        decision_propose(actor=buyer, call=call)
    assert "not finished scoring" in err.value.messages[0]


def test_majority_against_rejects_and_a_new_round_can_follow(scored):
    call, buyer, _apps, group, _experts = scored
    decision = decision_propose(actor=buyer, call=call)
    with pytest.raises(ValidationError):
        vote_cast(actor=group[0], decision=decision, choice="reject")  # needs a reason
    vote_cast(actor=group[0], decision=decision, choice="reject", comment="预算偏高")
    decision = vote_cast(actor=group[1], decision=decision, choice="reject", comment="同上")
    assert decision.state == "rejected"
    with pytest.raises(ValidationError):
        decision_publish(actor=buyer, decision=decision)
    assert decision_propose(actor=buyer, call=call).round == 2


def test_an_upheld_objection_annuls_the_result(scored):
    call, buyer, _apps, group, _experts = scored
    decision = decision_propose(actor=buyer, call=call)
    for member in group[:2]:
        vote_cast(actor=member, decision=decision, choice="approve")
    decision = decision_publish(actor=buyer, decision=Decision.objects.get(pk=decision.pk))
    objector = make_user("org_admin", organization=make_org())
    with pytest.raises(ValidationError):
        objection_file(actor=objector, decision=decision, text="  ")
    objection = objection_file(actor=objector, decision=decision, text="乙中心登记证书过期")
    with pytest.raises(PermissionDenied):
        objection_answer(actor=objector, objection=objection, answer="x", upheld=False)
    objection_answer(actor=buyer, objection=objection, answer="经核实属实", upheld=True)
    assert Decision.objects.get(pk=decision.pk).state == "annulled"
    assert Objection.objects.get(pk=objection.pk).state == "upheld"
    with pytest.raises(ValidationError):
        objection_file(actor=objector, decision=decision, text="再提一条")


def test_due_results_become_final_by_the_scheduled_run(scored):
    call, buyer, _apps, group, _experts = scored
    decision = decision_propose(actor=buyer, call=call)
    for member in group[:2]:
        vote_cast(actor=member, decision=decision, choice="approve")
    decision_publish(actor=buyer, decision=Decision.objects.get(pk=decision.pk))
    Decision.objects.filter(pk=decision.pk).update(
        objection_ends_at=timezone.now() - dt.timedelta(seconds=1)
    )
    done, blocked = decisions_finalize_due(actor=SystemActor("scheduler"))
    assert [d.pk for d in done] == [decision.pk] and blocked == []
    assert Decision.objects.get(pk=decision.pk).state == "final"


def test_awards_finalize_command_reports_blocked_results(scored, capsys):
    from django.core.management import call_command

    call, buyer, _apps, group, _experts = scored
    decision = decision_propose(actor=buyer, call=call)
    for member in group[:2]:
        vote_cast(actor=member, decision=decision, choice="approve")
    decision = decision_publish(actor=buyer, decision=Decision.objects.get(pk=decision.pk))
    objection_file(actor=make_user(), decision=decision, text="异议")
    Decision.objects.filter(pk=decision.pk).update(
        objection_ends_at=timezone.now() - dt.timedelta(seconds=1)
    )
    with pytest.raises(SystemExit) as exit_:
        call_command("awards", "finalize", "--lang", "en")
    assert exit_.value.code == 1
    assert "Answer every objection" in capsys.readouterr().err
    assert Decision.objects.get(pk=decision.pk).state == "published"


def test_released_comments_cannot_be_empty_and_keep_the_earlier_ones(scored):
    from servicepark.procurement.services.screening import application_release_comment

    call, buyer, apps, _group, _experts = scored
    application_release_comment(actor=buyer, application=apps[0], comment="方案清晰，预算合理")
    for bad in ("", "   ", "长" * 5001, "有\x00字符"):
        with pytest.raises(ValidationError, match="at most 5,000 characters"):
            application_release_comment(actor=buyer, application=apps[0], comment=bad)
    assert Application.objects.get(pk=apps[0].pk).jury_comment == "方案清晰，预算合理"
