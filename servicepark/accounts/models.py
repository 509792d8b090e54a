"""Users, their role grants, and API tokens."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from servicepark.accounts.roles import DIVISION_ROLES, ORGANIZATION_ROLES, Role
from servicepark.common.models import BaseModel
from servicepark.common.personal import EncryptedTextField


class User(AbstractUser):
    display_name = models.CharField(_("display name"), max_length=100, blank=True)
    phone = EncryptedTextField(_("phone"), kind="phone")

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.username


class Grant(BaseModel):
    """A role held over a jurisdiction or over one organization."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="grants")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    division = models.ForeignKey(
        "geo.Division",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("jurisdiction"),
    )
    organization = models.ForeignKey(
        "registry.Organization",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="grants",
        verbose_name=_("organization"),
    )

    class Meta:
        verbose_name = _("role grant")
        verbose_name_plural = _("role grants")
        constraints = [
            models.CheckConstraint(
                name="grant_division_xor_organization",
                condition=(
                    Q(
                        role__in=sorted(r.value for r in DIVISION_ROLES),
                        division__isnull=False,
                        organization__isnull=True,
                    )
                    | Q(
                        role__in=sorted(r.value for r in ORGANIZATION_ROLES),
                        division__isnull=True,
                        organization__isnull=False,
                    )
                ),
            ),
            models.UniqueConstraint(
                fields=["user", "role", "division", "organization"], name="grant_unique"
            ),
        ]

    def __str__(self) -> str:
        scope = self.division_id or f"org:{self.organization_id}"
        return f"{self.user_id}:{self.role}@{scope}"


class ApiToken(BaseModel):
    """Bearer token for the API. Only its SHA-256 is stored; the token is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
