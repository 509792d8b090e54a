"""What every API endpoint shares: the problem shape, and readable messages for bad input."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from ninja import Schema


class Problem(Schema):
    """Every error response: a sentence for people, and messages by field for programs."""

    detail: str
    errors: dict[str, list[str]] = {}


# Pydantic's error types, in the user's language (its own messages are English only).
INPUT_MESSAGES = {
    "missing": _("This value is required."),
    "string_type": _("Must be text."),
    "int_parsing": _("Must be a whole number."),
    "int_type": _("Must be a whole number."),
    "list_type": _("Must be a list."),
    "bool_parsing": _("Must be true or false."),
    "json_invalid": _("The body is not valid JSON."),
    "model_attributes_type": _("The body must be a JSON object."),
    "dict_type": _("The body must be a JSON object."),
}


def problem_from_validation(exc: ValidationError) -> dict[str, Any]:
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return {"detail": " ".join(m for ms in errors.values() for m in ms), "errors": errors}


def problem_from_input(errors_in: list[dict[str, Any]]) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    for error in errors_in:
        loc = [
            str(p) for p in error.get("loc", []) if p not in ("body", "payload", "query", "filters")
        ]
        message = INPUT_MESSAGES.get(str(error.get("type", "")))
        errors.setdefault(".".join(loc) or "__all__", []).append(
            str(message) if message else str(error.get("msg", ""))
        )
    fields = [f for f in errors if f != "__all__"]
    if fields:
        detail = str(_("The request is not valid: %(fields)s.")) % {"fields": ", ".join(fields)}
    else:
        detail = str(_("The request body is missing or is not a valid JSON object."))
    return {"detail": detail, "errors": errors}
