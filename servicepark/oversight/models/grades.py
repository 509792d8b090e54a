"""Evaluation grades (评估等级) 1A–5A: an application, expert scores on 1,000 points, the grade
by configurable bands, valid five years."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from servicepark.common.models import BaseModel
from servicepark.oversight.models.scope import ORG_SCOPE


class GradeAssessment(BaseModel):
    SCOPE = ORG_SCOPE

    class State(models.TextChoices):
        APPLIED = "applied", _("applied, being scored")
        EXCLUDED = "excluded", _("excluded")
        GRADED = "graded", _("graded")
        NOT_GRADED = "not_graded", _("below every band")

    organization = models.ForeignKey(
        "registry.Organization", on_delete=models.PROTECT, related_name="grade_assessments"
    )
    applied_on = models.DateField(_("applied on"))
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.APPLIED
    )
    exclusion_reasons = models.JSONField(_("reasons for exclusion"), default=list, blank=True)
    total = models.DecimalField(
        _("total (of 1,000)"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    grade = models.CharField(_("grade"), max_length=2, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    reminded_on = models.DateField(_("expiry reminder sent on"), null=True, blank=True)

    class Meta:
        ordering = ["-applied_on", "-id"]
        verbose_name = _("grade assessment")
        verbose_name_plural = _("grade assessments")
        indexes = [models.Index(fields=["state", "valid_until"], name="grade_valid_idx")]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.grade or self.state}"


class GradeScore(BaseModel):
    """One expert's scores, by part (maxima in settings.SERVICEPARK_GRADE_PARTS)."""

    SCOPE = ORG_SCOPE.prefixed("assessment__")

    assessment = models.ForeignKey(GradeAssessment, on_delete=models.CASCADE, related_name="scores")
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    parts = models.JSONField(_("scores by part"))
    total = models.DecimalField(_("total"), max_digits=6, decimal_places=1)

    class Meta:
        verbose_name = _("grade score")
        verbose_name_plural = _("grade scores")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "expert"], name="grade_score_once"),
        ]
