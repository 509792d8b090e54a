"""Browser tests: Playwright (sync API) driving Debian's /usr/bin/chromium against `live_server`.

No browser is ever downloaded: Chromium is launched from `executable_path`.

Three things differ from the rest of the suite:

* Playwright's sync API keeps an asyncio loop running in the test thread, which makes Django
  refuse ORM calls ("You cannot call this from an async context"). The tests and the live
  server do not share that loop, so the guard is switched off for this package.
* `live_server` needs a transactional database, which Django flushes after each test. The
  division table that a migration fills survives thanks to the root conftest (KEEP_ON_FLUSH);
  `browser_db` checks it is there and reloads it otherwise.
* Starting and stopping Playwright switches the test thread's contextvars context, and Django
  keeps one connection per context: the connections used in here are not the ones
  pytest-django closes before dropping the test database ("database is being accessed by
  other users"). They are closed explicitly after the last browser test.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from playwright.sync_api import Browser, Page, Playwright, sync_playwright  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
TIMEOUT_MS = 10_000


def _ensure_divisions() -> None:
    """The division table (migration geo 0002) must be there; the root conftest keeps it
    across flushes, and should that ever stop working it is reloaded here."""
    from servicepark.geo.data import load_divisions
    from servicepark.geo.models import Division
    from servicepark.geo.selectors import division_code_set

    if not Division.objects.exists():
        _, rows = load_divisions()
        Division.objects.bulk_create(
            [
                Division(code=code, parent_id=parent or None, level=level, name=name)
                for level, code, parent, name in rows
            ],
            batch_size=5000,
        )
    division_code_set.cache_clear()


@pytest.fixture(scope="package", autouse=True)
def _close_connections_at_end(django_db_blocker) -> Iterator[None]:
    """Close the connections opened while Playwright ran (see the module docstring)."""
    yield
    from django.db import connections

    with django_db_blocker.unblock():
        connections.close_all()


@pytest.fixture
def browser_db(transactional_db: None, settings, tmp_path) -> None:
    """A transactional database with the division table, and uploads kept in tmp_path."""
    settings.MEDIA_ROOT = tmp_path / "media"
    _ensure_divisions()


@pytest.fixture(scope="session")
def playwright_instance() -> Iterator[Playwright]:
    pw = sync_playwright().start()
    try:
        yield pw
    finally:
        pw.stop()


@pytest.fixture(scope="session")
def browser(playwright_instance: Playwright) -> Iterator[Browser]:
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"{CHROMIUM} is missing; install Debian's chromium package (never `playwright install`)"
        )
    b = playwright_instance.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
    )
    try:
        yield b
    finally:
        b.close()


@pytest.fixture
def page(browser: Browser, browser_db: None, live_server) -> Iterator[Page]:
    """A fresh browser profile per test, as a user in mainland China would have it."""
    context = browser.new_context(
        locale="zh-CN", timezone_id="Asia/Shanghai", accept_downloads=True
    )
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    pg = context.new_page()
    try:
        yield pg
    finally:
        context.close()


def login(page: Page, live_server, username: str, password: str | None = None) -> None:
    """Log in through the login form and wait for the redirect to the home page."""
    from servicepark.accounts.tests.factories import PASSWORD

    page.goto(f"{live_server.url}/accounts/login/")
    form = page.locator("main form")
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=password]").fill(password or PASSWORD)
    form.locator("button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/")
    # Logged in: the header offers the log-out form instead of the log-in link.
    assert page.locator("form[action='/accounts/logout/']").count() == 1
