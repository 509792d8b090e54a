"""An official imports organizations in the browser, reads the error report and finds what
was stored; the interface switches to English; names are shown as text, never run as markup.

Run: DATABASE_URL=... .venv/bin/pytest tests/browser -m browser -q
"""

from __future__ import annotations

import csv
import io
import re

import pytest
from playwright.sync_api import Page, expect

from servicepark.accounts.tests.factories import make_user
from servicepark.registry.tests.factories import make_org, valid_uscc
from tests.browser.conftest import login

pytestmark = pytest.mark.browser

# The first line the import page asks for, as a user would copy it.
HEADER = (
    "uscc,filing_number,name,name_en,org_type,registration_kind,division_code,address,"
    "legal_representative,founded_on,fields,umbrella_uscc,phone"
)
COLUMNS = HEADER.split(",")
# Stored pinyin: chengdushiwuhouqucaihongshequfuwuzhongxin; initials: cdswhqchsqfwzx.
RAINBOW = "成都市武侯区彩虹社区服务中心"
OTHER = "成都高新区推动力公益发展中心"
SCRIPT_NAME = "<script>alert(1)</script>"


def _row(**overrides: str) -> list[str]:
    data = {
        "uscc": valid_uscc("social_service_agency", "510107"),
        "filing_number": "",
        "name": "",
        "name_en": "",
        "org_type": "social_service_agency",
        "registration_kind": "direct",
        "division_code": "510107019",
        "address": "",
        "legal_representative": "张伟",
        "founded_on": "2016-05-01",
        "fields": "community;elderly",
        "umbrella_uscc": "",
        "phone": "13812345678",
    }
    data.update(overrides)
    return [data[c] for c in COLUMNS]


def _uscc_with_letters() -> str:
    """A valid code that contains letters, so that lower-casing it actually changes it."""
    while True:
        code = valid_uscc("social_service_agency", "510107")
        if any(c.isalpha() for c in code):
            return code


def _csv_bytes(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _watch_dialogs(page: Page) -> list[str]:
    seen: list[str] = []

    def on_dialog(dialog) -> None:  # type: ignore[no-untyped-def]
        seen.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    return seen


def _search(page: Page, live_server, q: str) -> tuple[int, list[str]]:
    """Search the directory as a user does; return (announced count, names listed)."""
    page.goto(f"{live_server.url}/organizations/")
    form = page.get_by_role("search")
    form.locator("input[name=q]").fill(q)
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/organizations/\?.*q="))
    count = int(re.search(r"\d+", page.locator("#result-count").inner_text()).group())
    names = page.locator("table.directory tbody tr td:first-child a").all_inner_texts()
    return count, names


def test_official_imports_file_reads_error_report_and_finds_organization(
    page: Page, live_server
) -> None:
    make_user("official", division="510100", username="official-cd")
    make_org(name=OTHER, division_code="510107019")
    dialogs = _watch_dialogs(page)

    upload = _csv_bytes(
        [
            _row(name=RAINBOW),  # line 2: stored
            _row(name="成都市武侯区小写代码服务中心", uscc=_uscc_with_letters().lower()),  # line 3
            _row(name="成都市武侯区无效区划服务中心", division_code="999999"),  # line 4
            _row(name="成都市武侯区未来日期服务中心", founded_on="2999-01-01"),  # line 5
            _row(name=SCRIPT_NAME),  # line 6: stored
        ]
    )

    login(page, live_server, "official-cd")
    page.locator("header nav a[href='/registry/import/']").click()
    page.wait_for_url(f"{live_server.url}/registry/import/")
    form = page.locator("main form[enctype='multipart/form-data']")
    form.locator("input[name=file]").set_input_files(
        files=[{"name": "社会组织.csv", "mimeType": "text/csv", "buffer": upload}]
    )
    expect(form.locator("input[name=dry_run]")).not_to_be_checked()
    expect(form.locator("input[name=all_or_nothing]")).not_to_be_checked()
    form.locator("button[type=submit]").click()

    page.wait_for_url(re.compile(r"/registry/import/\d+/$"))
    expect(page.locator("#import-state")).to_have_attribute("data-state", "done")
    expect(page.locator("#import-progress progress")).to_have_attribute("value", "100")
    read, stored, rejected = (
        int(n) for n in re.findall(r"\d+", page.locator("#import-counts").inner_text())[:3]
    )
    assert (read, stored, rejected) == (5, 2, 3)

    # The error report names each rejected line (the header is line 1), column and reason.
    with page.expect_download() as info:
        page.locator("#error-report").click()
    download = info.value
    assert download.suggested_filename.endswith("-errors.csv")
    raw = download.path().read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "spreadsheet programs need the UTF-8 BOM"
    report = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [(r["row"], r["column"], r["code"]) for r in report] == [
        ("3", "uscc", "uscc_lowercase"),
        ("4", "division_code", "unknown_division"),
        ("5", "founded_on", "future_date"),
    ]
    assert all(r["message"].strip() for r in report)

    # The stored organization is found by a Chinese fragment, full pinyin and initials.
    for q in ("彩虹社区", "caihong", "chsq", "cdswhq"):
        count, names = _search(page, live_server, q)
        assert (count, names) == (1, [RAINBOW]), q
    # …and a fragment of another name finds that one, not the imported one.
    assert _search(page, live_server, "推动力") == (1, [OTHER])
    # Rejected rows were not stored.
    assert _search(page, live_server, "未来日期") == (0, [])

    # The script-named row was stored as plain text and shows up as such, also on its page.
    count, names = _search(page, live_server, "script")
    assert (count, names) == (1, [SCRIPT_NAME])
    page.get_by_role("link", name=SCRIPT_NAME, exact=True).click()
    page.wait_for_url(re.compile(r"/organizations/\d+/$"))
    expect(page.locator("main h1")).to_contain_text(SCRIPT_NAME)

    # Opening the result shows the organization's page.
    _search(page, live_server, "彩虹")
    page.get_by_role("link", name=RAINBOW, exact=True).click()
    page.wait_for_url(re.compile(r"/organizations/\d+/$"))
    expect(page.locator("main h1")).to_contain_text(RAINBOW)
    expect(page.locator("dl.facts")).to_contain_text("2016-05-01")
    expect(page.locator("dl.facts")).to_contain_text("510107019")
    assert dialogs == []


def test_language_switch_to_english(page: Page, live_server) -> None:
    make_user("official", division="510100", username="official-cd")
    page.goto(f"{live_server.url}/accounts/login/")
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "zh-hans")  # the default for a zh-CN browser

    with page.expect_navigation():
        page.locator("header select[name=language]").select_option("en")
    expect(html).to_have_attribute("lang", "en")
    assert page.url == f"{live_server.url}/accounts/login/"  # back on the same page
    expect(page.locator("main h1")).to_have_text("Log in")
    expect(page).to_have_title(re.compile(r"^Log in · "))
    expect(page.locator("header select[name=language]")).to_have_value("en")

    # The choice sticks: after logging in, other pages are in English too.
    login(page, live_server, "official-cd")
    page.goto(f"{live_server.url}/organizations/")
    expect(html).to_have_attribute("lang", "en")
    expect(page.locator("main h1")).to_have_text("Directory of social organizations")

    # And it can be switched back.
    with page.expect_navigation():
        page.locator("header select[name=language]").select_option("zh-hans")
    expect(html).to_have_attribute("lang", "zh-hans")
    assert page.url == f"{live_server.url}/organizations/"


def test_markup_in_a_name_is_shown_as_text_and_never_run(page: Page, live_server) -> None:
    org = make_org(name=SCRIPT_NAME, division_code="510107019")
    dialogs = _watch_dialogs(page)

    page.goto(f"{live_server.url}/organizations/")
    link = page.locator("table.directory tbody a", has_text=SCRIPT_NAME)
    expect(link).to_have_text(SCRIPT_NAME)
    link.click()
    page.wait_for_url(f"{live_server.url}/organizations/{org.pk}/")
    page.wait_for_load_state("load")

    expect(page.locator("main h1")).to_contain_text(SCRIPT_NAME)
    expect(page).to_have_title(re.compile(re.escape(SCRIPT_NAME)))
    # The name did not become an element: no script on the page carries it.
    scripts = page.evaluate("() => [...document.scripts].map(s => s.textContent)")
    assert not any("alert(1)" in s for s in scripts)
    assert page.locator("main h1 script").count() == 0
    assert dialogs == []
