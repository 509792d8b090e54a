"""Juries: conflicts keep experts off (recorded), scoring is blind, aggregation is fair."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from servicepark.accounts.tests.factories import make_user
from servicepark.common.actors import SystemActor
from servicepark.procurement.models import Assignment, ExpertProfile, ExpertTie, Recusal
from servicepark.procurement.scoring import aggregate
from servicepark.procurement.services.applications import (
    application_save_draft,
    application_start,
    application_submit,
)
from servicepark.procurement.services.jury import (
    expert_conflicts,
    jury_assign,
    score_submit,
    scores_visible_to,
)
from servicepark.procurement.services.screening import application_screen
from servicepark.procurement.tests.helpers import attach_required, close
from servicepark.procurement.tests.test_applications import content
from servicepark.registry.services.people import membership_add
from servicepark.registry.tests.factories import make_org

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
FULL = {"need": 30, "design": 40}  # with "capacity" (0–30): the rubric of test_calls


def expert(name: str, **kwargs) -> ExpertProfile:
    user = make_user("expert", division="510100", username=name)
    return ExpertProfile.objects.create(user=user, **kwargs)


def submitted(call, name: str):
    org = make_org(
        name=name,
        division_code="510107019",
        founded_on="2010-01-01",
        phone="028-85123456" if name == "电话组织" else "",
    )
    admin = make_user("org_admin", organization=org)
    app = application_start(actor=admin, call=call, organization=org)
    application_save_draft(actor=admin, application=app, content=content())
    attach_required(admin, app)
    application_submit(actor=admin, application=app, submission_key="k")
    application_screen(actor=SystemActor("screening"), application=app, passed=True)
    return app


def test_conflict_rules():
    org = make_org(phone="028-85123456")
    system = SystemActor("t")
    board = membership_add(
        actor=system, organization=org, name="高建", role="board_member", phone="13800280002"
    )
    cases = {
        "member": expert("e1"),
        "old_employee": expert("e2"),
        "recent_employee": expert("e3"),
        "board": expert("e4", person=board.person),
        "phone": expert("e5", phone="13800280002"),
        "org_phone": expert("e6", phone="028-85123456"),
        "clean": expert("e7"),
    }
    ExpertTie.objects.create(expert=cases["member"], organization=org, kind="member")
    ExpertTie.objects.create(
        expert=cases["old_employee"],
        organization=org,
        kind="employee",
        ended_on=timezone.localdate() - dt.timedelta(days=4 * 365),
    )
    ExpertTie.objects.create(
        expert=cases["recent_employee"],
        organization=org,
        kind="employee",
        ended_on=timezone.localdate() - dt.timedelta(days=2 * 365),
    )
    conflicted = {k for k, e in cases.items() if expert_conflicts(e, org)}
    assert conflicted == {"member", "recent_employee", "board", "phone", "org_phone"}


@pytest.mark.smoke
def test_assignment_skips_conflicts_and_records_recusals(call):
    a = submitted(call, "甲组织")
    b = submitted(call, "乙组织")
    experts = [expert(f"x{i}") for i in range(4)]
    ExpertTie.objects.create(expert=experts[0], organization=a.organization, kind="advisor")
    buyer = make_user("purchaser", division="510100")
    close(call)
    result = jury_assign(actor=buyer, call=call)
    assert experts[0].pk not in result[a.pk]
    assert len(result[a.pk]) == len(result[b.pk]) == call.jury_size == 3
    recusal = Recusal.objects.get(application=a)
    assert recusal.expert == experts[0] and "advisor" in recusal.reason


def test_not_enough_clean_experts_assigns_nothing(call):
    a = submitted(call, "甲组织")
    experts = [expert(f"y{i}") for i in range(3)]
    ExpertTie.objects.create(expert=experts[0], organization=a.organization, kind="member")
    close(call)
    with pytest.raises(ValidationError):
        jury_assign(actor=make_user("purchaser", division="510100"), call=call)
    assert not Assignment.objects.exists()


def test_scoring_is_blind_once_and_within_range(call):
    app = submitted(call, "甲组织")
    experts = [expert(f"z{i}") for i in range(3)]
    buyer = make_user("purchaser", division="510100")
    close(call)
    jury_assign(actor=buyer, call=call)
    sheets = {s.expert.user.username: s for s in Assignment.objects.filter(application=app)}
    first, second = sheets["z0"], sheets["z1"]
    score_submit(actor=experts[0].user, assignment=first, scores=FULL | {"capacity": 10})
    assert scores_visible_to(user=experts[1].user, application=app) == []
    with pytest.raises(ValidationError):
        score_submit(actor=experts[0].user, assignment=first, scores=FULL | {"capacity": 10})
    with pytest.raises(PermissionDenied):
        score_submit(actor=experts[0].user, assignment=second, scores=FULL | {"capacity": 10})
    for bad in (
        FULL,
        FULL | {"capacity": 31},
        FULL | {"capacity": -1},
        FULL | {"capacity": 1.5},
        FULL | {"capacity": 5, "extra": 1},
    ):
        with pytest.raises(ValidationError):
            score_submit(actor=experts[1].user, assignment=second, scores=bad)
    score_submit(actor=experts[1].user, assignment=second, scores=FULL | {"capacity": 0})
    assert len(scores_visible_to(user=experts[1].user, application=app)) == 2
    assert len(scores_visible_to(user=buyer, application=app)) == 2
    applicant = make_user("org_admin", organization=app.organization)
    assert scores_visible_to(user=applicant, application=app) == []


def test_aggregation_trims_with_five_jurors_and_flags_disagreement():
    criteria = ["a", "b"]
    three = aggregate([{"a": 10, "b": 20}, {"a": 20, "b": 20}, {"a": 30, "b": 20}], criteria)
    assert three.per_criterion == {"a": Decimal("20.00"), "b": Decimal("20.00")}
    assert three.total == Decimal("40.00") and not three.disagreement
    five = aggregate([{"a": a, "b": 10} for a in (0, 10, 11, 12, 50)], criteria)
    assert five.per_criterion["a"] == Decimal("11.00")  # 0 and 50 dropped
    assert five.spread == Decimal("50") and five.disagreement
    assert not aggregate(
        [{"a": 1, "b": 1}, {"a": 30, "b": 1}], criteria, spread_limit=Decimal("30")
    ).disagreement


def test_reviews_api_and_assigned_applications(client, call):
    import json

    from servicepark.accounts.tests.factories import PASSWORD

    app = submitted(call, "甲组织")
    experts = [expert(f"r{i}") for i in range(3)]
    close(call)
    jury_assign(actor=make_user("purchaser", division="510100", username="buyer"), call=call)

    def headers(username):
        token = client.post(
            "/api/v1/auth/token",
            json.dumps({"username": username, "password": PASSWORD}),
            content_type="application/json",
        )
        return {"HTTP_AUTHORIZATION": f"Bearer {token.json()['token']}"}

    url = f"/api/v1/applications/{app.pk}/reviews"
    assert client.get("/api/v1/applications", **headers("r0")).json()["count"] == 1
    assert client.get(url, **headers("r0")).json()["sheets"] == []  # nothing before own sheet
    sheet = Assignment.objects.get(application=app, expert=experts[0])
    score_submit(actor=experts[0].user, assignment=sheet, scores=FULL | {"capacity": 20})
    body = client.get(url, **headers("r0")).json()
    assert body["total"] == "90.00" and len(body["sheets"]) == 1
    assert client.get(url, **headers("buyer")).status_code == 200
    owner = make_user("org_admin", organization=app.organization, username="owner")
    assert owner and client.get(url, **headers("owner")).status_code == 403
    outsider = expert("other-expert")
    assert outsider and client.get(url, **headers("other-expert")).status_code == 404
