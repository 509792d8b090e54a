"""An expert's jury work: the assigned applications, scored blind, once, per criterion."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from servicepark.common.feedback import attempt, flash_error
from servicepark.common.inputs import as_typed, whole_number
from servicepark.procurement.eligibility import credit_problems, current_grade
from servicepark.procurement.selectors_decisions import assignment_get_for, assignment_list
from servicepark.procurement.services.evaluation import track_record
from servicepark.procurement.services.jury import score_submit, scores_visible_to


@login_required
def review_index(request: HttpRequest) -> HttpResponse:
    return render(
        request, "procurement/reviews.html", {"assignments": assignment_list(user=request.user)}
    )


@login_required
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = assignment_get_for(user=request.user, pk=pk)
    app = assignment.application
    rubric = app.call.rubric
    posted: dict[str, str] = {}
    comment = ""
    if request.method == "POST":
        posted = {c["key"]: request.POST.get(f"score_{c['key']}", "").strip() for c in rubric}
        comment = request.POST.get("comment", "")
        try:
            scores = {
                c["key"]: whole_number(
                    posted[c["key"]],
                    minimum=0,
                    maximum=c["max_points"],
                    message=_("“%(name)s” takes a whole number from 0 to %(max)d.")
                    % {"name": c["name"], "max": c["max_points"]},
                )
                for c in rubric
            }
        except ValidationError as exc:
            flash_error(request, exc)
        else:
            if attempt(
                request,
                lambda: score_submit(
                    actor=request.user, assignment=assignment, scores=scores, comment=comment
                ),
                _("Your scores are submitted."),
            ):
                return redirect("procurement:review", assignment.pk)
        # A refused sheet comes back with what the expert typed.
    version = app.versions.order_by("-number").first()
    return render(
        request,
        "procurement/review.html",
        {
            "assignment": assignment,
            "app": app,
            "content": version.content if version else app.content,
            "rubric": [dict(c, value=posted.get(c["key"], "")) for c in rubric],
            "comment": as_typed(comment),
            "track_record": track_record([app.organization_id]),
            "grade": current_grade(app.organization),
            "credit": credit_problems(app.organization),
            "others": [
                s
                for s in scores_visible_to(user=request.user, application=app)
                if s.pk != assignment.pk
            ],
        },
    )
