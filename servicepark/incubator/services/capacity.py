"""Capacity building: training sessions (registration, check-in by code, feedback), capacity
assessments, the services desk, and mentoring pairs."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from servicepark.accounts.roles import Role
from servicepark.accounts.scoping import user_organization_ids
from servicepark.common.audit import audit_record
from servicepark.common.inputs import plain_text, rating
from servicepark.common.permissions import require_permission
from servicepark.incubator.models import (
    Assessment,
    Mentorship,
    Park,
    Registration,
    Residency,
    ServiceRequest,
    TrainingSession,
)
from servicepark.incubator.services.community import recent_day
from servicepark.registry.models import Organization

CHECKIN_EARLY = dt.timedelta(minutes=30)
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
# Response-time targets of the services desk, by kind of request.
ANSWER_WITHIN = {"space": dt.timedelta(days=1), "legal": dt.timedelta(days=5)}
DEFAULT_ANSWER_WITHIN = dt.timedelta(days=3)


def _text(value: str, limit: int, message: str) -> str:
    return plain_text(value, limit=limit, missing=message)


def session_create(
    *,
    actor: Any,
    park: Park,
    title: str,
    topic: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    capacity: int,
    course: str = "",
) -> TrainingSession:
    require_permission("park.manage", actor, park)
    title = _text(title, 200, _("Give the session a title (at most 200 characters)."))
    course = plain_text(
        course,
        limit=200,
        missing=_("Name the course in at most 200 characters."),
        required=False,
    )
    if topic not in TrainingSession.Topic.values:
        raise ValidationError(_("Unknown topic."))
    if ends_at <= starts_at:
        raise ValidationError(_("A session ends after it starts."))
    if not 1 <= int(capacity) <= 2000:
        raise ValidationError(_("Give 1 to 2,000 places."))
    with transaction.atomic():
        session = TrainingSession.objects.create(
            park=park,
            title=title,
            topic=topic,
            course=course,
            starts_at=starts_at,
            ends_at=ends_at,
            capacity=int(capacity),
            checkin_code="".join(secrets.choice(CODE_ALPHABET) for _n in range(6)),
        )
        audit_record(
            actor=actor,
            action="training.create",
            obj=session,
            after={"title": title, "starts_at": starts_at, "capacity": capacity},
        )
    return session


def session_register(
    *, actor: Any, session: TrainingSession, organization: Organization, participant: str
) -> Registration:
    if organization.pk not in user_organization_ids(actor, [Role.ORG_ADMIN, Role.ORG_MEMBER]):
        raise PermissionDenied(_("Register people of your own organization."))
    participant = _text(participant, 50, _("Name the participant (at most 50 characters)."))
    with transaction.atomic():
        locked = TrainingSession.objects.select_for_update().get(pk=session.pk)
        if timezone.now() >= locked.starts_at:
            raise ValidationError(_("Registration closes when the session starts."))
        if locked.registrations.count() >= locked.capacity:
            raise ValidationError(_("The session is full."))
        try:
            with transaction.atomic():
                registration = Registration.objects.create(
                    session=locked,
                    organization=organization,
                    participant=participant,
                    user=actor if getattr(actor, "pk", None) else None,
                )
        except IntegrityError:
            raise ValidationError(_("%(p)s is already registered.") % {"p": participant}) from None
        audit_record(
            actor=actor,
            action="training.register",
            obj=registration,
            after={"session": locked.pk, "participant": participant},
        )
    return registration


def session_checkin(*, actor: Any, session: TrainingSession, code: str) -> Registration:
    """Check in with the code shown in the room: only for this session, from 30 minutes
    before it starts until it ends, by a registered participant of the actor's organization."""
    code = (code or "").strip().upper()
    now = timezone.now()
    with transaction.atomic():
        locked = TrainingSession.objects.select_for_update().get(pk=session.pk)
        if code != locked.checkin_code:
            other = TrainingSession.objects.filter(checkin_code=code).exclude(pk=locked.pk).first()
            if other is not None:
                raise ValidationError(
                    _("This code is for another session (“%(t)s”).") % {"t": other.title}
                )
            raise ValidationError(_("The check-in code is not right."))
        if now > locked.ends_at:
            raise ValidationError(_("The session has ended; check-in is closed."))
        if now < locked.starts_at - CHECKIN_EARLY:
            raise ValidationError(_("Check-in opens 30 minutes before the session."))
        orgs = user_organization_ids(actor, [Role.ORG_ADMIN, Role.ORG_MEMBER])
        registration = (
            Registration.objects.select_for_update()
            .filter(session=locked, organization_id__in=orgs)
            .filter(checked_in_at__isnull=True)
            .order_by("id")
            .first()
        )
        if registration is None:
            raise ValidationError(_("No registration of your organization is waiting to check in."))
        registration.checked_in_at = now
        registration.save(update_fields=["checked_in_at", "updated_at"])
        audit_record(
            actor=actor,
            action="training.checkin",
            obj=registration,
            after={"session": locked.pk, "participant": registration.participant},
        )
    return registration


def assessment_record(*, actor: Any, residency: Residency, scores: dict[str, Any]) -> Assessment:
    if set(scores) != set(Assessment.DIMENSIONS):
        raise ValidationError(_("Score every dimension of the scorecard, and only those."))
    clean = {}
    for key, value in scores.items():
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
            raise ValidationError(_("Each dimension takes a whole number from 0 to 10."))
        clean[key] = value
    with transaction.atomic():
        locked = Residency.objects.select_for_update().select_related("park").get(pk=residency.pk)
        require_permission("residency.decide", actor, locked)
        if locked.state not in Residency.IN_PARK:
            raise ValidationError(_("Only residents in the park are assessed."))
        assessment = Assessment.objects.create(
            residency=locked,
            assessed_on=timezone.localdate(),
            scores=clean,
            total=sum(clean.values()),
            assessed_by=actor,
        )
        audit_record(
            actor=actor, action="assessment.record", obj=assessment, after={"scores": clean}
        )
    return assessment


def service_request_file(
    *, actor: Any, park: Park, organization: Organization, kind: str, text: str
) -> ServiceRequest:
    """A resident organization asks the desk; the same request while it is still open is
    refused (a double submit must not file it twice)."""
    if organization.pk not in user_organization_ids(actor, [Role.ORG_ADMIN, Role.ORG_MEMBER]):
        raise PermissionDenied(_("File requests for your own organization."))
    if not Residency.objects.filter(
        park=park, organization=organization, state__in=Residency.IN_PARK
    ).exists():
        raise PermissionDenied(_("The services desk serves the park's residents."))
    if kind not in ServiceRequest.Kind.values:
        raise ValidationError(_("Choose what kind of help you need."))
    text = _text(text, 5000, _("Describe what you need (at most 5,000 characters)."))
    with transaction.atomic():
        # The residency's row serialises the organization's filings: a double submit waits,
        # then finds the first request.
        Residency.objects.select_for_update().filter(
            park=park, organization=organization, state__in=Residency.IN_PARK
        ).first()
        if ServiceRequest.objects.filter(
            park=park, organization=organization, text=text, state=ServiceRequest.State.OPEN
        ).exists():
            raise ValidationError(
                _("This request of your organization is already open; the staff will answer it.")
            )
        request = ServiceRequest.objects.create(
            park=park,
            organization=organization,
            kind=kind,
            text=text,
            due_by=timezone.now() + ANSWER_WITHIN.get(kind, DEFAULT_ANSWER_WITHIN),
            filed_by=actor,
        )
        audit_record(
            actor=actor, action="servicedesk.file", obj=request, after={"kind": kind, "text": text}
        )
    return request


def service_request_route(
    *, actor: Any, request: ServiceRequest, professional: Organization | None
) -> ServiceRequest:
    """Staff route a request to an in-park professional (an organization residing in the
    park, e.g. a law or accounting firm), or back to the support team (None)."""
    with transaction.atomic():
        locked = (
            ServiceRequest.objects.select_for_update().select_related("park").get(pk=request.pk)
        )
        require_permission("park.manage", actor, locked.park)
        if locked.state != ServiceRequest.State.OPEN:
            raise ValidationError(_("This request is already answered."))
        if (
            professional is not None
            and not Residency.objects.filter(
                park=locked.park, organization=professional, state__in=Residency.IN_PARK
            ).exists()
        ):
            raise ValidationError(_("Route requests to professionals residing in the park."))
        if professional is not None and professional.pk == locked.organization_id:
            raise ValidationError(_("A request cannot be routed to the organization that asked."))
        before = locked.routed_to_id
        locked.routed_to = professional
        locked.save(update_fields=["routed_to", "updated_at"])
        audit_record(
            actor=actor,
            action="servicedesk.route",
            obj=locked,
            before={"routed_to": before},
            after={"routed_to": professional.pk if professional else None},
        )
    return locked


def service_request_answer(*, actor: Any, request: ServiceRequest, answer: str) -> ServiceRequest:
    """The support team (the park's staff) answers, or the professional it was routed to."""
    answer = _text(answer, 5000, _("Write the answer (at most 5,000 characters)."))
    with transaction.atomic():
        locked = (
            ServiceRequest.objects.select_for_update().select_related("park").get(pk=request.pk)
        )
        mine = user_organization_ids(actor, [Role.ORG_ADMIN, Role.ORG_MEMBER])
        if not (locked.routed_to_id and locked.routed_to_id in mine):
            require_permission("park.manage", actor, locked.park)
        if locked.state != ServiceRequest.State.OPEN:
            raise ValidationError(_("This request is already answered."))
        locked.state, locked.answer = ServiceRequest.State.ANSWERED, answer
        locked.answered_by, locked.answered_at = actor, timezone.now()
        locked.save(update_fields=["state", "answer", "answered_by", "answered_at", "updated_at"])
        audit_record(
            actor=actor,
            action="servicedesk.answer",
            obj=locked,
            after={"answer": answer, "late": locked.answered_at > locked.due_by},
        )
    return locked


def service_request_rate(
    *, actor: Any, request: ServiceRequest, satisfaction: Any
) -> ServiceRequest:
    value = rating(satisfaction)
    with transaction.atomic():
        locked = ServiceRequest.objects.select_for_update().get(pk=request.pk)
        if locked.organization_id not in user_organization_ids(
            actor, [Role.ORG_ADMIN, Role.ORG_MEMBER]
        ):
            raise PermissionDenied(_("Only the organization that asked rates the answer."))
        if locked.state != ServiceRequest.State.ANSWERED:
            raise ValidationError(_("Rate a request once it is answered."))
        locked.state, locked.satisfaction = ServiceRequest.State.CLOSED, value
        locked.save(update_fields=["state", "satisfaction", "updated_at"])
        audit_record(
            actor=actor, action="servicedesk.rate", obj=locked, after={"satisfaction": value}
        )
    return locked


def mentorship_create(
    *, actor: Any, park: Park, mentor: Organization, mentee: Organization, goals: str
) -> Mentorship:
    require_permission("park.manage", actor, park)
    goals = _text(goals, 2000, _("Write the mentoring goals (at most 2,000 characters)."))
    if mentor.pk == mentee.pk:
        raise ValidationError(_("An organization cannot mentor itself."))
    with transaction.atomic():
        pairing = Mentorship.objects.create(park=park, mentor=mentor, mentee=mentee, goals=goals)
        audit_record(
            actor=actor,
            action="mentorship.create",
            obj=pairing,
            after={"mentor": mentor.pk, "mentee": mentee.pk, "goals": goals},
        )
    return pairing


def mentorship_log(
    *, actor: Any, mentorship: Mentorship, held_on: dt.date | str, notes: str
) -> Mentorship:
    """A mentoring meeting held within the past year."""
    held_on = recent_day(held_on)
    notes = _text(notes, 2000, _("Write what was discussed (at most 2,000 characters)."))
    with transaction.atomic():
        locked = Mentorship.objects.select_for_update().select_related("park").get(pk=mentorship.pk)
        orgs = user_organization_ids(actor, [Role.ORG_ADMIN, Role.ORG_MEMBER])
        if locked.mentor_id not in orgs and locked.mentee_id not in orgs:
            require_permission("park.manage", actor, locked.park)
        locked.log = [*locked.log, {"held_on": held_on.isoformat(), "notes": notes}]
        locked.save(update_fields=["log", "updated_at"])
        audit_record(
            actor=actor,
            action="mentorship.meeting",
            obj=locked,
            after={"held_on": held_on, "notes": notes},
        )
    return locked
