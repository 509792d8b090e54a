"""Browser tests: Playwright (sync API) driving Debian's /usr/bin/chromium against `live_server`.

No browser is ever downloaded: Chromium is launched from `executable_path`.

Two things differ from the rest of the suite:

* Playwright's sync API keeps an asyncio loop running in the test thread, which makes Django
  refuse ORM calls ("You cannot call this from an async context"). The tests and the live
  server do not share that loop, so the guard is switched off for this package.
* `live_server` needs a transactional database, and Django empties *every* table after a
  transactional test — including the division table that a data migration fills. The
  `browser_db` fixture puts the divisions back before each test, and they are put back once
  more after the last browser test, so whatever runs later still finds them.
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


_SNAPSHOT = "browser_tests_division_snapshot"  # not a model table, so flushes leave it alone
_state = {"snapshot": False, "flushed": False}


def _ensure_divisions() -> None:
    """Put back the MCA division table (migration geo 0002) if a flush emptied it.

    The first call copies the table into a plain snapshot table; later calls restore from it
    with one INSERT … SELECT, much faster than rebuilding 42 000 rows from the package data.
    """
    from django.db import connection

    from servicepark.geo.data import load_divisions
    from servicepark.geo.models import Division
    from servicepark.geo.selectors import division_code_set

    table = connection.ops.quote_name(Division._meta.db_table)
    snapshot = connection.ops.quote_name(_SNAPSHOT)
    present = Division.objects.exists()
    with connection.cursor() as cursor:
        if not present and _state["snapshot"]:
            cursor.execute(f"INSERT INTO {table} SELECT * FROM {snapshot}")  # noqa: S608
            present = True
        if not present:
            _, rows = load_divisions()
            Division.objects.bulk_create(
                [
                    Division(code=code, parent_id=parent or None, level=level, name=name)
                    for level, code, parent, name in rows
                ],
                batch_size=5000,
            )
        if not _state["snapshot"]:
            cursor.execute(f"DROP TABLE IF EXISTS {snapshot}")
            cursor.execute(f"CREATE TABLE {snapshot} AS SELECT * FROM {table}")  # noqa: S608
            _state["snapshot"] = True
    division_code_set.cache_clear()


@pytest.fixture(scope="package", autouse=True)
def _divisions_left_in_place(django_db_blocker) -> Iterator[None]:
    """After the last browser test's flush, restore the divisions for whatever runs next."""
    yield
    if _state["flushed"]:
        with django_db_blocker.unblock():
            _ensure_divisions()


@pytest.fixture
def browser_db(transactional_db: None, settings, tmp_path) -> None:
    """A transactional database with the division table, and uploads kept in tmp_path."""
    _state["flushed"] = True  # Django empties every table when this test ends
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
