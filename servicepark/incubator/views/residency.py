"""A residency's page: the decisions of the park's staff, the agreement, the checklist."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from servicepark.common.feedback import attempt, flash_error
from servicepark.common.permissions import has_permission, require_permission
from servicepark.incubator.graduation import checklist, overstaying
from servicepark.incubator.models import (
    Assessment,
    Registration,
    Residency,
    Space,
    TrainingSession,
)
from servicepark.incubator.services.capacity import (
    assessment_record,
    session_checkin,
    session_register,
)
from servicepark.incubator.services.community import training_feedback
from servicepark.incubator.services.residency import (
    residency_admit,
    residency_assign_desk,
    residency_extend,
    residency_graduate,
    residency_score,
    residency_sign_agreement,
    residency_transition,
)
from servicepark.incubator.views.choices import (
    my_organizations,
    own_organization,
    pick,
)


def _residency(request: HttpRequest, pk: int) -> tuple[Residency, bool, bool, bool]:
    residency = get_object_or_404(
        Residency.objects.select_related("park__division", "organization", "desk", "round"), pk=pk
    )
    staff = has_permission("residency.decide", request.user, residency)[0]
    own = has_permission("residency.leave", request.user, residency)[0]
    panel = has_permission("residency.score", request.user, residency)[0]
    if not staff and not own and not panel:
        raise PermissionDenied(
            _("Only the park's staff, the intake panel and the organization see this residency.")
        )
    return residency, staff, own, panel


@login_required
def residency_detail(request: HttpRequest, pk: int) -> HttpResponse:
    residency, staff, own, panel = _residency(request, pk)
    return render(
        request,
        "incubator/residency.html",
        {
            "r": residency,
            "staff": staff,
            "own": own,
            "panel": panel,
            "items": checklist(residency),
            "overstay": overstaying(residency),
            # Scores in the order of the dimensions (a jsonb object does not keep its order).
            "assessments": [
                (a, [a.scores.get(d) for d in Assessment.DIMENSIONS])
                for a in Assessment.objects.filter(residency=residency)
            ],
            "dimensions": [(d, Assessment.DIMENSION_LABELS[d]) for d in Assessment.DIMENSIONS],
            "free_desks": Space.objects.filter(
                park=residency.park, kind__in=Space.ALLOCATED
            ).exclude(residencies__state__in=["admitted", "incubating", "extended"]),
        },
    )


@login_required
@require_POST
def residency_action(request: HttpRequest, pk: int) -> HttpResponse:
    residency, _staff, _own, _panel = _residency(request, pk)
    post, user = request.POST, request.user
    action = post.get("action", "")

    def chosen_desk() -> Space:
        """The desk the form names; others than the park's staff are refused before it is
        read. Only admitting and assigning a desk read it."""
        require_permission("residency.decide", user, residency)
        return pick(
            Space.objects.filter(park=residency.park),
            post.get("desk"),
            _("Choose a desk or office of this park."),
        )

    def score_of(name: str) -> int:
        value = (post.get(name) or "").strip()
        return int(value) if value.isdecimal() else -1

    steps = {
        "admit": lambda: residency_admit(
            actor=user,
            residency=residency,
            reason=post.get("reason", ""),
            desk=chosen_desk() if (post.get("desk") or "").strip() else None,
        ),
        "desk": lambda: residency_assign_desk(actor=user, residency=residency, desk=chosen_desk()),
        "sign": lambda: residency_sign_agreement(actor=user, residency=residency),
        "extend": lambda: residency_extend(
            actor=user,
            residency=residency,
            until=post.get("until", ""),
            reason=post.get("reason", ""),
        ),
        "graduate": lambda: residency_graduate(
            actor=user, residency=residency, reason=post.get("reason", "")
        ),
        "score": lambda: residency_score(
            actor=user, residency=residency, score=post.get("score", "")
        ),
        "assess": lambda: assessment_record(
            actor=user,
            residency=residency,
            scores={d: score_of(d) for d in Assessment.DIMENSIONS},
        ),
    }
    if action in steps:
        attempt(request, steps[action], _("Recorded."))
    elif action in ("shortlist", "decline", "withdraw", "remove"):
        attempt(
            request,
            lambda: residency_transition(
                actor=user, residency=residency, action=action, reason=post.get("reason", "")
            ),
            _("Recorded."),
        )
    else:
        flash_error(request, ValidationError(_("Unknown action.")))
    return redirect("incubator:residency", residency.pk)


@login_required
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(TrainingSession.objects.select_related("park"), pk=pk)
    staff = has_permission("park.manage", request.user, session.park)[0]
    kept: dict[str, str] = {}
    if request.method == "POST":
        post, user = request.POST, request.user
        action = post.get("action")
        if action == "register":
            registered = attempt(
                request,
                lambda: session_register(
                    actor=user,
                    session=session,
                    organization=own_organization(
                        request, _("Register people of your own organization.")
                    ),
                    participant=post.get("participant", ""),
                ),
                _("Registered."),
            )
            if registered:
                return redirect("incubator:session", session.pk)
            # Shown again with the reason, as typed.
            kept = {k: post.get(k, "") for k in ("organization", "participant")}
        else:
            if action == "feedback":
                attempt(
                    request,
                    lambda: training_feedback(
                        actor=user,
                        registration=pick(
                            Registration.objects.filter(session=session),
                            post.get("registration"),
                            _("This registration is not one of the session's."),
                        ),
                        score=post.get("score"),
                    ),
                    _("Thank you for your feedback."),
                )
            elif action == "checkin":
                attempt(
                    request,
                    lambda: session_checkin(actor=user, session=session, code=post.get("code", "")),
                    _("Checked in. Welcome!"),
                )
            else:
                flash_error(request, ValidationError(_("Unknown action.")))
            return redirect("incubator:session", session.pk)
    my_orgs = my_organizations(request)
    return render(
        request,
        "incubator/session.html",
        {
            "session": session,
            "staff": staff,
            "registrations": session.registrations.select_related("organization") if staff else [],
            "my_orgs": my_orgs,
            "mine": session.registrations.filter(organization__in=my_orgs),
            "kept": kept,
        },
    )


@login_required
def certificate(request: HttpRequest, pk: int) -> HttpResponse:
    """A printable attendance certificate for a participant who checked in."""
    from servicepark.accounts.roles import Role
    from servicepark.accounts.scoping import user_organization_ids

    registration = get_object_or_404(
        Registration.objects.select_related("session__park", "organization"),
        pk=pk,
        checked_in_at__isnull=False,
    )
    own = registration.organization_id in user_organization_ids(
        request.user, [Role.ORG_ADMIN, Role.ORG_MEMBER]
    )
    if not own and not has_permission("park.manage", request.user, registration.session.park)[0]:
        raise PermissionDenied(
            _("Only the participant's organization and the park's staff see this.")
        )
    return render(request, "incubator/certificate.html", {"r": registration})
