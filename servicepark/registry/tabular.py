"""Reading CSV and XLSX files as streams of rows, with clear reasons when a file is unusable.

CSV encoding is detected, not assumed: a UTF-8 BOM, else strict UTF-8, else GB18030 (a superset
of GBK and GB2312). The whole file is decoded once before any row is used, so that a file that
is broken half-way is refused before anything is stored.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.utils.translation import gettext as _

SAMPLE = 64 * 1024
XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"
csv.field_size_limit(1024 * 1024)


class UnusableFile(Exception):
    """The file as a whole cannot be read; nothing from it is stored."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Table:
    kind: str  # "csv" or "xlsx"
    encoding: str
    header: list[str]
    rows: Iterator[tuple[int, list[str]]]  # (line number, cells); the header is line 1
    _progress: Callable[[], float]
    _close: Callable[[], None]

    def progress(self) -> float:
        """Fraction of the file read so far."""
        return float(self._progress())

    def close(self) -> None:
        """Release the file when the rows are not read to the end."""
        self._close()


def _check_readable(path: Path, encoding: str) -> None:
    """Decode and parse the whole file once, so that nothing is stored from a broken file."""
    with path.open("rb") as raw:
        # Since Python 3.11 the csv module reads NUL like any other character, so it no
        # longer raises for binary data; a NUL byte was stored in the job's message and made
        # PostgreSQL fail (found by fuzzing). In UTF-8 and GB18030 a zero byte is only NUL.
        while chunk := raw.read(1 << 20):
            if b"\x00" in chunk:
                raise UnusableFile(_("The file contains binary data; it is not a CSV file."))
    with path.open("rb") as raw:
        text = io.TextIOWrapper(raw, encoding=encoding, errors="strict", newline="")
        reader = csv.reader(text)
        try:
            for _row in reader:
                pass
        except UnicodeDecodeError:
            raise UnusableFile(
                _(
                    "The file is not valid %(enc)s text (bad bytes near line %(line)d). Save it "
                    "as CSV in UTF-8 or GBK."
                )
                % {"enc": encoding.upper().replace("-SIG", ""), "line": reader.line_num + 1}
            ) from None
        except csv.Error as exc:
            if "NUL" in str(exc):
                raise UnusableFile(
                    _("The file contains binary data; it is not a CSV file.")
                ) from None
            raise UnusableFile(
                _("The CSV structure breaks at line %(line)d: %(err)s")
                % {"line": reader.line_num, "err": exc}
            ) from None


def detect_encoding(sample: bytes) -> str:
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise UnusableFile(_("The file is UTF-16 text; save it as CSV in UTF-8 or GBK."))
    first_error: UnicodeDecodeError | None = None
    for encoding in ("utf-8", "gb18030"):
        try:
            codecs.getincrementaldecoder(encoding)("strict").decode(sample, final=False)
        except UnicodeDecodeError as exc:
            first_error = first_error or exc
            continue
        return encoding
    line = sample[: first_error.start].count(b"\n") + 1 if first_error else 1
    raise UnusableFile(
        _(
            "The text is neither UTF-8 nor GBK (bad bytes at line %(line)d); save "
            "it as CSV in UTF-8 or GBK."
        )
        % {"line": line}
    )


def _open_csv(path: Path, sample: bytes, *, whole: bool) -> Table:
    encoding = detect_encoding(sample)  # first: it names UTF-16, whose text has zero bytes
    if b"\x00" in sample:
        raise UnusableFile(_("The file contains binary data; it is not a CSV file."))
    if whole:
        _check_readable(path, encoding)
    raw: IO[bytes] = path.open("rb")
    size = max(1, path.stat().st_size)
    text = io.TextIOWrapper(raw, encoding=encoding, newline="")
    reader = csv.reader(text)
    try:
        header = next(reader)
    except StopIteration:
        raw.close()
        raise UnusableFile(_("The file is empty.")) from None
    except csv.Error as exc:
        raw.close()
        raise UnusableFile(
            _("The file is not a readable CSV file: %(err)s") % {"err": exc}
        ) from None

    def rows() -> Iterator[tuple[int, list[str]]]:
        start = reader.line_num + 1
        try:
            for cells in reader:
                if any(c.strip() for c in cells):
                    yield start, cells
                start = reader.line_num + 1
        except csv.Error as exc:
            raise UnusableFile(
                _("The CSV structure breaks at line %(line)d: %(err)s")
                % {"line": start, "err": exc}
            ) from None
        finally:
            raw.close()

    return Table(
        "csv",
        encoding,
        header,
        rows(),
        lambda: raw.tell() / size if not raw.closed else 1,
        raw.close,
    )


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if hasattr(value, "date") and callable(value.date):
        return str(value.date().isoformat())
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _damaged(exc: Exception) -> UnusableFile:
    return UnusableFile(
        _("The Excel file is damaged or not an XLSX workbook (%(err)s).")
        % {"err": type(exc).__name__}
    )


def _open_xlsx(path: Path, *, whole: bool) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        # Read the whole sheet once, as for CSV, so that a workbook that is broken half-way
        # is refused before anything is stored.
        for _values in sheet.iter_rows(values_only=True) if sheet is not None and whole else ():
            pass
    except Exception as exc:
        # A damaged workbook fails in many ways besides BadZipFile: zlib.error, XML ParseError,
        # and openpyxl's own TypeErrors and ValueErrors (found by fuzzing).
        raise _damaged(exc) from None
    if sheet is None:
        workbook.close()
        raise UnusableFile(_("The workbook has no sheet."))
    total = max(1, sheet.max_row or 1)
    iterator = sheet.iter_rows(values_only=True)
    try:
        header = [_cell_text(v) for v in next(iterator)]
    except StopIteration:
        workbook.close()
        raise UnusableFile(_("The file is empty.")) from None
    except Exception as exc:  # a damaged sheet, when it was not read whole first
        workbook.close()
        raise _damaged(exc) from None
    while header and header[-1] == "":
        header.pop()
    state = {"line": 1}

    def rows() -> Iterator[tuple[int, list[str]]]:
        try:
            for line, values in enumerate(iterator, start=2):
                state["line"] = line
                cells = [_cell_text(v) for v in values]
                if any(c.strip() for c in cells):
                    yield line, cells
        except Exception as exc:  # a damaged sheet, when it was not read whole first
            raise _damaged(exc) from None
        finally:
            workbook.close()

    return Table("xlsx", "xlsx", header, rows(), lambda: state["line"] / total, workbook.close)


def open_table(path: Path, *, whole: bool = True) -> Table:
    """Open a CSV or XLSX file by its content (the name is never trusted). With `whole`
    (for an import) the whole file is read once first; without it (a quick look at an upload)
    only its start is checked."""
    try:
        with path.open("rb") as fh:
            sample = fh.read(SAMPLE)
    except OSError as exc:
        raise UnusableFile(_("The file cannot be read: %(err)s") % {"err": exc.strerror}) from None
    if not sample.strip():
        raise UnusableFile(_("The file is empty."))
    if sample.startswith(XLSX_MAGIC):
        return _open_xlsx(path, whole=whole)
    if sample.startswith(OLE_MAGIC):
        raise UnusableFile(_("Old Excel (.xls) files are not supported; save it as XLSX or CSV."))
    return _open_csv(path, sample, whole=whole)
