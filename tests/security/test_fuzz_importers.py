"""Property-based fuzzing (hypothesis, bounded) of every importer (issue 7): the organization
import from CSV and XLSX (`servicepark import organizations`), the award optimiser's JSON input
(`servicepark allocate`) and the optimiser itself, and uploaded attachments.

Properties:

* an importer never raises; a file it cannot use is refused as a whole with a reason and
  nothing from it is stored;
* every rejected row is in the error report with its row number, a code and a message; rows
  that are valid are stored exactly as written (and exported with formulas neutralised); rows
  with a known defect are rejected; the counts add up (stored + rejected = rows read);
* an all-or-nothing import with a rejected row stores nothing, a dry run stores nothing;
* the optimiser never crashes, never exceeds its budget or limits, and its "optimal" is the
  best selection (checked by brute force on small inputs); invalid input is refused with every
  problem named;
* an upload is accepted only when the sniffed type and the name's extension agree, is stored
  under a random name with exactly the bytes sent, and is refused otherwise, leaving nothing.

Each test is bounded and derandomized (SERVICEPARK_FUZZ_RANDOM=1 explores new inputs); the
numbers of cases are printed at the end of the session.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import itertools
import json
import os
import sys
import zipfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path, PurePosixPath
from typing import Any

import pytest
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from servicepark.common.actors import SystemActor
from servicepark.registry.models import Organization
from servicepark.registry.validation import COLUMNS

CASES: Counter[str] = Counter()
ROWS: Counter[str] = Counter()  # what the organization imports did with the generated files
_serial = itertools.count(1)


def fuzz(n: int) -> settings:
    return settings(
        max_examples=n,
        deadline=None,
        derandomize=os.environ.get("SERVICEPARK_FUZZ_RANDOM") != "1",
        database=None,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.large_base_example,
        ],
    )


@pytest.fixture(scope="session", autouse=True)
def _figures(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    if not CASES:
        return
    lines = [f"Importer fuzz: {sum(CASES.values())} cases"]
    lines += [f"  {name}: {n}" for name, n in sorted(CASES.items())]
    if ROWS:
        lines.append(
            "  organization imports: " + ", ".join(f"{k} {n}" for k, n in sorted(ROWS.items()))
        )
    capman = request.config.pluginmanager.getplugin("capturemanager")
    with capman.global_and_fixture_disabled():
        sys.stderr.write("\n" + "\n".join(lines) + "\n")


# ============================================================================== organizations

NAMES = ["成都武侯社区服务中心", "锦江长者关爱协会", "高新区青少年发展中心", "Rainbow 公益", "益路"]
HOSTILE_CELLS = st.one_of(
    st.text(max_size=30),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=30),
    st.text(alphabet=st.characters(codec="gb18030"), max_size=30),
    st.sampled_from(
        [
            "",
            "   ",
            "=cmd|' /C calc'!A0",
            '=HYPERLINK("http://x")',
            "+1+1",
            "-2+3",
            "@SUM(A1:A9)",
            "\ufeff",
            "\ufeffname",
            '"quoted, with comma"',
            "line\nbreak",
            "tab\tinside",
            "\u202etxt.exe",  # right-to-left override
            "x" * 5000,
            "9" * 40,
            "1e308",
            "-1",
            "NaN",
            "2026-02-30",
            "0001-01-01",
            "9999-12-31",
            "<script>alert(1)</script>",
            "'; DROP TABLE registry_organization; --",
            "%s%n%x",
            "510107019;510107019",
            "community;;;elderly;",
            "social_service_agency\x00",
        ]
    ),
)


@dataclass
class Row:
    cells: dict[str, str]
    expect: str  # "stored", "rejected", "skipped" or "unknown"
    extra: list[str] = field(default_factory=list)
    drop: int = 0  # cells left off the end


def _good(kind: str, n: int, org_type: str, fields: str, founded: dt.date, phone: str) -> dict:
    from servicepark.registry.tests.factories import valid_uscc

    return {
        "uscc": valid_uscc(org_type, "510107") if kind == "direct" else "",
        "filing_number": f"成武备{n:06d}" if kind == "filed" else "",
        "name": f"{NAMES[n % len(NAMES)]}{n}",
        "name_en": "",
        "org_type": org_type,
        "registration_kind": kind,
        "division_code": "510107019",
        "address": "紫瑞北街8号",
        "legal_representative": "张伟",
        "founded_on": founded.isoformat(),
        "fields": fields,
        "umbrella_uscc": "",
        "phone": phone,
    }


GOOD = st.builds(
    lambda kind, org_type, fields, founded, phone: _good(
        kind, next(_serial), org_type, fields, founded, phone
    ),
    st.sampled_from(["filed", "direct"]),
    st.sampled_from(["social_service_agency", "social_group", "foundation"]),
    st.lists(st.sampled_from(["community", "elderly", "children", "environment"]), max_size=3).map(
        ";".join
    ),
    st.dates(dt.date(1950, 1, 1), dt.date(2025, 12, 31)),
    st.sampled_from(["", "13812345678", "028-85123456"]),
)
# Defects every one of which the importer must reject, whatever else the row says.
DEFECTS = {
    "name_empty": lambda c: c.update(name=""),
    "name_control": lambda c: c.update(name=c["name"][:2] + "\x07" + c["name"][2:]),
    "name_too_long": lambda c: c.update(name="名" * 300),
    "org_type": lambda c: c.update(org_type="=cmd|' /C calc'!A0"),
    "kind": lambda c: c.update(registration_kind="registered_abroad"),
    "division": lambda c: c.update(division_code="999999999"),
    "date": lambda c: c.update(founded_on="2026-02-30"),
    "future": lambda c: c.update(founded_on="2999-01-01"),
    "field": lambda c: c.update(fields="community;=1+1"),
    "phone": lambda c: c.update(phone="12345"),
    "uscc": lambda c: c.update(uscc="91510107MA6CXXXXXX", registration_kind="direct"),
    "umbrella": lambda c: c.update(umbrella_uscc="52510107MJ0000000X"),
}


@st.composite
def rows(draw: Any) -> list[Row]:
    out: list[Row] = []
    for _ in range(draw(st.integers(0, 8))):
        cells = draw(GOOD)
        how = draw(
            st.sampled_from(
                ["good", "good", "defect", "hostile", "blank", "extra", "short", "duplicate"]
            )
        )
        if how == "good":
            out.append(Row(cells, "stored"))
        elif how == "defect":
            DEFECTS[draw(st.sampled_from(sorted(DEFECTS)))](cells)
            out.append(Row(cells, "rejected"))
        elif how == "hostile":
            for column in draw(st.lists(st.sampled_from(COLUMNS), min_size=1, max_size=4)):
                cells[column] = draw(HOSTILE_CELLS)
            out.append(Row(cells, "unknown"))
        elif how == "blank":
            out.append(
                Row(dict.fromkeys(COLUMNS, draw(st.sampled_from(["", " ", "\t"]))), "skipped")
            )
        elif how == "extra":
            out.append(
                Row(
                    cells,
                    "rejected",
                    extra=[draw(st.text(min_size=1, max_size=5).filter(str.strip))],
                )
            )
        elif how == "short":
            out.append(Row(cells, "rejected", drop=draw(st.integers(1, len(COLUMNS) - 1))))
        else:  # the identity of an earlier stored row, under a new name
            earlier = [r for r in out if r.expect == "stored"]
            if not earlier:
                out.append(Row(cells, "stored"))
                continue
            twin = draw(st.sampled_from(earlier)).cells
            cells.update(
                uscc=twin["uscc"],
                filing_number=twin["filing_number"],
                registration_kind=twin["registration_kind"],
                org_type=twin["org_type"],
            )
            out.append(Row(cells, "rejected"))
    return out


HEADERS = st.sampled_from(
    ["plain", "plain", "plain", "bom", "shouting", "shuffled", "missing", "repeated", "extra"]
)


def _header(how: str, draw_order: list[str]) -> tuple[list[str], bool]:
    """The header line and whether it is acceptable."""
    columns = list(COLUMNS)
    if how == "bom":
        columns[0] = "\ufeff" + columns[0]
    elif how == "shouting":
        columns = [f" {c.upper()} " for c in columns]
    elif how == "shuffled":
        columns = draw_order
    elif how == "missing":
        columns = columns[:-2]
    elif how == "repeated":
        columns = [*columns, "name"]
    elif how == "extra":
        columns = [*columns, "备注"]
    return columns, how not in ("missing", "repeated", "extra")


def _line_cells(row: Row, header: list[str]) -> list[str]:
    names = [h.strip().lstrip("\ufeff").lower() for h in header]
    cells = [row.cells.get(n, "") for n in names] + row.extra
    return cells[: len(cells) - row.drop] if row.drop else cells


@dataclass
class Imported:
    outcome: Any
    report: list[dict[str, str]]
    stored: list[Organization]


def _import(path: Path, *, dry_run: bool, all_or_nothing: bool) -> Imported:
    from servicepark.registry.services.import_jobs import import_job_finish, import_job_start
    from servicepark.registry.services.importing import organizations_import

    actor = SystemActor("fuzz")
    before = set(Organization.objects.values_list("pk", flat=True))
    job = import_job_start(
        actor=actor,
        path=path,
        original_name=path.name,
        dry_run=dry_run,
        all_or_nothing=all_or_nothing,
    )
    errors = io.StringIO()
    outcome = organizations_import(
        actor=actor,
        path=path,
        job=job,
        errors_out=errors,
        dry_run=dry_run,
        all_or_nothing=all_or_nothing,
    )
    import_job_finish(job=job, outcome=outcome)
    report = list(csv.DictReader(io.StringIO(errors.getvalue())))
    stored = list(
        Organization.objects.exclude(pk__in=before).select_related("division", "umbrella")
    )
    return Imported(outcome, report, stored)


def _check_outcome(result: Imported, *, dry_run: bool, all_or_nothing: bool) -> None:
    """What holds for every import, whatever the file."""
    from servicepark.registry.exporting import FORMULA_STARTS, export_rows

    outcome, report, stored = result.outcome, result.report, result.stored
    ROWS["files refused whole"] += bool(outcome.unusable)
    ROWS["rows read"] += outcome.rows_total
    ROWS["rows rejected"] += outcome.rows_rejected
    ROWS["rows stored"] += len(stored)
    if outcome.unusable:
        assert isinstance(outcome.unusable, str) and outcome.unusable.strip()
        assert not stored and outcome.rows_stored == 0 and outcome.exit_code == 2
        return
    for entry in report:
        assert int(entry["row"]) >= 2, entry
        assert entry["code"] and entry["message"], entry
    rejected_lines = {int(e["row"]) for e in report}
    assert len(rejected_lines) == outcome.rows_rejected
    assert outcome.rows_total >= outcome.rows_rejected
    if dry_run or (all_or_nothing and outcome.rows_rejected):
        assert not stored and outcome.rows_stored == 0
    else:
        assert len(stored) == outcome.rows_stored == outcome.rows_total - outcome.rows_rejected
    assert outcome.exit_code == (1 if outcome.rows_rejected else 0)
    for line in itertools.islice(export_rows(stored), 1, None):
        assert not any(cell.startswith(FORMULA_STARTS) for cell in line), line


def _check_rows(result: Imported, rows_in: list[tuple[int, Row]], *, stores: bool) -> None:
    """Row by row, for a file whose structure is intact: what was expected happened."""
    assert not result.outcome.unusable, result.outcome.unusable
    rejected = {int(e["row"]) for e in result.report}
    names = {o.name for o in result.stored}
    counted = [r for _, r in rows_in if r.expect != "skipped"]
    assert result.outcome.rows_total == len(counted)
    for line, row in rows_in:
        if row.expect == "rejected":
            assert line in rejected, (line, row, result.report)
        elif row.expect == "stored":
            assert line not in rejected, (line, row, result.report)
        elif row.expect == "skipped":
            assert line not in rejected
    if stores:
        for _, row in rows_in:
            if row.expect == "stored":
                org = next(o for o in result.stored if o.name == row.cells["name"])
                assert org.filing_number == (row.cells["filing_number"] or None)
                assert org.uscc == (row.cells["uscc"] or None)
                assert org.founded_on.isoformat() == row.cells["founded_on"]
        assert names <= {r.cells["name"].strip() for _, r in rows_in}


def _csv_text(header: list[str], rows_in: list[Row]) -> tuple[str, list[tuple[int, Row]]]:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    lines: list[tuple[int, Row]] = []
    line = 2
    for row in rows_in:
        one = io.StringIO()
        csv.writer(one, lineterminator="\r\n").writerow(_line_cells(row, header))
        text = one.getvalue()
        if not any(c.strip() for c in _line_cells(row, header)):  # e.g. short, the rest blank
            row = dataclasses.replace(row, expect="skipped")
        lines.append((line, row))
        line += len(list(io.StringIO(text, newline="")))
        out.write(text)
    return out.getvalue(), lines


ENCODINGS = st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "gb18030", "utf-16"])
DAMAGE = st.one_of(
    st.none(),
    st.none(),
    st.none(),
    st.tuples(
        st.sampled_from(["insert", "truncate", "nul"]),
        st.floats(0, 1),
        st.sampled_from(
            [b"\xff", b"\x80\x81", b"\xc3\x28", b"\xed\xa0\x80", b"\x81\x30", b"\x00", b"\xe4\xb8"]
        ),
    ),
)


def _damage(data: bytes, how: tuple[str, float, bytes] | None) -> bytes:
    if how is None:
        return data
    kind, where, junk = how
    at = int(len(data) * where)
    if kind == "insert":
        return data[:at] + junk + data[at:]
    if kind == "truncate":
        return data[:at]
    return data[:at] + b"\x00" + data[at:]


@given(
    rows_in=rows(),
    header_how=HEADERS,
    order=st.permutations(list(COLUMNS)),
    encoding=ENCODINGS,
    damage=DAMAGE,
    dry_run=st.booleans(),
    all_or_nothing=st.booleans(),
)
@example(  # a formula and a byte order mark in the header, GB18030 text
    rows_in=[Row(_good("filed", 900_001, "social_group", "", dt.date(2010, 1, 1), ""), "stored")],
    header_how="bom",
    order=list(COLUMNS),
    encoding="gb18030",
    damage=None,
    dry_run=False,
    all_or_nothing=False,
)
@fuzz(200)
def test_csv_import(
    tmp_path, db, rows_in, header_how, order, encoding, damage, dry_run, all_or_nothing
):
    CASES["organizations CSV"] += 1
    header, header_ok = _header(header_how, order)
    text, lines = _csv_text(header, rows_in)
    data = text.encode(encoding)
    data = _damage(data, damage)
    path = tmp_path / f"orgs-{next(_serial)}.csv"
    path.write_bytes(data)
    result = _import(path, dry_run=dry_run, all_or_nothing=all_or_nothing)
    _check_outcome(result, dry_run=dry_run, all_or_nothing=all_or_nothing)
    if not header_ok or encoding == "utf-16":
        assert result.outcome.unusable
        return
    if damage is not None:
        return
    if not any(r.expect != "skipped" for _, r in lines):
        assert result.outcome.unusable  # a header but no data rows
        return
    # NUL in a cell (hostile text) makes the file binary, refused as a whole.
    if "\x00" in text:
        assert result.outcome.unusable
        return
    stores = not dry_run and not (all_or_nothing and result.outcome.rows_rejected)
    _check_rows(result, lines, stores=stores)


# ------------------------------------------------------------------------------ XLSX

XLSX_VALUES = st.one_of(
    HOSTILE_CELLS,
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.datetimes(dt.datetime(1900, 3, 1), dt.datetime(9999, 1, 1)),  # noqa: DTZ001 (Excel)
    st.dates(dt.date(1900, 3, 1), dt.date(9999, 1, 1)),
    st.none(),
)


def _xlsx_bytes(header: list[str], rows_in: list[tuple[Row, dict[str, Any]]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    def legal(value: Any) -> Any:
        # openpyxl refuses to write control characters; they cannot be in a workbook at all.
        return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row, typed in rows_in:
        cells = _line_cells(row, header)
        names = [h.strip().lstrip("\ufeff").lower() for h in header]
        sheet.append(
            [
                legal(typed.get(n, v)) if n in typed else legal(v)
                for n, v in zip(names, cells, strict=False)
            ]
            + [legal(v) for v in cells[len(names) :]]
        )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


XLSX_DAMAGE = st.one_of(
    st.none(),
    st.none(),
    st.tuples(
        st.sampled_from(["truncate", "flip", "member"]),
        st.floats(0, 1),
        st.binary(min_size=1, max_size=8),
    ),
)


def _damage_zip(data: bytes, how: tuple[str, float, bytes] | None) -> bytes:
    if how is None:
        return data
    kind, where, junk = how
    at = int(len(data) * where)
    if kind == "truncate":
        return data[: max(4, at)]
    if kind == "flip":
        return data[:at] + junk + data[at + len(junk) :]
    # A well-formed zip whose sheet is not well-formed XML.
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            body = source.read(item.filename)
            if item.filename.endswith("sheet1.xml"):
                body = body[: int(len(body) * where)] + junk
            target.writestr(item, body)
    return out.getvalue()


@given(
    rows_in=rows(),
    typed=st.lists(st.dictionaries(st.sampled_from(COLUMNS), XLSX_VALUES, max_size=3), max_size=8),
    header_how=HEADERS,
    order=st.permutations(list(COLUMNS)),
    damage=XLSX_DAMAGE,
    all_or_nothing=st.booleans(),
)
@fuzz(150)
def test_xlsx_import(tmp_path, db, rows_in, typed, header_how, order, damage, all_or_nothing):
    CASES["organizations XLSX"] += 1
    header, header_ok = _header(header_how, order)
    typed_rows = [
        (r, typed[i] if i < len(typed) and r.expect == "unknown" else {})
        for i, r in enumerate(rows_in)
    ]
    data = _damage_zip(_xlsx_bytes(header, typed_rows), damage)
    path = tmp_path / f"orgs-{next(_serial)}.xlsx"
    path.write_bytes(data)
    result = _import(path, dry_run=False, all_or_nothing=all_or_nothing)
    _check_outcome(result, dry_run=False, all_or_nothing=all_or_nothing)
    if not header_ok and damage is None:
        assert result.outcome.unusable
    if damage is None and header_ok and any(r.expect != "skipped" for r in rows_in):
        # In a workbook a short row is padded with empty cells: only what the row says counts.
        rejected = {int(e["row"]) for e in result.report}
        for line, row in enumerate(rows_in, start=2):
            if row.expect == "stored":
                assert line not in rejected, (row, result.report)
            elif row.expect == "rejected" and not row.drop and row.cells["name"].isprintable():
                assert line in rejected, (row, result.report)


@pytest.mark.parametrize(
    "data",
    [
        b"PK\x03\x04",
        b"PK\x03\x04" + b"\x00" * 100,
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100,
        b"\xef\xbb\xbf",
        b"\xff\xfe" + "uscc,name\n".encode("utf-16-le"),
        b"\x00" * 1000,
        ("\n" * 100).encode(),
    ],
    ids=["zip-magic", "zip-zeros", "ole", "bom-only", "utf16", "nul", "newlines"],
)
def test_unusable_files_are_refused_whole(tmp_path, db, data):
    CASES["organizations unusable files"] += 1
    path = tmp_path / "orgs.csv"
    path.write_bytes(data)
    result = _import(path, dry_run=False, all_or_nothing=False)
    _check_outcome(result, dry_run=False, all_or_nothing=False)
    assert result.outcome.unusable


# ============================================================================== optimiser

FIELDS = ["elderly", "children", "community", "environment"]
MONEY = st.integers(0, 300_000).map(lambda cents: f"{Decimal(cents * 100) / 100:.2f}")


@st.composite
def problems(draw: Any, max_apps: int = 10) -> dict[str, Any]:
    n = draw(st.integers(0, max_apps))
    apps = [
        {
            "id": f"a{i}",
            "organization": f"o{draw(st.integers(0, 4))}",
            "field": draw(st.sampled_from(FIELDS)),
            "requested": draw(
                st.integers(1, 200_000).map(lambda y: f"{y}.{draw(st.integers(0, 99)):02d}")
            ),
            "score": draw(
                st.one_of(st.integers(0, 100), st.floats(0, 100).map(lambda f: round(f, 2)))
            ),
            "eligible": draw(st.booleans()) if draw(st.booleans()) else True,
        }
        for i in range(n)
    ]
    data: dict[str, Any] = {
        "budget": draw(st.integers(0, 800_000).map(lambda y: f"{y}.00")),
        "applications": apps,
    }
    if draw(st.booleans()):
        data["min_per_field"] = draw(st.dictionaries(st.sampled_from(FIELDS), MONEY, max_size=2))
    if draw(st.booleans()):
        data["max_per_field"] = draw(st.dictionaries(st.sampled_from(FIELDS), MONEY, max_size=2))
    if draw(st.booleans()):
        data["max_per_organization"] = draw(st.integers(1, 3))
    for code in set(data.get("min_per_field", {})) & set(data.get("max_per_field", {})):
        low, high = Decimal(data["min_per_field"][code]), Decimal(data["max_per_field"][code])
        if low > high:
            data["max_per_field"][code] = str(low)
    return data


def _feasible(problem: Any, chosen: list[Any]) -> bool:
    if sum((c.requested for c in chosen), Decimal(0)) > problem.budget:
        return False
    per_field: Counter[str] = Counter()
    per_org: Counter[str] = Counter()
    spent: dict[str, Decimal] = {}
    for c in chosen:
        if not c.eligible:
            return False
        per_field[c.field] += 1
        per_org[c.organization] += 1
        spent[c.field] = spent.get(c.field, Decimal(0)) + c.requested
    for code, low in problem.min_per_field.items():
        if spent.get(code, Decimal(0)) < low:
            return False
    for code, high in problem.max_per_field.items():
        if spent.get(code, Decimal(0)) > high:
            return False
    cap = problem.max_per_organization
    return not (cap and any(n > cap for n in per_org.values()))


@given(data=problems())
@fuzz(120)
def test_optimiser_on_random_valid_input(data: dict[str, Any]) -> None:
    """Within the budget and every limit; "optimal" is the best (brute force on ≤ 10
    candidates); "infeasible" only when no selection satisfies the limits."""
    from servicepark.procurement.allocation import allocate, parse_problem

    CASES["optimiser (valid input, brute-force checked)"] += 1
    problem = parse_problem(json.loads(json.dumps(data)))
    result = allocate(problem)
    by_id = {c.id: c for c in problem.candidates}
    greedy = [by_id[i] for i in result.greedy.selected]
    assert sum((c.requested for c in greedy), Decimal(0)) <= problem.budget
    assert all(c.eligible for c in greedy)
    pool = [c for c in problem.candidates if c.eligible]
    best = max(
        (
            sum((c.score for c in subset), Decimal(0))
            for r in range(len(pool) + 1)
            for subset in itertools.combinations(pool, r)
            if _feasible(problem, list(subset))
        ),
        default=None,
    )
    if result.status == "optimal":
        assert result.optimal is not None
        chosen = [by_id[i] for i in result.optimal.selected]
        assert len(set(result.optimal.selected)) == len(chosen)
        assert _feasible(problem, chosen)
        assert result.optimal.total_amount == sum((c.requested for c in chosen), Decimal(0))
        assert result.optimal.total_amount <= problem.budget
        assert result.optimal.total_score == best
    else:
        assert result.status == "infeasible" and result.reason and best is None
    json.dumps(result.as_json())


JSON_LEAVES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=10),
    st.sampled_from(["1e30", "NaN", "-1.00", "0.001", "=cmd", "80000.00", "elderly"]),
)
JSON_ANY = st.recursive(
    JSON_LEAVES,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


@st.composite
def hostile_problems(draw: Any) -> Any:
    """Mostly the right shape, with wrong types, values and keys mixed in."""
    data = draw(problems(max_apps=4))
    for _ in range(draw(st.integers(0, 4))):
        target = data
        apps = [a for a in data.get("applications") or [] if isinstance(a, dict) and a]
        if apps and draw(st.booleans()):
            target = draw(st.sampled_from(apps))
        keys = sorted(target)
        key = draw(st.one_of(st.sampled_from(keys), st.text(max_size=8)) if keys else st.text())
        if draw(st.integers(0, 4)) == 0:
            target.pop(key, None)
        else:
            target[key] = draw(JSON_ANY)
    return data


def _run_allocate(tmp_path: Path, raw: bytes) -> tuple[int, str, Path]:
    source, target = tmp_path / f"in-{next(_serial)}.json", tmp_path / f"out-{next(_serial)}.json"
    source.write_bytes(raw)
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command(
            "allocate",
            "--input",
            str(source),
            "--output",
            str(target),
            "--lang",
            "en",
            stdout=out,
            stderr=err,
        )
    return int(exit_info.value.code or 0), out.getvalue() + err.getvalue(), target


DEEP = [
    b"[" * 100_000,
    b'{"a":' * 50_000,
    ("[" * 900 + "]" * 900).encode(),
    json.dumps(
        {"budget": "1.00", "applications": [{"id": json.loads("[" * 500 + "]" * 500)}]}
    ).encode(),
    json.dumps(
        {
            "budget": "1.00",
            "applications": [
                {
                    "id": json.loads("[" * 900 + "]" * 900),
                    "organization": "o",
                    "field": "elderly",
                    "requested": "1.00",
                    "score": 1,
                }
            ],
        }
    ).encode(),
]


@given(
    raw=st.one_of(
        hostile_problems().map(lambda d: json.dumps(d, ensure_ascii=False).encode()),
        hostile_problems().map(lambda d: json.dumps(d, ensure_ascii=False).encode("gb18030")),
        hostile_problems().map(lambda d: b"\xef\xbb\xbf" + json.dumps(d).encode()),
        JSON_ANY.map(lambda d: json.dumps(d).encode()),
        st.binary(max_size=200),
        st.sampled_from(DEEP),
    )
)
@example(raw=DEEP[0])  # was RecursionError
@example(raw=b'{"budget": "1e30", "applications": []}')  # was decimal.InvalidOperation
@fuzz(150)
def test_allocate_command_on_hostile_json(tmp_path, raw: bytes) -> None:
    """`servicepark allocate`: exit 0, 1 or 2 with a message; output only for 0 and 1."""
    CASES["allocate JSON input"] += 1
    code, text, target = _run_allocate(tmp_path, raw)
    assert code in (0, 1, 2)
    if code == 2:
        assert text.strip() and not target.exists()
    else:
        result = json.loads(target.read_text(encoding="utf-8"))
        assert result["status"] == ("optimal" if code == 0 else "infeasible")
        budget = json.loads(raw.decode("utf-8-sig")).get("budget")
        assert Decimal(result["total_amount"]) <= Decimal(budget)


@given(data=st.one_of(hostile_problems(), JSON_ANY))
@fuzz(200)
def test_parse_problem_names_every_problem(data: Any) -> None:
    """Invalid input is refused with its problems (a ValidationError where the web calls it);
    what is accepted is a well-formed problem."""
    from servicepark.procurement.allocation import AllocationInputError, parse_problem

    CASES["optimiser parse_problem (hostile JSON)"] += 1
    try:
        problem = parse_problem(data)
    except AllocationInputError as exc:
        assert exc.problems and all(isinstance(p, str) and p for p in exc.problems)
        assert ValidationError(exc.problems).messages == exc.problems
        return
    assert problem.budget >= 0 and all(c.requested >= 0 for c in problem.candidates)
    assert len({c.id for c in problem.candidates}) == len(problem.candidates)


# ============================================================================== uploads

PDF = b"%PDF-1.4\n1 0 obj<< /Type /Catalog >>endobj\ntrailer<< /Root 1 0 R >>\n%%EOF\n"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
    b"\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("_rels/.rels", "<Relationships/>")
        z.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("readme.txt", "hello")
    return buffer.getvalue()


# Content that is one of the accepted kinds (with its extensions), and content that is not.
ACCEPTED = {
    "pdf": (PDF, (".pdf",)),
    "png": (PNG, (".png",)),
    "jpeg": (JPEG, (".jpg", ".jpeg")),
    "docx": (_docx(), (".docx",)),
}
REFUSED = {
    "html": b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>",
    "svg": b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    "elf": b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00" + b"\x00" * 200,
    "pe": b"MZ" + b"\x90\x00" * 30 + b"\x00" * 60 + b"PE\x00\x00" + b"\x00" * 200,
    "zip": _zip(),
    "shell": b"#!/bin/sh\nrm -rf /\n",
    "gif": b"GIF89a\x01\x00\x01\x00\x00\x00\x00;",
    "text": "项目预算表，金额 80000 元\n".encode(),
}
EXTENSIONS = [
    ".pdf",
    ".PDF",
    ".png",
    ".jpg",
    ".jpeg",
    ".docx",
    ".xlsx",
    ".html",
    ".svg",
    ".exe",
    ".sh",
    "",
    ".pdf.exe",
    ".exe.pdf",
    ". pdf",
    ".pdf ",
]
BASE_NAMES = st.one_of(
    st.text(max_size=20),
    st.sampled_from(
        [
            "方案",
            "../../etc/passwd",
            "..\\..\\boot.ini",
            "a/b/c",
            "/abs",
            "con",
            "nul\x00",
            "x" * 400,
            "\u202efdp.exe",
            "<script>",
            "'\"",
            ".htaccess",
        ]
    ),
)


@pytest.fixture
def draft(db) -> Iterator[tuple[Any, Any]]:
    import dataclasses

    from servicepark.accounts.tests.factories import make_user
    from servicepark.procurement.services.applications import application_start
    from servicepark.procurement.services.calls import call_create, call_publish
    from servicepark.procurement.services.catalogue import purchaser_create
    from servicepark.procurement.tests.test_calls import data as call_data
    from servicepark.registry.tests.factories import make_org

    official = make_user("official", division="510100")
    buyer = make_user("purchaser", division="510100")
    purchaser = purchaser_create(
        actor=official, name="成都市民政局", kind="civil_affairs", division_code="510100"
    )
    data = dataclasses.replace(
        call_data(None),
        off_catalogue_reason="试点",
        fields=["elderly"],
        eligibility={"kinds": ["direct", "attached"], "within": "510100"},
    )
    call = call_publish(actor=buyer, call=call_create(actor=buyer, purchaser=purchaser, data=data))
    org = make_org(
        name="成都高新区推动力公益发展中心", division_code="510107019", founded_on="2009-06-01"
    )
    admin = make_user("org_admin", organization=org)
    yield application_start(actor=admin, call=call, organization=org), admin


@given(
    kind=st.sampled_from(sorted(ACCEPTED) + sorted(REFUSED) + ["random"]),
    tail=st.binary(max_size=300),
    noise=st.binary(min_size=1, max_size=300),
    base=BASE_NAMES,
    extension=st.sampled_from(EXTENSIONS),
    matching=st.integers(0, 3).map(bool),
    label=st.one_of(st.just("项目实施方案"), st.text(max_size=120)),
    big=st.integers(0, 4).map(lambda n: n == 0),
)
@example(
    kind="pdf",
    tail=b"",
    noise=b"x",
    base="../../etc/passwd",
    extension=".pdf",
    matching=True,
    label="方案",
    big=False,
)
@example(
    kind="html",
    tail=b"",
    noise=b"x",
    base="方案",
    extension=".pdf",
    matching=False,
    label="方案",
    big=False,
)
@fuzz(300)
def test_uploads(draft, settings, kind, tail, noise, base, extension, matching, label, big):
    from servicepark.procurement.models import Attachment
    from servicepark.procurement.services.attachments import ALLOWED_TYPES, attachment_add, sniff

    CASES["attachments"] += 1
    app, admin = draft
    settings.SERVICEPARK_MAX_UPLOAD_BYTES = 4096
    if kind in ACCEPTED:
        body, extensions = ACCEPTED[kind]
        body = body + tail
        if matching:
            extension = extensions[len(tail) % len(extensions)]
    elif kind in REFUSED:
        body = REFUSED[kind] + tail
    else:
        body = noise
    if big:
        body = body + b"\x00" * 4096
    name = base + extension
    files_before = set(Path(settings.MEDIA_ROOT).rglob("*"))
    rows_before = Attachment.objects.count()
    try:
        upload = SimpleUploadedFile(name, body, content_type="application/pdf")
    except SuspiciousFileOperation:  # "" or "..": Django's upload handling refuses it first
        ROWS["uploads refused"] += 1
        return
    try:
        attachment = attachment_add(actor=admin, application=app, upload=upload, label=label)
    except ValidationError as exc:
        ROWS["uploads refused"] += 1
        assert exc.messages and all(exc.messages)
        assert set(Path(settings.MEDIA_ROOT).rglob("*")) == files_before
        assert Attachment.objects.count() == rows_before
        plain_name = base and base.isprintable() and len(base) < 150 and not set(base) & set("/\\")
        plain_label = label.strip() and len(label.strip()) <= 100 and "\x00" not in label
        if kind in ACCEPTED and matching and not big and plain_name and plain_label:
            pytest.fail(f"refused a valid {kind} named {name!r}: {exc.messages}")
        return
    # Accepted: the content is of an allowed type, the name carries one of its extensions,
    # and the file is stored under a random name with exactly the bytes sent.
    ROWS["uploads accepted"] += 1
    assert kind in ACCEPTED or kind == "random", (kind, name)
    assert len(body) <= 4096
    kind_sniffed = sniff(body[: 256 * 1024])
    assert attachment.content_type == kind_sniffed and kind_sniffed in ALLOWED_TYPES
    assert PurePosixPath(attachment.original_name.lower()).suffix in ALLOWED_TYPES[kind_sniffed]
    stored = Path(attachment.file.path)
    assert stored.resolve().is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    assert stored.name not in name and len(stored.name) == 32 and stored.suffix == ""
    assert stored.read_bytes() == body
    assert "/" not in attachment.original_name and "\\" not in attachment.original_name
    assert attachment.original_name.isprintable()
