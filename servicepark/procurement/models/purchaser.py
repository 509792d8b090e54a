"""Purchasers: government bodies that buy services (购买主体)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from servicepark.accounts.scoping_paths import ScopePaths
from servicepark.common.models import BaseModel


class Purchaser(BaseModel):
    SCOPE = ScopePaths(division="division__code", organization="id")

    class Kind(models.TextChoices):
        CIVIL_AFFAIRS = "civil_affairs", _("civil affairs bureau")
        DISABLED_FEDERATION = "disabled_federation", _("disabled persons' federation")
        EDUCATION = "education", _("education bureau")
        HEALTH = "health", _("health commission")
        HUMAN_RESOURCES = "human_resources", _("human resources and social security bureau")
        SUBDISTRICT = "subdistrict", _("subdistrict office")
        OTHER = "other", _("other government body")

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    division = models.ForeignKey(
        "geo.Division",
        on_delete=models.PROTECT,
        db_column="division_code",
        related_name="+",
        verbose_name=_("jurisdiction"),
    )
    uscc = models.CharField(_("USCC"), max_length=18, blank=True)
    leading_group = models.ManyToManyField(
        "accounts.User",
        blank=True,
        related_name="leading_groups",
        verbose_name=_("leading group members"),
        help_text=_("They approve proposed awards by majority vote."),
    )

    class Meta:
        ordering = ["division_id", "name"]
        verbose_name = _("purchaser")
        verbose_name_plural = _("purchasers")
        constraints = [
            models.UniqueConstraint(fields=["division", "name"], name="purchaser_unique_name")
        ]

    def __str__(self) -> str:
        return self.name
