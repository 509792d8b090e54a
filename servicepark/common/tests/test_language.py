"""Chinese is the default whatever the browser says; the language menu switches it."""

import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.smoke]


def test_chinese_by_default_even_for_english_browsers(client):
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="zh-hans">' in page and "登录" in page


def test_language_menu_switches_to_english_and_back(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert '<html lang="en">' in client.get("/accounts/login/").content.decode()
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert "登录" in client.get("/accounts/login/").content.decode()


def test_unknown_language_cookie_falls_back_to_chinese(client):
    client.cookies["django_language"] = "fr"
    assert '<html lang="zh-hans">' in client.get("/").content.decode()


def test_the_chinese_catalogue_translates_every_message():
    """Every msgid extracted into the catalogue has a current Chinese translation (no empty
    or fuzzy entries): Chinese is the default language, not a partial one."""
    from pathlib import Path

    import polib

    import servicepark

    po = polib.pofile(
        str(Path(servicepark.__file__).parent / "locale/zh_Hans/LC_MESSAGES/django.po")
    )
    missing = [e.msgid for e in po if not e.obsolete and not e.translated()]
    assert missing == [] and po.fuzzy_entries() == []
