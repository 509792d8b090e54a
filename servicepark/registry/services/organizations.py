"""Writes to the registry: create, profile edits, change requests and status transitions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from servicepark.common.audit import audit_record, snapshot
from servicepark.common.permissions import require_permission
from servicepark.common.workflows import workflow_transition
from servicepark.geo.selectors import division_code_set
from servicepark.registry.models import ChangeRequest, Organization
from servicepark.registry.models.choices import FIELD_BITS, fields_to_mask, mask_to_fields
from servicepark.registry.search import name_keys
from servicepark.registry.validation import COLUMNS, RegistryCheck, clean_record
from servicepark.registry.workflows import ORGANIZATION_STATUS

AUDITED_FIELDS = (
    "uscc",
    "filing_number",
    "name",
    "name_en",
    "org_type",
    "registration_kind",
    "division",
    "address",
    "legal_representative",
    "supervising_unit",
    "founded_on",
    "fields",
    "umbrella",
    "status",
    "phone",
    "email",
    "website",
    "description",
)


def _errors_to_validation(errors: list[Any]) -> ValidationError:
    by_field: dict[str, list[str]] = {}
    for e in errors:
        by_field.setdefault(e.column or "__all__", []).append(e.message)
    return ValidationError(by_field)


def _apply_name_keys(org: Organization) -> None:
    keys = name_keys(org.name)
    org.name_pinyin, org.name_initials, org.search_tokens = keys.pinyin, keys.initials, keys.tokens


def organization_create(*, actor: Any, data: Mapping[str, Any]) -> Organization:
    """Register one organization from import-shaped data (registry.validation.COLUMNS).

    Legally registered kinds start as `registered`, filed and attached ones as `filed`,
    exactly as rows of a bulk import do.
    """
    raw = {c: data.get(c, "") for c in COLUMNS}
    if isinstance(raw["fields"], list | tuple):
        raw["fields"] = ";".join(raw["fields"])
    require_permission(
        "organization.create", actor, str(raw["division_code"] or "").strip() or None
    )
    record, errors = clean_record(raw, divisions=division_code_set(), today=timezone.localdate())
    if record is None:
        raise _errors_to_validation(errors)
    # As the profile form checks them: a "javascript:" website would be a link that runs script.
    for name, check in (("email", validate_email), ("website", URLValidator())):
        value = str(data.get(name, "") or "")
        if value:
            try:
                check(value)
            except ValidationError as exc:
                raise ValidationError({name: exc.messages}) from None
    with transaction.atomic():
        dup_errors = RegistryCheck().check([(1, record)])
        if dup_errors:
            raise _errors_to_validation([e for _, e in dup_errors])
        if record.umbrella_uscc and not record.umbrella_id:
            raise ValidationError(
                {"umbrella_uscc": [_("No registered organization has this USCC.")]}
            )
        org = Organization(
            uscc=record.uscc,
            filing_number=record.filing_number,
            name=record.name,
            name_en=record.name_en,
            org_type=record.org_type,
            registration_kind=record.registration_kind,
            division_id=record.division_code,
            address=record.address,
            legal_representative=record.legal_representative,
            founded_on=record.founded_on,
            fields=record.fields,
            umbrella_id=record.umbrella_id,
            status=record.status,
            phone=record.phone,
            supervising_unit=str(data.get("supervising_unit", "") or "")[:100],
            email=str(data.get("email", "") or ""),
            website=str(data.get("website", "") or ""),
            description=str(data.get("description", "") or "")[:5000],
        )
        _apply_name_keys(org)
        try:
            with transaction.atomic():
                org.save(force_insert=True)
        except IntegrityError:
            raise ValidationError(
                _("An organization with the same identity already exists.")
            ) from None
        audit_record(
            actor=actor, action="organization.create", obj=org, after=snapshot(org, AUDITED_FIELDS)
        )
    return org


def _normalise_fields(value: Any) -> int:
    if isinstance(value, int):
        return value
    codes = value.split(";") if isinstance(value, str) else list(value)
    unknown = [c for c in codes if c and c not in FIELD_BITS]
    if unknown:
        raise ValidationError(
            {"fields": [_("Unknown field of service “%(v)s”.") % {"v": unknown[0]}]}
        )
    return fields_to_mask([c for c in codes if c])


def organization_update_profile(
    *, actor: Any, organization: Organization, changes: Mapping[str, Any]
) -> tuple[Organization, ChangeRequest | None]:
    """Apply profile fields at once; legally registered fields wait for an official
    (an official's own edits to those fields apply directly)."""
    require_permission("organization.edit_profile", actor, organization)
    unknown = set(changes) - set(Organization.PROFILE_FIELDS) - set(Organization.LEGAL_FIELDS)
    if unknown:
        raise ValidationError(
            _("These fields cannot be edited here: %(f)s") % {"f": ", ".join(sorted(unknown))}
        )
    with transaction.atomic():
        org = Organization.objects.select_for_update().get(pk=organization.pk)
        before = snapshot(org, AUDITED_FIELDS)
        direct: dict[str, Any] = {}
        legal: dict[str, Any] = {}
        for name, value in changes.items():
            if name == "fields":
                value = _normalise_fields(value)
            if name == "division":
                name, value = "division", str(value)
                current: Any = org.division_id
            else:
                current = getattr(org, name)
            if value == current or (current is not None and str(value) == str(current)):
                continue
            (legal if name in Organization.LEGAL_FIELDS else direct)[name] = value
        official_ok = _is_official(actor, org)
        if official_ok:
            direct.update(legal)
            legal = {}
        for name, value in direct.items():
            setattr(org, "division_id" if name == "division" else name, value)
        _validate_org(org)
        change = None
        if direct:
            if "name" in direct:
                _apply_name_keys(org)
            org.save()
            audit_record(
                actor=actor,
                action="organization.update",
                obj=org,
                before=before,
                after=snapshot(org, AUDITED_FIELDS),
            )
        if legal:
            change = ChangeRequest.objects.create(
                organization=org,
                requested_by=actor,
                changes=_jsonish(legal),
                previous={k: _jsonish({k: before.get(k)})[k] for k in legal},
            )
            audit_record(
                actor=actor,
                action="change_request.create",
                obj=change,
                after={"organization": org.pk, "changes": change.changes},
            )
    return org, change


def _jsonish(values: Mapping[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in values.items()}


def _is_official(actor: Any, org: Organization) -> bool:
    from servicepark.common.permissions import has_permission

    return has_permission("organization.decide_change", actor, org)[0]


def _validate_org(org: Organization) -> None:
    """Re-run the shared record rules on an edited organization."""
    raw = {
        "uscc": org.uscc or "",
        "filing_number": org.filing_number or "",
        "name": org.name,
        "name_en": org.name_en,
        "org_type": org.org_type,
        "registration_kind": org.registration_kind,
        "division_code": org.division_id,
        "address": org.address,
        "legal_representative": org.legal_representative,
        "founded_on": org.founded_on.isoformat() if org.founded_on else "",
        "fields": ";".join(mask_to_fields(org.fields)),
        "umbrella_uscc": org.umbrella.uscc if org.umbrella_id and org.umbrella else "",
        "phone": org.phone,
    }
    _, errors = clean_record(raw, divisions=division_code_set(), today=timezone.localdate())
    if errors:
        raise _errors_to_validation(errors)
    try:
        org.full_clean(
            exclude=["division", "umbrella", "uscc", "filing_number", "founded_on"],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as exc:
        raise exc from None


def change_request_decide(
    *, actor: Any, change: ChangeRequest, approve: bool, reason: str = ""
) -> ChangeRequest:
    """An official approves (applies) or rejects a pending change to legal fields."""
    with transaction.atomic():
        locked = (
            ChangeRequest.objects.select_for_update()
            .select_related("organization")
            .get(pk=change.pk)
        )
        require_permission("organization.decide_change", actor, locked.organization)
        if locked.state != ChangeRequest.State.PENDING:
            raise ValidationError(_("This change request has already been decided."))
        if not approve and not reason.strip():
            raise ValidationError(_("Please give a reason for the rejection."))
        if approve:
            org = Organization.objects.select_for_update().get(pk=locked.organization_id)
            before = snapshot(org, AUDITED_FIELDS)
            for name, value in locked.changes.items():
                setattr(org, "division_id" if name == "division" else name, value)
            if isinstance(org.founded_on, str):  # stored in the request as ISO text
                org.founded_on = dt.date.fromisoformat(org.founded_on)
            _validate_org(org)
            _apply_name_keys(org)
            org.save()
            audit_record(
                actor=actor,
                action="organization.update",
                obj=org,
                before=before,
                after=snapshot(org, AUDITED_FIELDS),
                context={"change_request": locked.pk},
            )
        locked.state = ChangeRequest.State.APPROVED if approve else ChangeRequest.State.REJECTED
        locked.decided_by = actor
        locked.decided_at = timezone.now()
        locked.reason = reason.strip()[:500]
        locked.save()
        audit_record(
            actor=actor,
            action=f"change_request.{locked.state}",
            obj=locked,
            before={"state": "pending"},
            after={"state": locked.state},
            context={"reason": locked.reason} if locked.reason else None,
        )
    return locked


def organization_transition(
    *, actor: Any, organization: Organization, action: str, reason: str = ""
) -> Organization:
    """Move the registration status along ORGANIZATION_STATUS (registry.workflows)."""
    result = workflow_transition(
        workflow=ORGANIZATION_STATUS, obj=organization, action=action, actor=actor, reason=reason
    )
    assert isinstance(result, Organization)
    return result
