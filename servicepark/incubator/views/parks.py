"""Parks: the public list, each park's page (floor plan, rooms, sessions, residents for
staff), applying for a residency, booking a room, and the services desk."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from servicepark.accounts.roles import Role
from servicepark.accounts.scoping import user_organization_ids
from servicepark.common.feedback import attempt
from servicepark.common.inputs import iso_date
from servicepark.common.permissions import has_permission
from servicepark.incubator import selectors_park as sel
from servicepark.incubator.models import IntakeRound, Park, ServiceRequest, Space
from servicepark.incubator.services.capacity import (
    service_request_answer,
    service_request_file,
    service_request_rate,
    service_request_route,
)
from servicepark.incubator.services.residency import residency_apply
from servicepark.registry.models import Field, Organization


def park_index(request: HttpRequest) -> HttpResponse:
    parks = Park.objects.select_related("division", "operator").order_by("division_id", "name")
    return render(request, "incubator/parks.html", {"parks": parks})


def _my_orgs(request: HttpRequest) -> list[Organization]:
    ids = user_organization_ids(request.user, [Role.ORG_ADMIN, Role.ORG_MEMBER])
    return list(Organization.objects.filter(pk__in=ids).order_by("name"))


def own_organization(request: HttpRequest) -> Organization | None:
    """The organization the form names, if it is one of the user's own."""
    chosen = request.POST.get("organization")
    return next((o for o in _my_orgs(request) if str(o.pk) == chosen), None)


def park_detail(request: HttpRequest, pk: int) -> HttpResponse:
    park = get_object_or_404(Park.objects.select_related("division", "operator"), pk=pk)
    user = request.user
    staff = user.is_authenticated and sel.is_staff(user, park)
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
        "rounds": sel.open_rounds(park),
        "my_orgs": _my_orgs(request) if user.is_authenticated else [],
        "residents": sel.residents(park, with_checklist=staff),
        "alumni": sel.alumni(park, user if user.is_authenticated else None),
        "fields": Field.choices,
        **sel.community(park),
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


@login_required
@require_POST
def residency_apply_view(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_object_or_404(IntakeRound.objects.select_related("park"), pk=pk)
    organization = own_organization(request)
    if organization is None:
        raise PermissionDenied(_("Apply for one of your own organizations."))
    attempt(
        request,
        lambda: residency_apply(
            actor=request.user,
            round=round_,
            organization=organization,
            proposal=request.POST.get("proposal", ""),
        ),
        _("Your application is filed; the park's staff will screen it."),
    )
    return redirect("incubator:park", round_.park_id)


def _instant(value: str) -> dt.datetime:
    moment = parse_datetime(value or "")
    if moment is None:
        raise ValidationError(_("Give the time as YYYY-MM-DD HH:MM."))
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


@login_required
@require_POST
def book(request: HttpRequest, pk: int) -> HttpResponse:
    from servicepark.incubator.services.bookings import booking_create

    park = get_object_or_404(Park, pk=pk)
    space = get_object_or_404(Space, pk=request.POST.get("space") or 0, park=park)
    post = request.POST
    organization = own_organization(request)

    def create() -> None:
        booking_create(
            actor=request.user,
            space=space,
            start=_instant(post.get("start", "")),
            end=_instant(post.get("end", "")),
            title=post.get("title", ""),
            attendees=int(post.get("attendees") or 0),
            organization=organization,
        )

    attempt(request, create, _("The room is booked."))
    return redirect("incubator:park", park.pk)


@login_required
@require_POST
def desk(request: HttpRequest, pk: int) -> HttpResponse:
    park = get_object_or_404(Park, pk=pk)
    post, user = request.POST, request.user
    action = post.get("action")
    if action == "file":
        organization = own_organization(request)
        if organization is None:
            raise PermissionDenied(_("File requests for your own organization."))
        attempt(
            request,
            lambda: service_request_file(
                actor=user,
                park=park,
                organization=organization,
                kind=post.get("kind", ""),
                text=post.get("text", ""),
            ),
            _("Your request is filed."),
        )
    else:
        found = get_object_or_404(ServiceRequest, pk=post.get("request") or 0, park=park)
        if action == "route":
            professional = Organization.objects.filter(pk=post.get("professional") or 0).first()
            attempt(
                request,
                lambda: service_request_route(actor=user, request=found, professional=professional),
                _("The request is routed."),
            )
        elif action == "answer":
            attempt(
                request,
                lambda: service_request_answer(
                    actor=user, request=found, answer=post.get("answer", "")
                ),
                _("The answer is sent."),
            )
        elif action == "rate":
            attempt(
                request,
                lambda: service_request_rate(
                    actor=user, request=found, satisfaction=post.get("satisfaction")
                ),
                _("Thank you for rating the answer."),
            )
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

    park = get_object_or_404(Park, pk=pk)
    post, user = request.POST, request.user
    action = post.get("action")

    def orgs(name: str) -> list[Organization]:
        return list(
            Organization.objects.filter(pk__in=[v for v in post.getlist(name) if v.isdecimal()])
        )

    if action == "advice":
        attempt(
            request,
            lambda: advice_record(
                actor=user,
                park=park,
                met_on=iso_date(post.get("met_on")),
                present=list(
                    AdvisoryMember.objects.filter(park=park, pk__in=post.getlist("present"))
                ),
                text=post.get("text", ""),
                residency=Residency.objects.filter(
                    park=park, pk=post.get("residency") or 0
                ).first(),
            ),
            _("The advice is recorded."),
        )
    elif action == "event":
        attempt(
            request,
            lambda: coordination_event_create(
                actor=user,
                park=park,
                field=post.get("field", ""),
                partner=post.get("partner", ""),
                title=post.get("title", ""),
                held_at=_instant(post.get("held_at", "")),
                invited=orgs("invited"),
            ),
            _("The event is planned and the organizations invited."),
        )
    elif action == "attendance":
        event = get_object_or_404(CoordinationEvent, pk=post.get("event") or 0, park=park)
        attempt(
            request,
            lambda: coordination_event_record(
                actor=user,
                event=event,
                attended=orgs("attended"),
                partnerships=post.get("partnerships", "").splitlines(),
            ),
            _("Attendance and follow-up are recorded."),
        )
    elif action == "meeting":
        pairing = get_object_or_404(Mentorship, pk=post.get("mentorship") or 0, park=park)
        attempt(
            request,
            lambda: mentorship_log(
                actor=user,
                mentorship=pairing,
                held_on=iso_date(post.get("held_on")),
                notes=post.get("notes", ""),
            ),
            _("The meeting is logged."),
        )
    return redirect("incubator:park", park.pk)
