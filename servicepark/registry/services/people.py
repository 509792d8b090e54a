"""People's roles in organizations (board, legal representative, staff…)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from servicepark.common.audit import audit_record
from servicepark.common.permissions import require_permission
from servicepark.common.personal import digest
from servicepark.registry.models import Membership, Organization, Person
from servicepark.registry.validation import phone_is_valid


def membership_add(
    *,
    actor: Any,
    organization: Organization,
    name: str,
    role: str,
    phone: str = "",
    started_on: dt.date | None = None,
) -> Membership:
    """Record that a person holds a role in an organization. A person is matched by name and
    phone, so that one person's roles across organizations stay linked (conflict checks)."""
    require_permission("organization.edit_profile", actor, organization)
    name, phone = name.strip(), phone.strip()
    errors: dict[str, list[str]] = {}
    if not name or len(name) > 50:
        errors["name"] = [_("Give a name of at most 50 characters.")]
    if role not in Membership.Role.values:
        errors["role"] = [_("Unknown role.")]
    if phone and not phone_is_valid(phone):
        errors["phone"] = [_("Not a valid Chinese phone number.")]
    if started_on and started_on > timezone.localdate():
        errors["started_on"] = [_("The date lies in the future.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        person, _created = Person.objects.get_or_create(
            name=name, phone_digest=digest(phone, "phone"), defaults={"phone": phone}
        )
        if Membership.objects.filter(
            person=person, organization=organization, role=role, ended_on__isnull=True
        ).exists():
            raise ValidationError(_("This person already holds this role here."))
        membership = Membership.objects.create(
            person=person, organization=organization, role=role, started_on=started_on
        )
        audit_record(
            actor=actor,
            action="membership.create",
            obj=membership,
            after={
                "person": name,
                "role": role,
                "organization": organization.pk,
                "started_on": started_on,
            },
        )
    return membership


def membership_end(
    *, actor: Any, membership: Membership, ended_on: dt.date | None = None
) -> Membership:
    require_permission("organization.edit_profile", actor, membership.organization)
    ended_on = ended_on or timezone.localdate()
    with transaction.atomic():
        locked = Membership.objects.select_for_update().get(pk=membership.pk)
        if locked.ended_on is not None:
            raise ValidationError(_("This role has already ended."))
        if locked.started_on and ended_on < locked.started_on:
            raise ValidationError(_("A role cannot end before it started."))
        locked.ended_on = ended_on
        locked.save(update_fields=["ended_on", "updated_at"])
        audit_record(
            actor=actor,
            action="membership.end",
            obj=locked,
            before={"ended_on": None},
            after={"ended_on": ended_on},
        )
    return locked
