"""Deciding a call: the proposed awards, the leading group's votes, the public bulletin with
its objection period, and the objections filed and answered."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from servicepark.accounts.scoping_paths import ScopePaths
from servicepark.common.models import BaseModel
from servicepark.common.money import MoneyField

CALL_SCOPE = ScopePaths(
    division="call__purchaser__division__code", organization="call__purchaser_id"
)


class Decision(BaseModel):
    """One round of deciding a call. A round is proposed from the jury's scores (with the
    optimiser's choice and the greedy one beside it), approved or rejected by the purchaser's
    leading group, published as a bulletin, and becomes final when the objection period ends
    without an upheld objection. An upheld objection annuls the round; a new one is proposed."""

    SCOPE = CALL_SCOPE

    class State(models.TextChoices):
        PROPOSED = "proposed", _("proposed, awaiting the leading group")
        APPROVED = "approved", _("approved by the leading group")
        REJECTED = "rejected", _("rejected by the leading group")
        PUBLISHED = "published", _("published, objection period running")
        FINAL = "final", _("final")
        ANNULLED = "annulled", _("annulled after an upheld objection")

    OPEN_STATES = (State.PROPOSED, State.APPROVED, State.PUBLISHED)

    call = models.ForeignKey("procurement.Call", on_delete=models.PROTECT, related_name="decisions")
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.PROPOSED
    )
    proposed_by = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.PROTECT, related_name="+"
    )
    limits = models.JSONField(_("limits"), default=dict)
    ranking = models.JSONField(_("ranking"), default=list)
    optimiser = models.JSONField(_("optimiser result"), default=dict)
    total_amount = MoneyField(_("total awarded (yuan)"))
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    objection_ends_at = models.DateTimeField(_("objections until"), null=True, blank=True)
    finalized_at = models.DateTimeField(_("final since"), null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("award decision")
        verbose_name_plural = _("award decisions")
        constraints = [
            models.UniqueConstraint(fields=["call", "round"], name="decision_round"),
            models.UniqueConstraint(
                fields=["call"],
                condition=Q(state__in=["proposed", "approved", "published", "final"]),
                name="one_live_decision_per_call",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.call_id} #{self.round}"


class Award(BaseModel):
    SCOPE = CALL_SCOPE.prefixed("decision__")

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="awards")
    application = models.ForeignKey(
        "procurement.Application", on_delete=models.PROTECT, related_name="awards"
    )
    amount = MoneyField(_("amount (yuan)"))
    score = models.DecimalField(_("score"), max_digits=7, decimal_places=2)
    rank = models.PositiveIntegerField(_("rank"))

    class Meta:
        ordering = ["decision_id", "rank"]
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        constraints = [
            models.UniqueConstraint(fields=["decision", "application"], name="award_once")
        ]

    def __str__(self) -> str:
        return f"{self.decision_id}:{self.application_id}"


class Vote(BaseModel):
    SCOPE = CALL_SCOPE.prefixed("decision__")

    class Choice(models.TextChoices):
        APPROVE = "approve", _("approve")
        REJECT = "reject", _("reject")

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(_("vote"), max_length=8, choices=Choice.choices)
    comment = models.TextField(_("comment"), blank=True, max_length=2000)

    class Meta:
        ordering = ["decision_id", "id"]
        verbose_name = _("leading-group vote")
        verbose_name_plural = _("leading-group votes")
        constraints = [models.UniqueConstraint(fields=["decision", "voter"], name="vote_once")]


class Objection(BaseModel):
    SCOPE = CALL_SCOPE.prefixed("decision__")

    class State(models.TextChoices):
        OPEN = "open", _("awaiting an answer")
        DISMISSED = "dismissed", _("answered, not upheld")
        UPHELD = "upheld", _("answered, upheld")

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="objections")
    filed_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(
        "registry.Organization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("on behalf of"),
    )
    text = models.TextField(_("objection"), max_length=5000)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.OPEN)
    answer = models.TextField(_("answer"), blank=True, max_length=5000)
    answered_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        ordering = ["decision_id", "id"]
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
