"""Applications to calls, with every submitted version kept."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from servicepark.accounts.scoping_paths import ScopePaths
from servicepark.common.models import BaseModel
from servicepark.common.money import MoneyField


class Screening(models.TextChoices):
    PENDING = "pending", _("awaiting manual screening")
    PASSED = "passed", _("passed screening")
    REJECTED = "rejected", _("rejected at screening")


class Application(BaseModel):
    """An organization's application. When an umbrella association applies on behalf of an
    attached organization ("1 + 4"), `applicant` is the association and `organization` the
    one that will do the work; both are recorded."""

    SCOPE = ScopePaths(
        division="organization__division__code",
        organization="organization_id",
        umbrella="applicant_id",
    )

    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        WITHDRAWN = "withdrawn", _("withdrawn")

    call = models.ForeignKey(
        "procurement.Call",
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("call"),
    )
    organization = models.ForeignKey(
        "registry.Organization",
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("organization"),
    )
    applicant = models.ForeignKey(
        "registry.Organization",
        on_delete=models.PROTECT,
        related_name="applications_filed",
        verbose_name=_("applicant"),
    )
    created_by = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.DRAFT)
    content = models.JSONField(_("content"), default=dict)
    requested_total = MoneyField(_("requested (yuan)"), default=Decimal("0.00"))
    matching_total = MoneyField(_("matching funds (yuan)"), default=Decimal("0.00"))
    field = models.CharField(_("field of service"), max_length=32, blank=True)
    eligible = models.BooleanField(_("passes automatic screening"), null=True)
    screening_reasons = models.JSONField(_("screening reasons"), default=list)
    screening = models.CharField(
        _("manual screening"),
        max_length=16,
        choices=Screening.choices,
        default=Screening.PENDING,
    )
    screening_note = models.TextField(_("screening reason"), blank=True, max_length=2000)
    screened_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    screened_at = models.DateTimeField(null=True, blank=True)
    jury_comment = models.TextField(
        _("jury's comments released to the applicant"), blank=True, max_length=5000
    )

    class Meta:
        ordering = ["-id"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            models.UniqueConstraint(
                fields=["call", "organization"], name="one_application_per_call"
            )
        ]

    def __str__(self) -> str:
        return f"{self.call_id}/{self.organization_id}"

    @property
    def in_competition(self) -> bool:
        """Submitted and passed by a person at screening: goes to the jury."""
        return self.state == self.State.SUBMITTED and self.screening == Screening.PASSED


class ApplicationVersion(models.Model):
    """One submission, frozen. The submission key makes a repeated click or retry a no-op."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    content = models.JSONField()
    submitted_at = models.DateTimeField()
    submitted_by = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.PROTECT, related_name="+"
    )
    submission_key = models.CharField(max_length=64)

    class Meta:
        ordering = ["application_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["application", "number"], name="version_number"),
            models.UniqueConstraint(
                fields=["application", "submission_key"], name="version_submission_key"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application_id} v{self.number}"


def _attachment_path(instance: Attachment, filename: str) -> str:
    # Stored under a random name: the uploader's file name never reaches the file system.
    return f"applications/{instance.application_id}/{uuid.uuid4().hex}"


class Attachment(BaseModel):
    """A document attached to an application; its type is sniffed from the content."""

    SCOPE = Application.SCOPE.prefixed("application__")

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="attachments"
    )
    label = models.CharField(_("document"), max_length=100)
    file = models.FileField(upload_to=_attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.PROTECT, related_name="+"
    )
    removed_at = models.DateTimeField(_("removed from the draft"), null=True, blank=True)

    class Meta:
        ordering = ["application_id", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name
