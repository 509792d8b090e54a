"""`{% personal obj "field" %}`: an individual's phone or ID number as a mask, with a reveal
form for those whose role needs the value (servicepark/common/reveal.py)."""

from __future__ import annotations

from typing import Any

from django import template
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString

from servicepark.common.reveal import can_reveal, label_of, masked

register = template.Library()


@register.simple_tag(takes_context=True)
def personal(context: Any, obj: Any, field: str) -> SafeString | str:
    shown = masked(obj, field)
    if not shown:
        return "—"
    request = context.get("request")
    user = getattr(request, "user", None)
    if request is None or not can_reveal(user, obj, field):
        return shown
    kind = label_of(type(obj))
    return render_to_string(
        "common/personal_field.html",
        {
            "shown": shown,
            "url": reverse("personal:reveal", args=[kind, obj.pk, field]),
            "target": f"pd-{kind.replace('.', '-')}-{obj.pk}-{field}",
            "csrf_token": get_token(request),
            "next": request.get_full_path(),
        },
    )
