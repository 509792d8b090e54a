"""Running the exports in tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from servicepark.transparency.exports.files import atomic_text_file
from servicepark.transparency.exports.giving import write_grant_package
from servicepark.transparency.exports.ocds import write_release_package
from servicepark.transparency.tests.factories import at


def export_ocds(path: Path, **kwargs: Any) -> dict[str, Any]:
    with atomic_text_file(path) as out:
        write_release_package(
            out, uri="https://data.example.org/ocds.json", published=at("2026-07-01"), **kwargs
        )
    return json.loads(path.read_text(encoding="utf-8"))


def export_giving(path: Path) -> dict[str, Any]:
    with atomic_text_file(path) as out:
        write_grant_package(out, issued=at("2026-07-01"))
    return json.loads(path.read_text(encoding="utf-8"))


def by_ocid(package: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = {}
    for release in package["releases"]:
        grouped.setdefault(release["ocid"], []).append(release)
    return grouped


def stage(releases: list[dict[str, Any]], name: str) -> list[dict[str, Any]]:
    """The releases of one stage (by the id's stage part: planning, award, contract, ...)."""
    return [r for r in releases if r["id"].split("-")[3] == name]
