"""The application form: plain fields in, the service's content dictionary out (and back).
Rules (amounts, ratios, caps, deadlines) are checked by the services, not here."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from servicepark.registry.models.choices import Field, mask_to_fields

BUDGET_ROWS = 6


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class ApplicationForm(forms.Form):
    title = forms.CharField(label=_("Project title"), max_length=200)
    field = forms.ChoiceField(label=_("Field of service"), required=False)
    summary = forms.CharField(label=_("Project summary"), widget=forms.Textarea, max_length=5000)
    beneficiaries = forms.CharField(
        label=_("Beneficiaries"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000
    )
    targets = forms.CharField(
        label=_("Targets"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000
    )
    activities = forms.CharField(
        label=_("Activities (one per line)"), widget=forms.Textarea(attrs={"rows": 3})
    )
    leading_group = forms.CharField(
        label=_("Project leading group (one name per line)"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    advisory_board = forms.CharField(
        label=_("Advisory board (one name per line)"), widget=forms.Textarea(attrs={"rows": 2})
    )
    project_office = forms.CharField(
        label=_("Project office (one name per line)"), widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, call: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for f in self.fields.values():
            f.required = f is self.fields["title"]
        codes = mask_to_fields(call.fields) or list(Field.values)
        labels = dict(Field.choices)
        self.fields["field"].choices = [("", "—")] + [(c, labels[c]) for c in codes]  # type: ignore[attr-defined]
        for n in range(BUDGET_ROWS):
            self.fields[f"line{n}_item"] = forms.CharField(
                label=_("Budget line %(n)d: item") % {"n": n + 1}, required=False, max_length=200
            )
            self.fields[f"line{n}_requested"] = forms.CharField(
                label=_("requested (yuan)"), required=False, max_length=20
            )
            self.fields[f"line{n}_source"] = forms.CharField(
                label=_("matching funds: source"), required=False, max_length=100
            )
            self.fields[f"line{n}_matching"] = forms.CharField(
                label=_("matching funds (yuan)"), required=False, max_length=20
            )

    def budget_rows(self) -> list[list[forms.BoundField]]:
        return [
            [self[f"line{n}_{part}"] for part in ("item", "requested", "source", "matching")]
            for n in range(BUDGET_ROWS)
        ]

    def to_content(self) -> dict[str, Any]:
        d = self.cleaned_data
        lines = []
        for n in range(BUDGET_ROWS):
            item = d.get(f"line{n}_item", "").strip()
            requested = d.get(f"line{n}_requested", "").strip()
            if not item and not requested:
                continue
            source = d.get(f"line{n}_source", "").strip()
            matching = d.get(f"line{n}_matching", "").strip()
            lines.append(
                {
                    "item": item,
                    "requested": requested or "0",
                    "matching": {source or str(_("own funds")): matching} if matching else {},
                }
            )
        content: dict[str, Any] = {
            "title": d.get("title", ""),
            "summary": d.get("summary", ""),
            "beneficiaries": d.get("beneficiaries", ""),
            "targets": d.get("targets", ""),
            "activities": _lines(d.get("activities", "")),
            "budget_lines": lines,
            "governance": {
                key: _lines(d.get(key, ""))
                for key in ("leading_group", "advisory_board", "project_office")
            },
        }
        if d.get("field"):
            content["field"] = d["field"]
        return content

    @staticmethod
    def initial_from(content: dict[str, Any]) -> dict[str, Any]:
        initial: dict[str, Any] = {
            k: content.get(k, "") for k in ("title", "summary", "beneficiaries", "targets", "field")
        }
        initial["activities"] = "\n".join(content.get("activities") or [])
        for key in ("leading_group", "advisory_board", "project_office"):
            initial[key] = "\n".join((content.get("governance") or {}).get(key) or [])
        for n, line in enumerate((content.get("budget_lines") or [])[:BUDGET_ROWS]):
            initial[f"line{n}_item"] = line.get("item", "")
            initial[f"line{n}_requested"] = line.get("requested", "")
            for source, amount in (line.get("matching") or {}).items():
                initial[f"line{n}_source"], initial[f"line{n}_matching"] = source, amount
                break
        return initial


class AttachmentForm(forms.Form):
    label = forms.CharField(label=_("Document"), max_length=100)
    file = forms.FileField(label=_("File (PDF, image or Office, at most 20 MB)"))


class ScreeningForm(forms.Form):
    passed = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("pass")), ("0", _("reject"))],
        coerce=lambda v: v == "1",
    )
    reason = forms.CharField(
        label=_("Reason (shown to the applicant)"), required=False, max_length=2000
    )


class LimitsForm(forms.Form):
    """Per-field limits as lines "field code: amount"; a cap on awards per applicant."""

    min_per_field = forms.CharField(
        label=_("Minimum per field (one “field: yuan” per line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    max_per_field = forms.CharField(
        label=_("Maximum per field (one “field: yuan” per line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    max_per_organization = forms.IntegerField(
        label=_("Awards per applicant at most"), required=False, min_value=1
    )

    def _pairs(self, name: str) -> dict[str, str]:
        out = {}
        for line in _lines(self.cleaned_data.get(name, "")):
            key, sep, value = line.replace("：", ":").partition(":")
            if not sep:
                raise forms.ValidationError(
                    _("Write each limit as “field: amount”, e.g. “environment: 60000”.")
                )
            out[key.strip()] = value.strip()
        return out

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        limits: dict[str, Any] = {}
        for name in ("min_per_field", "max_per_field"):
            pairs = self._pairs(name)
            if pairs:
                limits[name] = pairs
        if data.get("max_per_organization"):
            limits["max_per_organization"] = data["max_per_organization"]
        data["limits"] = limits
        return data
