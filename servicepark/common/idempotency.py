"""Idempotency keys for the state-changing API operations (issue 7): retries are safe.

A client sends `Idempotency-Key: <1 to 64 characters>` with a request. The first request with a
key runs; its status and JSON body are stored in the same transaction as everything the
operation wrote, under the user, the operation and the key, with a hash of the request (method,
path, query and body). A retry with the same key and the same request gets the stored response
back (header `Idempotent-Replayed: true`) and runs nothing. A retry that arrives while the first
attempt is still running waits on the key's unique index until that attempt commits, then gets
its response; so two concurrent requests with one key run once. The same key with a different
request is refused (422, or the operation's own status for invalid input).

Only successful (2xx) responses are kept: an error response means the operation changed
nothing, so a retry runs again. A server error rolls back everything the request wrote. Keys
expire after `SERVICEPARK_IDEMPOTENCY_HOURS` (24); after that the same key runs again.

Usage, below the route decorator (the view itself is not wrapped, so ninja still reads its
signature and annotations):

    @router.post("/organizations", response={201: ..., 422: Problem})
    @idempotent()
    def create_organization(request, payload: OrganizationIn): ...
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.decorators import decorate_view
from ninja.operation import Operation
from ninja.utils import contribute_operation_callback

from servicepark.common.models import IdempotencyKey

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
KEY_MAX = 64
_ATTR = "_servicepark_idempotency"

F = TypeVar("F", bound=Callable[..., Any])


def hours() -> int:
    return int(getattr(settings, "SERVICEPARK_IDEMPOTENCY_HOURS", 24))


@dataclass
class _Pending:
    """One keyed request on its way through an operation."""

    operation: str
    key: str
    record: IdempotencyKey | None = None  # claimed by this request: store its response


def _problem(message: str, status: int) -> JsonResponse:
    return JsonResponse(
        {"detail": message, "errors": {"idempotency_key": [message]}},
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )


def _key_error(key: str) -> str | None:
    if len(key) > KEY_MAX or not key.isprintable():
        return _("An Idempotency-Key has 1 to 64 printable characters.")
    return None


def request_hash(request: HttpRequest) -> str:
    """What a retry must repeat: method, path, query and body (JSON compared by value, so
    spacing and the order of keys do not matter)."""
    try:
        raw = request.body
    except Exception:  # noqa: BLE001 - a body already read as a form or a stream
        raw = b""
    try:
        body = json.dumps(
            json.loads(raw), sort_keys=True, ensure_ascii=False, separators=(",", ":")
        )
    except ValueError:
        body = "raw:" + hashlib.sha256(raw).hexdigest()
    query = sorted((k, sorted(v)) for k, v in request.GET.lists())
    payload = json.dumps([request.method, request.path, query, body], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8", "surrogatepass")).hexdigest()


def _user(request: HttpRequest) -> Any:
    for candidate in (getattr(request, "auth", None), getattr(request, "user", None)):
        if getattr(candidate, "is_authenticated", False) and getattr(candidate, "pk", None):
            return candidate
    return None


def _replay(record: IdempotencyKey) -> HttpResponse:
    response = HttpResponse(
        record.response_body,
        status=record.response_status or 200,
        content_type=record.response_type or "application/json; charset=utf-8",
    )
    response[REPLAYED_HEADER] = "true"
    return response


def _claim(*, user: Any, operation: str, key: str, fingerprint: str) -> tuple[IdempotencyKey, bool]:
    """The key's row, and whether this request created it (and so runs the operation).
    Inside the request's transaction: on PostgreSQL a concurrent insert of the same key waits
    here until the first attempt commits or rolls back."""
    now = timezone.now()
    # The user's expired keys go first, this one included: after expiry a key runs again.
    IdempotencyKey.objects.filter(
        user=user, created_at__lt=now - dt.timedelta(hours=hours())
    ).delete()
    return IdempotencyKey.objects.get_or_create(
        user=user,
        operation=operation,
        key=key,
        defaults={"request_hash": fingerprint, "created_at": now},
    )


def _claiming(view: Callable[..., Any], *, operation: str, invalid_status: int) -> Any:
    """Wraps the operation's view function (after authentication, before the view runs)."""

    @functools.wraps(view)
    def claiming(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        pending = getattr(request, _ATTR, None)
        user = _user(request)
        if not isinstance(pending, _Pending) or pending.operation != operation or user is None:
            return view(request, *args, **kwargs)
        error = _key_error(pending.key)
        if error:
            return _problem(error, invalid_status)
        fingerprint = request_hash(request)
        record, created = _claim(
            user=user, operation=operation, key=pending.key, fingerprint=fingerprint
        )
        if not created:
            if record.request_hash != fingerprint:
                return _problem(
                    _(
                        "This Idempotency-Key was already used for a different request. "
                        "Send a new key with a new request."
                    ),
                    invalid_status,
                )
            if record.response_status is None:  # cannot be seen committed; kept as a guard
                return _problem(
                    _("The first request with this Idempotency-Key is still running."),
                    invalid_status,
                )
            return _replay(record)
        pending.record = record
        return view(request, *args, **kwargs)

    return claiming


def _transactional(operation: str) -> Callable[[Callable[..., HttpResponseBase]], Any]:
    """Wraps the operation's `run` (the whole request): a keyed request runs in one
    transaction, which also stores its response."""

    def decorate(run: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @functools.wraps(run)
        def transactional(request: HttpRequest, **kw: Any) -> HttpResponseBase:
            key = request.headers.get(HEADER, "").strip()
            if not key:
                return run(request, **kw)
            pending = _Pending(operation=operation, key=key)
            setattr(request, _ATTR, pending)
            try:
                with transaction.atomic():
                    response = run(request, **kw)
                    _settle(pending.record, response)
            finally:
                delattr(request, _ATTR)
            return response

        return transactional

    return decorate


def _settle(record: IdempotencyKey | None, response: HttpResponseBase) -> None:
    if record is None:  # not claimed: no key check reached, a replay, or a refusal
        return
    status = response.status_code
    if 200 <= status < 300 and isinstance(response, HttpResponse):
        record.response_status = status
        record.response_body = response.content.decode("utf-8")
        record.response_type = response.get("Content-Type", "")[:100]
        record.save(update_fields=["response_status", "response_body", "response_type"])
    elif status >= 500:
        transaction.set_rollback(True)  # all or nothing: nothing of a failed request stays
    else:
        record.delete()  # refused: nothing changed, so a retry may run again


def _parameter(invalid_status: int) -> dict[str, Any]:
    return {
        "in": "header",
        "name": HEADER,
        "required": False,
        "description": (
            "Makes retries safe. The first request with a key runs and its response is kept "
            f"for {hours()} hours; a retry with the same key and the same body gets that "
            "response back (header Idempotent-Replayed: true) without running again, also "
            "while the first is still running. The same key with a different body: "
            f"{invalid_status}. 1 to {KEY_MAX} printable characters, unique per request "
            "(e.g. a UUID)."
        ),
        "schema": {"type": "string", "minLength": 1, "maxLength": KEY_MAX},
    }


def idempotent(*, invalid_status: int = 422) -> Callable[[F], F]:
    """Make a state-changing API operation honour the `Idempotency-Key` header.
    `invalid_status`: the status of a refused key (default 422; an operation whose documented
    answer to invalid input is another status passes it)."""

    def decorate(func: F) -> F:
        name = f"{func.__module__}.{func.__name__}"[-100:]

        def install(operation: Operation) -> None:
            operation.view_func = _claiming(
                operation.view_func, operation=name, invalid_status=invalid_status
            )
            extra = dict(operation.openapi_extra or {})
            parameters = [
                p
                for p in extra.get("parameters", [])
                if p.get("name", "").lower() != "idempotency-key"
            ]
            extra["parameters"] = [*parameters, _parameter(invalid_status)]
            operation.openapi_extra = extra

        existing = getattr(func, "_ninja_operation", None)
        if existing is not None:  # used above the route decorator
            install(existing)
        else:
            contribute_operation_callback(func, install)
        decorate_view(_transactional(name))(func)
        return func

    return decorate


def idempotency_purge() -> int:
    """Delete every expired key (keys also go one user at a time as they use the API)."""
    cutoff = timezone.now() - dt.timedelta(hours=hours())
    deleted, _per_model = IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
    return deleted
