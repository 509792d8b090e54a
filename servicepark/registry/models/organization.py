"""The organization: the registry's aggregate root."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from servicepark.accounts.scoping_paths import ScopePaths
from servicepark.common.models import BaseModel
from servicepark.registry.models.choices import (
    LEGALLY_REGISTERED,
    Field,
    OrgType,
    RegistrationKind,
    Status,
    mask_to_fields,
)

NAME_MAX = 100
FIELD_LABELS = dict(Field.choices)  # lazy labels: translated when shown


class Organization(BaseModel):
    SCOPE = ScopePaths(division="division__code", organization="id", umbrella="umbrella_id")
    # Fields an organization admin may change only with an official's approval.
    LEGAL_FIELDS = (
        "name",
        "legal_representative",
        "address",
        "org_type",
        "division",
        "supervising_unit",
        "founded_on",
    )
    PROFILE_FIELDS = ("name_en", "phone", "email", "website", "description", "fields")

    uscc = models.CharField(_("USCC"), max_length=18, null=True, blank=True)
    filing_number = models.CharField(_("filing number"), max_length=64, null=True, blank=True)
    name = models.CharField(_("name"), max_length=NAME_MAX)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    org_type = models.CharField(_("type"), max_length=32, choices=OrgType.choices)
    registration_kind = models.CharField(
        _("registration kind"), max_length=16, choices=RegistrationKind.choices
    )
    division = models.ForeignKey(
        "geo.Division",
        on_delete=models.PROTECT,
        db_column="division_code",
        related_name="+",
        verbose_name=_("division"),
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    legal_representative = models.CharField(_("legal representative"), max_length=50, blank=True)
    supervising_unit = models.CharField(_("supervising unit"), max_length=100, blank=True)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    # Set when a commercial entity re-registered as a non-profit (seed 003: a risk signal).
    converted_on = models.DateField(_("converted from a company on"), null=True, blank=True)
    fields = models.PositiveIntegerField(_("fields of service"), default=0)
    umbrella = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="attached",
        verbose_name=_("umbrella organization"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PREPARING
    )
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    # Search keys, derived from `name` by registry.search.name_keys at every write.
    name_pinyin = models.CharField(max_length=400, blank=True, editable=False)
    name_initials = models.CharField(max_length=100, blank=True, editable=False)
    search_tokens = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        constraints = [
            models.UniqueConstraint(
                fields=["uscc"], condition=Q(uscc__isnull=False), name="org_unique_uscc"
            ),
            models.UniqueConstraint(
                fields=["filing_number"],
                condition=Q(filing_number__isnull=False),
                name="org_unique_filing_number",
            ),
            models.UniqueConstraint(
                fields=["umbrella", "name"],
                condition=Q(registration_kind="attached"),
                name="org_unique_name_within_umbrella",
            ),
        ]
        indexes = [
            models.Index(fields=["division", "status"], name="org_division_status_idx"),
            models.Index(fields=["status", "org_type"], name="org_status_type_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def field_codes(self) -> list[str]:
        return mask_to_fields(self.fields)

    @property
    def field_labels(self) -> list[str]:
        return [str(FIELD_LABELS[c]) for c in self.field_codes]

    @classmethod
    def audit_value(cls, name: str, value: object) -> str | None:
        """How the audit trail shows a stored value (None: the usual way): the fields of
        service, stored as a bitmask, by their names."""
        if name == "fields" and isinstance(value, int):
            labels = [str(FIELD_LABELS[c]) for c in mask_to_fields(value)]
            return pgettext("list separator", ", ").join(labels) or "—"
        return None

    @property
    def is_legally_registered(self) -> bool:
        return self.registration_kind in LEGALLY_REGISTERED
