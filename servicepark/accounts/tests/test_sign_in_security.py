"""Sign-in security: Argon2 hashes, lockout after wrong passwords (django-axes), two factors
for the roles that need them (django-otp TOTP), rate limits, and the security headers."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import identify_hasher
from django.core.cache import cache
from django.test import Client, override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from servicepark.accounts.tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db

ARGON2 = ["django.contrib.auth.hashers.Argon2PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def client_en() -> Client:
    c = Client()
    c.cookies["django_language"] = "en"
    return c


@override_settings(PASSWORD_HASHERS=ARGON2)
def test_passwords_are_hashed_with_argon2():
    user = make_user()
    assert identify_hasher(user.password).algorithm == "argon2"


def test_five_wrong_passwords_lock_the_account_from_that_address():
    user = make_user(username="lin")
    c = client_en()
    for _ in range(5):
        c.post("/accounts/login/", {"username": "lin", "password": "wrong"})
    locked = c.post("/accounts/login/", {"username": "lin", "password": PASSWORD})
    assert locked.status_code == 429 and "Too many attempts" in locked.content.decode()
    assert "_auth_user_id" not in c.session
    api = client_en().post(
        "/api/v1/auth/token",
        {"username": user.username, "password": PASSWORD},
        content_type="application/json",
    )
    assert api.status_code == 429


def test_api_tokens_count_wrong_passwords_too():
    make_user(username="he")
    c = client_en()
    for _ in range(5):
        r = c.post(
            "/api/v1/auth/token",
            {"username": "he", "password": "x"},
            content_type="application/json",
        )
    assert r.status_code in (401, 429)
    r = c.post(
        "/api/v1/auth/token",
        {"username": "he", "password": PASSWORD},
        content_type="application/json",
    )
    assert r.status_code == 429 and "30 minutes" in r.json()["detail"]


@override_settings(SERVICEPARK_REQUIRE_2FA=True, OTP_TOTP_THROTTLE_FACTOR=0)
def test_officials_set_up_and_use_a_second_factor():
    make_user("official", division="510107", username="official")
    c = client_en()
    c.post("/accounts/login/", {"username": "official", "password": PASSWORD})
    held = c.get("/oversight/")
    assert held.status_code == 302 and held["Location"].startswith("/accounts/2fa/")
    setup = c.get("/accounts/2fa/")
    assert b"<svg" in setup.content
    device = TOTPDevice.objects.get(user__username="official")
    assert not device.confirmed
    wrong = c.post("/accounts/2fa/", {"code": "000000", "next": "/oversight/"})
    assert "not right" in wrong.content.decode()
    ok = c.post("/accounts/2fa/", {"code": code_for(device), "next": "/oversight/"})
    assert ok.status_code == 302 and ok["Location"] == "/oversight/"
    assert c.get("/oversight/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed


@override_settings(SERVICEPARK_REQUIRE_2FA=True)
def test_a_wrong_code_slows_down_the_next_attempt():
    official = make_user("official", division="510107", username="official3")
    device = TOTPDevice.objects.create(user=official, name="app", confirmed=True)
    c = client_en()
    c.force_login(official)
    c.post("/accounts/2fa/", {"code": "000000"})
    throttled = c.post("/accounts/2fa/", {"code": code_for(device)})
    assert throttled.status_code == 200 and "in a moment" in throttled.content.decode()


@override_settings(SERVICEPARK_REQUIRE_2FA=True)
def test_api_tokens_of_officials_need_the_code_and_others_do_not():
    official = make_user("official", division="510107", username="official2")
    device = TOTPDevice.objects.create(user=official, name="app", confirmed=True)
    c = client_en()
    body = {"username": "official2", "password": PASSWORD}
    refused = c.post("/api/v1/auth/token", body, content_type="application/json")
    assert refused.status_code == 401 and "otp" in refused.json()["detail"]
    granted = c.post(
        "/api/v1/auth/token", {**body, "otp": code_for(device)}, content_type="application/json"
    )
    assert granted.status_code == 200 and granted.json()["token"]
    from servicepark.registry.tests.factories import make_org

    make_user("org_admin", organization=make_org(), username="ngo")
    plain = c.post(
        "/api/v1/auth/token",
        {"username": "ngo", "password": PASSWORD},
        content_type="application/json",
    )
    assert plain.status_code == 200
    c.force_login(official)
    r = c.get("/oversight/")
    assert r.status_code == 302  # a session still needs its second factor


@override_settings(SERVICEPARK_LOGIN_RATE="3/m")
def test_login_and_token_requests_are_rate_limited_per_address():
    c = client_en()
    statuses = [
        c.post("/accounts/login/", {"username": f"u{i}", "password": "x"}).status_code
        for i in range(4)
    ]
    assert statuses[:3] == [200, 200, 200] and statuses[3] == 429
    api = [
        c.post(
            "/api/v1/auth/token",
            {"username": f"v{i}", "password": "x"},
            content_type="application/json",
        ).status_code
        for i in range(4)
    ]
    assert api[:3] == [401, 401, 401] and api[3] == 429


def test_pages_carry_a_strict_content_security_policy_and_cookies_are_safe():
    response = Client().get("/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    html = response.content.decode()
    assert " onchange=" not in html and " onclick=" not in html and "<script>" not in html


def test_an_empty_login_form_says_what_is_missing():
    page = Client().post("/accounts/login/", {"username": "", "password": ""}).content.decode()
    assert page.count("这个字段是必填项。") == 2
    page = client_en().post("/accounts/login/", {"username": "a\x00b", "password": "x"})
    assert "Null characters are not allowed." in page.content.decode()
