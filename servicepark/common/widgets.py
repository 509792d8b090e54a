"""Widgets that render without a template per option.

Django's Select renders each <option> through its own template include; on the directory's
filter form (four selects, ~40 options) that was 5 ms of every search page (bench/findings.md,
finding 6). The HTML is the same, built with format_html."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString


class FastSelect(forms.Select):
    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        chosen = (
            "" if value is None else str(value[0] if isinstance(value, list | tuple) else value)
        )
        final = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (key, " selected" if str(key) == chosen else "", label)
                for key, label in self.choices
            ),
        )
        return format_html("<select{}>{}</select>", flatatt(final), options)
