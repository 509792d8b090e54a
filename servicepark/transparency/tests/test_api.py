"""GET /api/v1/ocds/releases: public, paginated, the same releases as the file export."""

from __future__ import annotations

import pytest

from servicepark.transparency.tests.factories import bulk_calls
from servicepark.transparency.tests.helpers import export_ocds

pytestmark = pytest.mark.django_db
URL = "/api/v1/ocds/releases"


@pytest.mark.smoke
def test_anonymous_visitors_page_through_the_same_releases_as_the_file(client, world, tmp_path):
    bulk_calls(world.buyer, 30)  # 60 more releases: 75 in all, two pages
    first = client.get(URL)
    assert first.status_code == 200 and first["Content-Type"] == "application/json"
    page1 = first.json()
    page2 = client.get(URL, {"page": 2}).json()
    assert (page1["count"], len(page1["items"])) == (75, 50)
    assert (page2["count"], len(page2["items"])) == (75, 25)
    exported = export_ocds(tmp_path / "ocds.json")["releases"]
    assert page1["items"] + page2["items"] == exported


def test_pages_across_a_process_and_past_the_end(client, world):
    bulk_calls(world.buyer, 30)
    assert client.get(URL, {"page": 0}).json() == client.get(URL).json()
    last = client.get(URL, {"page": 99}).json()
    assert last == client.get(URL, {"page": 2}).json()
    # Page 1 ends inside the releases of one call: page 2 goes on with that call's next one.
    page1, page2 = client.get(URL).json()["items"], last["items"]
    assert page1[-1]["ocid"] == page2[0]["ocid"] and page2[0]["tag"] == ["tender"]


@pytest.mark.parametrize("page", ["abc", "1.5", ""])
def test_bad_page_numbers_are_422(client, world, page):
    response = client.get(URL, {"page": page})
    assert response.status_code == 422
    assert "page" in response.json()["errors"]


def test_no_published_call_is_an_empty_page(client, db):
    assert client.get(URL).json() == {"items": [], "count": 0}


def test_a_page_takes_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    bulk_calls(world.buyer, 30)
    with django_assert_max_num_queries(15):
        assert len(client.get(URL, {"page": 2}).json()["items"]) == 25
