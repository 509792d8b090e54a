"""Experts, their ties to organizations, jury assignments, recusals and score sheets."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from servicepark.accounts.scoping_paths import ScopePaths
from servicepark.common.models import BaseModel
from servicepark.common.personal import EncryptedTextField


class ExpertProfile(BaseModel):
    user = models.OneToOneField(
        "accounts.User", on_delete=models.CASCADE, related_name="expert_profile"
    )
    person = models.ForeignKey(
        "registry.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("person record"),
    )
    fields = models.PositiveIntegerField(_("fields of expertise"), default=0)
    affiliation = models.CharField(_("affiliation"), max_length=200, blank=True)
    phone = EncryptedTextField(_("phone"), kind="phone")

    class Meta:
        verbose_name = _("expert profile")
        verbose_name_plural = _("expert profiles")

    def __str__(self) -> str:
        return str(self.user)


class ExpertTie(BaseModel):
    """A declared interest: the expert belongs to, advises, or worked for an organization."""

    class Kind(models.TextChoices):
        MEMBER = "member", _("member")
        ADVISOR = "advisor", _("advisor")
        EMPLOYEE = "employee", _("employee")

    expert = models.ForeignKey(ExpertProfile, on_delete=models.CASCADE, related_name="ties")
    organization = models.ForeignKey(
        "registry.Organization", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    class Meta:
        verbose_name = _("declared interest")
        verbose_name_plural = _("declared interests")


class Assignment(BaseModel):
    SCOPE = ScopePaths(
        division="application__call__purchaser__division__code",
        organization="application__organization_id",
    )

    application = models.ForeignKey(
        "procurement.Application", on_delete=models.CASCADE, related_name="assignments"
    )
    expert = models.ForeignKey(ExpertProfile, on_delete=models.PROTECT, related_name="assignments")
    scores = models.JSONField(_("scores by criterion"), default=dict)
    comment = models.TextField(_("comment"), blank=True, max_length=5000)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["application_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "expert"], name="one_assignment_per_expert"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application_id}:{self.expert_id}"


class Recusal(BaseModel):
    """An expert kept off an application, and why (every one is recorded)."""

    application = models.ForeignKey(
        "procurement.Application", on_delete=models.CASCADE, related_name="recusals"
    )
    expert = models.ForeignKey(ExpertProfile, on_delete=models.PROTECT, related_name="recusals")
    reason = models.CharField(_("reason"), max_length=300)

    class Meta:
        ordering = ["application_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "expert"], name="one_recusal_per_expert")
        ]
