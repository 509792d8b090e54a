"""Procurement forms: shape and widgets only; rules live in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from servicepark.procurement.models import Catalogue, CatalogueEntry, Purchaser
from servicepark.registry.models.choices import Field


class CatalogueForm(forms.Form):
    purchaser = forms.ModelChoiceField(label=_("Purchaser"), queryset=Purchaser.objects.none())
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)

    def __init__(self, *args: Any, purchasers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["purchaser"].queryset = purchasers  # type: ignore[attr-defined]


class CatalogueEntryForm(forms.Form):
    parent = forms.ModelChoiceField(
        label=_("Under"),
        required=False,
        queryset=CatalogueEntry.objects.none(),
        empty_label=_("— new category —"),
    )
    code = forms.CharField(label=_("Code"), max_length=16)
    name = forms.CharField(label=_("Name"), max_length=100)
    fields_of_service = forms.MultipleChoiceField(
        label=_("Fields of service (items only)"),
        required=False,
        choices=Field.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    budget = forms.CharField(label=_("Budget in yuan (items only)"), required=False, max_length=20)
    open_to_social_orgs = forms.BooleanField(
        label=_("May be bought from social organizations"), required=False, initial=True
    )

    def __init__(self, *args: Any, catalogue: Catalogue, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = catalogue.entries.filter(  # type: ignore[attr-defined]
            tier__lt=3
        ).order_by("code")
