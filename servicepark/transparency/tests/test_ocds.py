"""The OCDS 1.1 release package: valid against the schema and the closed codelists, mapped as
documented in exports/ocds_releases.py, and merging into the expected records."""

from __future__ import annotations

from decimal import Decimal

import ocdsmerge
import pytest

from servicepark.procurement.models import Milestone
from servicepark.transparency.exports.ocds import iter_releases
from servicepark.transparency.tests.factories import at, bulk_calls
from servicepark.transparency.tests.helpers import by_ocid, export_ocds, stage
from servicepark.transparency.tests.standards import (
    codelist_problems,
    errors,
    ocds_package_validator,
    ocds_release_schema,
)

pytestmark = pytest.mark.django_db


def ocid(call) -> str:
    return f"ocds-spk000-{call.pk}"


def test_package_is_valid_ocds_with_closed_codelists(ocds_package):
    assert errors(ocds_package_validator(), ocds_package) == []
    problems = [p for r in ocds_package["releases"] for p in codelist_problems(r)]
    assert problems == []
    assert ocds_package["version"] == "1.1"
    assert ocds_package["publishedDate"] == "2026-07-01T02:00:00Z"


def test_the_validator_really_checks(ocds_package):
    """A broken package fails, so the passing test above means something."""
    release = ocds_package["releases"][0]
    release["date"] = "yesterday"
    release["tender"] = {"id": "1", "value": {"amount": "600000.00", "currency": "CNY"}}
    found = errors(ocds_package_validator(), ocds_package)
    assert any("date" in e for e in found) and any("amount" in e for e in found)
    release["tag"] = ["bid"]
    assert codelist_problems(release) == ["tag='bid'"]


def test_only_published_calls_and_contracts_past_draft(world, ocds_package):
    grouped = by_ocid(ocds_package)
    assert set(grouped) == {
        ocid(c) for c in (world.purchase, world.grant, world.single, world.unsuccessful)
    }
    purchase = grouped[ocid(world.purchase)]
    assert [r["tag"] for r in purchase] == [
        ["planning"],
        ["tender"],
        ["award", "tenderUpdate"],
        ["contract"],
        ["contract", "contractTermination"],
        ["implementation"],
        ["implementation"],
    ]
    # The grant's only contract is a draft: no contract or implementation release.
    assert [r["tag"] for r in grouped[ocid(world.grant)]] == [
        ["planning"],
        ["tender"],
        ["award", "tenderUpdate"],
    ]
    assert [r["tag"] for r in grouped[ocid(world.single)]] == [["planning"], ["tender"]]
    unsuccessful = grouped[ocid(world.unsuccessful)][-1]
    assert unsuccessful["tag"] == ["tenderUpdate"] and "awards" not in unsuccessful
    assert unsuccessful["tender"]["status"] == "unsuccessful"
    ids = [r["id"] for r in ocds_package["releases"]]
    assert len(ids) == len(set(ids)) == 15
    assert all([r["date"] for r in rs] == sorted(r["date"] for r in rs) for rs in grouped.values())


def test_planning_and_tender_of_a_catalogue_call(world, ocds_package):
    releases = by_ocid(ocds_package)[ocid(world.purchase)]
    planning, tender = releases[0], releases[1]
    assert planning["initiationType"] == "tender" and planning["date"] == "2026-01-10T02:00:00Z"
    assert planning["planning"]["budget"] == {
        "id": "2026-A010101",
        "description": "居家养老上门服务",
        "projectID": "A010101",
        "project": "居家养老上门服务",
        "amount": {"amount": 600000, "currency": "CNY"},
    }
    t = tender["tender"]
    assert t["procurementMethod"] == "open" and t["procurementMethodDetails"] == "公开招标"
    assert t["tenderPeriod"] == {
        "startDate": "2026-01-15T01:00:00Z",
        "endDate": "2026-02-15T09:00:00Z",
    }
    assert t["status"] == "active" and t["mainProcurementCategory"] == "services"
    buyer_id = f"CN-USCI-{world.buyer.uscc}"
    assert tender["buyer"] == {"id": buyer_id, "name": "成都市民政局"}
    assert tender["parties"] == [
        {
            "id": buyer_id,
            "name": "成都市民政局",
            "identifier": {
                "scheme": "CN-USCI",
                "id": world.buyer.uscc,
                "legalName": "成都市民政局",
            },
            "roles": ["buyer", "procuringEntity"],
        }
    ]


def test_methods_map_to_the_closed_codelist(world, ocds_package):
    grouped = by_ocid(ocds_package)
    single = grouped[ocid(world.single)][1]["tender"]
    assert single["procurementMethod"] == "direct"
    assert single["procurementMethodDetails"] == "单一来源"
    assert single["procurementMethodRationale"] == "唯一具备资质的机构"
    assert grouped[ocid(world.unsuccessful)][1]["tender"]["procurementMethod"] == "selective"
    grant = grouped[ocid(world.grant)]
    assert grant[1]["tender"]["procurementMethod"] == "open"
    # A purchaser without a USCC is a party without an identifier scheme.
    assert grant[0]["parties"] == [
        {
            "id": f"purchaser-{world.district.pk}",
            "name": "成都市武侯区民政局",
            "roles": ["buyer", "procuringEntity"],
        }
    ]
    assert grant[0]["planning"] == {
        "budget": {"amount": {"amount": 300000, "currency": "CNY"}},
        "rationale": "创投资金不在目录内",
    }


def test_awards_name_suppliers_and_the_association_that_is_paid(world, ocds_package):
    (award,) = stage(by_ocid(ocds_package)[ocid(world.purchase)], "award")
    assert award["date"] == "2026-03-01T02:00:00Z"
    first, second = award["awards"]
    assert first == {
        "id": str(world.awards[0].pk),
        "title": "成都市阳光社区服务中心长者关爱项目",
        "status": "active",
        "date": "2026-03-01T02:00:00Z",
        "value": {"amount": 200000, "currency": "CNY"},
        "suppliers": [{"id": f"CN-USCI-{world.alpha.uscc}", "name": "成都市阳光社区服务中心"}],
    }
    assert second["value"] == {"amount": 150000.5, "currency": "CNY"}
    assert second["suppliers"] == [{"id": f"org-{world.attached.pk}", "name": "簇桥彩虹服务队"}]
    parties = {p["id"]: p for p in award["parties"]}
    attached = parties[f"org-{world.attached.pk}"]
    assert "identifier" not in attached and attached["roles"] == ["supplier", "tenderer"]
    assert parties[f"CN-USCI-{world.umbrella.uscc}"]["roles"] == ["payee"]
    # Filed organizations have no USCC either: known by their id in the process only.
    (grant_award,) = stage(by_ocid(ocds_package)[ocid(world.grant)], "award")
    filed = {p["id"]: p for p in grant_award["parties"]}[f"org-{world.filed.pk}"]
    assert filed == {
        "id": f"org-{world.filed.pk}",
        "name": "长寿路睦邻互助会",
        "roles": ["supplier", "tenderer"],
    }


def test_contracts_and_implementation(world, ocds_package):
    releases = by_ocid(ocds_package)[ocid(world.purchase)]
    first, second = (r["contracts"][0] for r in stage(releases, "contract"))
    c1, c2 = world.contracts
    assert first == {
        "id": c1.number,
        "awardID": str(world.awards[0].pk),
        "title": "成都市阳光社区服务中心服务合同",
        "status": "active",
        "period": {
            "startDate": "2026-03-10T00:00:00+08:00",
            "endDate": "2026-12-31T23:59:59+08:00",
        },
        "value": {"amount": 200000, "currency": "CNY"},
        "dateSigned": "2026-03-06T07:00:00Z",
    }
    assert second["status"] == "terminated"  # completed: no longer in force
    impl = stage(releases, "implementation")[0]
    assert impl["date"] == "2026-06-05T02:00:00Z"
    implementation = impl["contracts"][0]["implementation"]
    buyer = {"id": f"CN-USCI-{world.buyer.uscc}", "name": "成都市民政局"}
    assert implementation["transactions"] == [
        {
            "id": str(c1.payments.get().pk),
            "date": "2026-06-05T02:00:00Z",
            "value": {"amount": 100000, "currency": "CNY"},
            "payer": buyer,
            "payee": {"id": f"CN-USCI-{world.alpha.uscc}", "name": "成都市阳光社区服务中心"},
        }
    ]
    assert [(m["code"], m["status"], m.get("dateMet")) for m in implementation["milestones"]] == [
        ("1", "met", "2026-06-01T02:00:00Z"),
        ("2", "scheduled", None),
    ]
    assert {p["id"]: p["roles"] for p in impl["parties"]}[buyer["id"]] == [
        "buyer",
        "procuringEntity",
        "payer",
    ]
    # The association is paid for the attached provider.
    impl2 = stage(releases, "implementation")[1]["contracts"][0]["implementation"]
    assert impl2["transactions"][0]["payee"]["id"] == f"CN-USCI-{world.umbrella.uscc}"


def test_releases_merge_into_the_expected_record(world, ocds_package):
    merger = ocdsmerge.Merger(ocds_release_schema())
    releases = by_ocid(ocds_package)[ocid(world.purchase)]
    record = merger.create_compiled_release(releases)
    assert record["tag"] == ["compiled"] and record["tender"]["status"] == "complete"
    assert {a["id"]: a["value"]["amount"] for a in record["awards"]} == {
        str(world.awards[0].pk): 200000,
        str(world.awards[1].pk): 150000.5,
    }
    contracts = {c["id"]: c for c in record["contracts"]}
    c1, c2 = world.contracts
    assert contracts[c1.number]["value"] == {"amount": 200000, "currency": "CNY"}
    assert contracts[c1.number]["status"] == "active"
    assert contracts[c2.number]["status"] == "terminated"
    assert contracts[c2.number]["awardID"] == str(world.awards[1].pk)
    assert len(contracts[c1.number]["implementation"]["milestones"]) == 2
    assert contracts[c2.number]["implementation"]["transactions"][0]["value"]["amount"] == 75000.25
    roles = {p["id"]: p["roles"] for p in record["parties"]}
    assert roles[f"CN-USCI-{world.buyer.uscc}"] == ["buyer", "procuringEntity", "payer"]
    assert roles[f"CN-USCI-{world.alpha.uscc}"] == ["supplier", "tenderer", "payee"]
    assert roles[f"CN-USCI-{world.umbrella.uscc}"] == ["payee"]
    assert roles[f"org-{world.attached.pk}"] == ["supplier", "tenderer"]


def test_release_ids_are_stable_and_change_with_their_content(world, tmp_path):
    before = [r["id"] for r in export_ocds(tmp_path / "a.json")["releases"]]
    assert before == [r["id"] for r in export_ocds(tmp_path / "b.json")["releases"]]
    milestone = Milestone.objects.get(contract=world.contracts[0], seq=2)
    Milestone.objects.filter(pk=milestone.pk).update(
        state="accepted", accepted_at=at("2026-09-01"), updated_at=at("2026-09-01")
    )
    after = [r["id"] for r in export_ocds(tmp_path / "c.json")["releases"]]
    (gone,) = set(before) - set(after)
    (new,) = set(after) - set(before)
    assert gone.rsplit("-", 1)[0] == new.rsplit("-", 1)[0]
    assert (
        new.rsplit("-", 1)[0]
        == f"ocds-spk000-{world.purchase.pk}-implementation-{world.contracts[0].pk}"
    )


def test_queries_do_not_grow_with_the_number_of_calls(world, django_assert_num_queries):
    bulk_calls(world.buyer, 30)
    # Per block of calls: calls, decisions, awards, contracts, milestones, payments; then one
    # query that finds no more calls.
    with django_assert_num_queries(6 * 4 + 1):
        releases = list(iter_releases(block=10))
    assert len(releases) == 15 + 60


def test_amounts_are_exact_numbers():
    from servicepark.transparency.exports.encoding import dumps, json_amount

    assert json_amount(Decimal("80000.00")) == 80000
    assert json_amount(Decimal("0.10")) == 0.1
    assert dumps({"amount": json_amount(Decimal("1234567.89"))}) == '{"amount":1234567.89}'
    # 16 significant digits do not survive a double; the decimal text is written instead.
    big = Decimal("99999999999999.99")
    assert repr(float(big)) == "99999999999999.98"
    assert json_amount(big) is big
    assert dumps({"v": [json_amount(big)], "名": "é"}) == '{"v":[99999999999999.99],"名":"é"}'
