"""A form widget for choosing an administrative division level by level."""

from __future__ import annotations

from typing import Any

from django import forms

from servicepark.geo.selectors import division_picker_levels


class DivisionPicker(forms.Widget):
    template_name = "geo/_picker_widget.html"

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context.update({"field": name, **division_picker_levels(str(value or "")[:9])})
        return context
