"""After the contract is signed: the association's fee and emergency pool ("1 + 4"), reports
with expense lines, service records, beneficiary feedback and third-party evaluation."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from servicepark.accounts.scoping_paths import ScopePaths
from servicepark.common.models import BaseModel
from servicepark.common.money import MoneyField
from servicepark.procurement.models.contract import CONTRACT_SCOPE

ASSOCIATION_SCOPE = ScopePaths(
    division="association__division__code",
    organization="association_id",
    umbrella="association_id",
)


class AssociationFinance(BaseModel):
    """An umbrella association's terms for money it receives on members' behalf."""

    SCOPE = ASSOCIATION_SCOPE

    association = models.OneToOneField(
        "registry.Organization", on_delete=models.PROTECT, related_name="finance"
    )
    fee_rate = models.DecimalField(
        _("management fee rate"), max_digits=5, decimal_places=4, default=Decimal("0.1000")
    )
    pool_share = models.DecimalField(
        _("share of fees to the emergency pool"),
        max_digits=5,
        decimal_places=4,
        default=Decimal("0.3000"),
    )
    pool_balance = MoneyField(_("emergency pool balance (yuan)"), default=Decimal("0.00"))

    class Meta:
        verbose_name = _("association finance")
        verbose_name_plural = _("association finances")
        constraints = [
            models.CheckConstraint(
                name="association_rates_are_shares",
                condition=Q(fee_rate__gte=0, fee_rate__lte=1, pool_share__gte=0, pool_share__lte=1),
            ),
            models.CheckConstraint(name="pool_never_negative", condition=Q(pool_balance__gte=0)),
        ]


class SupportRequest(BaseModel):
    """A member asks its association's emergency pool for support."""

    SCOPE = ScopePaths(
        division="association__division__code",
        organization="member_id",
        umbrella="association_id",
    )

    class State(models.TextChoices):
        REQUESTED = "requested", _("requested")
        APPROVED = "approved", _("approved and paid from the pool")
        DECLINED = "declined", _("declined")

    association = models.ForeignKey(
        "registry.Organization", on_delete=models.PROTECT, related_name="support_requests"
    )
    member = models.ForeignKey("registry.Organization", on_delete=models.PROTECT, related_name="+")
    amount = MoneyField(_("amount (yuan)"))
    reason = models.TextField(_("reason"), max_length=2000)
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.REQUESTED
    )
    decided_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_note = models.TextField(_("note"), blank=True, max_length=2000)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("support request")
        verbose_name_plural = _("support requests")


class Report(BaseModel):
    """A scheduled progress or financial report of a contract."""

    SCOPE = CONTRACT_SCOPE.prefixed("contract__")

    class Kind(models.TextChoices):
        PROGRESS = "progress", _("progress report")
        FINANCIAL = "financial", _("financial report")

    contract = models.ForeignKey(
        "procurement.Contract", on_delete=models.CASCADE, related_name="reports"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    due_on = models.DateField(_("due on"))
    summary = models.TextField(_("summary"), blank=True, max_length=10000)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    overdue_since = models.DateField(_("overdue since"), null=True, blank=True)

    class Meta:
        ordering = ["contract_id", "due_on", "kind"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.UniqueConstraint(fields=["contract", "kind", "due_on"], name="report_once")
        ]


class ExpenseLine(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="expenses")
    item = models.CharField(_("budget line"), max_length=200)
    budgeted = MoneyField(_("budgeted (yuan)"))
    spent = MoneyField(_("spent (yuan)"))

    class Meta:
        ordering = ["report_id", "id"]

    def __str__(self) -> str:
        return self.item

    @property
    def variance(self) -> Decimal:
        return self.spent - self.budgeted


class ServiceRecord(BaseModel):
    """What was done: counts only, never more personal data than needed."""

    SCOPE = CONTRACT_SCOPE.prefixed("contract__")

    contract = models.ForeignKey(
        "procurement.Contract", on_delete=models.CASCADE, related_name="service_records"
    )
    held_on = models.DateField(_("date"))
    activity = models.CharField(_("activity"), max_length=200)
    people_served = models.PositiveIntegerField(_("people served"))
    volunteers = models.PositiveIntegerField(_("volunteers"), default=0)

    class Meta:
        ordering = ["contract_id", "-held_on"]
        verbose_name = _("service record")
        verbose_name_plural = _("service records")


class Survey(BaseModel):
    """A beneficiary satisfaction survey reachable by a link or QR code, without an account."""

    SCOPE = CONTRACT_SCOPE.prefixed("contract__")

    contract = models.OneToOneField(
        "procurement.Contract", on_delete=models.CASCADE, related_name="survey"
    )
    token = models.CharField(max_length=32, unique=True)
    open = models.BooleanField(default=True)


class SurveyResponse(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    satisfaction = models.PositiveSmallIntegerField(
        _("satisfaction"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="satisfaction_1_to_5", condition=Q(satisfaction__gte=1, satisfaction__lte=5)
            )
        ]

    def __str__(self) -> str:
        return f"{self.survey_id}: {self.satisfaction}"


class Evaluation(BaseModel):
    """Third-party evaluation of a contract; the grade joins the provider's track record."""

    SCOPE = CONTRACT_SCOPE.prefixed("contract__")

    class Grade(models.TextChoices):
        EXCELLENT = "excellent", _("excellent")
        GOOD = "good", _("good")
        PASS = "pass", _("pass")
        FAIL = "fail", _("fail")

    contract = models.OneToOneField(
        "procurement.Contract", on_delete=models.PROTECT, related_name="evaluation"
    )
    evaluator = models.ForeignKey(
        "registry.Organization", on_delete=models.PROTECT, related_name="evaluations_done"
    )
    scores = models.JSONField(_("scores"), default=dict)
    total = models.DecimalField(_("total"), max_digits=5, decimal_places=2, null=True, blank=True)
    grade = models.CharField(_("grade"), max_length=16, choices=Grade.choices, blank=True)
    comment = models.TextField(_("comment"), blank=True, max_length=5000)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-id"]
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
