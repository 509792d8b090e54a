"""Writes to calls: open one from a catalogue item (or as a grant call), publish it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from servicepark.common.audit import audit_record, snapshot
from servicepark.common.money import AmountError, parse_yuan
from servicepark.common.permissions import require_permission
from servicepark.geo.codes import is_within
from servicepark.geo.selectors import division_get
from servicepark.procurement.models import (
    RESTRICTED_METHODS,
    Call,
    Catalogue,
    CatalogueEntry,
    Method,
    Purchaser,
)
from servicepark.registry.models import Organization, RegistrationKind
from servicepark.registry.models.choices import FIELD_BITS, fields_to_mask

GRADES = ("1A", "2A", "3A", "4A", "5A")
ELIGIBILITY_KEYS = {"kinds", "min_years", "min_grade", "within"}
CALL_FIELDS = (
    "purchaser",
    "kind",
    "catalogue_item",
    "method",
    "title",
    "total_budget",
    "per_project_min",
    "per_project_cap",
    "matching_ratio",
    "eligibility",
    "rubric",
    "jury_size",
    "opens_at",
    "closes_at",
    "objection_days",
    "state",
)


@dataclass
class CallInput:
    kind: str
    method: str
    title: str
    total_budget: Any
    per_project_cap: Any
    opens_at: dt.datetime
    closes_at: dt.datetime
    rubric: list[dict[str, Any]]
    per_project_min: Any = "0.00"
    catalogue_item: CatalogueEntry | None = None
    off_catalogue_reason: str = ""
    restriction_reason: str = ""
    invited: list[Organization] = field(default_factory=list)
    description: str = ""
    fields: list[str] = field(default_factory=list)
    matching_ratio: Any = "0"
    eligibility: dict[str, Any] = field(default_factory=dict)
    required_documents: list[str] = field(default_factory=list)
    jury_size: int = 3
    objection_days: int = 7


def _money(value: Any, name: str, errors: dict[str, list[str]]) -> Decimal:
    try:
        return parse_yuan(value)
    except AmountError as exc:
        errors[name] = [exc.message]
        return Decimal(0)


def _check_rubric(rubric: Any, errors: dict[str, list[str]]) -> None:
    if not isinstance(rubric, list) or not rubric:
        errors["rubric"] = [_("Give at least one scoring criterion.")]
        return
    keys = set()
    total = 0
    for criterion in rubric:
        if (
            not isinstance(criterion, dict)
            or set(criterion) != {"key", "name", "max_points"}
            or not str(criterion["key"]).strip()
            or not str(criterion["name"]).strip()
        ):
            errors["rubric"] = [_("Each criterion needs a key, a name and its maximum points.")]
            return
        points = criterion["max_points"]
        if isinstance(points, bool) or not isinstance(points, int) or not 1 <= points <= 100:
            errors["rubric"] = [_("Maximum points must be whole numbers from 1 to 100.")]
            return
        if criterion["key"] in keys:
            errors["rubric"] = [_("Criterion keys must be different.")]
            return
        keys.add(criterion["key"])
        total += points
    if total != 100:
        errors["rubric"] = [
            _("The criteria's maximum points must add up to 100 (now %(n)d).") % {"n": total}
        ]


def _check_eligibility(rules: Any, purchaser: Purchaser, errors: dict[str, list[str]]) -> None:
    if not isinstance(rules, dict) or set(rules) - ELIGIBILITY_KEYS:
        errors["eligibility"] = [
            _("Eligibility rules may name: kinds, min_years, min_grade, within.")
        ]
        return
    problems = []
    kinds = rules.get("kinds", [])
    if not isinstance(kinds, list) or set(kinds) - set(RegistrationKind.values):
        problems.append(_("Unknown registration kind in the eligibility rules."))
    years = rules.get("min_years", 0)
    if isinstance(years, bool) or not isinstance(years, int) or not 0 <= years <= 50:
        problems.append(_("Minimum years since registration must be from 0 to 50."))
    if rules.get("min_grade") not in (None, *GRADES):
        problems.append(_("The minimum evaluation grade must be one of 1A–5A."))
    within = rules.get("within")
    if within is not None and (
        division_get(str(within)) is None or not is_within(str(within), purchaser.division_id)
    ):
        problems.append(
            _("The eligible area must be a division inside the purchaser's jurisdiction.")
        )
    if problems:
        errors["eligibility"] = problems


def _validate(purchaser: Purchaser, data: CallInput) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if data.kind not in Call.Kind.values:
        errors["kind"] = [_("Unknown kind of call.")]
    if data.method not in Method.values:
        errors["method"] = [_("Unknown procurement method.")]
    elif (data.kind == Call.Kind.GRANT) != (data.method == Method.GRANT):
        errors["method"] = [_("Grant calls use the grant method, and only they do.")]
    title = data.title.strip()
    if not title or len(title) > 200:
        errors["title"] = [_("Give a title of at most 200 characters.")]
    item = data.catalogue_item
    if item is not None:  # read afresh: the caller's copy may predate publishing or spending
        item = CatalogueEntry.objects.select_related("catalogue").get(pk=item.pk)
    if data.kind == Call.Kind.PURCHASE:
        if item is None and not data.off_catalogue_reason.strip():
            errors["catalogue_item"] = [
                _(
                    "Choose a catalogue item, or record why this purchase "
                    "lies outside the catalogue."
                )
            ]
        if item is not None:
            catalogue = item.catalogue
            if (
                item.tier != CatalogueEntry.Tier.ITEM
                or catalogue.purchaser_id != purchaser.pk
                or catalogue.state != Catalogue.State.PUBLISHED
            ):
                errors["catalogue_item"] = [
                    _("Choose a service item of this purchaser's published catalogue.")
                ]
            elif not item.open_to_social_orgs:
                errors["catalogue_item"] = [
                    _("This item may not be bought from social organizations.")
                ]
    if data.method in RESTRICTED_METHODS:
        if not data.restriction_reason.strip():
            errors["restriction_reason"] = [_("Single-source and invitational calls must say why.")]
        if not data.invited:
            errors["invited"] = [_("Name the invited organizations.")]
        elif data.method == Method.SINGLE_SOURCE and len(data.invited) != 1:
            errors["invited"] = [_("A single-source call names exactly one organization.")]
    elif data.invited:
        errors["invited"] = [_("Only single-source and invitational calls invite organizations.")]
    total = _money(data.total_budget, "total_budget", errors)
    cap = _money(data.per_project_cap, "per_project_cap", errors)
    low = _money(data.per_project_min, "per_project_min", errors)
    if "total_budget" not in errors and total == 0:
        errors["total_budget"] = [_("The budget must be more than zero.")]
    if not errors.keys() & {"total_budget", "per_project_cap", "per_project_min"}:
        if cap == 0 or cap > total:
            errors["per_project_cap"] = [
                _("The per-project cap must be above zero and within the total budget.")
            ]
        elif low > cap:
            errors["per_project_min"] = [_("The smallest amount is above the cap.")]
    if item is not None and item.budget is not None and "total_budget" not in errors:
        used = Call.objects.filter(catalogue_item=item).exclude(
            state=Call.State.CANCELLED
        ).aggregate(s=Sum("total_budget"))["s"] or Decimal(0)
        if used + total > item.budget:
            errors["total_budget"] = [
                _("The item's budget has %(left)s yuan left for calls.")
                % {"left": item.budget - used}
            ]
    try:
        ratio = Decimal(str(data.matching_ratio))
    except (InvalidOperation, ValueError):
        ratio = Decimal(-1)
    if not Decimal(0) <= ratio <= Decimal(1):
        errors["matching_ratio"] = [_("The matching ratio is a share from 0 to 1 (0.5 = 50 %).")]
    unknown = [f for f in data.fields if f not in FIELD_BITS]
    if unknown:
        errors["fields"] = [_("Unknown field of service “%(v)s”.") % {"v": unknown[0][:30]}]
    _check_eligibility(data.eligibility, purchaser, errors)
    docs = data.required_documents
    if (
        not isinstance(docs, list)
        or len(docs) > 20
        or any(not isinstance(d, str) or not d.strip() or len(d) > 100 for d in docs)
    ):
        errors["required_documents"] = [
            _("List up to 20 documents, each named in at most 100 characters.")
        ]
    _check_rubric(data.rubric, errors)
    if not 1 <= data.jury_size <= 15:
        errors["jury_size"] = [_("A jury has 1 to 15 members.")]
    if not 1 <= data.objection_days <= 30:
        errors["objection_days"] = [_("The objection period is 1 to 30 days.")]
    if timezone.is_naive(data.opens_at) or timezone.is_naive(data.closes_at):
        errors["closes_at"] = [_("Give exact instants with their time zone.")]
    elif data.opens_at >= data.closes_at:
        errors["closes_at"] = [_("Applications must close after they open.")]
    return errors


def call_create(*, actor: Any, purchaser: Purchaser, data: CallInput) -> Call:
    """Open a draft call. Purchases come from a published catalogue item (or record why not);
    single-source and invitational calls record why and whom."""
    require_permission("catalogue.edit", actor, purchaser)
    errors = _validate(purchaser, data)
    if errors:
        raise ValidationError(errors)
    fields = data.fields or (data.catalogue_item.field_codes if data.catalogue_item else [])
    with transaction.atomic():
        if data.catalogue_item is not None:
            # Serialise calls on one item so that two of them cannot both take its last yuan.
            CatalogueEntry.objects.select_for_update().get(pk=data.catalogue_item.pk)
            errors = _validate(purchaser, data)
            if errors:
                raise ValidationError(errors)
        call = Call.objects.create(
            purchaser=purchaser,
            kind=data.kind,
            catalogue_item=data.catalogue_item,
            off_catalogue_reason=data.off_catalogue_reason.strip(),
            method=data.method,
            restriction_reason=data.restriction_reason.strip(),
            title=data.title.strip(),
            description=data.description[:10000],
            fields=fields_to_mask(fields),
            total_budget=Decimal(str(data.total_budget)),
            per_project_min=Decimal(str(data.per_project_min)),
            per_project_cap=Decimal(str(data.per_project_cap)),
            matching_ratio=Decimal(str(data.matching_ratio)),
            eligibility=data.eligibility,
            required_documents=data.required_documents,
            rubric=data.rubric,
            jury_size=data.jury_size,
            opens_at=data.opens_at,
            closes_at=data.closes_at,
            objection_days=data.objection_days,
        )
        call.invited.set(data.invited)
        audit_record(
            actor=actor,
            action="call.create",
            obj=call,
            after={**snapshot(call, CALL_FIELDS), "invited": [o.pk for o in data.invited]},
        )
    return call


def call_publish(*, actor: Any, call: Call) -> Call:
    require_permission("catalogue.edit", actor, call.purchaser)
    with transaction.atomic():
        locked = Call.objects.select_for_update().get(pk=call.pk)
        if locked.state != Call.State.DRAFT:
            raise ValidationError(_("Only a draft call can be published."))
        if locked.closes_at <= timezone.now():
            raise ValidationError(_("The application window has already closed."))
        locked.state = Call.State.PUBLISHED
        locked.save(update_fields=["state", "updated_at"])
        audit_record(
            actor=actor,
            action="call.publish",
            obj=locked,
            before={"state": "draft"},
            after={"state": "published"},
        )
    return locked
