"""The guiding catalogue (指导性目录): a purchaser's yearly three-tier shopping list."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from servicepark.accounts.scoping_paths import ScopePaths
from servicepark.common.models import BaseModel
from servicepark.common.money import MoneyField
from servicepark.registry.models.choices import Field, mask_to_fields


class Catalogue(BaseModel):
    SCOPE = ScopePaths(division="purchaser__division__code", organization="purchaser_id")

    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")

    purchaser = models.ForeignKey(
        "procurement.Purchaser",
        on_delete=models.PROTECT,
        related_name="catalogues",
        verbose_name=_("purchaser"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.DRAFT)

    class Meta:
        ordering = ["-year", "purchaser_id"]
        verbose_name = _("guiding catalogue")
        verbose_name_plural = _("guiding catalogues")
        constraints = [
            models.UniqueConstraint(fields=["purchaser", "year"], name="catalogue_one_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.purchaser} {self.year}"


class CatalogueEntry(BaseModel):
    """A category (tier 1), subcategory (tier 2) or service item (tier 3).

    Only items carry fields of service, a budget and whether social organizations may provide
    them; categories and subcategories group them.
    """

    SCOPE = ScopePaths(
        division="catalogue__purchaser__division__code", organization="catalogue__purchaser_id"
    )

    class Tier(models.IntegerChoices):
        CATEGORY = 1, _("category")
        SUBCATEGORY = 2, _("subcategory")
        ITEM = 3, _("service item")

    catalogue = models.ForeignKey(Catalogue, on_delete=models.CASCADE, related_name="entries")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    tier = models.PositiveSmallIntegerField(_("tier"), choices=Tier.choices)
    code = models.CharField(_("code"), max_length=16)
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True, max_length=2000)
    fields = models.PositiveIntegerField(_("fields of service"), default=0)
    budget = MoneyField(_("budget (yuan)"), null=True, blank=True)
    open_to_social_orgs = models.BooleanField(
        _("may be bought from social organizations"), default=True
    )

    class Meta:
        ordering = ["catalogue_id", "code"]
        verbose_name = _("catalogue entry")
        verbose_name_plural = _("catalogue entries")
        constraints = [
            models.UniqueConstraint(fields=["catalogue", "code"], name="catalogue_entry_code"),
            models.CheckConstraint(
                name="catalogue_budget_only_on_items",
                condition=Q(tier=3, budget__isnull=False, budget__gte=0)
                | Q(tier__in=[1, 2], budget__isnull=True, fields=0),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def field_codes(self) -> list[str]:
        return mask_to_fields(self.fields)

    @property
    def field_labels(self) -> list[str]:
        return [str(Field(c).label) for c in self.field_codes]
