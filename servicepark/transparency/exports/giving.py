"""360Giving 1.4 data package of the grants made: one grant per award of a final decision on a
published grant call, streamed a block of awards at a time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any, TextIO

from django.conf import settings
from django.utils import timezone

from servicepark.procurement.models import RESTRICTED_METHODS
from servicepark.transparency.exports.encoding import dumps, json_amount, utc_text
from servicepark.transparency.exports.ocds import publisher_name
from servicepark.transparency.selectors import Row, grant_award_rows

DEFAULT_PREFIX = "360G-spk"
BLOCK = 2000


def grant_prefix() -> str:
    return str(getattr(settings, "SERVICEPARK_360G_PREFIX", DEFAULT_PREFIX))


def recipient_id(prefix: str, pk: int, uscc: str | None, filing_number: str | None) -> str:
    """The USCC under the CN-USCI list of org-id.guide; an organization filed on record has only
    its filing number, and one attached to an umbrella neither: both under our own prefix."""
    if uscc:
        return f"CN-USCI-{uscc}"
    if filing_number:
        return f"{prefix}-FILING-{filing_number}"
    return f"{prefix}-ORG-{pk}"


def grant(prefix: str, row: Row) -> dict[str, Any]:
    title = row["project_title"] or row["decision__call__title"]
    description = row["project_summary"] or row["decision__call__description"] or title
    org = "application__organization"
    purchaser_uscc = row["decision__call__purchaser__uscc"]
    funder_id = (
        f"CN-USCI-{purchaser_uscc}"
        if purchaser_uscc
        else f"{prefix}-PURCHASER-{row['decision__call__purchaser_id']}"
    )
    restricted = row["decision__call__method"] in RESTRICTED_METHODS
    return {
        "id": f"{prefix}-{row['id']}",
        "title": title,
        "description": description,
        "currency": "CNY",
        "amountAwarded": json_amount(row["amount"]),
        "awardDate": row["finalized"],
        "recipientOrganization": [
            {
                "id": recipient_id(
                    prefix, row[f"{org}__id"], row[f"{org}__uscc"], row[f"{org}__filing_number"]
                ),
                "name": row[f"{org}__name"],
            }
        ],
        "fundingOrganization": [{"id": funder_id, "name": row["decision__call__purchaser__name"]}],
        "grantProgramme": [
            {"code": str(row["decision__call_id"]), "title": row["decision__call__title"]}
        ],
        "fromOpenCall": "No" if restricted else "Yes",
    }


def iter_grants(*, block: int = BLOCK) -> Iterator[dict[str, Any]]:
    prefix = grant_prefix()
    after = 0
    while rows := grant_award_rows(after_id=after, limit=block):
        for row in rows:
            yield grant(prefix, row)
        after = rows[-1]["id"]


def write_grant_package(out: TextIO, *, issued: dt.datetime | None = None) -> int:
    """Write the package to `out`, one grant per line; returns the number of grants."""
    header = {
        "version": "1.4",
        "issued": utc_text(issued or timezone.now()),
        "publisher": {"name": publisher_name()},
    }
    out.write(dumps(header)[:-1] + ',"grants":[')
    count = 0
    for item in iter_grants():
        out.write(",\n" if count else "\n")
        out.write(dumps(item))
        count += 1
    out.write("\n]}\n")
    return count
