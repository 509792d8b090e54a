"""The division picker: cascading selects from province down to subdistrict (htmx)."""

from __future__ import annotations

import re

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from servicepark.geo.selectors import division_picker_levels

_FIELD = re.compile(r"^[a-z_]{1,32}$")


def picker(request: HttpRequest) -> HttpResponse:
    field = request.GET.get("field", "division")
    if not _FIELD.match(field):
        field = "division"
    code = request.GET.get("code", "").strip()[:9]
    return render(request, "geo/_picker.html", {"field": field, **division_picker_levels(code)})
