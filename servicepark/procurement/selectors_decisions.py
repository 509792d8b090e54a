"""Reads for applying, screening, judging and deciding, each scoped to the user."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from servicepark.accounts.roles import Role
from servicepark.accounts.scoping import user_organization_ids
from servicepark.common.permissions import has_permission
from servicepark.procurement.models import (
    Application,
    Assignment,
    Attachment,
    Call,
    Decision,
    Objection,
)
from servicepark.procurement.scoring import Aggregate, aggregate
from servicepark.procurement.selectors import application_visible, call_get_for
from servicepark.registry.models import AssociationMember, Organization

PUBLIC_DECISION_STATES = (
    Decision.State.PUBLISHED,
    Decision.State.FINAL,
    Decision.State.ANNULLED,
)


def organizations_user_may_apply_for(user: Any) -> QuerySet[Organization]:
    """The user's own organizations (as admin), and the attached and member organizations of
    the associations they work for."""
    own = user_organization_ids(user, [Role.ORG_ADMIN])
    associations = user_organization_ids(user, [Role.ASSOCIATION_STAFF])
    members = AssociationMember.objects.filter(
        association_id__in=associations, ended_on__isnull=True
    ).values("member_id")
    return Organization.objects.filter(
        Q(pk__in=own) | Q(umbrella_id__in=associations) | Q(pk__in=members)
    ).order_by("name")


def attachment_get_for(*, user: Any, pk: int) -> Attachment:
    attachment = (
        Attachment.objects.filter(application__in=application_visible(user), pk=pk)
        .select_related("application")
        .first()
    )
    if attachment is None:
        raise Http404
    return attachment


def assignment_list(*, user: Any) -> QuerySet[Assignment]:
    """An expert's own jury work, newest call first."""
    return (
        Assignment.objects.filter(expert__user_id=getattr(user, "pk", None) or 0)
        .select_related("application__call", "application__organization")
        .order_by("submitted_at", "-application__call__closes_at", "id")
    )


def assignment_get_for(*, user: Any, pk: int) -> Assignment:
    assignment = assignment_list(user=user).filter(pk=pk).first()
    if assignment is None:
        raise Http404
    return assignment


@dataclass(frozen=True)
class BoardRow:
    application: Application
    sheets_done: int
    sheets_total: int
    recusals: int
    score: Aggregate | None


def call_for_staff(*, user: Any, pk: int) -> Call:
    """The call, for those who run it or screen for it (403 for anyone else who can see it)."""
    call = call_get_for(user=user, pk=pk)
    if not (has_permission("call.manage", user, call)[0] or _may_screen(user, call)):
        raise PermissionDenied(_("Only the purchaser's staff and the service center run a call."))
    return call


def _may_screen(user: Any, call: Call) -> bool:
    probe = Application(call=call)
    return has_permission("application.screen", user, probe)[0]


def call_board(call: Call) -> list[BoardRow]:
    """Every application of the call with its screening, jury progress and aggregated score;
    a fixed number of queries whatever the number of applications."""
    criteria = [c["key"] for c in call.rubric]
    apps = (
        Application.objects.filter(call=call)
        .exclude(state=Application.State.DRAFT)
        .select_related("organization", "applicant", "screened_by")
        .prefetch_related(
            Prefetch("assignments", queryset=Assignment.objects.order_by("id")),
            "recusals",
        )
        .order_by("id")
    )
    rows = []
    for app in apps:
        sheets = list(app.assignments.all())
        done = [s.scores for s in sheets if s.submitted_at is not None]
        complete = bool(sheets) and len(done) == len(sheets)
        rows.append(
            BoardRow(
                application=app,
                sheets_done=len(done),
                sheets_total=len(sheets),
                recusals=len(app.recusals.all()),
                score=aggregate(done, criteria) if complete else None,
            )
        )
    return rows


def decisions_of(call: Call) -> QuerySet[Decision]:
    return (
        call.decisions.select_related("proposed_by")
        .prefetch_related("votes__voter", "objections__filed_by")
        .order_by("-round")
    )


def bulletin_list() -> QuerySet[Decision]:
    """Published results, public to everyone."""
    return (
        Decision.objects.filter(state__in=PUBLIC_DECISION_STATES)
        .select_related("call__purchaser__division")
        .order_by("-published_at", "-id")
    )


def bulletin_get(pk: int) -> Decision:
    decision = (
        bulletin_list()
        .prefetch_related(
            "awards__application__organization",
            "awards__application__applicant",
            Prefetch(
                "objections",
                queryset=Objection.objects.exclude(state=Objection.State.OPEN).order_by("id"),
                to_attr="answered_objections",
            ),
        )
        .filter(pk=pk)
        .first()
    )
    if decision is None:
        raise Http404
    return decision


def result_for_applicant(application: Application) -> dict[str, Any] | None:
    """What an applicant learns once the result is public: the aggregated score, its rank
    and the comments the chair released; never a juror's name or sheet."""
    decision = (
        Decision.objects.filter(call_id=application.call_id, state__in=PUBLIC_DECISION_STATES)
        .order_by("-round")
        .first()
    )
    if decision is None:
        return None
    row = next((r for r in decision.ranking if r["application"] == application.pk), None)
    return {"decision": decision, "row": row, "comment": application.jury_comment}
