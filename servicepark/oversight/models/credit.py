"""Credit lists (MCA Order 60): the facts that trigger them, the listings, and proposals to
cancel a registration. Triggers and their legal basis are data in `oversight.triggers`."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from servicepark.common.models import BaseModel
from servicepark.oversight.models.scope import ORG_SCOPE


class CreditList(models.TextChoices):
    ABNORMAL = "abnormal", _("abnormal activity list")
    SERIOUS = "serious", _("serious illegal and dishonest list")


class Sanction(BaseModel):
    """An administrative penalty or another official finding that the lists count."""

    SCOPE = ORG_SCOPE

    class Kind(models.TextChoices):
        WARNING = "warning", _("warning")
        FINE = "fine", _("fine")
        SUSPENSION = "suspension", _("activities suspended as a penalty")
        REVOKED_FRAUD = "revoked_fraud", _("registration revoked for fraud")
        CERTIFICATE_REVOKED = "certificate_revoked", _("registration certificate revoked")
        COURT_DEBTOR = "court_debtor", _("listed by a court as a dishonest debtor")
        NO_PARTY_ORGANIZATION = "no_party_org", _("party organization not set up as required")
        FUNDRAISING_LAPSED = (
            "fundraising_lapsed",
            _("public fundraising no longer qualified or idle for 6 months"),
        )

    organization = models.ForeignKey(
        "registry.Organization", on_delete=models.PROTECT, related_name="sanctions"
    )
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    amount = models.DecimalField(
        _("fine (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    decided_on = models.DateField(_("decided on"))
    reference = models.CharField(_("decision number"), max_length=100)
    facts = models.TextField(_("facts"), max_length=5000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-decided_on", "-id"]
        verbose_name = _("sanction")
        verbose_name_plural = _("sanctions")
        constraints = [
            models.CheckConstraint(
                name="sanction_amount_positive", condition=Q(amount__isnull=True) | Q(amount__gt=0)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.reference}"


class RegisteredLetter(BaseModel):
    """A registered letter sent to the registered address; two unsigned ones mean the
    organization cannot be contacted there."""

    SCOPE = ORG_SCOPE

    organization = models.ForeignKey(
        "registry.Organization", on_delete=models.PROTECT, related_name="letters"
    )
    sent_on = models.DateField(_("sent on"))
    address = models.CharField(_("address"), max_length=200)
    tracking_number = models.CharField(_("tracking number"), max_length=40)
    signed_on = models.DateField(_("signed for on"), null=True, blank=True)
    returned_on = models.DateField(_("returned unsigned on"), null=True, blank=True)

    class Meta:
        ordering = ["-sent_on", "-id"]
        verbose_name = _("registered letter")
        verbose_name_plural = _("registered letters")
        constraints = [
            models.CheckConstraint(
                name="letter_signed_or_returned",
                condition=Q(signed_on__isnull=True) | Q(returned_on__isnull=True),
            ),
        ]


class CreditListing(BaseModel):
    """One entry on a credit list. `source` names the fact that caused it, so the scheduled
    task finds the entries it already made and runs twice without listing anything twice."""

    SCOPE = ORG_SCOPE

    class Removal(models.TextChoices):
        FULFILLED = "fulfilled", _("duty fulfilled and verified")
        AUTOMATIC = "automatic", _("six months passed with nothing to rectify")
        ESCALATED = "escalated", _("moved to the serious list")
        APPLIED = "applied", _("removed on application after two years")
        ANNULLED = "annulled", _("listing annulled as wrong")

    organization = models.ForeignKey(
        "registry.Organization", on_delete=models.PROTECT, related_name="credit_listings"
    )
    list = models.CharField(_("list"), max_length=16, choices=CreditList.choices)
    trigger = models.CharField(_("trigger"), max_length=32)
    source = models.CharField(max_length=64)
    evidence = models.TextField(_("evidence"), max_length=5000)
    listed_on = models.DateField(_("listed on"))
    listed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    needs_rectification = models.BooleanField(_("needs rectification"), default=True)
    fulfilled_on = models.DateField(_("duty fulfilled on"), null=True, blank=True)
    removal_requested_on = models.DateField(_("removal applied for on"), null=True, blank=True)
    removal_request = models.TextField(_("application for removal"), blank=True, max_length=5000)
    removed_on = models.DateField(_("removed on"), null=True, blank=True)
    removal = models.CharField(
        _("removed because"), max_length=16, choices=Removal.choices, blank=True
    )
    removal_evidence = models.TextField(_("evidence for removal"), blank=True, max_length=5000)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-listed_on", "-id"]
        verbose_name = _("credit listing")
        verbose_name_plural = _("credit listings")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "list", "source"], name="credit_listing_once"
            ),
            models.CheckConstraint(
                name="credit_listing_removed_after_listed",
                condition=Q(removed_on__isnull=True) | Q(removed_on__gte=models.F("listed_on")),
            ),
        ]
        indexes = [
            models.Index(fields=["list", "removed_on"], name="credit_list_current_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.list}:{self.organization_id}:{self.trigger}"

    @property
    def current(self) -> bool:
        return self.removed_on is None

    @property
    def trigger_title(self) -> str:
        from servicepark.oversight.triggers import TRIGGERS

        found = TRIGGERS.get(self.trigger)
        return str(found.title) if found else self.trigger

    @property
    def basis(self) -> str:
        from servicepark.oversight.triggers import TRIGGERS

        found = TRIGGERS.get(self.trigger)
        return str(found.basis) if found else ""


class CancellationProposal(BaseModel):
    """Two consecutive years without an annual report: a proposal to cancel the registration,
    for an official to decide."""

    SCOPE = ORG_SCOPE

    class State(models.TextChoices):
        PROPOSED = "proposed", _("proposed")
        ACCEPTED = "accepted", _("registration cancelled")
        DISMISSED = "dismissed", _("dismissed")

    organization = models.ForeignKey(
        "registry.Organization", on_delete=models.PROTECT, related_name="cancellation_proposals"
    )
    years = models.CharField(_("years without a report"), max_length=20)
    proposed_on = models.DateField(_("proposed on"))
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.PROPOSED
    )
    note = models.TextField(_("decision note"), blank=True, max_length=2000)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-proposed_on"]
        verbose_name = _("proposal to cancel a registration")
        verbose_name_plural = _("proposals to cancel a registration")
        constraints = [
            models.UniqueConstraint(fields=["organization", "years"], name="cancellation_once"),
        ]
