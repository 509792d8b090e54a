"""Arithmetic on division codes: "inside" is a prefix of the significant digits.

Checked against the whole MCA table: every division's code starts with the significant
prefix of its parent's code (6-digit codes drop trailing 00 pairs; 9-digit codes are whole).
"""

from __future__ import annotations


def significant_prefix(code: str) -> str:
    if len(code) == 9:
        return code
    if code.endswith("0000"):
        return code[:2]
    if code.endswith("00"):
        return code[:4]
    return code


def is_within(code: str, ancestor: str) -> bool:
    """True when `code` is `ancestor` itself or lies inside it."""
    return code.startswith(significant_prefix(ancestor))
