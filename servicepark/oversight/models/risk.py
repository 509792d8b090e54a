"""Early warning: the signals rules raise, the risk score they add up to, the alerts that
officials handle, and a record of every run."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from servicepark.common.models import BaseModel
from servicepark.oversight.models.scope import ORG_SCOPE


class Severity(models.IntegerChoices):
    LOW = 1, _("low")
    MEDIUM = 2, _("medium")
    HIGH = 3, _("high")


class Signal(models.Model):
    """What one rule found about one organization. `key` names the thing it is about (a
    contract, a year, a call) so one rule can raise several signals for one organization.
    The explanation is rendered from `params` when shown, in the reader's language."""

    SCOPE = ORG_SCOPE

    organization = models.ForeignKey(
        "registry.Organization", on_delete=models.CASCADE, related_name="risk_signals"
    )
    rule = models.CharField(_("rule"), max_length=40)
    key = models.CharField(max_length=80)
    severity = models.PositiveSmallIntegerField(_("severity"), choices=Severity.choices)
    params = models.JSONField(default=dict)
    evidence = models.JSONField(_("evidence"), default=list)
    first_seen_on = models.DateField(_("first seen on"))
    last_seen_on = models.DateField(_("last seen on"))
    cleared_on = models.DateField(_("cleared on"), null=True, blank=True)

    class Meta:
        ordering = ["-severity", "-first_seen_on", "id"]
        verbose_name = _("risk signal")
        verbose_name_plural = _("risk signals")
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "organization", "key"],
                condition=Q(cleared_on__isnull=True),
                name="signal_open_once",
            ),
        ]
        indexes = [models.Index(fields=["organization", "cleared_on"], name="signal_org_idx")]

    def __str__(self) -> str:
        return f"{self.rule}:{self.organization_id}:{self.key}"


class RiskScore(models.Model):
    """An organization's score on one run date; absent means zero (only non-zero scores and
    drops to zero are stored)."""

    SCOPE = ORG_SCOPE

    organization = models.ForeignKey(
        "registry.Organization", on_delete=models.CASCADE, related_name="risk_scores"
    )
    as_of = models.DateField(_("as of"))
    score = models.PositiveSmallIntegerField(_("risk score"))
    breakdown = models.JSONField(default=list)

    class Meta:
        ordering = ["organization_id", "-as_of"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "as_of"], name="risk_score_once"),
        ]

    def __str__(self) -> str:
        return f"{self.organization_id}@{self.as_of}: {self.score}"


class Alert(BaseModel):
    """A signal put in front of the officials of the organization's jurisdiction."""

    SCOPE = ORG_SCOPE

    class State(models.TextChoices):
        OPEN = "open", _("new")
        ACKNOWLEDGED = "acknowledged", _("acknowledged")
        INVESTIGATING = "investigating", _("under investigation")
        CLOSED = "closed", _("closed")

    organization = models.ForeignKey(
        "registry.Organization", on_delete=models.CASCADE, related_name="alerts"
    )
    signal = models.OneToOneField(Signal, on_delete=models.CASCADE, related_name="alert")
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.OPEN)
    note = models.TextField(_("closing note"), blank=True, max_length=5000)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-id"]
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        indexes = [models.Index(fields=["state"], name="alert_state_idx")]


class OversightRun(models.Model):
    class Mode(models.TextChoices):
        FULL = "full", _("full recompute")
        INCREMENTAL = "incremental", _("after an event")

    as_of = models.DateField(_("as of"))
    mode = models.CharField(max_length=16, choices=Mode.choices)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True)
    counts = models.JSONField(default=dict)
    # A rule that fails is recorded here and the run goes on with the others.
    errors = models.JSONField(default=list)

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["mode", "as_of"], name="oversight_run_idx")]

    def __str__(self) -> str:
        return f"{self.mode} run as of {self.as_of}"
