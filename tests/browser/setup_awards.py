"""Builders for browser tests that start after an award: a final decision for one
organization, through the services (the pages for these steps have their own tests)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from django.utils import timezone

from servicepark.accounts.tests.factories import make_user
from servicepark.procurement.models import Call, Decision, ExpertProfile
from servicepark.procurement.services.applications import (
    application_save_draft,
    application_start,
    application_submit,
)
from servicepark.procurement.services.bulletins import decision_finalize
from servicepark.procurement.services.calls import call_create, call_publish
from servicepark.procurement.services.catalogue import purchaser_create
from servicepark.procurement.services.decisions import decision_propose, decision_publish, vote_cast
from servicepark.procurement.services.jury import jury_assign, score_submit
from servicepark.procurement.services.screening import application_screen
from servicepark.procurement.tests.test_applications import content
from servicepark.procurement.tests.test_calls import data as call_data


def final_award(applicant_user: Any, organization: Any, *, division: str = "510100") -> Decision:
    """A Chengdu purchase call won by `organization` (applied by `applicant_user`)."""
    official = make_user("official", division=division)
    buyer = make_user("purchaser", division=division, username="buyer")
    purchaser = purchaser_create(
        actor=official, name="成都市民政局", kind="civil_affairs", division_code=division
    )
    data = dataclasses.replace(
        call_data(None),
        off_catalogue_reason="试点",
        fields=["elderly"],
        required_documents=[],
        eligibility={"kinds": ["direct", "attached"], "within": division},
    )
    call = call_publish(actor=buyer, call=call_create(actor=buyer, purchaser=purchaser, data=data))
    app = application_start(actor=applicant_user, call=call, organization=organization)
    application_save_draft(actor=applicant_user, application=app, content=content())
    application_submit(actor=applicant_user, application=app, submission_key="k")
    application_screen(actor=buyer, application=app, passed=True)
    Call.objects.filter(pk=call.pk).update(closes_at=timezone.now() - dt.timedelta(seconds=1))
    call.refresh_from_db()
    for i in range(3):
        ExpertProfile.objects.create(user=make_user("expert", division=division, username=f"e{i}"))
    jury_assign(actor=buyer, call=call)
    for sheet in app.assignments.select_related("expert__user"):
        score_submit(
            actor=sheet.expert.user,
            assignment=sheet,
            scores={"need": 25, "design": 35, "capacity": 25},
        )
    leaders = [make_user(username=f"leader{i}") for i in range(2)]
    purchaser.leading_group.set(leaders)
    decision = decision_propose(actor=buyer, call=call)
    for leader in leaders:
        vote_cast(actor=leader, decision=decision, choice="approve")
    decision = decision_publish(actor=buyer, decision=Decision.objects.get(pk=decision.pk))
    return decision_finalize(
        actor=buyer, decision=decision, now=decision.objection_ends_at + dt.timedelta(seconds=1)
    )
