"""Offline validators for the published standards (no network).

The official schemas and codelists live beside the project in ../shared/standards/; an
identical copy is kept in the repository's standards/ so that a clone elsewhere can run the
tests (test_standards_copy checks that the two agree whenever both are present)."""

from __future__ import annotations

import csv
import json
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft4Validator, Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4, DRAFT202012

from config.env import BASE_DIR

SHARED_STANDARDS = Path(BASE_DIR).parent / "shared" / "standards"
REPO_STANDARDS = Path(BASE_DIR) / "standards"
STANDARDS = SHARED_STANDARDS if SHARED_STANDARDS.is_dir() else REPO_STANDARDS
OCDS = STANDARDS / "ocds-1.1"
GIVING = STANDARDS / "360giving-1.4"
# The 360Giving package schema refers to the grant schema of release 1.4.2, whose file says 1.4.3.
GIVING_GRANT_URI_IN_PACKAGE = "https://raw.githubusercontent.com/ThreeSixtyGiving/standard/1.4.2/schema/360-giving-schema.json"


def _load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


@cache
def ocds_release_schema() -> dict[str, Any]:
    return _load(OCDS / "release-schema.json")


@cache
def ocds_package_validator() -> Draft4Validator:
    release = ocds_release_schema()
    registry: Registry = Registry().with_resource(
        release["id"], Resource.from_contents(release, default_specification=DRAFT4)
    )
    return Draft4Validator(
        _load(OCDS / "release-package-schema.json"),
        registry=registry,
        format_checker=Draft4Validator.FORMAT_CHECKER,
    )


@cache
def giving_package_validator() -> Draft202012Validator:
    grant = _load(GIVING / "360-giving-schema.json")
    resource = Resource.from_contents(grant, default_specification=DRAFT202012)
    registry: Registry = Registry().with_resources(
        [(grant["$id"], resource), (GIVING_GRANT_URI_IN_PACKAGE, resource)]
    )
    # Without a format checker 2020-12 treats "format" as a note only, and awardDate's
    # oneOf (date-time | YYYY-MM-DD) would reject every plain date.
    return Draft202012Validator(
        _load(GIVING / "360-giving-package-schema.json"),
        registry=registry,
        format_checker=FormatChecker(),
    )


def errors(validator: Draft4Validator | Draft202012Validator, data: Any) -> list[str]:
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(data)
    ]


@cache
def codes(codelist: str) -> frozenset[str]:
    with (OCDS / "codelists" / codelist).open(encoding="utf-8") as fh:
        return frozenset(row["Code"] for row in csv.DictReader(fh))


def codelist_problems(release: dict[str, Any]) -> list[str]:
    """Values outside the closed codelists (and partyRole, open but fully ours)."""
    found: list[tuple[str, str, Any]] = [("releaseTag.csv", "tag", t) for t in release["tag"]] + [
        ("initiationType.csv", "initiationType", release["initiationType"])
    ]
    for party in release.get("parties", []):
        found += [("partyRole.csv", "parties.roles", r) for r in party["roles"]]
    tender = release.get("tender", {})
    for key, codelist in (
        ("status", "tenderStatus.csv"),
        ("procurementMethod", "method.csv"),
        ("mainProcurementCategory", "procurementCategory.csv"),
    ):
        if key in tender:
            found.append((codelist, f"tender.{key}", tender[key]))
    for award in release.get("awards", []):
        found.append(("awardStatus.csv", "awards.status", award["status"]))
    for contract in release.get("contracts", []):
        if "status" in contract:
            found.append(("contractStatus.csv", "contracts.status", contract["status"]))
        for m in contract.get("implementation", {}).get("milestones", []):
            found.append(("milestoneStatus.csv", "milestones.status", m["status"]))
            found.append(("milestoneType.csv", "milestones.type", m["type"]))
    for value in _values(release):
        found.append(("currency.csv", "currency", value["currency"]))
    return [f"{path}={value!r}" for codelist, path, value in found if value not in codes(codelist)]


def _values(node: Any) -> list[dict[str, Any]]:
    """Every Value object ({amount, currency}) in a release."""
    out: list[dict[str, Any]] = []
    if isinstance(node, dict):
        if "currency" in node and "amount" in node:
            out.append(node)
        for child in node.values():
            out += _values(child)
    elif isinstance(node, list):
        for child in node:
            out += _values(child)
    return out
