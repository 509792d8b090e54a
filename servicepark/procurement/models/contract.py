"""Contracts made from final awards, their milestones, and the money that moves under them."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from servicepark.accounts.scoping_paths import ScopePaths
from servicepark.common.models import BaseModel
from servicepark.common.money import MoneyField
from servicepark.common.personal import EncryptedTextField

CONTRACT_SCOPE = ScopePaths(
    division="purchaser__division__code", organization="provider_id", umbrella="payee_id"
)


class Contract(BaseModel):
    SCOPE = CONTRACT_SCOPE

    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        SIGNED = "signed", _("signed by both parties")
        ACTIVE = "active", _("in service")
        SUSPENDED = "suspended", _("suspended")
        COMPLETED = "completed", _("completed")
        TERMINATED = "terminated", _("terminated")

    award = models.OneToOneField(
        "procurement.Award", on_delete=models.PROTECT, related_name="contract"
    )
    call = models.ForeignKey("procurement.Call", on_delete=models.PROTECT, related_name="contracts")
    purchaser = models.ForeignKey(
        "procurement.Purchaser", on_delete=models.PROTECT, related_name="contracts"
    )
    provider = models.ForeignKey(
        "registry.Organization",
        on_delete=models.PROTECT,
        related_name="contracts",
        verbose_name=_("provider"),
    )
    payee = models.ForeignKey(
        "registry.Organization",
        on_delete=models.PROTECT,
        related_name="contracts_paid_to",
        verbose_name=_("payee"),
        help_text=_("The umbrella association when it applied on the provider's behalf."),
    )
    number = models.CharField(_("contract number"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=200)
    service_content = models.TextField(_("service content"), max_length=10000)
    beneficiaries = models.TextField(_("beneficiaries"), max_length=2000)
    quantities = models.TextField(_("quantities and quality standards"), max_length=5000)
    price = MoneyField(_("price (yuan)"))
    voucher_budget = MoneyField(
        _("of which paid by vouchers (yuan)"),
        default=Decimal("0.00"),
        help_text=_("Allowance / voucher model: the part of the price paid per redemption."),
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    continuous = models.BooleanField(_("stable continuous service"), default=False)
    continuous_reason = models.TextField(_("why longer than one year"), blank=True, max_length=2000)
    budget_cover = models.TextField(_("budget cover for later years"), blank=True, max_length=2000)
    matching_declared = MoneyField(_("matching funds declared (yuan)"), default=Decimal("0.00"))
    matching_received = MoneyField(_("matching funds received (yuan)"), default=Decimal("0.00"))
    governance = models.JSONField(_("project governance"), default=dict)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.DRAFT)
    purchaser_signed_at = models.DateTimeField(null=True, blank=True)
    provider_signed_at = models.DateTimeField(null=True, blank=True)
    paid = MoneyField(_("paid (yuan)"), default=Decimal("0.00"))

    class Meta:
        ordering = ["-id"]
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        constraints = [
            models.CheckConstraint(
                name="contract_never_overpaid", condition=Q(paid__gte=0, paid__lte=F("price"))
            ),
            models.CheckConstraint(
                name="contract_term_ordered", condition=Q(starts_on__lte=F("ends_on"))
            ),
            models.CheckConstraint(
                name="contract_voucher_budget_within_price",
                condition=Q(voucher_budget__gte=0, voucher_budget__lte=F("price")),
            ),
        ]

    def __str__(self) -> str:
        return self.number


class Milestone(BaseModel):
    SCOPE = CONTRACT_SCOPE.prefixed("contract__")

    class State(models.TextChoices):
        PENDING = "pending", _("pending")
        SUBMITTED = "submitted", _("deliverable submitted")
        ACCEPTED = "accepted", _("deliverable accepted")
        PAID = "paid", _("paid")

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="milestones")
    seq = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("milestone"), max_length=200)
    deliverable = models.TextField(_("deliverable"), max_length=2000)
    due_on = models.DateField(_("due on"))
    amount = MoneyField(_("payment (yuan)"))
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.PENDING
    )
    delivered_note = models.TextField(_("what was delivered"), blank=True, max_length=5000)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["contract_id", "seq"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        constraints = [
            models.UniqueConstraint(fields=["contract", "seq"], name="milestone_seq"),
        ]

    def __str__(self) -> str:
        return f"{self.contract_id}#{self.seq}"


class Payment(BaseModel):
    """One payment out of a call's budget: for a milestone or a voucher redemption. When the
    payee is an umbrella association, the fee it keeps and the net passed on are recorded."""

    SCOPE = CONTRACT_SCOPE.prefixed("contract__")

    class Kind(models.TextChoices):
        MILESTONE = "milestone", _("milestone payment")
        VOUCHER = "voucher", _("voucher redemption")

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="payments")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    milestone = models.ForeignKey(
        Milestone, null=True, blank=True, on_delete=models.PROTECT, related_name="payments"
    )
    voucher = models.OneToOneField(
        "procurement.Voucher",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="payment",
    )
    amount = MoneyField(_("amount (yuan)"))
    payee = models.ForeignKey("registry.Organization", on_delete=models.PROTECT, related_name="+")
    fee = MoneyField(_("association's management fee (yuan)"), default=Decimal("0.00"))
    to_pool = MoneyField(_("of which to the emergency pool (yuan)"), default=Decimal("0.00"))
    net_to_provider = MoneyField(_("passed on to the provider (yuan)"), default=Decimal("0.00"))
    co_payment = MoneyField(_("user co-payment beside it (yuan)"), default=Decimal("0.00"))
    idempotency_key = models.CharField(max_length=64, unique=True)
    paid_by = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-id"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [
            # A milestone is paid once, whatever the interleaving of requests.
            models.UniqueConstraint(
                fields=["milestone"],
                condition=Q(milestone__isnull=False),
                name="milestone_paid_once",
            ),
            models.CheckConstraint(name="payment_positive", condition=Q(amount__gt=0)),
        ]


class VoucherScheme(BaseModel):
    """Allowance / voucher model: the purchaser issues vouchers to beneficiaries; the provider
    redeems them and is paid the public share per redemption; the user pays the rest."""

    SCOPE = CONTRACT_SCOPE.prefixed("contract__")

    contract = models.OneToOneField(Contract, on_delete=models.PROTECT, related_name="vouchers")
    service = models.CharField(_("service per voucher"), max_length=200)
    public_share = MoneyField(_("paid by the purchaser per voucher (yuan)"))
    co_payment = MoneyField(_("paid by the user per voucher (yuan)"), default=Decimal("0.00"))

    class Meta:
        verbose_name = _("voucher scheme")
        verbose_name_plural = _("voucher schemes")


class Voucher(BaseModel):
    SCOPE = CONTRACT_SCOPE.prefixed("scheme__contract__")

    scheme = models.ForeignKey(VoucherScheme, on_delete=models.PROTECT, related_name="issued")
    code = models.CharField(_("voucher code"), max_length=16, unique=True)
    holder = models.CharField(_("holder (as few details as needed)"), max_length=50)
    holder_phone = EncryptedTextField(_("holder's phone"), kind="phone")
    holder_id_number = EncryptedTextField(_("holder's resident ID number"), kind="id_number")
    # One voucher per person and scheme when the ID number is known (a keyed digest of it).
    holder_digest = models.CharField(max_length=40, blank=True, editable=False)
    redeemed_at = models.DateTimeField(_("redeemed at"), null=True, blank=True)
    redeemed_by = models.ForeignKey(
        "registry.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["scheme_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "holder_digest"],
                condition=~Q(holder_digest=""),
                name="voucher_one_per_person",
            )
        ]
        verbose_name = _("voucher")
        verbose_name_plural = _("vouchers")
