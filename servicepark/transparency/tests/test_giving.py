"""The 360Giving 1.4 package: valid with formats checked, one grant per final grant award."""

from __future__ import annotations

import copy

import pytest
from jsonschema import FormatChecker

from servicepark.transparency.tests.standards import errors, giving_package_validator

pytestmark = pytest.mark.django_db


def test_package_is_valid_360giving(giving_package):
    assert errors(giving_package_validator(), giving_package) == []
    assert giving_package["version"] == "1.4"
    assert giving_package["issued"] == "2026-07-01T02:00:00Z"


def test_formats_are_really_checked(giving_package):
    assert "date-time" in FormatChecker().checkers  # rfc3339-validator is installed
    broken = copy.deepcopy(giving_package)
    broken["grants"][0]["awardDate"] = "2026-02-30T10:00:00Z"
    assert [e.split(":")[0] for e in errors(giving_package_validator(), broken)] == [
        "grants/0/awardDate"
    ]
    broken["grants"][0]["awardDate"] = "last spring"
    assert errors(giving_package_validator(), broken)
    # A plain date matches only the date pattern once formats are checked (oneOf holds).
    broken["grants"][0]["awardDate"] = "2026-03-01"
    assert errors(giving_package_validator(), broken) == []


def test_grants_of_final_grant_calls_only(world, giving_package):
    grants = {g["id"]: g for g in giving_package["grants"]}
    filed_award, alpha_award = world.grants
    assert list(grants) == [f"360G-spk-{filed_award.pk}", f"360G-spk-{alpha_award.pk}"]
    funder = [{"id": f"360G-spk-PURCHASER-{world.district.pk}", "name": "成都市武侯区民政局"}]
    assert grants[f"360G-spk-{filed_award.pk}"] == {
        "id": f"360G-spk-{filed_award.pk}",
        "title": "长寿路睦邻互助会长者关爱项目",
        "description": "上门探访与健康讲座。",
        "currency": "CNY",
        "amountAwarded": 50000,
        "awardDate": "2026-03-01T02:00:00Z",
        "recipientOrganization": [
            {"id": f"360G-spk-FILING-{world.filed.filing_number}", "name": "长寿路睦邻互助会"}
        ],
        "fundingOrganization": funder,
        "grantProgramme": [{"code": str(world.grant.pk), "title": "2026年公益创投"}],
        "fromOpenCall": "Yes",
    }
    alpha = grants[f"360G-spk-{alpha_award.pk}"]
    assert alpha["amountAwarded"] == 80000.25
    assert alpha["recipientOrganization"][0]["id"] == f"CN-USCI-{world.alpha.uscc}"


def test_recipient_ids():
    from servicepark.transparency.exports.giving import recipient_id

    assert recipient_id("360G-x", 7, "51510100MJ0000000X", "备1") == "CN-USCI-51510100MJ0000000X"
    filing = "普民备〔2006〕015号"
    assert recipient_id("360G-x", 7, None, filing) == f"360G-x-FILING-{filing}"
    assert recipient_id("360G-x", 7, "", None) == "360G-x-ORG-7"
