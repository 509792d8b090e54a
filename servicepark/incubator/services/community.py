"""The advisory committee's advice, coordination events by field, training feedback."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from servicepark.accounts.roles import Role
from servicepark.accounts.scoping import user_organization_ids
from servicepark.common.audit import audit_record
from servicepark.common.inputs import add_months, iso_date, local_datetime, plain_text, rating
from servicepark.common.permissions import require_permission
from servicepark.incubator.models import (
    AdvisoryAdvice,
    AdvisoryMember,
    CoordinationEvent,
    Park,
    Registration,
    Residency,
)
from servicepark.registry.models import Organization
from servicepark.registry.models.choices import FIELD_BITS

# Meetings are recorded once held, within the year; events are planned up to five years ahead
# or recorded after they took place. A year typed as 1900 or 2999 is a slip.
RECORD_BACK_MONTHS = 12
EVENTS_AHEAD = dt.timedelta(days=5 * 366)
PARTNERSHIPS_MAX = 20
PARTNERSHIP_MAX = 500


def recent_day(value: dt.date | str) -> dt.date:
    """A day of the past twelve months, today included (a meeting that took place)."""
    today = timezone.localdate()
    return iso_date(value, earliest=add_months(today, -RECORD_BACK_MONTHS), latest=today)


def advice_record(
    *,
    actor: Any,
    park: Park,
    met_on: dt.date | str,
    present: list[AdvisoryMember],
    text: str,
    residency: Residency | None = None,
) -> AdvisoryAdvice:
    """The committee's advice of a meeting held within the past year, naming who was present."""
    require_permission("park.manage", actor, park)
    met_on = recent_day(met_on)
    text = plain_text(text, limit=5000, missing=_("Write the advice (at most 5,000 characters)."))
    if not present or any(m.park_id != park.pk for m in present):
        raise ValidationError(_("Name the committee members present."))
    if residency is not None and residency.park_id != park.pk:
        raise ValidationError(_("The advice must concern a residency of this park."))
    with transaction.atomic():
        advice = AdvisoryAdvice.objects.create(
            park=park, met_on=met_on, residency=residency, text=text
        )
        advice.present.set(present)
        audit_record(
            actor=actor,
            action="advisory.advice",
            obj=advice,
            after={
                "met_on": met_on,
                "present": [m.name for m in present],
                "residency": residency.pk if residency else None,
                "text": text,
            },
        )
    return advice


def coordination_event_create(
    *,
    actor: Any,
    park: Park,
    field: str,
    partner: str,
    title: str,
    held_at: dt.datetime | str,
    invited: list[Organization],
) -> CoordinationEvent:
    """An event of the park's organizations with a government partner, held from a year ago
    to five years ahead (`held_at` as typed in the form, Beijing time, or aware)."""
    require_permission("park.manage", actor, park)
    if field not in FIELD_BITS:
        raise ValidationError(_("Unknown field of service."))
    named = _("Name the partner and the event.")
    partner = plain_text(partner, limit=100, missing=named)
    title = plain_text(title, limit=200, missing=named)
    now = timezone.now()
    held_at = local_datetime(
        held_at, earliest=now - dt.timedelta(days=366), latest=now + EVENTS_AHEAD
    )
    if not invited:
        raise ValidationError(_("Invite at least one organization."))
    with transaction.atomic():
        event = CoordinationEvent.objects.create(
            park=park, field=field, partner=partner, title=title, held_at=held_at
        )
        event.invited.set(invited)
        audit_record(
            actor=actor,
            action="coordination.create",
            obj=event,
            after={"title": title, "partner": partner, "invited": [o.pk for o in invited]},
        )
    return event


def coordination_event_record(
    *, actor: Any, event: CoordinationEvent, attended: list[Organization], partnerships: list[str]
) -> CoordinationEvent:
    """Who came, and the partnerships that followed (one line each, at most 20 of 500
    characters); a record with neither says nothing and is refused."""
    require_permission("park.manage", actor, event.park)
    invited = set(event.invited.values_list("id", flat=True))
    if any(o.pk not in invited for o in attended):
        raise ValidationError(_("Only invited organizations can be recorded as attending."))
    lines = [p for p in partnerships if p and p.strip()]
    too_many = _(
        "Write at most %(n)d partnerships, one per line, each of at most %(limit)d characters."
    ) % {"n": PARTNERSHIPS_MAX, "limit": PARTNERSHIP_MAX}
    if len(lines) > PARTNERSHIPS_MAX:
        raise ValidationError(too_many)
    notes = [plain_text(p, limit=PARTNERSHIP_MAX, missing=too_many) for p in lines]
    if not attended and not notes:
        raise ValidationError(
            _("Tick the organizations that came, or write the partnerships that followed.")
        )
    with transaction.atomic():
        event.attended.set(attended)
        event.follow_up = notes
        event.save(update_fields=["follow_up", "updated_at"])
        audit_record(
            actor=actor,
            action="coordination.record",
            obj=event,
            after={"attended": [o.pk for o in attended], "follow_up": notes},
        )
    return event


def training_feedback(*, actor: Any, registration: Registration, score: Any) -> Registration:
    """A checked-in participant's organization rates the session 1–5."""
    value = rating(score)
    if registration.organization_id not in user_organization_ids(
        actor, [Role.ORG_ADMIN, Role.ORG_MEMBER]
    ):
        raise PermissionDenied(_("Register people of your own organization."))
    if registration.checked_in_at is None:
        raise ValidationError(_("Feedback comes from participants who checked in."))
    with transaction.atomic():
        registration.feedback = value
        registration.save(update_fields=["feedback", "updated_at"])
        audit_record(
            actor=actor, action="training.feedback", obj=registration, after={"feedback": value}
        )
    return registration
