"""Telling the user why an action failed, in one message at the top of the next page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest


def flash_error(request: HttpRequest, problem: Any) -> None:
    """`problem` is a ValidationError, PermissionDenied or an invalid form."""
    if isinstance(problem, ValidationError):
        text = " ".join(problem.messages)
    elif hasattr(problem, "errors") and hasattr(problem, "is_valid"):
        text = " ".join(str(e) for errs in problem.errors.values() for e in errs)
    else:
        text = str(problem)
    messages.error(request, text)


def attempt(request: HttpRequest, action: Callable[[], Any], done: str) -> bool:
    """Run a service call for a POST view: success → `done` as a message; a ValidationError
    → its messages, nothing changed (services are atomic). PermissionDenied goes on to 403."""
    try:
        action()
    except ValidationError as exc:
        flash_error(request, exc)
        return False
    messages.success(request, done)
    return True


def add_errors(form: Any, exc: ValidationError, aliases: dict[str, str] | None = None) -> None:
    """Show a service's ValidationError on a form: by field where the form has that field
    (or an alias for it), otherwise at the top of the form."""
    aliases = aliases or {}
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            target = aliases.get(name, name)
            for message in errors:
                form.add_error(target if target in form.fields else None, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)
