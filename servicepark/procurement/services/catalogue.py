"""Writes to purchasers and their guiding catalogues."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from servicepark.common.audit import audit_record, snapshot
from servicepark.common.money import AmountError, parse_yuan
from servicepark.common.permissions import require_permission
from servicepark.geo.selectors import division_get
from servicepark.procurement.models import Catalogue, CatalogueEntry, Purchaser
from servicepark.registry.models.choices import FIELD_BITS, fields_to_mask

ENTRY_FIELDS = ("tier", "code", "name", "fields", "budget", "open_to_social_orgs", "parent")


def purchaser_create(*, actor: Any, name: str, kind: str, division_code: str) -> Purchaser:
    require_permission("purchaser.create", actor, division_code)
    name = name.strip()
    errors: dict[str, list[str]] = {}
    if not name or len(name) > 100:
        errors["name"] = [_("Give a name of at most 100 characters.")]
    if kind not in Purchaser.Kind.values:
        errors["kind"] = [_("Unknown kind of purchaser.")]
    if division_get(division_code) is None:
        errors["division"] = [_("No administrative division has this code.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if Purchaser.objects.filter(division_id=division_code, name=name).exists():
            raise ValidationError({"name": [_("This purchaser already exists here.")]})
        purchaser = Purchaser.objects.create(name=name, kind=kind, division_id=division_code)
        audit_record(
            actor=actor,
            action="purchaser.create",
            obj=purchaser,
            after={"name": name, "kind": kind, "division": division_code},
        )
    return purchaser


def purchaser_leading_group_set(*, actor: Any, purchaser: Purchaser, members: list[Any]) -> None:
    """Civil affairs records who sits on a purchaser's leading group (they vote on awards)."""
    require_permission("purchaser.create", actor, purchaser.division_id)
    if not members:
        raise ValidationError(_("A leading group needs at least one member."))
    with transaction.atomic():
        locked = Purchaser.objects.select_for_update().get(pk=purchaser.pk)
        before = sorted(locked.leading_group.values_list("username", flat=True))
        locked.leading_group.set(members)
        audit_record(
            actor=actor,
            action="purchaser.leading_group",
            obj=locked,
            before={"members": before},
            after={"members": sorted(m.username for m in members)},
        )


def catalogue_create(*, actor: Any, purchaser: Purchaser, year: int) -> Catalogue:
    require_permission("catalogue.edit", actor, purchaser)
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": [_("Give a year between 2000 and 2100.")]})
    with transaction.atomic():
        try:
            with transaction.atomic():
                catalogue = Catalogue.objects.create(purchaser=purchaser, year=year)
        except IntegrityError:
            raise ValidationError(
                {"year": [_("This purchaser already has a catalogue for that year.")]}
            ) from None
        audit_record(
            actor=actor,
            action="catalogue.create",
            obj=catalogue,
            after={"purchaser": purchaser.pk, "year": year},
        )
    return catalogue


def catalogue_entry_add(
    *,
    actor: Any,
    catalogue: Catalogue,
    code: str,
    name: str,
    parent: CatalogueEntry | None = None,
    fields: Iterable[str] = (),
    budget: Any = None,
    open_to_social_orgs: bool = True,
    description: str = "",
) -> CatalogueEntry:
    """Add a category (no parent), a subcategory (under a category) or a service item (under a
    subcategory, with fields of service and a budget). Published catalogues are frozen."""
    require_permission("catalogue.edit", actor, catalogue.purchaser)
    tier = 1 if parent is None else parent.tier + 1
    errors: dict[str, list[str]] = {}
    code, name = code.strip(), name.strip()
    if not code or len(code) > 16:
        errors["code"] = [_("Give a code of at most 16 characters.")]
    if not name or len(name) > 100:
        errors["name"] = [_("Give a name of at most 100 characters.")]
    if parent is not None and parent.catalogue_id != catalogue.pk:
        errors["parent"] = [_("The parent belongs to another catalogue.")]
    if tier > 3:
        errors["parent"] = [_("Service items cannot have entries below them.")]
    codes = list(fields)
    unknown = [c for c in codes if c not in FIELD_BITS]
    if unknown:
        errors["fields"] = [_("Unknown field of service “%(v)s”.") % {"v": unknown[0][:30]}]
    mask = fields_to_mask([c for c in codes if c in FIELD_BITS])
    amount: Decimal | None = None
    if tier == 3:
        if not codes:
            errors["fields"] = [_("A service item needs at least one field of service.")]
        if budget in (None, ""):
            errors["budget"] = [_("A service item needs a budget.")]
        else:
            try:
                amount = parse_yuan(budget)
            except AmountError as exc:
                errors["budget"] = [exc.message]
    elif codes or budget not in (None, ""):
        errors["budget"] = [_("Only service items (the third tier) carry fields and budgets.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Catalogue.objects.select_for_update().get(pk=catalogue.pk)
        if locked.state != Catalogue.State.DRAFT:
            raise ValidationError(_("A published catalogue can no longer be changed."))
        if CatalogueEntry.objects.filter(catalogue=locked, code=code).exists():
            raise ValidationError({"code": [_("This code is already used in the catalogue.")]})
        entry = CatalogueEntry.objects.create(
            catalogue=locked,
            parent=parent,
            tier=tier,
            code=code,
            name=name,
            fields=mask,
            budget=amount,
            open_to_social_orgs=open_to_social_orgs if tier == 3 else True,
            description=description[:2000],
        )
        audit_record(
            actor=actor,
            action="catalogue.entry_add",
            obj=entry,
            after=snapshot(entry, ENTRY_FIELDS),
            context={"catalogue": locked.pk},
        )
    return entry


def catalogue_publish(*, actor: Any, catalogue: Catalogue) -> Catalogue:
    require_permission("catalogue.edit", actor, catalogue.purchaser)
    with transaction.atomic():
        locked = Catalogue.objects.select_for_update().get(pk=catalogue.pk)
        if locked.state != Catalogue.State.DRAFT:
            raise ValidationError(_("The catalogue is already published."))
        if not locked.entries.filter(tier=3).exists():
            raise ValidationError(_("Add at least one service item before publishing."))
        locked.state = Catalogue.State.PUBLISHED
        locked.save(update_fields=["state", "updated_at"])
        audit_record(
            actor=actor,
            action="catalogue.publish",
            obj=locked,
            before={"state": "draft"},
            after={"state": "published"},
        )
    return locked
