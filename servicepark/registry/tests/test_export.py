"""Officials export the filtered directory; spreadsheet formulas are neutralised."""

import csv
import io

import pytest
from openpyxl import load_workbook

from servicepark.accounts.tests.factories import PASSWORD, make_user
from servicepark.registry.exporting import neutralise
from servicepark.registry.tests.factories import make_org

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ('=HYPERLINK("x")', '\'=HYPERLINK("x")'),
        ("+1", "'+1"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("正常", "正常"),
        (None, ""),
    ],
)
def test_neutralise(raw, safe):
    assert neutralise(raw) == safe


@pytest.fixture
def logged_official(client):
    make_user("official", division="510100", username="off")
    client.login(username="off", password=PASSWORD)
    return client


def test_csv_export_follows_filters_and_neutralises(logged_official):
    make_org(name="=cmd|' /C calc'!A0", division_code="510107019", address="+danger")
    make_org(name="成都环保中心", division_code="510107019", fields="environment")
    make_org(name="上海中心", division_code="310107015")
    response = logged_official.get("/organizations/export.csv", {"division": "510100"})
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert {r["name"] for r in rows} == {"'=cmd|' /C calc'!A0", "成都环保中心"}
    assert any(r["address"] == "'+danger" for r in rows)
    filtered = logged_official.get("/organizations/export.csv", {"field": "environment"})
    rows = list(
        csv.DictReader(io.StringIO(b"".join(filtered.streaming_content).decode("utf-8-sig")))
    )
    assert [r["name"] for r in rows] == ["成都环保中心"]


def test_xlsx_export(logged_official):
    make_org(name="@危险名称", division_code="510107019")
    response = logged_official.get("/organizations/export.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    values = [row for row in sheet.iter_rows(values_only=True)]
    assert values[0][2] == "name"
    assert "'@危险名称" in [v[2] for v in values[1:]]


def test_export_is_refused_to_public_and_org_admins(client):
    response = client.get("/organizations/export.csv")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    make_user("org_admin", organization=make_org(), username="ngo")
    client.login(username="ngo", password=PASSWORD)
    response = client.get("/organizations/export.xlsx")
    assert response.status_code == 403
    assert "export" in response.content.decode() or "导出" in response.content.decode()
