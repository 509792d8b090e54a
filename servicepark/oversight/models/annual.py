"""Annual reports (年报): what an organization files every year, and the registrar's result."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from servicepark.common.models import BaseModel
from servicepark.oversight.models.scope import ORG_SCOPE

REVENUE_FIELDS = (
    "revenue_government",
    "revenue_grants",
    "revenue_donations",
    "revenue_fees",
    "revenue_other",
)
AMOUNT_FIELDS = (*REVENUE_FIELDS, "expenses", "assets")


def _amount(label: Any) -> models.DecimalField:
    return models.DecimalField(label, max_digits=14, decimal_places=2, default=Decimal(0))


class AnnualReport(BaseModel):
    SCOPE = ORG_SCOPE

    class Result(models.TextChoices):
        QUALIFIED = "qualified", _("qualified")
        BASIC = "basic", _("basically qualified")
        FAILED = "failed", _("failed")

    organization = models.ForeignKey(
        "registry.Organization", on_delete=models.PROTECT, related_name="annual_reports"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    revenue_government = _amount(_("revenue from government purchase (yuan)"))
    revenue_grants = _amount(_("revenue from grants (yuan)"))
    revenue_donations = _amount(_("revenue from donations (yuan)"))
    revenue_fees = _amount(_("revenue from service fees (yuan)"))
    revenue_other = _amount(_("other revenue (yuan)"))
    expenses = _amount(_("expenses (yuan)"))
    assets = _amount(_("net assets at year end (yuan)"))
    staff = models.PositiveIntegerField(_("full-time staff"), default=0)
    volunteers = models.PositiveIntegerField(_("volunteers"), default=0)
    activities = models.TextField(_("main activities"), max_length=5000)
    governance_changes = models.TextField(
        _("governance changes (board, statutes, legal representative)"),
        blank=True,
        max_length=5000,
    )
    submitted_at = models.DateTimeField(_("filed at"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    # Social groups file with their supervising unit first (by 31 March by default).
    supervisor_seen_on = models.DateField(_("seen by the supervising unit on"), null=True)
    result = models.CharField(_("result"), max_length=16, choices=Result.choices, blank=True)
    result_reasons = models.TextField(_("reasons"), blank=True, max_length=2000)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["organization_id", "-year"]
        verbose_name = _("annual report")
        verbose_name_plural = _("annual reports")
        constraints = [
            models.UniqueConstraint(fields=["organization", "year"], name="annual_report_once"),
            models.CheckConstraint(
                name="annual_report_amounts_not_negative",
                condition=Q(revenue_government__gte=0)
                & Q(revenue_grants__gte=0)
                & Q(revenue_donations__gte=0)
                & Q(revenue_fees__gte=0)
                & Q(revenue_other__gte=0)
                & Q(expenses__gte=0),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization_id}/{self.year}"

    @property
    def revenue(self) -> Decimal:
        return sum((getattr(self, f) for f in REVENUE_FIELDS), Decimal(0))

    @staticmethod
    def revenue_expression() -> F:
        expr = F(REVENUE_FIELDS[0])
        for name in REVENUE_FIELDS[1:]:
            expr = expr + F(name)  # type: ignore[assignment]
        return expr
