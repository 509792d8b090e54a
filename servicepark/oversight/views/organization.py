"""An organization's oversight page: its warnings and score, credit entries, rectification
orders, annual reports, sanctions, letters, inspections and grades — and the acts of
officials, of the organization itself and of grading experts, each through a service."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from servicepark.common.feedback import attempt, flash_error
from servicepark.common.inputs import picked_id
from servicepark.common.permissions import has_permission
from servicepark.oversight.models import (
    AnnualReport,
    CancellationProposal,
    CreditListing,
    GradeAssessment,
    Rectification,
    RegisteredLetter,
    Sanction,
)
from servicepark.oversight.models.annual import AMOUNT_FIELDS
from servicepark.oversight.presenters import explain_signal
from servicepark.oversight.selectors import latest_score, open_signals, score_trend
from servicepark.oversight.services.annual import annual_report_file, annual_report_review
from servicepark.oversight.services.credit import (
    cancellation_decide,
    letter_outcome,
    letter_send,
    listing_add,
    listing_annul,
    listing_apply_removal,
    listing_decide_removal,
    listing_verify,
    sanction_record,
)
from servicepark.oversight.services.grades import grade_apply, grade_decide, grade_score
from servicepark.oversight.services.inspections import (
    inspection_record,
    rectification_answer,
    rectification_order,
    rectification_verify,
)
from servicepark.oversight.triggers import TRIGGERS
from servicepark.registry.models import Organization


def _organization(request: HttpRequest, pk: int) -> tuple[Organization, dict[str, bool]]:
    org = get_object_or_404(Organization.objects.select_related("division"), pk=pk)
    may = {
        "view": has_permission("oversight.view", request.user, org)[0],
        "manage": has_permission("oversight.manage", request.user, org)[0],
        "file": has_permission("oversight.file", request.user, org)[0],
    }
    if not may["view"]:
        raise PermissionDenied(
            _("Only officials of the organization's jurisdiction and its admins see this.")
        )
    return org, may


@login_required
def organization_page(request: HttpRequest, pk: int) -> HttpResponse:
    org, may = _organization(request, pk)
    signals = list(open_signals(org))
    for signal in signals:
        signal.explained = explain_signal(signal, full=True)  # type: ignore[attr-defined]
    assessments = list(GradeAssessment.objects.filter(organization=org).prefetch_related("scores"))
    for item in assessments:
        item.can_score = (  # type: ignore[attr-defined]
            item.state == GradeAssessment.State.APPLIED
            and has_permission("grade.score", request.user, item)[0]
        )
    return render(
        request,
        "oversight/organization.html",
        {
            "org": org,
            "may": may,
            "signals": signals,
            "score": latest_score(org),
            "trend": score_trend(org),
            "listings": CreditListing.objects.filter(organization=org),
            "orders": Rectification.objects.filter(organization=org),
            "reports": AnnualReport.objects.filter(organization=org),
            "sanctions": Sanction.objects.filter(organization=org),
            "letters": RegisteredLetter.objects.filter(organization=org),
            "inspections": org.inspections.all(),
            "assessments": assessments,
            "proposals": CancellationProposal.objects.filter(organization=org),
            "triggers": TRIGGERS,
            "manual_triggers": [t for t in TRIGGERS.values() if not t.automatic],
            "sanction_kinds": Sanction.Kind.choices,
            "results": AnnualReport.Result.choices,
            "grade_parts": settings.SERVICEPARK_GRADE_PARTS,
        },
    )


@login_required
@require_POST
def organization_action(request: HttpRequest, pk: int) -> HttpResponse:
    org, _may = _organization(request, pk)
    post, user = request.POST, request.user

    def item(model: Any, field: str) -> Any:
        picked = picked_id(post.get(field))
        found = model.objects.filter(pk=picked, organization=org).first() if picked else None
        if found is None:
            raise ValidationError(_("Choose one of this organization's records."))
        return found

    steps: dict[str, tuple[Callable[[], Any], str]] = {
        "sanction": (
            lambda: sanction_record(
                actor=user,
                organization=org,
                kind=post.get("kind", ""),
                amount_yuan=post.get("amount") or None,
                decided_on=post.get("decided_on"),
                reference=post.get("reference", ""),
                facts=post.get("facts", ""),
            ),
            _("The sanction is recorded."),
        ),
        "letter": (
            lambda: letter_send(
                actor=user,
                organization=org,
                sent_on=post.get("sent_on"),
                tracking_number=post.get("tracking", ""),
            ),
            _("The letter is recorded."),
        ),
        "letter_signed": (
            lambda: letter_outcome(
                actor=user, letter=item(RegisteredLetter, "letter"), signed=True, on=post.get("on")
            ),
            _("Recorded."),
        ),
        "letter_returned": (
            lambda: letter_outcome(
                actor=user, letter=item(RegisteredLetter, "letter"), signed=False, on=post.get("on")
            ),
            _("Recorded."),
        ),
        "inspection": (
            lambda: inspection_record(
                actor=user,
                organization=org,
                kind=post.get("kind", ""),
                held_on=post.get("held_on"),
                findings=post.get("findings", ""),
                passed=post.get("passed") == "1",
            ),
            _("The inspection is recorded."),
        ),
        "order": (
            lambda: rectification_order(
                actor=user,
                organization=org,
                order=post.get("order", ""),
                deadline=post.get("deadline"),
                listing=item(CreditListing, "listing") if post.get("listing") else None,
            ),
            _("Rectification ordered."),
        ),
        "answer": (
            lambda: rectification_answer(
                actor=user,
                item=item(Rectification, "rectification"),
                response=post.get("response", ""),
            ),
            _("Your answer is sent for verification."),
        ),
        "verify": (
            lambda: rectification_verify(
                actor=user, item=item(Rectification, "rectification"), note=post.get("note", "")
            ),
            _("Verified."),
        ),
        "return": (
            lambda: rectification_verify(
                actor=user,
                item=item(Rectification, "rectification"),
                note=post.get("note", ""),
                accept=False,
            ),
            _("Returned to the organization."),
        ),
        "list": (
            lambda: listing_add(
                actor=user,
                organization=org,
                trigger=post.get("trigger", ""),
                evidence=post.get("evidence", ""),
                listed_on=post.get("listed_on"),
            ),
            _("The organization is listed."),
        ),
        "verify_listing": (
            lambda: listing_verify(
                actor=user,
                listing=item(CreditListing, "listing"),
                evidence=post.get("evidence", ""),
            ),
            _("The entry has left the list."),
        ),
        "annul": (
            lambda: listing_annul(
                actor=user, listing=item(CreditListing, "listing"), reason=post.get("evidence", "")
            ),
            _("The entry is annulled."),
        ),
        "apply_removal": (
            lambda: listing_apply_removal(
                actor=user,
                listing=item(CreditListing, "listing"),
                statement=post.get("statement", ""),
            ),
            _("The application is sent."),
        ),
        "approve_removal": (
            lambda: listing_decide_removal(
                actor=user,
                listing=item(CreditListing, "listing"),
                approve=True,
                note=post.get("note", ""),
            ),
            _("Decided."),
        ),
        "refuse_removal": (
            lambda: listing_decide_removal(
                actor=user,
                listing=item(CreditListing, "listing"),
                approve=False,
                note=post.get("note", ""),
            ),
            _("Decided."),
        ),
        "review": (
            lambda: annual_report_review(
                actor=user,
                report=item(AnnualReport, "report"),
                result=post.get("result", ""),
                reasons=post.get("reasons", ""),
            ),
            _("The review is recorded."),
        ),
        "cancel_registration": (
            lambda: cancellation_decide(
                actor=user,
                proposal=item(CancellationProposal, "proposal"),
                accept=True,
                note=post.get("note", ""),
            ),
            _("Decided."),
        ),
        "dismiss_cancellation": (
            lambda: cancellation_decide(
                actor=user,
                proposal=item(CancellationProposal, "proposal"),
                accept=False,
                note=post.get("note", ""),
            ),
            _("Decided."),
        ),
        "grade_apply": (
            lambda: grade_apply(actor=user, organization=org),
            _("The application for a grade is recorded."),
        ),
        "grade_score": (
            lambda: grade_score(
                actor=user,
                assessment=item(GradeAssessment, "assessment"),
                parts={p: post.get(p, "") for p in settings.SERVICEPARK_GRADE_PARTS},
            ),
            _("Your scores are recorded."),
        ),
        "grade_decide": (
            lambda: grade_decide(actor=user, assessment=item(GradeAssessment, "assessment")),
            _("Graded."),
        ),
    }
    step = steps.get(post.get("action", ""))
    if step is None:
        flash_error(request, ValidationError(_("Unknown action.")))
    else:
        attempt(request, step[0], step[1])
    return redirect("oversight:organization", pk=org.pk)


@login_required
def annual_report_new(request: HttpRequest, pk: int) -> HttpResponse:
    org, may = _organization(request, pk)
    if not may["file"]:
        raise PermissionDenied(_("Only the organization's admins may do this."))
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            annual_report_file(
                actor=request.user,
                organization=org,
                year=request.POST.get("year", ""),
                data=request.POST.dict(),
            )
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        else:
            from django.contrib import messages

            messages.success(request, _("The annual report is filed."))
            return redirect("oversight:organization", pk=org.pk)
    fields = [
        (n, getattr(AnnualReport._meta.get_field(n), "verbose_name", n)) for n in AMOUNT_FIELDS
    ]
    return render(
        request,
        "oversight/annual_report_form.html",
        {
            "org": org,
            "errors": errors,
            "general": errors.get("__all__", []),
            "data": request.POST,
            "amount_fields": fields,
        },
    )
