"""A change to legally registered fields, waiting for an official's decision."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from servicepark.accounts.scoping_paths import ScopePaths
from servicepark.common.models import BaseModel


class ChangeRequest(BaseModel):
    SCOPE = ScopePaths(
        division="organization__division__code",
        organization="organization_id",
        umbrella="organization__umbrella_id",
    )

    class State(models.TextChoices):
        PENDING = "pending", _("pending")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    organization = models.ForeignKey(
        "registry.Organization", on_delete=models.CASCADE, related_name="change_requests"
    )
    requested_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    changes = models.JSONField(_("requested changes"))
    previous = models.JSONField(_("values before"))
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.PENDING
    )
    decided_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("change request")
        verbose_name_plural = _("change requests")

    @property
    def rows(self) -> list[tuple[str, object, object]]:
        """(field, value before, requested value) for display."""
        from servicepark.registry.models.organization import Organization

        def label(name: str) -> str:
            try:
                return str(getattr(Organization._meta.get_field(name), "verbose_name", name))
            except Exception:  # noqa: BLE001 - an old request may name a field since removed
                return name

        return [(label(k), (self.previous or {}).get(k), v) for k, v in self.changes.items()]
