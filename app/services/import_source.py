"""The rows of an import file, CSV or Excel, as the file holds them (no meaning yet).

CSV: the encoding is decided by app/services/text_encodings.py; the delimiter from the header
line (comma, or semicolon/tab/bar when the header clearly uses it; UTF-16 "Unicode text" uses
tabs). The file is split strictly: a quote that never closes, text after a closing quote, or
a row with more (non-empty) cells than the header refuses the whole file with the line where
it happens, since every later row would be read wrongly.

Excel (.xlsx): the first sheet or the one named; cells keep their types (dates, times,
numbers), which app/services/import_dates.py reads. A line number is the sheet's row number.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from app.errors import DeskError
from app.i18n import N_
from app.services.csv_text import detect_delimiter, restore
from app.services.text_encodings import decode

# One cell may legitimately hold a long description; the csv module's default limit (128 KB)
# would stop reading the file at such a cell.
csv.field_size_limit(2**31 - 1)

Progress = Callable[[int, int], None]
CSV, XLSX = "csv", "xlsx"


class FileRefused(DeskError):
    """The file cannot be read reliably at all (its structure, not one row's values)."""


@dataclass
class Source:
    """An opened import file: its header and a way to walk its rows (line, cells)."""

    name: str
    kind: str  # CSV or XLSX
    header: list[str]
    header_line: int
    walk: Callable[[Progress | None], Iterator[tuple[int, list[Any]]]]
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    sheets: list[str] = field(default_factory=list)
    close: Callable[[], None] = lambda: None  # an Excel file stays open (locked on Windows)


def kind_of(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return XLSX
    if suffix == ".xls":
        raise FileRefused(N_("{file} is an old Excel file (.xls): save it as .xlsx or CSV "
                             "and import that"), file=path.name)
    return CSV


def open_source(path: Path, kind: str | None = None, *, sheet: str | None = None,
                encoding: str | None = None) -> Source:
    kind = kind or kind_of(path)
    return _open_xlsx(path, sheet) if kind == XLSX else _open_csv(path, encoding)


# ---- CSV -----------------------------------------------------------------------------------
def _structure_problem(line: int, reason: str) -> FileRefused:
    if "end of data" in reason:
        return FileRefused(N_("Line {line}: a quote opened here is never closed; the rest of "
                              "the file cannot be split into cells. Nothing was imported."),
                           line=line)
    return FileRefused(N_("Line {line}: a quoted cell has text after its closing quote (a "
                          "quote inside a quoted cell must be doubled: \"\"). Nothing was "
                          "imported."), line=line)


def _open_csv(path: Path, encoding: str | None) -> Source:
    try:
        data = path.read_bytes()
    except OSError as e:
        raise DeskError(N_("Cannot read {file}: {reason}"), file=path.name,
                        reason=e.strerror or str(e)) from None
    decoded = decode(data, encoding, path.name)
    del data
    text = decoded.text
    first_line = text.lstrip("\r\n").split("\n", 1)[0]
    delimiter = detect_delimiter(first_line)
    total = max(1, text.count("\n"))

    def records(progress: Progress | None) -> Iterator[tuple[int, list[str]]]:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
        last = 0
        while True:
            start = last + 1
            try:
                record = next(reader)
            except StopIteration:
                return
            except csv.Error as e:
                raise _structure_problem(start, str(e)) from None
            last = reader.line_num
            if progress is not None and start % 2000 == 0:
                progress(last, total)
            if any(cell.strip() for cell in record):
                yield start, record

    first = next(records(None), None)
    if first is None:
        raise FileRefused(N_("{file} is empty: it has no header line"), file=path.name)
    header_line, header = first[0], [h.strip() for h in first[1]]
    width = len(header)

    def walk(progress: Progress | None) -> Iterator[tuple[int, list[Any]]]:
        rows = records(progress)
        next(rows)  # the header
        for line, record in rows:
            if len(record) > width and any(c.strip() for c in record[width:]):
                raise FileRefused(N_("Line {line} has {cells} cells but the header only "
                                     "{columns}: a delimiter or quote is out of place. "
                                     "Nothing was imported."), line=line, cells=len(record),
                                  columns=width)
            cells = list(map(str.strip, record))
            # restore() changes only a cell that starts with a quote: a row without any
            # quote is taken as it is (900,000 calls saved in an import of 100,000 rows).
            yield line, [restore(c) for c in cells] if "'" in "".join(cells) else cells

    return Source(path.name, CSV, header, header_line, walk, encoding=decoded.encoding,
                  delimiter=delimiter)


# ---- Excel ---------------------------------------------------------------------------------
def _cell(value: Any) -> Any:
    """Cell values as the import reads them: text stripped, whole numbers as integers."""
    if isinstance(value, str):
        return restore(value.strip())
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def _open_xlsx(path: Path, sheet: str | None) -> Source:
    import openpyxl  # only an Excel import needs it
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError):
        raise FileRefused(N_("{file} is not an Excel workbook (.xlsx) that can be read"),
                          file=path.name) from None
    except OSError as e:
        raise DeskError(N_("Cannot read {file}: {reason}"), file=path.name,
                        reason=e.strerror or str(e)) from None
    names = list(book.sheetnames)
    if sheet is not None and sheet not in names:
        book.close()
        raise FileRefused(N_("{file} has no sheet \"{sheet}\"; its sheets are: {sheets}"),
                          file=path.name, sheet=sheet[:60], sheets=", ".join(names))
    ws = book[sheet or names[0]]
    total = max(1, ws.max_row or 1)

    def rows(progress: Progress | None) -> Iterator[tuple[int, list[Any]]]:
        for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
            if progress is not None and number % 2000 == 0:
                progress(number, total)
            cells = [_cell(v) for v in values]
            if any(c is not None and c != "" for c in cells):
                yield number, cells

    first = next(rows(None), None)
    if first is None:
        book.close()
        raise FileRefused(N_("The sheet \"{sheet}\" of {file} is empty"), file=path.name,
                          sheet=ws.title)
    header_line = first[0]
    header = [_header_text(v) for v in first[1]]
    while header and not header[-1]:
        header.pop()
    width = len(header)

    def walk(progress: Progress | None) -> Iterator[tuple[int, list[Any]]]:
        try:
            for line, cells in rows(progress):
                if line <= header_line:
                    continue
                if len(cells) > width and any(c is not None and c != ""
                                              for c in cells[width:]):
                    raise FileRefused(N_("Line {line} has {cells} cells but the header only "
                                         "{columns}: name every column that holds data. "
                                         "Nothing was imported."), line=line,
                                      cells=len(cells), columns=width)
                yield line, cells
        finally:
            book.close()

    return Source(path.name, XLSX, header, header_line, walk, sheet=ws.title, sheets=names,
                  close=book.close)


def _header_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value).strip()


def as_text(value: Any) -> str:
    """A cell as text for fields that hold text (an Excel number 12345 is "12345")."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
