"""Capacity building: training sessions with check-in, the services desk, and mentoring."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from servicepark.accounts.scoping_paths import ScopePaths
from servicepark.common.models import BaseModel

PARK_OWN = ScopePaths(division="park__division__code", organization="park__operator_id")


class TrainingSession(BaseModel):
    SCOPE = PARK_OWN

    class Topic(models.TextChoices):
        POLICY = "policy", _("policy interpretation")
        BRAND = "brand", _("brand and marketing")
        FINANCE = "finance", _("financial management")
        SOCIAL_WORK = "social_work", _("social work")
        FUNDRAISING = "fundraising", _("fundraising")
        OTHER = "other", _("other")

    park = models.ForeignKey("incubator.Park", on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(_("title"), max_length=200)
    topic = models.CharField(_("topic"), max_length=16, choices=Topic.choices)
    course = models.CharField(_("course (for multi-session courses)"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    capacity = models.PositiveIntegerField(_("places"))
    room = models.ForeignKey(
        "incubator.Space", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    checkin_code = models.CharField(_("check-in code"), max_length=12, unique=True)

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        constraints = [
            models.CheckConstraint(
                name="session_ends_after_start", condition=Q(ends_at__gt=F("starts_at"))
            )
        ]

    def __str__(self) -> str:
        return self.title


class Registration(BaseModel):
    SCOPE = ScopePaths(division="session__park__division__code", organization="organization_id")

    session = models.ForeignKey(
        TrainingSession, on_delete=models.CASCADE, related_name="registrations"
    )
    organization = models.ForeignKey(
        "registry.Organization", on_delete=models.PROTECT, related_name="training"
    )
    participant = models.CharField(_("participant"), max_length=50)
    user = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    feedback = models.PositiveSmallIntegerField(_("feedback (1–5)"), null=True, blank=True)

    class Meta:
        ordering = ["session_id", "id"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "organization", "participant"], name="register_once"
            )
        ]

    def __str__(self) -> str:
        return self.participant


class ServiceRequest(BaseModel):
    """The services desk: residents ask for help; answered within a target time."""

    SCOPE = ScopePaths(division="park__division__code", organization="organization_id")

    class Kind(models.TextChoices):
        LEGAL = "legal", _("legal")
        AUDIT = "audit", _("auditing and accounts")
        REGISTRATION = "registration", _("registration")
        FUNDING = "funding", _("funding applications")
        BRANDING = "branding", _("branding")
        SPACE = "space", _("space")
        OTHER = "other", _("other")

    class State(models.TextChoices):
        OPEN = "open", _("open")
        ANSWERED = "answered", _("answered")
        CLOSED = "closed", _("closed")

    park = models.ForeignKey("incubator.Park", on_delete=models.CASCADE, related_name="requests")
    organization = models.ForeignKey(
        "registry.Organization", on_delete=models.PROTECT, related_name="service_requests"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    text = models.TextField(_("request"), max_length=5000)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.OPEN)
    due_by = models.DateTimeField(_("answer due by"))
    routed_to = models.ForeignKey(
        "registry.Organization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="desk_requests_handled",
        verbose_name=_("routed to (an in-park professional)"),
        help_text=_("Empty: the park's support team answers."),
    )
    answer = models.TextField(_("answer"), blank=True, max_length=5000)
    answered_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    satisfaction = models.PositiveSmallIntegerField(_("satisfaction (1–5)"), null=True, blank=True)
    filed_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-id"]
        verbose_name = _("services-desk request")
        verbose_name_plural = _("services-desk requests")

    def __str__(self) -> str:
        return f"{self.kind}: {self.organization_id}"


class Mentorship(BaseModel):
    SCOPE = ScopePaths(division="park__division__code", organization="mentee_id")

    park = models.ForeignKey("incubator.Park", on_delete=models.CASCADE, related_name="mentorships")
    mentor = models.ForeignKey("registry.Organization", on_delete=models.PROTECT, related_name="+")
    mentee = models.ForeignKey("registry.Organization", on_delete=models.PROTECT, related_name="+")
    goals = models.TextField(_("goals"), max_length=2000)
    log = models.JSONField(_("meetings"), default=list)

    class Meta:
        verbose_name = _("mentorship")
        verbose_name_plural = _("mentorships")
        constraints = [
            models.CheckConstraint(name="mentor_not_self", condition=~Q(mentor=F("mentee")))
        ]

    def __str__(self) -> str:
        return f"{self.mentor_id}>{self.mentee_id}"
