"""Who sees which applications through the API."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from servicepark.accounts.tests.factories import PASSWORD, make_user
from servicepark.procurement.services.applications import application_start
from servicepark.registry.tests.factories import make_org

pytestmark = pytest.mark.django_db


def token(client, username):
    response = client.post(
        "/api/v1/auth/token",
        json.dumps({"username": username, "password": PASSWORD}),
        content_type="application/json",
    )
    return {"HTTP_AUTHORIZATION": f"Bearer {response.json()['token']}"}


@pytest.fixture
def apps(call):
    spina = make_org(name="推动力", division_code="510107019", founded_on="2009-06-01")
    other = make_org(name="雨滴", division_code="510107018", founded_on="2012-03-20")
    make_user("org_admin", organization=spina, username="spina")
    make_user("org_admin", organization=other, username="other")
    a = application_start(
        actor=make_user("org_admin", organization=spina), call=call, organization=spina
    )
    b = application_start(
        actor=make_user("org_admin", organization=other), call=call, organization=other
    )
    return a, b


def test_each_sees_only_their_own(client, apps):
    a, b = apps
    make_user("purchaser", division="510100", username="buyer")
    make_user("official", division="310107", username="sh")
    assert client.get("/api/v1/applications").status_code == 401
    mine = client.get("/api/v1/applications", **token(client, "spina")).json()
    assert mine["count"] == 1 and mine["items"][0]["id"] == a.pk
    assert client.get(f"/api/v1/applications/{b.pk}", **token(client, "spina")).status_code == 404
    assert client.get(f"/api/v1/applications/{a.pk}", **token(client, "spina")).status_code == 200
    assert client.get("/api/v1/applications", **token(client, "buyer")).json()["count"] == 2
    assert client.get("/api/v1/applications", **token(client, "sh")).json()["count"] == 0


def test_list_runs_a_fixed_number_of_queries(client, apps, call):
    make_user("purchaser", division="510100", username="buyer2")
    headers = token(client, "buyer2")

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/api/v1/applications", **headers).status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for i in range(5):
        org = make_org(name=f"组织{i}", division_code="510107019")
        application_start(
            actor=make_user("org_admin", organization=org), call=call, organization=org
        )
    assert count() == few
