"""Bulk import: every kind of bad input gets a clear, located message and loses nothing."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from openpyxl import Workbook

from servicepark.common.audit import audit_verify
from servicepark.common.models import AuditEvent
from servicepark.registry.models import Organization
from servicepark.registry.tests.factories import make_org, valid_uscc
from servicepark.registry.validation import COLUMNS

pytestmark = pytest.mark.django_db
HEADER = ",".join(COLUMNS)


def row(**values: str) -> dict[str, str]:
    base = {
        "uscc": valid_uscc("social_service_agency", "510107"),
        "filing_number": "",
        "name": "成都市武侯区彩虹社区服务中心",
        "name_en": "Rainbow",
        "org_type": "social_service_agency",
        "registration_kind": "direct",
        "division_code": "510107019",
        "address": "紫瑞北街8号",
        "legal_representative": "张伟",
        "founded_on": "2016-05-01",
        "fields": "community;elderly",
        "umbrella_uscc": "",
        "phone": "13812345678",
    }
    base.update(values)
    return base


def write_csv(
    path: Path, rows: list[dict[str, str]], *, encoding: str = "utf-8", header: str = HEADER
) -> Path:
    out = io.StringIO()
    out.write(header + "\n")
    writer = csv.writer(out, lineterminator="\n")
    cols = header.split(",")
    for r in rows:
        writer.writerow([r.get(c, "") for c in cols])
    path.write_bytes(out.getvalue().encode(encoding))
    return path


def run_import(path: Path, tmp_path: Path, *args: str) -> tuple[int, list[dict[str, str]], str]:
    errors = tmp_path / "errors.csv"
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command(
            "import_data",
            "organizations",
            str(path),
            "--errors",
            str(errors),
            "--lang",
            "en",
            *args,
            stdout=out,
            stderr=err,
        )
    report = list(csv.DictReader(errors.open(encoding="utf-8"))) if errors.exists() else []
    return int(exit_info.value.code or 0), report, out.getvalue() + err.getvalue()


def codes(report: list[dict[str, str]]) -> set[tuple[str, str, str]]:
    return {(r["row"], r["column"], r["code"]) for r in report}


@pytest.mark.smoke
def test_clean_file_is_stored_with_search_keys_and_audit(tmp_path):
    rows = [
        row(),
        row(
            uscc=valid_uscc("social_group", "370103"),
            org_type="social_group",
            registration_kind="registered",
            division_code="370103",
            name="济南市市中区雨滴公益服务中心",
            phone="0531-86012345",
        ),
    ]
    code, report, out = run_import(write_csv(tmp_path / "a.csv", rows), tmp_path)
    assert code == 0, out
    assert report == []
    assert "2 stored" in out
    raindrop = Organization.objects.get(name="济南市市中区雨滴公益服务中心")
    assert raindrop.status == "registered"
    assert raindrop.name_initials == "jnsszqydgyfwzx"
    assert "yudi" in raindrop.name_pinyin
    assert set(raindrop.field_codes) == {"community", "elderly"}
    assert AuditEvent.objects.filter(action="organization.import").exists()
    assert audit_verify() is None


@pytest.mark.smoke
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_encodings_are_detected(tmp_path, encoding):
    path = write_csv(
        tmp_path / "enc.csv", [row(name="北京市西城区希望社会工作事务所")], encoding=encoding
    )
    code, report, out = run_import(path, tmp_path)
    assert code == 0, (out, report)
    assert Organization.objects.filter(name="北京市西城区希望社会工作事务所").exists()


def test_invalid_rows_are_reported_with_line_numbers_and_valid_rows_stored(tmp_path):
    good = row()
    future = row(uscc=valid_uscc(), founded_on="2999-01-01", name="未来公益服务中心")
    bad_division = row(uscc=valid_uscc(), division_code="999999", name="无名中心")
    lowercase = row(uscc=valid_uscc().lower(), name="小写中心")
    spaced = row(uscc=valid_uscc()[:6] + " " + valid_uscc()[6:17], name="空格中心")
    company = row(uscc="91110000600037341L", name="公司中心")
    letters = row(uscc="52510107IOZSV12345", name="字母中心")
    mismatch = row(uscc=valid_uscc("foundation", "510107"), name="类型不符中心")
    long_name = row(uscc=valid_uscc(), name="长" * 10_000)
    bad_phone = row(uscc=valid_uscc(), phone="12345", name="电话中心")
    rows = [
        good,
        future,
        bad_division,
        lowercase,
        spaced,
        company,
        letters,
        mismatch,
        long_name,
        bad_phone,
    ]
    code, report, out = run_import(write_csv(tmp_path / "bad.csv", rows), tmp_path)
    assert code == 1
    assert "1 stored" in out and "9 rejected" in out
    found = codes(report)
    assert ("3", "founded_on", "future_date") in found
    assert ("4", "division_code", "unknown_division") in found
    assert ("5", "uscc", "uscc_lowercase") in found
    assert ("6", "uscc", "uscc_spaces") in found
    assert ("7", "uscc", "uscc_authority") in found
    assert ("8", "uscc", "uscc_letters") in found
    assert ("9", "uscc", "uscc_type") in found
    assert ("10", "name", "too_long") in found
    assert ("11", "phone", "invalid_phone") in found
    assert all(r["message"] for r in report)
    assert Organization.objects.count() == 1


def test_duplicates_within_file_and_against_registry(tmp_path):
    existing = make_org()
    dup_file = row()
    rows = [row(uscc=existing.uscc, name="重复登记"), dup_file, dict(dup_file, name="同码另名")]
    code, report, _ = run_import(write_csv(tmp_path / "dup.csv", rows), tmp_path)
    assert code == 1
    assert codes(report) == {
        ("2", "uscc", "duplicate_in_registry"),
        ("4", "uscc", "duplicate_in_file"),
    }
    assert Organization.objects.get(uscc=existing.uscc).name == existing.name


def test_filed_and_attached_identity_rules(tmp_path):
    umbrella_uscc = valid_uscc("social_group", "110102")
    rows = [
        row(
            uscc=umbrella_uscc,
            org_type="social_group",
            registration_kind="registered",
            division_code="110102",
            name="北京市西城区社会工作协会",
        ),
        row(
            uscc="",
            registration_kind="attached",
            umbrella_uscc=umbrella_uscc,
            division_code="110102009",
            name="悦群社会工作事务所",
        ),
        row(
            uscc="",
            registration_kind="attached",
            umbrella_uscc=umbrella_uscc,
            division_code="110102009",
            name="悦群社会工作事务所",
        ),
        row(
            uscc="",
            registration_kind="filed",
            filing_number="普民备〔2006〕015号",
            org_type="other",
            division_code="310107015",
            name="长寿路街道睦邻互助会",
        ),
        row(
            uscc="",
            registration_kind="filed",
            filing_number="",
            org_type="other",
            division_code="310107015",
            name="没有备案号",
        ),
        row(
            uscc="",
            registration_kind="attached",
            filing_number="",
            name="挂靠到备案组织",
            umbrella_uscc="",
        ),
        row(uscc="", registration_kind="direct", name="缺少信用代码"),
    ]
    code, report, _ = run_import(write_csv(tmp_path / "kinds.csv", rows), tmp_path)
    assert code == 1
    assert codes(report) == {
        ("4", "name", "duplicate_in_file"),
        ("6", "filing_number", "required"),
        ("7", "umbrella_uscc", "required"),
        ("8", "uscc", "required"),
    }
    attached = Organization.objects.get(name="悦群社会工作事务所")
    assert attached.umbrella.name == "北京市西城区社会工作协会"
    assert attached.status == "filed"


def test_umbrella_that_is_itself_filed_is_refused(tmp_path):
    filed = make_org(registration_kind="filed", org_type="other")
    filed.uscc = valid_uscc("other", "510107")
    Organization.objects.filter(pk=filed.pk).update(uscc=filed.uscc)
    rows = [row(uscc="", registration_kind="attached", umbrella_uscc=filed.uscc, name="挂靠")]
    code, report, _ = run_import(write_csv(tmp_path / "u.csv", rows), tmp_path)
    assert code == 1
    assert codes(report) == {("2", "umbrella_uscc", "umbrella_not_registered")}


def test_umbrella_unknown(tmp_path):
    rows = [row(uscc="", registration_kind="attached", umbrella_uscc=valid_uscc(), name="挂靠")]
    code, report, _ = run_import(write_csv(tmp_path / "u.csv", rows), tmp_path)
    assert codes(report) == {("2", "umbrella_uscc", "umbrella_not_found")}


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (b"", "empty"),
        (b"\n\n  \n", "empty"),
        ((HEADER + "\n").encode(), "no data rows"),
        (("uscc,name\n" + "x,y\n").encode(), "missing columns"),
        ((HEADER + ",extra\n").encode(), "unexpected columns: extra"),
        ((HEADER + ",name\n").encode(), "repeated columns: name"),
        (b"\xff\xfeu\x00s\x00", "UTF-16"),
        (b"\xd0\xcf\x11\xe0" + b"\x00" * 100, ".xls"),
        (HEADER.encode() + b"\n" + "好".encode() + b"\x80\x80\x80\xff\xfe\n", "line 2"),
    ],
)
def test_unusable_files_store_nothing_and_say_why(tmp_path, content, needle):
    before = make_org()
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    code, report, out = run_import(path, tmp_path)
    assert code == 2
    assert needle.lower() in out.lower()
    assert list(Organization.objects.values_list("pk", flat=True)) == [before.pk]


def test_broken_bytes_late_in_file_store_nothing(tmp_path):
    rows = [row(uscc=valid_uscc(), name=f"中心{i}") for i in range(30)]
    path = write_csv(tmp_path / "late.csv", rows)
    path.write_bytes(path.read_bytes() + b"\xff\xfe\xfd broken\n")
    code, _, out = run_import(path, tmp_path)
    assert code == 2
    assert "line 32" in out
    assert Organization.objects.count() == 0


def test_zero_byte_xlsx_and_damaged_xlsx(tmp_path):
    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(b"")
    assert run_import(empty, tmp_path)[0] == 2
    damaged = tmp_path / "damaged.xlsx"
    damaged.write_bytes(b"PK\x03\x04" + b"garbage" * 50)
    code, _, out = run_import(damaged, tmp_path)
    assert code == 2 and "damaged" in out
    assert Organization.objects.count() == 0


@pytest.mark.smoke
def test_xlsx_import_with_typed_cells(tmp_path):
    import datetime as dt

    wb = Workbook()
    ws = wb.active
    ws.append(list(COLUMNS))
    good = row()
    values = [good[c] for c in COLUMNS]
    values[COLUMNS.index("founded_on")] = dt.datetime(2016, 5, 1)  # noqa: DTZ001 (a naive Excel date cell)
    values[COLUMNS.index("phone")] = 13812345678
    ws.append(values)
    ws.append([""] * len(COLUMNS))  # a blank line is skipped, not an error
    bad = [row(uscc="BAD")[c] for c in COLUMNS]
    ws.append(bad)
    path = tmp_path / "orgs.xlsx"
    wb.save(path)
    code, report, _ = run_import(path, tmp_path)
    assert code == 1
    assert codes(report) == {("4", "uscc", "uscc_length")}
    org = Organization.objects.get(uscc=good["uscc"])
    assert org.founded_on == dt.date(2016, 5, 1)
    assert org.phone == "13812345678"


def test_extra_and_missing_cells_in_a_row(tmp_path):
    path = tmp_path / "cells.csv"
    good = row()
    line = ",".join(good[c] for c in COLUMNS)
    path.write_text(f"{HEADER}\n{line},surplus\n{line.rsplit(',', 5)[0]}\n", encoding="utf-8")
    code, report, _ = run_import(path, tmp_path)
    assert code == 1
    found = codes(report)
    assert ("2", "", "extra_cells") in found
    assert ("3", "", "missing_cells") in found
    assert Organization.objects.count() == 0


def test_all_or_nothing_and_dry_run_store_nothing(tmp_path):
    rows = [row(), row(uscc="BAD", name="坏")]
    path = write_csv(tmp_path / "aon.csv", rows)
    code, report, out = run_import(path, tmp_path, "--all-or-nothing")
    assert code == 1 and "nothing was stored" in out
    assert Organization.objects.count() == 0
    code, report, out = run_import(path, tmp_path, "--dry-run")
    assert code == 1 and "Dry run" in out
    assert codes(report) == {("3", "uscc", "uscc_length")}
    assert Organization.objects.count() == 0
    good_only = write_csv(tmp_path / "good.csv", [row()])
    assert run_import(good_only, tmp_path, "--all-or-nothing")[0] == 0
    assert Organization.objects.count() == 1


def test_html_in_text_fields_is_stored_verbatim_and_rendered_escaped(tmp_path, client):
    script = "<script>alert(1)</script>"
    r = row(name=f"{script}中心", name_en=script, address=script, legal_representative="<b>x</b>")
    code, report, _ = run_import(write_csv(tmp_path / "x.csv", [r]), tmp_path)
    assert code == 0, report
    org = Organization.objects.get(name=f"{script}中心")
    page = client.get(f"/organizations/{org.pk}/").content.decode()
    assert script not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;中心" in page
    listing = client.get("/organizations/").content.decode()
    assert script not in listing


def test_missing_file_is_unusable(tmp_path):
    code, _, out = run_import(tmp_path / "nope.csv", tmp_path)
    assert code == 2


def test_memory_of_a_batch_is_released_between_batches(tmp_path, monkeypatch):
    """Rows stream in batches: a file of several batches is stored completely."""
    from servicepark.registry.services import importing

    monkeypatch.setattr(importing, "BATCH", 7)
    rows = [row(uscc=valid_uscc(), name=f"批量中心{i}") for i in range(50)]
    umbrella_uscc = valid_uscc("social_group", "510107")
    rows.insert(
        20,
        row(
            uscc=umbrella_uscc,
            org_type="social_group",
            registration_kind="registered",
            name="伞形协会",
        ),
    )
    rows.insert(
        21, row(uscc="", registration_kind="attached", umbrella_uscc=umbrella_uscc, name="同批挂靠")
    )
    code, report, _ = run_import(write_csv(tmp_path / "many.csv", rows), tmp_path)
    assert code == 0, report
    assert Organization.objects.count() == 52
    assert Organization.objects.get(name="同批挂靠").umbrella.name == "伞形协会"
    assert AuditEvent.objects.filter(action="organization.import").count() >= 8
    assert audit_verify() is None
