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
