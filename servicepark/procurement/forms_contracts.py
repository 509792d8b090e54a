"""Forms of the contract pages. Shape only: the rules live in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from servicepark.procurement.services.contracts import ContractInput, MilestoneInput
from servicepark.procurement.services.evaluation import RUBRIC
from servicepark.procurement.services.reporting import ExpenseInput

MILESTONE_ROWS = 4
EXPENSE_ROWS = 5
DATE = forms.DateInput(attrs={"type": "date"})


class ContractForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    service_content = forms.CharField(
        label=_("Service content"), widget=forms.Textarea(attrs={"rows": 3})
    )
    beneficiaries = forms.CharField(label=_("Beneficiaries"), max_length=2000)
    quantities = forms.CharField(
        label=_("Quantities and quality standards"), widget=forms.Textarea(attrs={"rows": 2})
    )
    price = forms.CharField(label=_("Price (yuan)"), max_length=20)
    voucher_budget = forms.CharField(
        label=_("Of which paid per voucher redeemed (yuan, optional)"),
        required=False,
        max_length=20,
    )
    starts_on = forms.DateField(label=_("Starts on"), widget=DATE)
    ends_on = forms.DateField(label=_("Ends on"), widget=DATE)
    continuous = forms.BooleanField(
        label=_("Stable continuous service (up to 3 years)"), required=False
    )
    continuous_reason = forms.CharField(
        label=_("Why longer than one year"), required=False, max_length=2000
    )
    budget_cover = forms.CharField(
        label=_("Budget cover for later years"), required=False, max_length=2000
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for n in range(MILESTONE_ROWS):
            self.fields[f"m{n}_title"] = forms.CharField(
                label=_("Milestone %(n)d") % {"n": n + 1}, required=False, max_length=200
            )
            self.fields[f"m{n}_deliverable"] = forms.CharField(
                label=_("deliverable"), required=False, max_length=2000
            )
            self.fields[f"m{n}_due_on"] = forms.DateField(
                label=_("due on"), required=False, widget=DATE
            )
            self.fields[f"m{n}_amount"] = forms.CharField(
                label=_("payment (yuan)"), required=False, max_length=20
            )

    def milestone_rows(self) -> list[list[forms.BoundField]]:
        return [
            [self[f"m{n}_{p}"] for p in ("title", "deliverable", "due_on", "amount")]
            for n in range(MILESTONE_ROWS)
        ]

    def main_fields(self) -> list[forms.BoundField]:
        return [
            self[name] for name in self.fields if not name.startswith("m") or name == "matching"
        ]

    def to_input(self) -> ContractInput:
        d = self.cleaned_data
        milestones = [
            MilestoneInput(
                title=d.get(f"m{n}_title") or "",
                deliverable=d.get(f"m{n}_deliverable") or "",
                due_on=d.get(f"m{n}_due_on") or d["starts_on"],
                amount=d.get(f"m{n}_amount") or "0",
            )
            for n in range(MILESTONE_ROWS)
            if d.get(f"m{n}_title") or d.get(f"m{n}_amount")
        ]
        return ContractInput(
            title=d["title"],
            service_content=d["service_content"],
            beneficiaries=d["beneficiaries"],
            quantities=d["quantities"],
            price=d["price"],
            starts_on=d["starts_on"],
            ends_on=d["ends_on"],
            milestones=milestones,
            continuous=d["continuous"],
            continuous_reason=d["continuous_reason"],
            budget_cover=d["budget_cover"],
            voucher_budget=d.get("voucher_budget") or "0",
        )


class ReportForm(forms.Form):
    summary = forms.CharField(
        label=_("Report"), widget=forms.Textarea(attrs={"rows": 4}), max_length=10000
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for n in range(EXPENSE_ROWS):
            self.fields[f"e{n}_item"] = forms.CharField(
                label=_("Budget line"), required=False, max_length=200
            )
            self.fields[f"e{n}_budgeted"] = forms.CharField(
                label=_("budgeted"), required=False, max_length=20
            )
            self.fields[f"e{n}_spent"] = forms.CharField(
                label=_("spent"), required=False, max_length=20
            )
            self.fields[f"e{n}_currency"] = forms.CharField(
                label=_("currency"), required=False, max_length=10, initial="CNY"
            )

    def expense_rows(self) -> list[list[forms.BoundField]]:
        return [
            [self[f"e{n}_{p}"] for p in ("item", "budgeted", "spent", "currency")]
            for n in range(EXPENSE_ROWS)
        ]

    def expenses(self) -> list[ExpenseInput]:
        d = self.cleaned_data
        return [
            ExpenseInput(
                item=d.get(f"e{n}_item") or "",
                budgeted=d.get(f"e{n}_budgeted") or "0",
                spent=d.get(f"e{n}_spent") or "0",
                currency=d.get(f"e{n}_currency") or "CNY",
            )
            for n in range(EXPENSE_ROWS)
            if d.get(f"e{n}_item") or d.get(f"e{n}_spent")
        ]


class EvaluationForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, (label, top) in RUBRIC.items():
            self.fields[key] = forms.IntegerField(
                label=f"{label}（0–{top}）", min_value=0, max_value=top
            )

    def scores(self) -> dict[str, int]:
        return {key: self.cleaned_data[key] for key in RUBRIC}
