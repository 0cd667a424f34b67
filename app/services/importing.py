"""CSV import (DESIGN.md §5): a mapping file says which column holds which field.

Every row is checked first; a bad row is reported with its line number in the file (header
= line 1; a quoted cell spanning lines counts its first line) and the reason naming the
field. By default the import is all-or-nothing: one bad row and nothing is written.
`skip_bad` writes the good rows; `dry_run` writes nothing and reports what would happen.
Rows whose `external_id` is already in the database (or earlier in the file) are counted as
duplicates and not added again.

Imported rows are history: they take the stage of the file (or the one their times imply)
without passing the workflow guards; see app/services/import_rows.py for the rules.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app import audit, clock
from app.db import Database
from app.errors import DeskError, ValidationErrors
from app.i18n import N_, _
from app.permissions import IMPORT, require
from app.services.common import SYSTEM, Actor
from app.services.csv_mapping import FieldMap, match_header, parse_mapping, read_mapping
from app.services.csv_text import decode, detect_delimiter, restore
from app.services.import_rows import CleanRow, clean_row
from app.services.import_writer import (
    LIST_KINDS,
    ListLookup,
    existing_external_ids,
    write_rows,
)

# One cell may legitimately hold a long description; the csv module's default limit (128 KB)
# would stop reading the file at such a cell instead of letting us refuse just that row.
csv.field_size_limit(2**31 - 1)


@dataclass
class ImportResult:
    added: int  # complaints written (0 for a dry run or a refused all-or-nothing import)
    duplicates: int  # rows whose external_id was already known
    problems: list[str]  # one line per refused row: "line 7: Received at: ..."
    ready: int = 0  # good rows not yet in the database (what a run with skip_bad adds)
    rows: int = 0  # data rows read
    encoding: str = "UTF-8"
    dry_run: bool = False
    new_values: list[tuple[str, str]] = field(default_factory=list)  # (list kind, text)


def _line_problem(line: int, message: str) -> str:
    return _("line {line}: {problem}", line=line, problem=message)


def _read_text(path: Path) -> tuple[str, str]:
    try:
        data = path.read_bytes()
    except OSError as e:
        raise DeskError(N_("Cannot read {file}: {reason}"), file=path.name,
                        reason=e.strerror or str(e)) from None
    try:
        return decode(data)
    except UnicodeDecodeError:
        raise DeskError(N_("{file} is not text in UTF-8, GB18030 or Big5"),
                        file=path.name) from None


@dataclass
class _Parsed:
    rows: list[CleanRow]
    problems: list[str]
    count: int


def _parse(text: str, maps_spec: list[FieldMap], file_name: str,
           progress: Callable[[int, int], None] | None) -> _Parsed:
    first_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=detect_delimiter(first_line))
    header: list[str] | None = None
    maps: list[FieldMap] = []
    demand = next((m for m in maps_spec if m.field == "customer_demand"), None)
    rows: list[CleanRow] = []
    problems: list[str] = []
    count, last_line, total = 0, 0, max(1, text.count("\n"))
    while True:
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as e:  # the rest of the file cannot be split into cells reliably
            problems.append(_line_problem(last_line + 1, _(
                "the file cannot be read from here on: {reason}", reason=str(e))))
            break
        line, last_line = last_line + 1, reader.line_num
        if not any(cell.strip() for cell in record):
            continue
        if header is None:
            header = record
            maps = match_header(maps_spec, header)
            continue
        count += 1
        if len(record) > len(header) and any(c.strip() for c in record[len(header):]):
            problems.append(_line_problem(line, _(
                "the row has {cells} cells but the header only {columns}",
                cells=len(record), columns=len(header))))
            continue
        cells: dict[str, str] = {}
        for m in maps:
            raw = restore(record[m.index].strip()) if m.index < len(record) else ""
            cells[m.field] = raw if m.field == "customer_demand" else m.translate(raw)
        try:
            rows.append(clean_row(line, cells, demand.values if demand else None,
                                  demand.folded if demand else None))
        except ValidationErrors as e:
            problems.append(_line_problem(line, e.message()))
        if progress is not None and count % 1000 == 0:
            progress(last_line, total)
    if header is None:
        raise DeskError(N_("{file} is empty: it has no header line"), file=file_name)
    return _Parsed(rows, problems, count)


def _phase(progress: Callable[[int, int], None] | None, phase: int,
           ) -> Callable[[int, int], None] | None:
    """Progress of one of the two phases (reading, writing) as per mille of the whole, so a
    progress bar only moves forward."""
    if progress is None:
        return None
    return lambda done, total: progress(
        phase * 1000 + min(1000, 1000 * done // max(total, 1)), 2000)


def import_csv(db: Database, file: str | Path, mapping_file: str | Path | dict[str, Any],
               dry_run: bool = False, skip_bad: bool = False, actor: Actor = SYSTEM,
               progress: Callable[[int, int], None] | None = None) -> ImportResult:
    """Import complaints from a CSV file. Raises DeskError when the file or the mapping
    cannot be used at all; bad rows are reported in `problems`.

    `progress(done, total)` is called now and then (total 2000: reading, then writing);
    raising from it cancels the import (nothing is written: it is all one transaction).
    """
    require(actor, IMPORT)  # supervisors (app/permissions.py)
    path = Path(file)
    maps = parse_mapping(read_mapping(mapping_file))
    text, encoding = _read_text(path)
    parsed = _parse(text, maps, path.name, _phase(progress, 0))
    del text  # the checked rows are all that is needed from here on
    result = ImportResult(0, 0, parsed.problems, rows=parsed.count, encoding=encoding,
                          dry_run=dry_run)
    write = not dry_run and (skip_bad or not parsed.problems)
    with (db.write() if write else db.read()) as session:
        known = existing_external_ids(
            session, (r.external_id for r in parsed.rows if r.external_id))
        seen: set[str] = set()
        new_rows = []
        for row in parsed.rows:
            if row.external_id:
                if row.external_id in known or row.external_id in seen:
                    result.duplicates += 1
                    continue
                seen.add(row.external_id)
            new_rows.append(row)
        result.ready = len(new_rows)
        if not write or not new_rows:  # nothing to write: say what a real run would create
            lists = ListLookup(session)
            for row in new_rows:
                for kind in LIST_KINDS:
                    lists.note(kind, getattr(row, kind))
            result.new_values = [(kind, text) for (kind, _f), text in lists.new.items()]
            return result
        result.new_values = write_rows(session, new_rows, actor, clock.now(), path.name,
                                       _phase(progress, 1))
        result.added = len(new_rows)
        # Bulk rows bypass the flush: one audit event accounts for them (app/audit.py).
        audit.record_bulk(session, actor, "import_csv", path.name, complaints=result.added)
    return result
