"""CSV and XLSX exports of the directory, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any

from django.utils.translation import gettext as _

from servicepark.registry.models import Organization

# A cell starting with one of these is taken as a formula by spreadsheet programs.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
EXPORT_COLUMNS = (
    "uscc",
    "filing_number",
    "name",
    "name_en",
    "org_type",
    "registration_kind",
    "division_code",
    "division_name",
    "status",
    "legal_representative",
    "address",
    "founded_on",
    "fields",
    "umbrella",
    "phone",
)


def neutralise(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def export_rows(orgs: Iterable[Organization]) -> Iterator[list[str]]:
    yield list(EXPORT_COLUMNS)
    for o in orgs:
        yield [
            neutralise(v)
            for v in (
                o.uscc,
                o.filing_number,
                o.name,
                o.name_en,
                o.org_type,
                o.registration_kind,
                o.division_id,
                o.division.name,
                o.status,
                o.legal_representative,
                o.address,
                o.founded_on.isoformat() if o.founded_on else "",
                ";".join(o.field_codes),
                o.umbrella.name if o.umbrella is not None else "",
                o.phone,
            )
        ]


class _Echo:
    def write(self, value: str) -> str:
        return value


def stream_csv(orgs: Iterable[Organization]) -> Iterator[str]:
    """UTF-8 with a BOM so that spreadsheet programs read the Chinese text correctly."""
    writer = csv.writer(_Echo())
    yield "\ufeff"
    for row in export_rows(orgs):
        yield writer.writerow(row)


def build_xlsx(orgs: Iterable[Organization]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("Organizations"))
    for row in export_rows(orgs):
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
