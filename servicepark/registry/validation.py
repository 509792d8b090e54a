"""Validation of one organization record, shared by forms, the API and bulk import.

`clean_record` checks what a row says on its own; `RegistryCheck` adds the checks against
the registry (duplicates, umbrella) for a batch of records at once, so that one record from a
form and a million from a file pass exactly the same rules.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import phonenumbers
from django.utils.translation import gettext as _

from servicepark.registry.models.choices import (
    FIELD_BITS,
    LEGALLY_REGISTERED,
    OrgType,
    RegistrationKind,
    Status,
)
from servicepark.registry.models.organization import NAME_MAX, Organization
from servicepark.registry.uscc import UsccError, validate_uscc

COLUMNS = (
    "uscc",
    "filing_number",
    "name",
    "name_en",
    "org_type",
    "registration_kind",
    "division_code",
    "address",
    "legal_representative",
    "founded_on",
    "fields",
    "umbrella_uscc",
    "phone",
)
MAX_LENGTH = {
    "uscc": 18,
    "filing_number": 64,
    "name": NAME_MAX,
    "name_en": 200,
    "address": 200,
    "legal_representative": 50,
    "phone": 32,
    "umbrella_uscc": 18,
    "division_code": 9,
    "org_type": 32,
    "registration_kind": 16,
    "founded_on": 10,
    "fields": 400,
}
REQUIRED = ("name", "org_type", "registration_kind", "division_code")
OLDEST_FOUNDING = dt.date(1900, 1, 1)


@dataclass(frozen=True)
class RowError:
    column: str
    code: str
    message: str


@dataclass
class Record:
    """A validated organization, ready to store."""

    uscc: str | None
    filing_number: str | None
    name: str
    name_en: str
    org_type: str
    registration_kind: str
    division_code: str
    address: str
    legal_representative: str
    founded_on: dt.date | None
    fields: int
    umbrella_uscc: str | None
    phone: str
    umbrella_id: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def status(self) -> str:
        return Status.REGISTERED if self.registration_kind in LEGALLY_REGISTERED else Status.FILED


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")  # Unicode category Cc
ORG_TYPES = frozenset(OrgType.values)
KINDS = frozenset(RegistrationKind.values)


def _has_control_chars(text: str) -> bool:
    return _CONTROL.search(text) is not None


_PHONE_CACHE: dict[str, bool] = {}


def phone_is_valid(phone: str) -> bool:
    known = _PHONE_CACHE.get(phone)
    if known is None:
        try:
            known = phonenumbers.is_valid_number(phonenumbers.parse(phone, "CN"))
        except phonenumbers.NumberParseException:
            known = False
        if len(_PHONE_CACHE) < 100_000:
            _PHONE_CACHE[phone] = known
    return known


def clean_record(
    raw: Mapping[str, Any], *, divisions: frozenset[str], today: dt.date
) -> tuple[Record | None, list[RowError]]:
    """Check one record on its own. Text is trimmed; nothing else is silently changed."""
    errors: list[RowError] = []
    v: dict[str, str] = {}
    for col in COLUMNS:
        value = raw.get(col)
        text = "" if value is None else str(value).strip()
        if _has_control_chars(text):
            errors.append(
                RowError(
                    col,
                    "invalid_characters",
                    _("Contains control characters (e.g. line breaks or tabs)."),
                )
            )
        elif len(text) > MAX_LENGTH[col]:
            errors.append(
                RowError(
                    col,
                    "too_long",
                    _("Too long: %(n)d characters, at most %(max)d allowed.")
                    % {"n": len(text), "max": MAX_LENGTH[col]},
                )
            )
        v[col] = text
    for col in REQUIRED:
        if not v[col]:
            errors.append(RowError(col, "required", _("This value is required.")))
    if v["org_type"] and v["org_type"] not in ORG_TYPES:
        errors.append(
            RowError(
                "org_type",
                "invalid_choice",
                _("Unknown type “%(v)s”; use one of: %(choices)s.")
                % {"v": v["org_type"][:40], "choices": ", ".join(OrgType.values)},
            )
        )
    kind = v["registration_kind"]
    if kind and kind not in KINDS:
        errors.append(
            RowError(
                "registration_kind",
                "invalid_choice",
                _("Unknown registration kind “%(v)s”; use one of: %(choices)s.")
                % {"v": kind[:40], "choices": ", ".join(RegistrationKind.values)},
            )
        )
    if v["division_code"] and v["division_code"] not in divisions:
        errors.append(
            RowError(
                "division_code",
                "unknown_division",
                _("No administrative division has the code “%(v)s”.")
                % {"v": v["division_code"][:20]},
            )
        )
    uscc = v["uscc"] or None
    if uscc is not None:
        org_type = v["org_type"] if v["org_type"] in ORG_TYPES else None
        try:
            validate_uscc(uscc, org_type=org_type)
        except UsccError as exc:
            errors.append(RowError("uscc", exc.code, exc.message))
    if kind in LEGALLY_REGISTERED and not uscc:
        errors.append(RowError("uscc", "required", _("Registered organizations need a USCC.")))
    if kind == RegistrationKind.FILED and not v["filing_number"]:
        errors.append(
            RowError(
                "filing_number",
                "required",
                _("Organizations filed on record need a filing number."),
            )
        )
    if kind == RegistrationKind.ATTACHED and not v["umbrella_uscc"]:
        errors.append(
            RowError(
                "umbrella_uscc",
                "required",
                _("Attached organizations need the USCC of their umbrella."),
            )
        )
    if v["umbrella_uscc"] and kind != RegistrationKind.ATTACHED:
        errors.append(
            RowError(
                "umbrella_uscc", "not_attached", _("Only attached organizations have an umbrella.")
            )
        )
    founded: dt.date | None = None
    if v["founded_on"]:
        try:
            founded = dt.date.fromisoformat(v["founded_on"])
        except ValueError:
            errors.append(
                RowError("founded_on", "invalid_date", _("Not a date in the form YYYY-MM-DD."))
            )
        else:
            if founded > today:
                errors.append(
                    RowError(
                        "founded_on", "future_date", _("The founding date lies in the future.")
                    )
                )
            elif founded < OLDEST_FOUNDING:
                errors.append(
                    RowError(
                        "founded_on", "invalid_date", _("The founding date is implausibly early.")
                    )
                )
    mask = 0
    for code in filter(None, (c.strip() for c in v["fields"].split(";"))):
        bit = FIELD_BITS.get(code)
        if bit is None:
            errors.append(
                RowError(
                    "fields",
                    "unknown_field",
                    _("Unknown field of service “%(v)s”.") % {"v": code[:40]},
                )
            )
        else:
            mask |= bit
    if v["phone"] and not phone_is_valid(v["phone"]):
        errors.append(RowError("phone", "invalid_phone", _("Not a valid Chinese phone number.")))
    if errors:
        return None, errors
    return Record(
        uscc=uscc,
        filing_number=v["filing_number"] or None,
        name=v["name"],
        name_en=v["name_en"],
        org_type=v["org_type"],
        registration_kind=kind,
        division_code=v["division_code"],
        address=v["address"],
        legal_representative=v["legal_representative"],
        founded_on=founded,
        fields=mask,
        umbrella_uscc=v["umbrella_uscc"] or None,
        phone=v["phone"],
    ), []


class RegistryCheck:
    """Duplicate and umbrella checks for records against the registry and each other.

    Keeps what it has accepted so far, so a later record that repeats an earlier one in the
    same file is caught, and an umbrella may appear earlier in the same file.
    """

    def __init__(self) -> None:
        self.seen_uscc: dict[str, bool] = {}  # uscc -> may act as umbrella
        self.seen_filing: set[str] = set()
        self.seen_attached: set[tuple[str, str]] = set()

    def check(self, records: list[tuple[int, Record]]) -> list[tuple[int, RowError]]:
        """Return errors for rejected records and set `umbrella_id` where known."""
        usccs = {r.uscc for _, r in records if r.uscc}
        filings = {r.filing_number for _, r in records if r.filing_number}
        umbrellas = {r.umbrella_uscc for _, r in records if r.umbrella_uscc}
        existing_uscc: set[str] = set()
        existing_filing: set[str] = set()
        umbrella_rows: dict[str, tuple[int, str, str]] = {}
        if usccs:
            found = Organization.objects.filter(uscc__in=usccs).values_list("uscc", flat=True)
            existing_uscc = {u for u in found if u}
        if filings:
            found = Organization.objects.filter(filing_number__in=filings).values_list(
                "filing_number", flat=True
            )
            existing_filing = {f for f in found if f}
        if umbrellas:
            rows = Organization.objects.filter(uscc__in=umbrellas).values_list(
                "uscc", "id", "registration_kind", "status"
            )
            umbrella_rows = {u: (pk, kind, status) for u, pk, kind, status in rows if u}
        attached_pairs = {(r.umbrella_uscc, r.name) for _, r in records if r.umbrella_uscc}
        existing_attached = self._existing_attached(attached_pairs, umbrella_rows)

        errors: list[tuple[int, RowError]] = []
        for line, rec in records:
            problem = self._check_one(
                rec, existing_uscc, existing_filing, umbrella_rows, existing_attached
            )
            if problem is not None:
                errors.append((line, problem))
                continue
            if rec.uscc:
                self.seen_uscc[rec.uscc] = rec.registration_kind in LEGALLY_REGISTERED
            if rec.filing_number:
                self.seen_filing.add(rec.filing_number)
            if rec.umbrella_uscc:
                self.seen_attached.add((rec.umbrella_uscc, rec.name))
        return errors

    @staticmethod
    def _existing_attached(
        pairs: set[tuple[str, str]], umbrella_rows: dict[str, tuple[int, str, str]]
    ) -> set[tuple[str, str]]:
        if not pairs:
            return set()
        by_id = {pk: u for u, (pk, _, _) in umbrella_rows.items()}
        names = {name for _, name in pairs}
        rows = Organization.objects.filter(
            umbrella_id__in=list(by_id), name__in=names, registration_kind="attached"
        ).values_list("umbrella_id", "name")
        return {(by_id[pk], name) for pk, name in rows}

    def _check_one(
        self,
        rec: Record,
        existing_uscc: set[str],
        existing_filing: set[str],
        umbrella_rows: dict[str, tuple[int, str, str]],
        existing_attached: set[tuple[str, str]],
    ) -> RowError | None:
        if rec.uscc:
            if rec.uscc in self.seen_uscc:
                return RowError(
                    "uscc", "duplicate_in_file", _("This USCC appears earlier in the same file.")
                )
            if rec.uscc in existing_uscc:
                return RowError(
                    "uscc",
                    "duplicate_in_registry",
                    _("An organization with this USCC is already registered."),
                )
        if rec.filing_number:
            if rec.filing_number in self.seen_filing:
                return RowError(
                    "filing_number",
                    "duplicate_in_file",
                    _("This filing number appears earlier in the same file."),
                )
            if rec.filing_number in existing_filing:
                return RowError(
                    "filing_number",
                    "duplicate_in_registry",
                    _("An organization with this filing number already exists."),
                )
        if rec.umbrella_uscc:
            key = (rec.umbrella_uscc, rec.name)
            if key in self.seen_attached:
                return RowError(
                    "name",
                    "duplicate_in_file",
                    _(
                        "The same umbrella already has an organization of this name "
                        "earlier in the file."
                    ),
                )
            if key in existing_attached:
                return RowError(
                    "name",
                    "duplicate_in_registry",
                    _("The umbrella already has an attached organization of this name."),
                )
            found = umbrella_rows.get(rec.umbrella_uscc)
            if found is not None:
                pk, kind, status = found
                if kind not in LEGALLY_REGISTERED or status != Status.REGISTERED:
                    return RowError(
                        "umbrella_uscc",
                        "umbrella_not_registered",
                        _(
                            "The umbrella must be a registered organization; this "
                            "one is filed, attached or not in good standing."
                        ),
                    )
                rec.umbrella_id = pk
            elif rec.umbrella_uscc in self.seen_uscc:
                if not self.seen_uscc[rec.umbrella_uscc]:
                    return RowError(
                        "umbrella_uscc",
                        "umbrella_not_registered",
                        _(
                            "The umbrella must be a registered organization; this "
                            "one is filed, attached or not in good standing."
                        ),
                    )
            else:
                return RowError(
                    "umbrella_uscc",
                    "umbrella_not_found",
                    _(
                        "No registered organization has this USCC (neither in the "
                        "registry nor earlier in the file)."
                    ),
                )
        return None
