"""Running a call after the deadline: screening, the jury, the proposal, the leading group's
vote, publication, objections and finality."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from servicepark.common.feedback import attempt, flash_error
from servicepark.common.inputs import as_typed
from servicepark.common.permissions import has_permission, require_permission
from servicepark.procurement.forms_applications import LimitsForm, ScreeningForm
from servicepark.procurement.models import Decision, Objection
from servicepark.procurement.selectors import application_get_for
from servicepark.procurement.selectors_decisions import (
    call_board,
    call_for_staff,
    decisions_of,
)
from servicepark.procurement.services.bulletins import decision_finalize, objection_answer
from servicepark.procurement.services.decisions import decision_propose, decision_publish, vote_cast
from servicepark.procurement.services.jury import jury_assign
from servicepark.procurement.services.screening import (
    application_release_comment,
    application_screen,
)


@login_required
def call_manage(request: HttpRequest, pk: int) -> HttpResponse:
    call = call_for_staff(user=request.user, pk=pk)
    can_manage = has_permission("call.manage", request.user, call)[0]
    # Center staff run the screening here but may not open the decisions: those show as text.
    decisions = [
        (d, can_manage or has_permission("decision.view", request.user, d)[0])
        for d in decisions_of(call)
    ]
    return render(
        request,
        "procurement/manage.html",
        {
            "call": call,
            "phase": call.phase(),
            "rows": call_board(call),
            "decisions": decisions,
            "can_manage": can_manage,
            "limits_form": LimitsForm(),
            "screening_form": ScreeningForm(),
            "leading_group": call.purchaser.leading_group.all(),
        },
    )


@login_required
@require_POST
def screen(request: HttpRequest, pk: int) -> HttpResponse:
    app = application_get_for(user=request.user, pk=pk)
    form = ScreeningForm(request.POST)
    if not form.is_valid():
        flash_error(request, form)
    else:
        attempt(
            request,
            lambda: application_screen(
                actor=request.user,
                application=app,
                passed=form.cleaned_data["passed"],
                reason=form.cleaned_data["reason"],
            ),
            _("Screening recorded for %(org)s.") % {"org": app.organization.name},
        )
    return redirect("procurement:manage", app.call_id)


@login_required
@require_POST
def release_comment(request: HttpRequest, pk: int) -> HttpResponse:
    app = application_get_for(user=request.user, pk=pk)
    attempt(
        request,
        lambda: application_release_comment(
            actor=request.user, application=app, comment=request.POST.get("comment", "")
        ),
        _("The comments are released to the applicant."),
    )
    return redirect("procurement:manage", app.call_id)


@login_required
@require_POST
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    call = call_for_staff(user=request.user, pk=pk)
    attempt(
        request,
        lambda: jury_assign(actor=request.user, call=call),
        _("Jurors are assigned; conflicts of interest were kept off and recorded."),
    )
    return redirect("procurement:manage", call.pk)


@login_required
@require_POST
def propose(request: HttpRequest, pk: int) -> HttpResponse:
    call = call_for_staff(user=request.user, pk=pk)
    form = LimitsForm(request.POST)
    if not form.is_valid():
        flash_error(request, form)
    else:
        attempt(
            request,
            lambda: decision_propose(
                actor=request.user, call=call, limits=form.cleaned_data["limits"]
            ),
            _("Awards are proposed; the leading group can now vote."),
        )
    return redirect("procurement:manage", call.pk)


def _decision_for(request: HttpRequest, pk: int) -> Decision:
    decision = Decision.objects.select_related("call__purchaser").filter(pk=pk).first()
    if decision is None:
        raise PermissionDenied(_("Only the purchaser's staff and its leading group see this."))
    require_permission("decision.view", request.user, decision)
    return decision


@login_required
def decision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _decision_page(request, _decision_for(request, pk))


def _decision_page(
    request: HttpRequest,
    decision: Decision,
    *,
    kept_vote: dict[str, str] | None = None,
    kept_answer: dict[str, Any] | None = None,
) -> HttpResponse:
    """The decision's page; after a refused vote or answer, with what was typed in the form
    it came from (or, where that form is gone, to copy)."""
    votes = decision.votes.select_related("voter")
    return render(
        request,
        "procurement/decision.html",
        {
            "decision": decision,
            "call": decision.call,
            "votes": votes,
            "my_vote": votes.filter(voter_id=request.user.pk).first(),
            "can_vote": has_permission("decision.vote", request.user, decision)[0],
            "can_manage": has_permission("call.manage", request.user, decision.call)[0],
            "members": decision.call.purchaser.leading_group.count(),
            "objections": decision.objections.select_related("filed_by", "organization"),
            "awards": decision.awards.select_related("application__organization", "contract"),
            "kept_vote": kept_vote or {},
            "kept_answer": kept_answer or {},
        },
    )


@login_required
@require_POST
def vote(request: HttpRequest, pk: int) -> HttpResponse:
    decision = _decision_for(request, pk)
    choice = request.POST.get("choice", "")
    comment = request.POST.get("comment", "")
    if attempt(
        request,
        lambda: vote_cast(actor=request.user, decision=decision, choice=choice, comment=comment),
        _("Your vote is recorded."),
    ):
        return redirect("procurement:decision", decision.pk)
    # A refused vote comes back with the choice and the comment typed.
    kept = {"choice": choice, "comment": as_typed(comment)}
    return _decision_page(request, decision, kept_vote=kept)


@login_required
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    decision = _decision_for(request, pk)
    if attempt(
        request,
        lambda: decision_publish(actor=request.user, decision=decision),
        _("The result is published; the objection period has started."),
    ):
        return redirect("bulletins:detail", decision.pk)
    return redirect("procurement:decision", decision.pk)


@login_required
@require_POST
def finalize(request: HttpRequest, pk: int) -> HttpResponse:
    decision = _decision_for(request, pk)
    attempt(
        request,
        lambda: decision_finalize(actor=request.user, decision=decision),
        _("The result is final."),
    )
    return redirect("procurement:decision", decision.pk)


@login_required
@require_POST
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    objection = Objection.objects.select_related("decision").filter(pk=pk).first()
    if objection is None:
        raise PermissionDenied
    decision = _decision_for(request, objection.decision_id)
    text = request.POST.get("answer", "")
    upheld = request.POST.get("upheld") == "1"
    if attempt(
        request,
        lambda: objection_answer(
            actor=request.user, objection=objection, answer=text, upheld=upheld
        ),
        _("The answer is recorded and published with the bulletin."),
    ):
        return redirect("procurement:decision", decision.pk)
    # A refused answer comes back in the objection's form, as typed.
    kept = {"objection": objection.pk, "text": as_typed(text), "upheld": upheld}
    return _decision_page(request, decision, kept_answer=kept)
