"""Intake rounds, residencies (with the desk a resident holds), and capacity assessments."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from servicepark.accounts.scoping_paths import ScopePaths
from servicepark.common.models import BaseModel

PARK_SCOPE = ScopePaths(division="park__division__code", organization="organization_id")


class IntakeRound(BaseModel):
    SCOPE = ScopePaths(division="park__division__code", organization="park__operator_id")

    park = models.ForeignKey("incubator.Park", on_delete=models.CASCADE, related_name="rounds")
    title = models.CharField(_("title"), max_length=200)
    criteria = models.TextField(_("criteria"), max_length=5000)
    opens_at = models.DateTimeField(_("applications open"))
    closes_at = models.DateTimeField(_("applications close"))

    class Meta:
        ordering = ["-opens_at"]
        verbose_name = _("intake round")
        verbose_name_plural = _("intake rounds")
        constraints = [
            models.CheckConstraint(
                name="intake_window_ordered", condition=Q(opens_at__lt=F("closes_at"))
            )
        ]

    def __str__(self) -> str:
        return self.title


class Residency(BaseModel):
    SCOPE = PARK_SCOPE

    class State(models.TextChoices):
        APPLIED = "applied", _("applied")
        SHORTLISTED = "shortlisted", _("shortlisted")
        ADMITTED = "admitted", _("admitted")
        INCUBATING = "incubating", _("incubating")
        EXTENDED = "extended", _("extended")
        GRADUATED = "graduated", _("graduated")
        WITHDRAWN = "withdrawn", _("withdrawn")
        REMOVED = "removed", _("removed")
        DECLINED = "declined", _("not admitted")

    IN_PARK = (State.ADMITTED, State.INCUBATING, State.EXTENDED)

    park = models.ForeignKey("incubator.Park", on_delete=models.PROTECT, related_name="residencies")
    round = models.ForeignKey(
        IntakeRound, null=True, blank=True, on_delete=models.PROTECT, related_name="residencies"
    )
    organization = models.ForeignKey(
        "registry.Organization", on_delete=models.PROTECT, related_name="residencies"
    )
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.APPLIED
    )
    proposal = models.TextField(_("what the organization will do"), max_length=5000)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2, null=True, blank=True)
    panel = models.JSONField(_("scores by panel member"), default=dict)
    decision_reason = models.TextField(_("reason of the decision"), blank=True, max_length=2000)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    desk = models.ForeignKey(
        "incubator.Space",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="residencies",
        verbose_name=_("desk or office"),
    )
    agreement_signed_on = models.DateField(_("residency agreement signed"), null=True, blank=True)

    class Meta:
        ordering = ["park_id", "-id"]
        verbose_name = _("residency")
        verbose_name_plural = _("residencies")
        constraints = [
            # A desk is never given to two residents at once.
            models.UniqueConstraint(
                fields=["desk"],
                condition=Q(state__in=["admitted", "incubating", "extended"], desk__isnull=False),
                name="desk_one_resident",
            ),
            models.UniqueConstraint(
                fields=["park", "organization"],
                condition=Q(
                    state__in=["applied", "shortlisted", "admitted", "incubating", "extended"]
                ),
                name="one_live_residency_per_park",
            ),
            models.CheckConstraint(
                name="residency_ends_after_start",
                condition=Q(starts_on__isnull=True)
                | Q(ends_on__isnull=True)
                | Q(ends_on__gt=F("starts_on")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.park_id}:{self.organization_id}"


class Assessment(BaseModel):
    """A periodic capacity scorecard (0–10 per dimension, 60 in all)."""

    SCOPE = ScopePaths(
        division="residency__park__division__code", organization="residency__organization_id"
    )
    DIMENSIONS = ("governance", "finance", "people", "programmes", "fundraising", "communications")
    # The stored scores are keyed by the codes above; people read these labels.
    DIMENSION_LABELS = {
        "governance": pgettext_lazy("capacity dimension", "Governance"),
        "finance": pgettext_lazy("capacity dimension", "Finance"),
        "people": pgettext_lazy("capacity dimension", "People"),
        "programmes": pgettext_lazy("capacity dimension", "Programmes"),
        "fundraising": pgettext_lazy("capacity dimension", "Fundraising"),
        "communications": pgettext_lazy("capacity dimension", "Communications"),
    }

    residency = models.ForeignKey(Residency, on_delete=models.CASCADE, related_name="assessments")
    assessed_on = models.DateField(_("assessed on"))
    scores = models.JSONField(_("scores"))
    total = models.PositiveSmallIntegerField(_("total (of 60)"))
    assessed_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["residency_id", "assessed_on"]
        verbose_name = _("capacity assessment")
        verbose_name_plural = _("capacity assessments")
