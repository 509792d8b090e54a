"""Inspections and investigations, and the rectification orders they lead to."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from servicepark.common.models import BaseModel
from servicepark.oversight.models.scope import ORG_SCOPE


class Inspection(BaseModel):
    SCOPE = ORG_SCOPE

    class Kind(models.TextChoices):
        INSPECTION = "inspection", _("inspection")
        INVESTIGATION = "investigation", _("investigation")

    organization = models.ForeignKey(
        "registry.Organization", on_delete=models.PROTECT, related_name="inspections"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    held_on = models.DateField(_("held on"))
    findings = models.TextField(_("findings"), max_length=5000)
    passed = models.BooleanField(_("passed"))
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")


class Rectification(BaseModel):
    """An order to put something right by a deadline; the organization answers, an official
    verifies. Verifying one that answers a credit listing removes the listing."""

    SCOPE = ORG_SCOPE

    class State(models.TextChoices):
        ORDERED = "ordered", _("ordered")
        SUBMITTED = "submitted", _("answered, waiting for verification")
        VERIFIED = "verified", _("verified")

    organization = models.ForeignKey(
        "registry.Organization", on_delete=models.PROTECT, related_name="rectifications"
    )
    inspection = models.ForeignKey(
        Inspection, null=True, blank=True, on_delete=models.PROTECT, related_name="orders"
    )
    listing = models.ForeignKey(
        "oversight.CreditListing",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rectifications",
    )
    order = models.TextField(_("what must be put right"), max_length=5000)
    deadline = models.DateField(_("deadline"))
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.ORDERED
    )
    ordered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    response = models.TextField(_("what was done"), blank=True, max_length=5000)
    submitted_at = models.DateTimeField(null=True, blank=True)
    verification = models.TextField(_("verification note"), blank=True, max_length=5000)
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["deadline", "id"]
        verbose_name = _("rectification order")
        verbose_name_plural = _("rectification orders")
        indexes = [models.Index(fields=["state", "deadline"], name="rectification_due_idx")]

    def __str__(self) -> str:
        return f"{self.organization_id}: {self.order[:40]}"
