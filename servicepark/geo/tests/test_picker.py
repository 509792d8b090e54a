"""The division picker offers each level's divisions, down to subdistricts."""

import pytest

pytestmark = pytest.mark.django_db


def test_picker_starts_with_provinces(client):
    html = client.get("/geo/picker/", {"field": "division"}).content.decode()
    assert 'name="division" value=""' in html
    assert ">四川省<" in html and ">上海市<" in html


def test_picker_shows_the_chain_and_children(client):
    html = client.get("/geo/picker/", {"field": "division", "code": "510107"}).content.decode()
    assert 'name="division" value="510107"' in html
    assert 'value="510000" selected' in html and 'value="510100" selected' in html
    assert 'value="510107" selected' in html
    assert ">芳草街街道<" in html  # children of 武侯区


def test_picker_rejects_odd_field_names_and_unknown_codes(client):
    html = client.get(
        "/geo/picker/", {"field": 'x" onmouseover=alert(1)', "code": "999999"}
    ).content.decode()
    assert "onmouseover" not in html
    assert 'name="division" value=""' in html


def test_directory_filter_uses_the_picker(client):
    html = client.get("/organizations/", {"division": "310107"}).content.decode()
    assert 'name="division" value="310107"' in html
    assert ">长寿路街道<" in html
