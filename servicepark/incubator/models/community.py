"""The park's advisory committee and its advice, and coordination events by field."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from servicepark.accounts.scoping_paths import ScopePaths
from servicepark.common.models import BaseModel

PARK_OWN = ScopePaths(division="park__division__code", organization="park__operator_id")


class AdvisoryMember(BaseModel):
    SCOPE = PARK_OWN

    park = models.ForeignKey("incubator.Park", on_delete=models.CASCADE, related_name="advisors")
    name = models.CharField(_("name"), max_length=50)
    affiliation = models.CharField(_("affiliation"), max_length=200)
    active = models.BooleanField(_("serving"), default=True)

    class Meta:
        ordering = ["park_id", "name"]
        verbose_name = _("advisory committee member")
        verbose_name_plural = _("advisory committee members")

    def __str__(self) -> str:
        return self.name


class AdvisoryAdvice(BaseModel):
    """Advice given at a committee meeting, recorded against the decision it concerns."""

    SCOPE = PARK_OWN

    park = models.ForeignKey("incubator.Park", on_delete=models.CASCADE, related_name="advice")
    met_on = models.DateField(_("meeting date"))
    present = models.ManyToManyField(
        AdvisoryMember, related_name="advice", verbose_name=_("present")
    )
    residency = models.ForeignKey(
        "incubator.Residency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="advice",
        verbose_name=_("concerning the residency of"),
    )
    text = models.TextField(_("advice"), max_length=5000)

    class Meta:
        ordering = ["-met_on", "-id"]
        verbose_name = _("advice")
        verbose_name_plural = _("advice")

    def __str__(self) -> str:
        return f"{self.met_on}"


class CoordinationEvent(BaseModel):
    """A field's organizations meet a government partner (e.g. disability organizations with
    the Disabled Persons' Federation): invitations, attendance, partnerships that follow."""

    SCOPE = PARK_OWN

    park = models.ForeignKey(
        "incubator.Park", on_delete=models.CASCADE, related_name="coordination"
    )
    field = models.CharField(_("field of service"), max_length=32)
    partner = models.CharField(_("government partner"), max_length=100)
    title = models.CharField(_("title"), max_length=200)
    held_at = models.DateTimeField(_("held at"))
    invited = models.ManyToManyField(
        "registry.Organization", related_name="coordination_invites", verbose_name=_("invited")
    )
    attended = models.ManyToManyField(
        "registry.Organization",
        related_name="coordination_attended",
        blank=True,
        verbose_name=_("attended"),
    )
    follow_up = models.JSONField(_("partnerships that followed"), default=list)

    class Meta:
        ordering = ["-held_at"]
        verbose_name = _("coordination event")
        verbose_name_plural = _("coordination events")

    def __str__(self) -> str:
        return self.title
