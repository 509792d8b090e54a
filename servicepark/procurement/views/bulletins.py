"""Public bulletins of results, with the objection period and the answers on the record."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from servicepark.accounts.roles import Role
from servicepark.accounts.scoping import user_organization_ids
from servicepark.common.feedback import attempt
from servicepark.common.inputs import as_typed
from servicepark.common.pagination import paginate
from servicepark.procurement.models import Decision
from servicepark.procurement.selectors_decisions import bulletin_get, bulletin_list
from servicepark.procurement.services.bulletins import objection_file

OBJECTING_ROLES = [Role.ORG_ADMIN, Role.ORG_MEMBER, Role.ASSOCIATION_STAFF]


def bulletin_index(request: HttpRequest) -> HttpResponse:
    page = paginate(bulletin_list(), page=request.GET.get("page"), per_page=20)
    return render(request, "procurement/bulletins.html", {"page": page})


def bulletin_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _bulletin_page(request, bulletin_get(pk))


def _bulletin_page(request: HttpRequest, decision: Decision, kept: str = "") -> HttpResponse:
    """The bulletin; after a refused objection, with the text typed (in the form, or to copy
    where the objection period is over)."""
    open_for_objections = (
        decision.state == decision.State.PUBLISHED
        and decision.objection_ends_at is not None
        and timezone.now() < decision.objection_ends_at
    )
    return render(
        request,
        "procurement/bulletin.html",
        {
            "decision": decision,
            "call": decision.call,
            "awards": decision.awards.all(),
            "open_for_objections": open_for_objections,
            "kept": as_typed(kept),
        },
    )


@login_required
@require_POST
def bulletin_object(request: HttpRequest, pk: int) -> HttpResponse:
    decision = bulletin_get(pk)
    mine = sorted(user_organization_ids(request.user, OBJECTING_ROLES))
    text = request.POST.get("text", "")
    if attempt(
        request,
        lambda: objection_file(
            actor=request.user,
            decision=decision,
            text=text,
            organization_id=mine[0] if mine else None,
        ),
        _("Your objection is filed; the purchaser must answer it before the result is final."),
    ):
        return redirect("bulletins:detail", decision.pk)
    return _bulletin_page(request, decision, kept=text)
