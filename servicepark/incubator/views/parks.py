"""Parks: the public list, each park's page (floor plan, rooms, sessions, residents for
staff), applying for a residency, booking a room, and the services desk. A refused form sends
the user back to the park's page with the reason and what was typed."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from servicepark.common.feedback import attempt, flash_error
from servicepark.common.inputs import as_typed, local_datetime, whole_number
from servicepark.common.permissions import has_permission, require_permission
from servicepark.incubator import selectors_park as sel
from servicepark.incubator.models import IntakeRound, Park, ServiceRequest, Space
from servicepark.incubator.services.capacity import (
    service_request_answer,
    service_request_file,
    service_request_rate,
    service_request_route,
)
from servicepark.incubator.services.residency import residency_apply
from servicepark.incubator.views.choices import (
    ADMINS,
    my_organizations,
    own_organization,
    pick,
    pick_many,
    pick_optional,
)
from servicepark.registry.models import Field, Organization


def park_index(request: HttpRequest) -> HttpResponse:
    parks = Park.objects.select_related("division", "operator").order_by("division_id", "name")
    return render(request, "incubator/parks.html", {"parks": parks})


# A refused form's input, kept in the session for the park's page the user is sent back to.
KEPT = "incubator.kept"


def _park(pk: int) -> Park:
    return get_object_or_404(Park.objects.select_related("division", "operator"), pk=pk)


def park_detail(request: HttpRequest, pk: int) -> HttpResponse:
    park = _park(pk)
    user = request.user
    kept = request.session.pop(KEPT, None) if user.is_authenticated else None
    if not kept or kept.get("park") != park.pk:
        kept = None
    staff = user.is_authenticated and sel.is_staff(user, park)
    rounds = list(sel.open_rounds(park))
    can_book = user.is_authenticated and has_permission("park.book", user, park)[0]
    context = {
        "park": park,
        "staff": staff,
        "can_book": can_book,
        "plans": sel.floor_plans(park),
        "rooms": Space.objects.filter(park=park, kind__in=Space.BOOKABLE),
        "bookings": sel.upcoming_bookings(park),
        "sessions": sel.sessions(park),
        # A session's page (registration, check-in) is for signed-in users; visitors are
        # offered to log in first instead of a link that would send them to the login page.
        "sessions_open": user.is_authenticated,
        "rounds": rounds,
        "my_orgs": my_organizations(request),
        # Only an organization's admins apply; members are told so instead of a form that
        # would refuse them.
        "apply_orgs": my_organizations(request, ADMINS),
        "residents": sel.residents(park, with_checklist=staff),
        "alumni": sel.alumni(park, user if user.is_authenticated else None),
        "fields": Field.choices,
        "desk_kinds": ServiceRequest.Kind.choices,
        **sel.community(park),
        # Shown again in the form it came from (book, desk, apply, advice, event).
        "kept": {kept["form"]: kept["data"]} if kept else {},
        # An application to a round that closed meanwhile has no form left to show it in.
        "closed_apply": _closed_apply(kept, rounds),
    }
    if user.is_authenticated:
        context["requests"] = sel.desk_requests(park, user, staff)
        context["my_org_ids"] = [o.pk for o in context["my_orgs"]]
    # The intake panel (experts over the park's area) reaches the applications to score them.
    panel = user.is_authenticated and has_permission("park.intake_panel", user, park)[0]
    context["panel"] = panel
    if staff or panel:
        context["applications"] = sel.applications(park)
    if staff:
        context["free_desks"] = Space.objects.filter(park=park, kind__in=Space.ALLOCATED).exclude(
            residencies__state__in=["admitted", "incubating", "extended"]
        )
    return render(request, "incubator/park.html", context)


def _closed_apply(kept: dict[str, Any] | None, rounds: list[IntakeRound]) -> str:
    """The proposal of a refused application whose round is no longer open, to copy."""
    if not kept or kept.get("form") != "apply":
        return ""
    data = kept["data"]
    if any(r.pk == data.get("round") for r in rounds):
        return ""
    return as_typed(data.get("proposal")).strip()


def _back(
    request: HttpRequest, park_id: int, form: str, *, many: tuple[str, ...] = (), **extra: Any
) -> HttpResponse:
    """Back to the park's page after a refused form (the message is flashed), where the form
    shows again what was typed; `many` are fields of multiple choices."""
    post = request.POST
    data = {
        key: post.getlist(key) if key in many else post.get(key, "")
        for key in post
        if key != "csrfmiddlewaretoken"
    }
    request.session[KEPT] = {"park": park_id, "form": form, "data": {**data, **extra}}
    return redirect("incubator:park", park_id)


@login_required
@require_POST
def residency_apply_view(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_object_or_404(IntakeRound.objects.select_related("park"), pk=pk)

    def apply() -> None:
        refused = _("Only the organization's admins may apply for a residency.")
        residency_apply(
            actor=request.user,
            round=round_,
            organization=own_organization(request, refused, ADMINS),
            proposal=request.POST.get("proposal", ""),
        )

    if attempt(request, apply, _("Your application is filed; the park's staff will screen it.")):
        return redirect("incubator:park", round_.park_id)
    return _back(request, round_.park_id, "apply", round=round_.pk)


@login_required
@require_POST
def book(request: HttpRequest, pk: int) -> HttpResponse:
    from servicepark.incubator.services.bookings import booking_create

    park = _park(pk)
    # Outsiders are refused whatever they typed.
    require_permission("park.book", request.user, park)
    post = request.POST

    def create() -> None:
        booking_create(
            actor=request.user,
            space=pick(
                Space.objects.filter(park=park),
                post.get("space"),
                _("Choose a meeting room or hall of this park."),
            ),
            start=local_datetime(post.get("start")),
            end=local_datetime(post.get("end")),
            title=post.get("title", ""),
            attendees=whole_number(
                post.get("attendees"),
                minimum=1,
                maximum=2**31 - 1,
                message=_("Give the number of attendees (at least 1)."),
            ),
            # Optional: staff book for no organization, residents may leave it to the service.
            organization=pick_optional(
                Organization.objects.filter(pk__in=[o.pk for o in my_organizations(request)]),
                post.get("organization"),
                _("Choose one of your organizations."),
            ),
        )

    if attempt(request, create, _("The room is booked.")):
        return redirect("incubator:park", park.pk)
    return _back(request, park.pk, "book")


@login_required
@require_POST
def desk(request: HttpRequest, pk: int) -> HttpResponse:
    park = _park(pk)
    post, user = request.POST, request.user
    action = post.get("action")
    if action == "file":
        filed = attempt(
            request,
            lambda: service_request_file(
                actor=user,
                park=park,
                organization=own_organization(
                    request, _("File requests for your own organization.")
                ),
                kind=post.get("kind", ""),
                text=post.get("text", ""),
            ),
            _("Your request is filed."),
        )
        if not filed:
            return _back(request, park.pk, "desk")
        return redirect("incubator:park", park.pk)

    def found() -> ServiceRequest:
        return pick(
            ServiceRequest.objects.filter(park=park),
            post.get("request"),
            _("This request is not on the park's services desk."),
        )

    if action == "route":
        attempt(
            request,
            lambda: service_request_route(
                actor=user,
                request=found(),
                professional=pick_optional(
                    Organization.objects.all(),
                    post.get("professional"),
                    _("Route requests to professionals residing in the park."),
                ),
            ),
            _("The request is routed."),
        )
    elif action == "answer":
        attempt(
            request,
            lambda: service_request_answer(
                actor=user, request=found(), answer=post.get("answer", "")
            ),
            _("The answer is sent."),
        )
    elif action == "rate":
        attempt(
            request,
            lambda: service_request_rate(
                actor=user, request=found(), satisfaction=post.get("satisfaction")
            ),
            _("Thank you for rating the answer."),
        )
    else:
        flash_error(request, ValidationError(_("Unknown action.")))
    return redirect("incubator:park", park.pk)


@login_required
@require_POST
def community(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff record the committee's advice, coordination events and mentoring meetings."""
    from servicepark.incubator.models import (
        AdvisoryMember,
        CoordinationEvent,
        Mentorship,
        Residency,
    )
    from servicepark.incubator.services.capacity import mentorship_log
    from servicepark.incubator.services.community import (
        advice_record,
        coordination_event_create,
        coordination_event_record,
    )

    park = _park(pk)
    post, user = request.POST, request.user
    action = post.get("action")
    chosen = _("Choose from the list on the page.")
    if action in ("advice", "event", "attendance"):
        # Only staff record these: others are refused whatever they typed.
        require_permission("park.manage", user, park)

    def orgs(name: str) -> list[Organization]:
        return pick_many(Organization.objects.all(), post.getlist(name), chosen)

    if action == "advice":
        done = attempt(
            request,
            lambda: advice_record(
                actor=user,
                park=park,
                met_on=post.get("met_on", ""),
                present=pick_many(
                    AdvisoryMember.objects.filter(park=park),
                    post.getlist("present"),
                    _("Name the committee members present."),
                ),
                text=post.get("text", ""),
                residency=pick_optional(
                    Residency.objects.filter(park=park),
                    post.get("residency"),
                    _("The advice must concern a residency of this park."),
                ),
            ),
            _("The advice is recorded."),
        )
        if not done:
            return _back(request, park.pk, "advice", many=("present",))
    elif action == "event":
        done = attempt(
            request,
            lambda: coordination_event_create(
                actor=user,
                park=park,
                field=post.get("field", ""),
                partner=post.get("partner", ""),
                title=post.get("title", ""),
                held_at=post.get("held_at", ""),
                invited=orgs("invited"),
            ),
            _("The event is planned and the organizations invited."),
        )
        if not done:
            return _back(request, park.pk, "event", many=("invited",))
    elif action == "attendance":
        attempt(
            request,
            lambda: coordination_event_record(
                actor=user,
                event=pick(
                    CoordinationEvent.objects.filter(park=park),
                    post.get("event"),
                    _("This event is not one of the park's."),
                ),
                attended=orgs("attended"),
                partnerships=post.get("partnerships", "").splitlines(),
            ),
            _("Attendance and follow-up are recorded."),
        )
    elif action == "meeting":
        attempt(
            request,
            lambda: mentorship_log(
                actor=user,
                mentorship=pick(
                    Mentorship.objects.filter(park=park),
                    post.get("mentorship"),
                    _("This mentoring pair is not one of the park's."),
                ),
                held_on=post.get("held_on", ""),
                notes=post.get("notes", ""),
            ),
            _("The meeting is logged."),
        )
    else:
        flash_error(request, ValidationError(_("Unknown action.")))
    return redirect("incubator:park", park.pk)
