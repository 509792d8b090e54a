"""Calls for proposals: a purchase from a catalogue item, or a grant call."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from servicepark.accounts.scoping_paths import ScopePaths
from servicepark.common.models import BaseModel
from servicepark.common.money import MoneyField


class Method(models.TextChoices):
    """Procurement methods of the Government Procurement Law, plus grants."""

    PUBLIC_TENDER = "public_tender", _("public tender")
    INVITATIONAL_TENDER = "invitational_tender", _("invitational tender")
    COMPETITIVE_NEGOTIATION = "competitive_negotiation", _("competitive negotiation")
    COMPETITIVE_CONSULTATION = "competitive_consultation", _("competitive consultation")
    SINGLE_SOURCE = "single_source", _("single source")
    INQUIRY = "inquiry", _("inquiry")
    GRANT = "grant", _("grant")


# Methods that name their providers in advance, and so must say why and whom.
RESTRICTED_METHODS = frozenset({Method.SINGLE_SOURCE, Method.INVITATIONAL_TENDER})


class Call(BaseModel):
    SCOPE = ScopePaths(division="purchaser__division__code", organization="purchaser_id")

    class Kind(models.TextChoices):
        PURCHASE = "purchase", _("purchase of services")
        GRANT = "grant", _("grant (start-up subsidy, foundation grant)")

    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")
        CANCELLED = "cancelled", _("cancelled")

    purchaser = models.ForeignKey(
        "procurement.Purchaser",
        on_delete=models.PROTECT,
        related_name="calls",
        verbose_name=_("purchaser"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    catalogue_item = models.ForeignKey(
        "procurement.CatalogueEntry",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="calls",
        verbose_name=_("catalogue item"),
    )
    off_catalogue_reason = models.TextField(
        _("why outside the catalogue"), blank=True, max_length=2000
    )
    method = models.CharField(_("procurement method"), max_length=32, choices=Method.choices)
    restriction_reason = models.TextField(
        _("why single-source / invitational"), blank=True, max_length=2000
    )
    invited = models.ManyToManyField(
        "registry.Organization",
        blank=True,
        related_name="+",
        verbose_name=_("invited organizations"),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=10000)
    fields = models.PositiveIntegerField(_("fields of service"), default=0)
    total_budget = MoneyField(_("total budget (yuan)"))
    per_project_min = MoneyField(_("smallest amount per project"), default=Decimal("0.00"))
    per_project_cap = MoneyField(_("largest amount per project"))
    matching_ratio = models.DecimalField(
        _("matching funds ratio"), max_digits=5, decimal_places=4, default=Decimal("0")
    )
    eligibility = models.JSONField(_("eligibility rules"), default=dict)
    required_documents = models.JSONField(_("required documents"), default=list)
    rubric = models.JSONField(_("scoring rubric"), default=list)
    jury_size = models.PositiveSmallIntegerField(_("jury size"), default=3)
    opens_at = models.DateTimeField(_("applications open"))
    closes_at = models.DateTimeField(_("applications close"))
    objection_days = models.PositiveSmallIntegerField(_("objection period (days)"), default=7)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.DRAFT)
    # The call's budget in three buckets, moved only under a row lock (services/funds.py):
    # reserved at award, committed at signing, paid at payment.
    reserved = MoneyField(_("reserved for awards (yuan)"), default=Decimal("0.00"))
    committed = MoneyField(_("committed by contracts (yuan)"), default=Decimal("0.00"))
    paid = MoneyField(_("paid (yuan)"), default=Decimal("0.00"))

    class Meta:
        ordering = ["-opens_at", "-id"]
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        constraints = [
            models.CheckConstraint(
                name="call_window_ordered", condition=Q(opens_at__lt=F("closes_at"))
            ),
            models.CheckConstraint(
                name="call_cap_within_budget", condition=Q(per_project_cap__lte=F("total_budget"))
            ),
            models.CheckConstraint(
                name="call_money_never_overspent",
                condition=Q(reserved__gte=0, committed__gte=0, paid__gte=0)
                & Q(total_budget__gte=F("reserved") + F("committed") + F("paid")),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def phase(self, now: dt.datetime | None = None) -> str:
        """upcoming, open or closed, by the exact instants of the window."""
        moment = now or timezone.now()
        if moment < self.opens_at:
            return "upcoming"
        return "open" if moment < self.closes_at else "closed"
