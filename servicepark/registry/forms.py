"""Forms: input shape and widgets only; the rules live in registry.validation and services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from servicepark.common.widgets import FastSelect
from servicepark.geo.widgets import DivisionPicker
from servicepark.registry.models import Field, Membership, OrgType, RegistrationKind, Status


def _blank(choices: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    return [("", _("all")), *choices]


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("Name fragment, pinyin, initials or USCC")}),
    )
    division = forms.CharField(
        label=_("Division"), required=False, max_length=9, widget=DivisionPicker
    )
    org_type = forms.ChoiceField(
        label=_("Type"), required=False, choices=_blank(OrgType.choices), widget=FastSelect
    )
    kind = forms.ChoiceField(
        label=_("Registration kind"),
        required=False,
        choices=_blank(RegistrationKind.choices),
        widget=FastSelect,
    )
    field = forms.ChoiceField(
        label=_("Field of service"),
        required=False,
        choices=_blank(Field.choices),
        widget=FastSelect,
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=_blank(Status.choices), widget=FastSelect
    )


class OrganizationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    name_en = forms.CharField(label=_("English name"), required=False, max_length=200)
    org_type = forms.ChoiceField(label=_("Type"), choices=OrgType.choices)
    registration_kind = forms.ChoiceField(
        label=_("Registration kind"), choices=RegistrationKind.choices
    )
    uscc = forms.CharField(label=_("USCC"), required=False, max_length=18)
    filing_number = forms.CharField(label=_("Filing number"), required=False, max_length=64)
    umbrella_uscc = forms.CharField(label=_("Umbrella's USCC"), required=False, max_length=18)
    division_code = forms.CharField(label=_("Division"), max_length=9, widget=DivisionPicker)
    address = forms.CharField(label=_("Address"), required=False, max_length=200)
    legal_representative = forms.CharField(
        label=_("Legal representative"), required=False, max_length=50
    )
    founded_on = forms.CharField(label=_("Founded on (YYYY-MM-DD)"), required=False, max_length=10)
    fields_of_service = forms.MultipleChoiceField(
        label=_("Fields of service"),
        required=False,
        choices=Field.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    phone = forms.CharField(label=_("Phone"), required=False, max_length=32)


class ProfileForm(forms.Form):
    """Profile fields apply at once; legal fields go to an official for approval."""

    name = forms.CharField(label=_("Name"), max_length=100)
    legal_representative = forms.CharField(
        label=_("Legal representative"), required=False, max_length=50
    )
    address = forms.CharField(label=_("Address"), required=False, max_length=200)
    name_en = forms.CharField(label=_("English name"), required=False, max_length=200)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=32)
    email = forms.EmailField(label=_("Email"), required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    fields_of_service = forms.MultipleChoiceField(
        label=_("Fields of service"),
        required=False,
        choices=Field.choices,
        widget=forms.CheckboxSelectMultiple,
    )


class MembershipForm(forms.Form):
    name = forms.CharField(label=pgettext_lazy("person", "Name"), max_length=50)
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=32)
    started_on = forms.DateField(label=_("Since (YYYY-MM-DD)"), required=False)


class TransitionForm(forms.Form):
    action = forms.CharField(max_length=32)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV or XLSX file"))
    dry_run = forms.BooleanField(label=_("Check only (store nothing)"), required=False)
    all_or_nothing = forms.BooleanField(
        label=_("Store nothing if any row is rejected"), required=False
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("approve")), ("reject", _("reject"))])
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500)
