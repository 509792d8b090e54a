"""The authorization matrix: every URL pattern and every API operation × every role × objects
that are the user's own, inside the user's jurisdiction and outside it.

Routes come from the URL resolver and operations from the OpenAPI document, so a new route
cannot be forgotten: without an entry in expectations.py the test fails. Each request is
classified:

- allowed: a 2xx, a redirect to anything but the sign-in (or two-factor) page, or — for the
  API and for forms — a 400/409/422 (the permission passed, the input did not);
- denied: 401, 403, 404, 405, a redirect to the sign-in page, or a 2xx/3xx whose message is a
  refusal: the text of a PermissionDenied raised while handling the request (some views catch
  it and show it as a message), or a refusal the table names for that check;
- with `gate="acted"`: allowed exactly when the request wrote to the audit trail.

An unexpected allow is a hole; an unexpected deny is a bug too (someone cannot do their job).
Both fail the test, listed apart. Every request runs in a transaction that is rolled back, so
the world stays as built for the next one. The figures are printed and written to
<pytest tmp dir>/figures.json.
"""

from __future__ import annotations

import html
import json
import logging
import re
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.cookies import SimpleCookie
from typing import Any

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models.signals import post_save
from django.template.base import Template
from django.test import Client
from django.test import utils as test_utils
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from servicepark.accounts.services import api_token_issue
from servicepark.accounts.tests.factories import PASSWORD
from servicepark.api import api
from servicepark.common.models import AuditHead
from tests.security.expectations import API, KNOWN_DENIES, PAGES, SKIPPED, Check
from tests.security.world import ROLES, World, build_world

pytestmark = pytest.mark.django_db

API_NAMESPACE = "api-v1"
# Pages of the API itself (documents), checked as pages; everything else under the API's
# namespace is an operation, checked from the OpenAPI document.
API_PAGES = {"api-v1:openapi-json", "api-v1:openapi-view", "api-v1:api-root"}
SKIPPED_NAMESPACES = {"admin", "djdt"}
LOGIN_PATH = "/accounts/login/"
TWO_FACTOR_PATH = "/accounts/2fa/"


# --- What the application serves -------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str  # namespaced, as reverse() takes it
    pattern: str
    params: tuple[str, ...]  # the converters' names, e.g. ("pk",)


def _walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> Iterator[Route]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            full = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            if ns in SKIPPED_NAMESPACES:
                continue
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), full)
        elif isinstance(entry, URLPattern):
            pattern = prefix + str(entry.pattern)
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            params = tuple(re.findall(r"<(?:\w+:)?(\w+)>", pattern))
            yield Route(name or f"<unnamed {pattern}>", pattern, params)


def url_routes() -> list[Route]:
    """Every URL pattern of the project, with its full name (static and media files, which
    only DEBUG serves, left out)."""
    files = tuple(
        p.lstrip("/") for p in (settings.STATIC_URL, settings.MEDIA_URL) if p and p.strip("/")
    )
    return [r for r in _walk(get_resolver().url_patterns) if not r.pattern.startswith(files)]


@dataclass(frozen=True)
class Operation:
    operation_id: str
    method: str
    path: str
    secured: bool


def api_operations() -> list[Operation]:
    doc = api.get_openapi_schema()
    return [
        Operation(op["operationId"], method.upper(), path, bool(op.get("security")))
        for path, item in doc["paths"].items()
        for method, op in item.items()
    ]


# --- The coverage of the table -----------------------------------------------------------------


def test_every_url_pattern_has_an_expectation() -> None:
    routes = url_routes()
    names = {r.name for r in routes}
    page_routes = {
        r.name for r in routes if not r.name.startswith(API_NAMESPACE + ":") or r.name in API_PAGES
    }
    missing = sorted(page_routes - set(PAGES) - set(SKIPPED))
    unnamed = sorted(n for n in names if n.startswith("<unnamed"))
    stale = sorted((set(PAGES) | set(SKIPPED)) - names)
    assert not missing, f"URL patterns without an expectation in expectations.PAGES: {missing}"
    assert not unnamed, f"URL patterns without a name cannot be in the table: {unnamed}"
    assert not stale, f"expectations for URL names that no longer exist: {stale}"


def test_every_api_operation_has_an_expectation_and_public_ones_say_so() -> None:
    operations = api_operations()
    ids = {op.operation_id for op in operations}
    missing = sorted(ids - set(API))
    stale = sorted(set(API) - ids)
    assert not missing, f"API operations without an expectation in expectations.API: {missing}"
    assert not stale, f"expectations for operations that no longer exist: {stale}"
    # The document's security and the table agree on what is public.
    disagree = [
        op.operation_id
        for op in operations
        if any(c.access.public for c in API[op.operation_id]) == op.secured
    ]
    assert not disagree, f"PUBLIC in the table but secured in OpenAPI, or the reverse: {disagree}"
    # Every operation the resolver serves is in the document (nothing served undocumented).
    served = {
        r.name.split(":", 1)[1]
        for r in url_routes()
        if r.name.startswith(API_NAMESPACE + ":") and r.name not in API_PAGES
    }
    undocumented = sorted(n for n in served if not any(i.endswith("_" + n) for i in ids))
    assert not undocumented, f"API routes missing from the OpenAPI document: {undocumented}"


# --- Running the matrix ----------------------------------------------------------------------


@dataclass
class Outcome:
    kind: str  # "page" or "api"
    route: str
    label: str
    method: str
    role: str
    scope: str
    expected: str  # "allow" / "deny"
    got: str  # "allow" / "deny" / "error"
    status: int
    why: str

    def line(self) -> str:
        label = f" [{self.label}]" if self.label else ""
        why = f", {self.why}" if self.why else ""
        return (
            f"{self.route}{label} {self.method} as {self.role} on {self.scope}: "
            f"expected {self.expected}, got {self.got} ({self.status}{why})"
        )


@contextmanager
def refusals() -> Iterator[list[str]]:
    """Collect the text of every PermissionDenied made while the block runs: views that catch
    one and show it as a message still refused."""
    seen: list[str] = []
    had_own = "__init__" in PermissionDenied.__dict__
    original = PermissionDenied.__init__

    def recording(self: PermissionDenied, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        text = str(self).strip()
        if text:
            seen.append(text)

    PermissionDenied.__init__ = recording  # type: ignore[method-assign]
    try:
        yield seen
    finally:
        if had_own:
            PermissionDenied.__init__ = original  # type: ignore[method-assign]
        else:
            del PermissionDenied.__init__


@contextmanager
def audited() -> Iterator[list[bool]]:
    """Whether the block wrote to the audit trail: every write moves the chain's head."""
    wrote: list[bool] = []

    def moved(**kwargs: Any) -> None:
        wrote.append(True)

    post_save.connect(moved, sender=AuditHead, weak=False)
    try:
        yield wrote
    finally:
        post_save.disconnect(moved, sender=AuditHead)


@contextmanager
def rolled_back() -> Iterator[None]:
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def _told(response: Any) -> list[str]:
    """What the user is told: the messages of the request and, for a page, its text."""
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    if not getattr(response, "streaming", False) and response.status_code < 300:
        texts.append(html.unescape(response.content.decode("utf-8", errors="ignore")))
    return texts


def classify(
    response: Any, check: Check, refused: list[str], acted: bool, api_call: bool
) -> tuple[str, str]:
    """("allow" | "deny" | "error", why)."""
    status = response.status_code
    if status >= 500 or status == 429:
        exc = getattr(response, "exc_info", None)
        return "error", repr(exc[1]) if exc else "server error"
    if status in (401, 403, 404, 405):
        return "deny", ""
    target = response.get("Location", "") if 300 <= status < 400 else ""
    if target.startswith(LOGIN_PATH):
        return "deny", "to sign-in"
    if target.startswith(TWO_FACTOR_PATH):
        return "deny", "to two-factor"
    refusal = [*refused, *check.deny_if]
    if refusal and not api_call:
        told = _told(response)
        for reason in refusal:
            if any(reason in text for text in told):
                return "deny", f"refused: {reason[:80]}"
    if check.gate == "acted":
        return ("allow", "acted") if acted else ("deny", "nothing done")
    return "allow", f"to {target[:60]}" if target else ""


class Matrix:
    """Clients for every role (a session for pages, a bearer token for the API), and the
    outcome of every request made with them."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.outcomes: list[Outcome] = []
        self.pages = {"anonymous": self._client()}
        self.api = {"anonymous": self._client()}
        for role in ROLES[1:]:
            user = world.users[role]
            self.pages[role] = self._client()
            self.pages[role].force_login(user)
            token = api_token_issue(username=user.username, password=PASSWORD)
            self.api[role] = self._client(HTTP_AUTHORIZATION=f"Bearer {token}")

    @staticmethod
    def _client(**defaults: Any) -> Client:
        client = Client(raise_request_exception=False, **defaults)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # messages as the table has them
        return client

    def request(
        self, client: Client, check: Check, url: str, data: Any, api_call: bool
    ) -> tuple[int, tuple[str, str]]:
        cookies = {k: v.value for k, v in client.cookies.items()}
        with refusals() as refused, audited() as wrote, rolled_back():
            if check.method == "GET":
                response = client.get(url, data)
            elif api_call:
                response = client.generic(
                    check.method, url, json.dumps(data or {}), content_type="application/json"
                )
            else:
                response = client.post(url, data or {})
            got = classify(response, check, refused, bool(wrote), api_call)
            if check.method == "GET" and wrote:  # a link or a crawler must never change anything
                got = ("error", "a GET wrote to the audit trail")
        # Sign-outs and messages must not leak into the next request.
        client.cookies = SimpleCookie()
        for key, value in cookies.items():
            client.cookies[key] = value
        return response.status_code, got

    def run(self, kind: str, route: str, checks: tuple[Check, ...], url_for: Any) -> None:
        clients = self.api if kind == "api" else self.pages
        for check in checks:
            for scope in check.scopes:
                bundle = self.world.bundle("own" if scope == "any" else scope)
                url = url_for(check, bundle)
                for role in ROLES:
                    if check.method == "GET":
                        data = check.query(bundle) if check.query else None
                    else:
                        data = check.body(bundle, self.world) if check.body else None
                    status, (got, why) = self.request(
                        clients[role], check, url, data, kind == "api"
                    )
                    expected = "allow" if check.access.allows(role, scope) else "deny"
                    self.outcomes.append(
                        Outcome(
                            kind,
                            route,
                            check.label,
                            check.method,
                            role,
                            scope,
                            expected,
                            got,
                            status,
                            why,
                        )
                    )


def _request_everything(matrix: Matrix, world: World, problems: list[str]) -> dict[str, int]:
    """Every check of every route and operation, for every role and scope."""
    routes = url_routes()
    pages = [
        r
        for r in routes
        if r.name not in SKIPPED
        and (not r.name.startswith(API_NAMESPACE + ":") or r.name in API_PAGES)
    ]
    own = world.bundle("own")
    for route in pages:
        checks = PAGES.get(route.name)
        if checks is None:
            problems.append(f"no expectation for URL pattern {route.name} ({route.pattern})")
            continue
        for check in checks:
            given = sorted(check.args(own)) if check.args else []
            if given != sorted(route.params):
                problems.append(
                    f"{route.name}: the check gives {given}, the URL takes {route.params}"
                )

        def page_url(check: Check, bundle: Any, name: str = route.name) -> str:
            return reverse(name, kwargs=check.args(bundle) if check.args else None)

        matrix.run("page", route.name, checks, page_url)

    operations = api_operations()
    for op in operations:
        checks = API.get(op.operation_id)
        if checks is None:
            problems.append(f"no expectation for API operation {op.operation_id}")
            continue
        checks = tuple(c for c in checks if c.method == op.method)
        for check in checks:
            given = sorted(check.args(own)) if check.args else []
            if given != sorted(re.findall(r"\{(\w+)\}", op.path)):
                problems.append(f"{op.operation_id}: the check gives {given} for {op.path}")

        def api_url(check: Check, bundle: Any, path: str = op.path) -> str:
            values = check.args(bundle) if check.args else {}
            return re.sub(r"\{(\w+)\}", lambda m: str(values[m.group(1)]), path)

        matrix.run("api", op.operation_id, checks, api_url)
    return {
        "url_patterns": len(routes),
        "url_patterns_checked": len(pages),
        "page_checks": sum(len(PAGES.get(r.name, ())) for r in pages),
        "api_operations": len(operations),
        "api_checks": sum(len(API.get(op.operation_id, ())) for op in operations),
    }


def _plain_template_rendering(monkeypatch: Any) -> None:
    """Django's test setup wraps template rendering to keep a copy of every context for
    `response.context`; the matrix never reads it, and the copies cost a sixth of its time."""
    saved = getattr(getattr(test_utils._TestState, "saved_data", None), "template_render", None)
    if saved is not None:
        monkeypatch.setattr(Template, "_render", saved)


def test_authorization_matrix(
    settings: Any, tmp_path: Any, capsys: Any, caplog: Any, monkeypatch: Any
) -> None:
    # The matrix is about permissions; the two-factor wall has its own tests.
    settings.SERVICEPARK_REQUIRE_2FA = False
    # Thousands of refusals are the point here: Django's warning with a traceback for each
    # 403/404 would only cost time (server errors are still logged, and fail the test).
    caplog.set_level(logging.ERROR, logger="django.request")
    _plain_template_rendering(monkeypatch)
    started = time.monotonic()
    world = build_world()
    built = time.monotonic() - started
    matrix = Matrix(world)
    problems: list[str] = []
    counted = _request_everything(matrix, world, problems)

    outcomes = matrix.outcomes
    holes = [o for o in outcomes if o.expected == "deny" and o.got == "allow"]
    denied = [o for o in outcomes if o.expected == "allow" and o.got == "deny"]
    known = [o for o in denied if (o.route, o.label, o.role) in KNOWN_DENIES]
    refused = [o for o in denied if (o.route, o.label, o.role) not in KNOWN_DENIES]
    fixed = sorted(set(KNOWN_DENIES) - {(o.route, o.label, o.role) for o in known})
    errors = [o for o in outcomes if o.got == "error"]
    got = Counter(o.got for o in outcomes)
    figures = {
        **counted,
        "url_patterns_skipped": sorted(SKIPPED),
        "roles": len(ROLES),
        "scopes": 3,
        "page_requests": sum(o.kind == "page" for o in outcomes),
        "api_requests": sum(o.kind == "api" for o in outcomes),
        "requests": len(outcomes),
        "allowed": got["allow"],
        "denied": got["deny"],
        "errors": got["error"],
        "unexpected_allows": len(holes),
        "unexpected_denies": len(refused),
        "known_denies": len(known),
        "seconds_world": round(built, 1),
        "seconds_total": round(time.monotonic() - started, 1),
    }
    path = tmp_path / "figures.json"
    path.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (tmp_path / "outcomes.json").write_text(
        json.dumps([o.__dict__ for o in outcomes], ensure_ascii=False, indent=1), encoding="utf-8"
    )
    with capsys.disabled():
        print(f"\nauthorization matrix: {json.dumps(figures, ensure_ascii=False)}\n  -> {path}")
        if known:
            print(f"known denies ({len(known)}, listed in expectations.KNOWN_DENIES):")
            for o in known:
                print(f"  {o.line()}: {KNOWN_DENIES[o.route, o.label, o.role]}")

    report = []
    if problems:
        report += ["TABLE PROBLEMS:", *problems]
    if holes:
        report += [
            f"UNEXPECTED ALLOWS ({len(holes)}): someone reaches what they should not",
            *(o.line() for o in holes),
        ]
    if refused:
        report += [
            f"UNEXPECTED DENIES ({len(refused)}): someone cannot do what they should",
            *(o.line() for o in refused),
        ]
    if errors:
        report += [f"ERRORS ({len(errors)}):", *(o.line() for o in errors)]
    if fixed:
        report += [
            "KNOWN DENIES THAT NO LONGER HAPPEN: remove them from expectations.KNOWN_DENIES",
            *(" / ".join(k) for k in fixed),
        ]
    assert not report, "\n".join(report) + f"\n\nfigures: {json.dumps(figures)}"
