"""Token auth for the API, and the registry endpoints behind it."""

import json

import pytest

from servicepark.accounts.tests.factories import PASSWORD, make_user
from servicepark.registry.models import Organization
from servicepark.registry.tests.factories import make_org, org_data

pytestmark = pytest.mark.django_db


def post_json(client, url, payload, token=None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return client.post(url, json.dumps(payload), content_type="application/json", **headers)


def token_for(client, username):
    response = post_json(client, "/api/v1/auth/token", {"username": username, "password": PASSWORD})
    assert response.status_code == 200
    return response.json()["token"]


@pytest.mark.smoke
def test_token_then_bearer(client):
    make_user("official", division="510100", username="off")
    token = token_for(client, "off")
    me = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert me.status_code == 200
    assert me.json()["grants"] == [{"role": "official", "division": "510100", "organization": None}]
    assert client.get("/api/v1/me").status_code == 401
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer wrong").status_code == 401


def test_wrong_password_and_malformed_requests(client):
    make_user(username="someone")
    bad = post_json(client, "/api/v1/auth/token", {"username": "someone", "password": "nope"})
    assert bad.status_code == 401 and bad.json()["detail"]
    missing = post_json(client, "/api/v1/auth/token", {"username": "someone"})
    assert missing.status_code == 422
    garbage = client.post("/api/v1/auth/token", "{not json", content_type="application/json")
    assert garbage.status_code in (400, 422)


def test_openapi_document(client):
    spec = client.get("/api/v1/openapi.json").json()
    assert spec["openapi"].startswith("3.")
    assert "/api/v1/auth/token" in spec["paths"]
    assert "/api/v1/organizations" in spec["paths"]


def test_public_list_and_search(client):
    make_org(name="济南市市中区雨滴公益服务中心", division_code="370103014")
    make_org(name="上海基督教青年会", division_code="310101")
    data = client.get("/api/v1/organizations", {"q": "ydgy"}).json()
    assert data["count"] == 1 and data["results"][0]["name"] == "济南市市中区雨滴公益服务中心"
    assert data["results"][0]["division_name"] == "泺源街道"


def test_create_via_api_validates_and_checks_jurisdiction(client):
    make_user("official", division="510100", username="off")
    token = token_for(client, "off")
    good = org_data(division_code="510107019", fields=["community"])
    created = post_json(client, "/api/v1/organizations", good, token)
    assert created.status_code == 201, created.content
    assert created.json()["status"] == "registered"
    bad = post_json(
        client, "/api/v1/organizations", org_data(uscc="abc", founded_on="2999-01-01"), token
    )
    assert bad.status_code == 422
    assert set(bad.json()["errors"]) >= {"uscc", "founded_on"}
    elsewhere = post_json(
        client, "/api/v1/organizations", org_data(division_code="310107015"), token
    )
    assert elsewhere.status_code == 403
    assert Organization.objects.count() == 1


def test_transition_via_api(client):
    org = make_org(division_code="510107019")
    make_user("official", division="510100", username="off")
    token = token_for(client, "off")
    url = f"/api/v1/organizations/{org.pk}/transitions"
    assert post_json(client, url, {"action": "suspend"}, token).status_code == 422
    ok = post_json(client, url, {"action": "suspend", "reason": "整改"}, token)
    assert ok.status_code == 200 and ok.json()["status"] == "suspended"
    make_user("official", division="310107", username="sh")
    other = token_for(client, "sh")
    assert post_json(client, url, {"action": "reinstate", "reason": "x"}, other).status_code == 403


def test_nul_bytes_are_refused_not_crashing(client):
    """Found by the API fuzz test: NUL in text must be a clear 4xx, never a server error."""
    make_user("official", division="510100", username="off")
    bad = post_json(client, "/api/v1/auth/token", {"username": "\x00", "password": "x"})
    assert bad.status_code == 401
    listing = client.get("/api/v1/organizations", {"q": "雨\x00", "org_type": "\x00"})
    assert listing.status_code == 200
    org = make_org(division_code="510107019")
    token = token_for(client, "off")
    url = f"/api/v1/organizations/{org.pk}/transitions"
    response = post_json(client, url, {"action": "suspend", "reason": "a\x00b"}, token)
    assert response.status_code == 422
    assert Organization.objects.get(pk=org.pk).status == "registered"
