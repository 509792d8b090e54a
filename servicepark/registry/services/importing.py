"""Bulk import of organizations from CSV or XLSX (`servicepark import organizations`).

Rows stream through in batches: each batch is validated (registry.validation, the same rules as
the web form), checked against the registry with a few queries, and stored with PostgreSQL
`COPY` (bulk insert elsewhere) together with one audit event listing what it created.
Invalid rows go to the error report. Rows are never all held at once; what grows with the file is
the set of identities already seen, to find duplicates within the file (the whole process peaks
at about 320 MB for a million rows; docs/BENCHMARKS.md).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from servicepark.common.audit import audit_record
from servicepark.common.permissions import require_permission
from servicepark.geo.selectors import division_code_set
from servicepark.registry.models import ImportJob, Organization
from servicepark.registry.search import name_keys
from servicepark.registry.tabular import Table, UnusableFile, open_table
from servicepark.registry.validation import COLUMNS, Record, RegistryCheck, RowError, clean_record

BATCH = 2000
ERROR_COLUMNS = ("row", "column", "code", "message")


class _Rollback(Exception):
    """Raised to undo an all-or-nothing import that had rejected rows."""


@dataclass
class ImportOutcome:
    rows_total: int = 0
    rows_stored: int = 0
    rows_rejected: int = 0
    unusable: str = ""

    @property
    def exit_code(self) -> int:
        if self.unusable:
            return 2
        return 1 if self.rows_rejected else 0


def _check_header(header: list[str]) -> None:
    names = [h.strip().lstrip("\ufeff").lower() for h in header]
    missing = [c for c in COLUMNS if c not in names]
    extra = [h for h in names if h not in COLUMNS]
    repeated = sorted({h for h in names if names.count(h) > 1})
    problems = []
    if missing:
        problems.append(_("missing columns: %(cols)s") % {"cols": ", ".join(missing)})
    if extra:
        problems.append(
            _("unexpected columns: %(cols)s") % {"cols": ", ".join(x[:30] or '""' for x in extra)}
        )
    if repeated:
        problems.append(_("repeated columns: %(cols)s") % {"cols": ", ".join(repeated)})
    if problems:
        raise UnusableFile(
            _(
                "The columns are not the expected ones (%(problems)s). The first line must be: "
                "%(expected)s"
            )
            % {"problems": "; ".join(problems), "expected": ",".join(COLUMNS)}
        )


def open_import_table(path: Path, *, whole: bool = True) -> tuple[Table, tuple[int, list[str]]]:
    """The file's table, once its columns are the expected ones, and its first data row.
    Raises UnusableFile saying why not."""
    table = open_table(path, whole=whole)
    try:
        _check_header(table.header)
        first = next(table.rows, None)
    except UnusableFile:
        table.close()
        raise
    if first is None:
        raise UnusableFile(_("The file has a header but no data rows."))
    return table, first


def import_file_check(path: Path) -> None:
    """A quick look at an upload before its import is queued: its kind, encoding, columns
    and a first row, from the file's start. The import reads the whole file again."""
    table, _first = open_import_table(path, whole=False)
    table.close()


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


class _Store:
    """Writes accepted records; one audit event per stored batch."""

    COPY_COLUMNS = (
        "id",
        "created_at",
        "updated_at",
        "uscc",
        "filing_number",
        "name",
        "name_en",
        "org_type",
        "registration_kind",
        "division_code",
        "address",
        "legal_representative",
        "supervising_unit",
        "founded_on",
        "fields",
        "umbrella_id",
        "status",
        "phone",
        "email",
        "website",
        "description",
        "name_pinyin",
        "name_initials",
        "search_tokens",
    )

    def __init__(self, *, actor: Any, job: ImportJob) -> None:
        self.actor = actor
        self.job = job
        self.postgres = connection.vendor == "postgresql"

    def store(self, records: list[tuple[int, Record]]) -> list[tuple[int, RowError]]:
        """Store a batch; on a race with another writer, fall back to one row at a time."""
        if not records:
            return []
        try:
            with transaction.atomic():
                ids = self._insert([r for _, r in records])
                self._audit(ids)
            return []
        except IntegrityError:
            pass
        errors: list[tuple[int, RowError]] = []
        stored: list[int] = []
        for line, rec in records:
            try:
                with transaction.atomic():
                    stored += self._insert([rec])
            except IntegrityError:
                errors.append(
                    (
                        line,
                        RowError(
                            "uscc",
                            "duplicate_in_registry",
                            _(
                                "Another organization with the same identity was "
                                "stored at the same time."
                            ),
                        ),
                    )
                )
        if stored:
            with transaction.atomic():
                self._audit(stored)
        return errors

    def _audit(self, ids: list[int]) -> None:
        audit_record(
            actor=self.actor,
            action="organization.import",
            obj=self.job,
            after={"created": ids},
            context={"count": len(ids)},
        )

    def _insert(self, records: list[Record]) -> list[int]:
        now = timezone.now()
        if self.postgres:
            return self._copy(records, now)
        objs = [self._model(r, now) for r in records]
        Organization.objects.bulk_create(objs)
        return [o.pk for o in objs]

    @staticmethod
    def _model(rec: Record, now: dt.datetime) -> Organization:
        keys = name_keys(rec.name)
        return Organization(
            created_at=now,
            updated_at=now,
            uscc=rec.uscc,
            filing_number=rec.filing_number,
            name=rec.name,
            name_en=rec.name_en,
            org_type=rec.org_type,
            registration_kind=rec.registration_kind,
            division_id=rec.division_code,
            address=rec.address,
            legal_representative=rec.legal_representative,
            founded_on=rec.founded_on,
            fields=rec.fields,
            umbrella_id=rec.umbrella_id,
            status=rec.status,
            phone=rec.phone,
            name_pinyin=keys.pinyin,
            name_initials=keys.initials,
            search_tokens=keys.tokens,
        )

    def _copy(self, records: list[Record], now: dt.datetime) -> list[int]:
        table = Organization._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) "  # noqa: S608
                "FROM generate_series(1, %s)",
                [len(records)],
            )
            ids = [row[0] for row in cursor.fetchall()]
            raw = cursor.cursor
            sql = f"COPY {table} ({', '.join(self.COPY_COLUMNS)}) FROM STDIN"
            # The raw cursor bypasses Django's error translation; restore it so that a
            # duplicate raises django.db.IntegrityError like every other write.
            with connection.wrap_database_errors, raw.copy(sql) as copy:
                for pk, rec in zip(ids, records, strict=True):
                    keys = name_keys(rec.name)
                    copy.write_row(
                        (
                            pk,
                            now,
                            now,
                            rec.uscc,
                            rec.filing_number,
                            rec.name,
                            rec.name_en,
                            rec.org_type,
                            rec.registration_kind,
                            rec.division_code,
                            rec.address,
                            rec.legal_representative,
                            "",
                            rec.founded_on,
                            rec.fields,
                            rec.umbrella_id,
                            rec.status,
                            rec.phone,
                            "",
                            "",
                            "",
                            keys.pinyin,
                            keys.initials,
                            keys.tokens,
                        )
                    )
        return ids


class _ErrorReport:
    def __init__(self, out: IO[str] | None) -> None:
        self.writer = csv.writer(out) if out is not None else None
        if self.writer:
            self.writer.writerow(ERROR_COLUMNS)

    def write(self, line: int, error: RowError) -> None:
        if self.writer:
            self.writer.writerow((line, error.column, error.code, error.message))


def _batches(rows: Iterator[tuple[int, list[str]]]) -> Iterator[list[tuple[int, list[str]]]]:
    batch: list[tuple[int, list[str]]] = []
    for item in rows:
        batch.append(item)
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def organizations_import(
    *,
    actor: Any,
    path: Path,
    job: ImportJob,
    errors_out: IO[str] | None = None,
    dry_run: bool = False,
    all_or_nothing: bool = False,
    on_progress: Callable[[float, ImportOutcome], None] | None = None,
) -> ImportOutcome:
    """Import every row of `path`. Exit semantics: see ImportOutcome.exit_code."""
    if actor is not None:
        require_permission("organization.import", actor)
    outcome = ImportOutcome()
    report = _ErrorReport(errors_out)
    try:
        table, first = open_import_table(path)
    except UnusableFile as exc:
        outcome.unusable = exc.message
        return outcome
    rows = table.rows

    def all_rows() -> Iterator[tuple[int, list[str]]]:
        assert first is not None
        yield first
        yield from rows

    divisions = division_code_set()
    today = timezone.localdate()
    check = RegistryCheck()
    store = _Store(actor=actor, job=job)
    jurisdiction = _jurisdiction_filter(actor)

    names = [h.strip().lstrip("\ufeff").lower() for h in table.header]

    def run() -> None:
        for batch in _batches(all_rows()):
            accepted: list[tuple[int, Record]] = []
            for line, cells in batch:
                outcome.rows_total += 1
                if any(c.strip() for c in cells[len(names) :]):
                    _reject(
                        line,
                        RowError("", "extra_cells", _("The row has more cells than the header.")),
                    )
                    continue
                if len(cells) < len(names):
                    _reject(
                        line,
                        RowError(
                            "",
                            "missing_cells",
                            _("The row has fewer cells than the header (%(n)d of %(m)d).")
                            % {"n": len(cells), "m": len(names)},
                        ),
                    )
                    continue
                raw = dict(zip(names, cells, strict=False))
                record, errs = clean_record(raw, divisions=divisions, today=today)
                if record is not None and not jurisdiction(record.division_code):
                    errs = [
                        RowError(
                            "division_code",
                            "outside_jurisdiction",
                            _("This division is outside your jurisdiction."),
                        )
                    ]
                    record = None
                if record is None:
                    for e in errs:
                        report.write(line, e)
                    outcome.rows_rejected += 1
                    continue
                accepted.append((line, record))
            rejected = check.check(accepted)
            bad_lines = {line for line, _ in rejected}
            for line, err in rejected:
                _reject(line, err)
            good = [(line, r) for line, r in accepted if line not in bad_lines]
            if not dry_run:
                _store_batch(good)
            else:
                outcome.rows_stored += len(good)
            # A heartbeat: a job that stops beating was interrupted (ImportJob.stalled).
            type(job).objects.filter(pk=job.pk).update(updated_at=timezone.now())
            if on_progress:
                on_progress(table.progress(), outcome)

    def _reject(line: int, err: RowError) -> None:
        report.write(line, err)
        outcome.rows_rejected += 1

    def _store_batch(good: list[tuple[int, Record]]) -> None:
        # Attached rows may name an umbrella stored in this same batch: store the others first.
        plain = [(ln, r) for ln, r in good if r.umbrella_uscc is None or r.umbrella_id]
        pending = [(ln, r) for ln, r in good if r.umbrella_uscc is not None and not r.umbrella_id]
        for group in (plain, pending):
            if group is pending and pending:
                found = dict(
                    Organization.objects.filter(
                        uscc__in={r.umbrella_uscc for _, r in pending}
                    ).values_list("uscc", "id")
                )
                for _, rec in pending:
                    rec.umbrella_id = found.get(rec.umbrella_uscc or "")
            failures = store.store(group)
            for line, err in failures:
                _reject(line, err)
            outcome.rows_stored += len(group) - len(failures)

    try:
        if all_or_nothing and not dry_run:
            try:
                with transaction.atomic():
                    run()
                    if outcome.rows_rejected:
                        raise _Rollback
            except _Rollback:
                outcome.rows_stored = 0
        else:
            run()
        if dry_run:
            outcome.rows_stored = 0
    except UnusableFile as exc:
        # Structure broke mid-file (the pre-pass catches encodings; this catches CSV quoting).
        outcome.unusable = exc.message
    return outcome


def _jurisdiction_filter(actor: Any) -> Callable[[str], bool]:
    from servicepark.accounts.roles import Role
    from servicepark.accounts.scoping import user_covers_division

    if actor is None or getattr(actor, "is_superuser", False):
        return lambda code: True
    return lambda code: user_covers_division(actor, code, [Role.OFFICIAL])
