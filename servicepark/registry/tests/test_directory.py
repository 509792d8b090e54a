"""The public directory: search by fragment, pinyin, initials and USCC; filters; fixed queries."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from servicepark.common.actors import SystemActor
from servicepark.registry.services.organizations import organization_transition
from servicepark.registry.tests.factories import make_org

pytestmark = pytest.mark.django_db


def names(client, **params) -> list[str]:
    page = client.get("/organizations/", params).content.decode()
    return re.findall(r'<a href="/organizations/\d+/">([^<]+)</a>', page)


@pytest.fixture
def world():
    return {
        "raindrop": make_org(
            name="济南市市中区雨滴公益服务中心", division_code="370103014", fields="children;youth"
        ),
        "spina": make_org(
            name="成都高新区推动力公益发展中心", division_code="510107019", fields="disability"
        ),
        "ymca": make_org(
            name="上海基督教青年会",
            org_type="social_group",
            registration_kind="registered",
            division_code="310101",
            fields="youth;elderly",
        ),
        "blue": make_org(
            name="七里山街道蓝马甲志愿服务队",
            registration_kind="filed",
            org_type="other",
            division_code="370103009",
            fields="community",
        ),
    }


@pytest.fixture(params=["index", "walk"])
def strategy(request, monkeypatch):
    """Search both ways PostgreSQL can: through the n-gram and trigram indexes (a rare term),
    and walking the primary key (a common one); both must find the same organizations."""
    from servicepark.registry import search_query

    monkeypatch.setattr(search_query, "COMMON_SHARE", 2.0 if request.param == "index" else 0.0)
    return request.param


@pytest.mark.smoke
@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("雨滴", ["济南市市中区雨滴公益服务中心"]),
        ("雨", ["济南市市中区雨滴公益服务中心"]),
        ("推动力公益", ["成都高新区推动力公益发展中心"]),
        ("青年会", ["上海基督教青年会"]),
        ("yudi", ["济南市市中区雨滴公益服务中心"]),
        ("YuDi", ["济南市市中区雨滴公益服务中心"]),
        ("tuidongli", ["成都高新区推动力公益发展中心"]),
        ("ydgy", ["济南市市中区雨滴公益服务中心"]),
        ("sh", ["上海基督教青年会"]),
        ("lmj", ["七里山街道蓝马甲志愿服务队"]),
        ("不存在的名字", []),
    ],
)
def test_search_by_fragment_pinyin_and_initials(client, world, strategy, q, expected):
    assert names(client, q=q) == expected


def test_search_by_uscc_and_prefix(client, world, strategy):
    uscc = world["spina"].uscc
    assert names(client, q=uscc) == [world["spina"].name]
    assert world["spina"].name in names(client, q=uscc[:8])
    assert names(client, q=world["blue"].filing_number) == [world["blue"].name]


def test_filters_and_division_includes_everything_under_it(client, world):
    assert set(names(client, division="370103")) == {world["raindrop"].name, world["blue"].name}
    assert set(names(client, division="370000")) == {world["raindrop"].name, world["blue"].name}
    assert names(client, division="510100", field="disability") == [world["spina"].name]
    assert set(names(client, field="youth")) == {world["raindrop"].name, world["ymca"].name}
    assert names(client, org_type="social_group") == [world["ymca"].name]
    assert names(client, kind="filed") == [world["blue"].name]
    assert names(client, field="environment") == []


def test_status_filter_and_preparing_not_public(client, world):
    official = SystemActor("t")
    organization_transition(
        actor=official, organization=world["ymca"], action="suspend", reason="整改"
    )
    assert names(client, status="suspended") == [world["ymca"].name]


def test_pagination(client):
    for i in range(25):
        make_org(name=f"分页测试中心{i:02d}")
    first = names(client, q="分页")
    second = names(client, q="分页", page=2)
    assert len(first) == 20 and len(second) == 5
    assert not set(first) & set(second)
    assert "25" in client.get("/organizations/", {"q": "分页"}).content.decode()


def test_bad_filter_values_are_explained_not_crashing(client, world):
    response = client.get("/organizations/", {"org_type": "<script>", "page": "abc"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "<script>" not in body


_SAVEPOINTS = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")


def _query_count(client, url: str) -> int:
    """The statements the page sends, savepoints aside: they exist only because each test
    runs inside a transaction (outside one, `atomic` opens a transaction without a query)."""
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return sum(1 for q in ctx.captured_queries if not q["sql"].upper().startswith(_SAVEPOINTS))


@pytest.mark.smoke
def test_directory_runs_a_fixed_number_of_queries(client):
    umbrella = make_org(org_type="social_group", registration_kind="registered")
    for i in range(3):
        make_org(
            name=f"少量{i}", registration_kind="attached", uscc="", umbrella_uscc=umbrella.uscc
        )
    few = _query_count(client, "/organizations/")
    for i in range(30):
        make_org(
            name=f"大量{i}",
            registration_kind="attached" if i % 2 else "direct",
            **({"uscc": "", "umbrella_uscc": umbrella.uscc} if i % 2 else {}),
        )
    many = _query_count(client, "/organizations/")
    assert few == many
    assert many <= 4


def test_detail_page_runs_a_fixed_number_of_queries(client):
    umbrella = make_org(org_type="social_group", registration_kind="registered")
    make_org(name="挂靠一", registration_kind="attached", uscc="", umbrella_uscc=umbrella.uscc)
    few = _query_count(client, f"/organizations/{umbrella.pk}/")
    for i in range(20):
        make_org(
            name=f"挂靠{i}号", registration_kind="attached", uscc="", umbrella_uscc=umbrella.uscc
        )
    assert _query_count(client, f"/organizations/{umbrella.pk}/") == few


def test_detail_shows_registered_particulars(client, world):
    body = client.get(f"/organizations/{world['raindrop'].pk}/").content.decode()
    assert world["raindrop"].uscc in body
    assert "泺源街道" in body and "市中区" in body


def test_unknown_organization_is_404(client):
    assert client.get("/organizations/999999/").status_code == 404


def test_very_common_searches_stop_counting_and_ask_to_narrow(client, monkeypatch, strategy):
    from servicepark.common import pagination
    from servicepark.registry import search_query

    monkeypatch.setattr(search_query, "SEARCH_COUNT_CAP", 5)
    monkeypatch.setattr(pagination, "COUNT_CAP", 7)
    for i in range(8):
        make_org(name=f"常见词中心{i}")
    body = client.get("/organizations/", {"q": "常见词"}).content.decode()
    assert "超过 5 个" in body  # the count stops at the cap and asks to narrow the search
    assert len(names(client, q="常见词")) == 8  # the page itself still lists what matches
    api = client.get("/api/v1/organizations", {"q": "常见词"}).json()
    assert (api["count"], api["count_capped"]) == (5, True)
    # A list that is only filtered counts further, to the lists' own cap.
    listed = client.get("/organizations/", {"org_type": "social_service_agency"}).content.decode()
    assert "超过 7 个" in listed
    assert (
        client.get("/api/v1/organizations", {"org_type": "social_service_agency"}).json()["count"]
        == 7
    )


def test_three_letters_are_initials_or_the_start_of_the_pinyin(client, strategy):
    make_org(name="萨里社区服务中心")  # sa li ...: "sal" starts its pinyin
    make_org(name="阳光萨拉公益中心")  # ...sa la...: "sal" only inside the pinyin
    make_org(name="四安里协会", org_type="social_group", registration_kind="registered")
    assert set(names(client, q="sal")) == {"萨里社区服务中心", "四安里协会"}  # sal = s-a-l
    assert "阳光萨拉公益中心" in names(client, q="sala")  # four letters: anywhere in pinyin


def test_a_term_is_common_when_enough_of_the_newest_names_have_it(monkeypatch):
    from django.db.models import Q

    from servicepark.registry import search_query

    monkeypatch.setattr(search_query, "PROBE_ROWS", 100)  # the probe reads the newest 100
    monkeypatch.setattr(search_query, "COMMON_SHARE", 0.02)
    make_org(name="罕见词公益中心")  # the oldest: outside the probe
    for i in range(150):
        word = "阳光" if i % 30 == 0 else "星火" if i in (1, 149) else "普通"
        make_org(name=f"{word}测试机构{i:03d}")
    # the newest 100 are i = 50..149: 阳光 in 3 of them (60, 90, 120), 星火 in 1 (149)
    assert search_query.common(Q(name__contains="阳光"))  # 3 %
    assert not search_query.common(Q(name__contains="星火"))  # 1 %
    assert not search_query.common(Q(name__contains="罕见词"))
    assert not search_query.common(Q(name__contains="不存在"))


def test_the_oversight_link_shows_only_to_those_who_may_open_it(client):
    from servicepark.accounts.tests.factories import make_user

    org = make_org(name="链接测试社工中心", division_code="510107019")
    client.force_login(make_user("official", division="510107"))
    assert 'id="oversight-link"' in client.get(f"/organizations/{org.pk}/").content.decode()
    client.force_login(make_user("org_admin", organization=make_org(name="别的机构")))
    assert 'id="oversight-link"' not in client.get(f"/organizations/{org.pk}/").content.decode()
