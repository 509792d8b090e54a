"""The form a purchaser opens a call with. Shape only: the rules live in `call_create`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from servicepark.procurement.models import Call, CatalogueEntry, Method, Purchaser
from servicepark.procurement.services.calls import CallInput
from servicepark.registry.models import Organization, RegistrationKind
from servicepark.registry.models.choices import Field

GRADE_CHOICES = [("", "—"), ("1A", "1A"), ("2A", "2A"), ("3A", "3A"), ("4A", "4A"), ("5A", "5A")]
INSTANT = forms.DateTimeInput(attrs={"type": "datetime-local", "step": "1"})


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class CallForm(forms.Form):
    purchaser: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Purchaser"), queryset=Purchaser.objects.none()
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Call.Kind.choices)
    catalogue_item: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Catalogue item"),
        queryset=CatalogueEntry.objects.none(),
        required=False,
        empty_label=_("— none —"),
    )
    off_catalogue_reason = forms.CharField(
        label=_("Why outside the catalogue"), required=False, max_length=2000
    )
    method = forms.ChoiceField(label=_("Procurement method"), choices=Method.choices)
    restriction_reason = forms.CharField(
        label=_("Why single-source / invitational"), required=False, max_length=2000
    )
    invited = forms.CharField(
        label=_("Invited organizations (one USCC per line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    fields_of_service = forms.MultipleChoiceField(
        label=_("Fields of service"),
        required=False,
        choices=Field.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    total_budget = forms.CharField(label=_("Total budget (yuan)"), max_length=20)
    per_project_min = forms.CharField(
        label=_("Smallest amount per project (yuan)"), max_length=20, initial="0.00"
    )
    per_project_cap = forms.CharField(label=_("Largest amount per project (yuan)"), max_length=20)
    matching_percent = forms.DecimalField(
        label=_("Matching funds (percent of the request)"), min_value=0, max_value=100, initial=0
    )
    kinds = forms.MultipleChoiceField(
        label=_("Registration kinds that may apply"),
        required=False,
        choices=RegistrationKind.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    min_years = forms.IntegerField(
        label=_("Minimum years since founding"), min_value=0, max_value=50, initial=0
    )
    min_grade = forms.ChoiceField(
        label=_("Minimum evaluation grade"), choices=GRADE_CHOICES, required=False
    )
    within = forms.CharField(
        label=_("Applicants located within (division code)"), required=False, max_length=12
    )
    required_documents = forms.CharField(
        label=_("Required documents (one per line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    rubric = forms.CharField(
        label=_("Scoring rubric (one “criterion: points” per line)"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    jury_size = forms.IntegerField(label=_("Jury size"), min_value=1, max_value=15, initial=3)
    opens_at = forms.DateTimeField(label=_("Applications open (Beijing time)"), widget=INSTANT)
    closes_at = forms.DateTimeField(label=_("Applications close (Beijing time)"), widget=INSTANT)
    objection_days = forms.IntegerField(
        label=_("Objection period (days)"), min_value=1, max_value=30, initial=7
    )

    def __init__(self, *args: Any, purchasers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["purchaser"].queryset = purchasers  # type: ignore[attr-defined]
        self.fields["catalogue_item"].queryset = (  # type: ignore[attr-defined]
            CatalogueEntry.objects.filter(
                tier=3, catalogue__purchaser__in=purchasers, catalogue__state="published"
            )
            .select_related("catalogue")
            .order_by("-catalogue__year", "code")
        )

    def clean_rubric(self) -> list[dict[str, Any]]:
        rubric = []
        for n, line in enumerate(_lines(self.cleaned_data["rubric"]), start=1):
            name, sep, points = line.replace("：", ":").rpartition(":")
            if not sep or not name.strip() or not points.strip().isdecimal():
                raise forms.ValidationError(
                    _("Line %(n)d: write “criterion: points”, e.g. “项目设计: 40”.") % {"n": n}
                )
            rubric.append({"key": f"c{n}", "name": name.strip(), "max_points": int(points)})
        return rubric

    def clean_invited(self) -> list[Organization]:
        codes = [c.upper() for c in _lines(self.cleaned_data["invited"])]
        found = {o.uscc: o for o in Organization.objects.filter(uscc__in=codes)}
        missing = [c for c in codes if c not in found]
        if missing:
            raise forms.ValidationError(
                _("No organization is registered under %(codes)s.") % {"codes": "、".join(missing)}
            )
        return [found[c] for c in codes]

    def to_input(self) -> CallInput:
        d = self.cleaned_data
        eligibility: dict[str, Any] = {}
        if d["kinds"]:
            eligibility["kinds"] = d["kinds"]
        if d["min_years"]:
            eligibility["min_years"] = d["min_years"]
        if d["min_grade"]:
            eligibility["min_grade"] = d["min_grade"]
        if d["within"]:
            eligibility["within"] = d["within"].strip()
        opens: dt.datetime = d["opens_at"]
        closes: dt.datetime = d["closes_at"]
        return CallInput(
            kind=d["kind"],
            method=d["method"],
            title=d["title"],
            total_budget=d["total_budget"],
            per_project_min=d["per_project_min"] or "0",
            per_project_cap=d["per_project_cap"],
            opens_at=opens,
            closes_at=closes,
            rubric=d["rubric"],
            catalogue_item=d["catalogue_item"],
            off_catalogue_reason=d["off_catalogue_reason"],
            restriction_reason=d["restriction_reason"],
            invited=d["invited"],
            description=d["description"],
            fields=d["fields_of_service"],
            matching_ratio=d["matching_percent"] / 100,
            eligibility=eligibility,
            required_documents=_lines(d["required_documents"]),
            jury_size=d["jury_size"],
            objection_days=d["objection_days"],
        )
