"""The import engine (DESIGN.md §5), one for the command line and the window: a CSV or Excel
file and a mapping (MAP.json) become complaints, or nothing changes.

1. The file is opened (app/services/import_source.py: encoding, delimiter, strict splitting).
2. Every mapped cell is read once; the date columns see all their values first, so that a
   numeric date's day/month order is known (from `date_order` or the column itself) before any
   row is read with it (app/services/import_dates.py).
3. Every row is checked (app/services/import_rows.py); a bad row is reported with its line
   number (header = line 1; a quoted cell spanning lines counts its first line; in Excel the
   sheet's row number) and the reason naming the field.
4. By default all-or-nothing: one bad row and nothing is written. `skip_bad` writes the good
   rows; `dry_run` writes nothing and reports what would happen. Rows whose `external_id` is
   already in the database (or earlier in the file) are duplicates and not added again.
5. The rows are written in bulk in one transaction (app/services/import_writer.py); raising
   from `progress` (the window's Cancel) rolls all of it back.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app import audit, clock
from app.db import Database
from app.errors import DeskError, ValidationErrors
from app.i18n import N_, _
from app.permissions import IMPORT, require
from app.services.bulk_work import without_cyclic_gc
from app.services.common import SYSTEM, Actor
from app.services.csv_mapping import (
    DATE_FIELDS,
    FieldMap,
    Mapping,
    match_header,
    parse_mapping,
    read_mapping,
)
from app.services.import_dates import DateColumn
from app.services.import_rows import CleanRow, RowRules, clean_row
from app.services.import_source import CSV, XLSX, Progress, Source, as_text, open_source
from app.services.import_writer import (
    ListLookup,
    existing_external_ids,
    write_rows,
)
from app.settings import get as get_setting

PHASES = 3  # reading, checking, writing: `progress(done, total)` runs over all three


class ImportCancelled(DeskError):
    """The person cancelled; nothing was written."""

    def __init__(self) -> None:
        super().__init__(N_("Import cancelled: nothing was written"))


@dataclass
class ImportResult:
    added: int  # complaints written (0 for a dry run or a refused all-or-nothing import)
    duplicates: int  # rows whose external_id was already known
    problems: list[str]  # one line per refused row: "line 7: Received at: ..."
    ready: int = 0  # good rows not yet in the database (what a run with skip_bad adds)
    rows: int = 0  # data rows read
    encoding: str | None = "UTF-8"  # of a CSV file
    dry_run: bool = False
    new_values: list[tuple[str, str]] = field(default_factory=list)  # (list kind, text)
    date_orders: dict[str, str] = field(default_factory=dict)  # column -> dmy/mdy as settled
    sheet: str | None = None
    refused: list[tuple[int, str]] = field(default_factory=list)  # (line, reason)


def _line_problem(line: int, message: str) -> str:
    return _("line {line}: {problem}", line=line, problem=message)


def _phase(progress: Progress | None, phase: int) -> Progress | None:
    """Progress of one phase as per mille of the whole, so a progress bar only moves on."""
    if progress is None:
        return None
    return lambda done, total: progress(
        phase * 1000 + min(1000, 1000 * done // max(total, 1)), PHASES * 1000)


@dataclass
class _Read:
    """The mapped cells of every data row, with the date columns that read them."""

    lines: list[int]
    texts: list[tuple[str, ...]]  # per row: the text fields' cells, in `text_maps` order
    dates: list[tuple[Any, ...]]  # per row: (value, time value) per date field
    text_maps: list[FieldMap]
    date_maps: list[FieldMap]
    columns: dict[str, DateColumn]


def _read_cells(source: Source, mapping: Mapping, progress: Progress | None) -> _Read:
    maps = match_header(mapping.fields, source.header)
    text_maps = [m for m in maps if m.field not in DATE_FIELDS]
    date_maps = [m for m in maps if m.field in DATE_FIELDS]
    columns = {m.field: DateColumn(m.field, m.column, mapping.date_order) for m in date_maps}
    observers = [columns[m.field].observe for m in date_maps]
    read = _Read([], [], [], text_maps, date_maps, columns)
    text_at = [m.index for m in text_maps]
    date_at = [(m.index, m.time_index) for m in date_maps]
    # A CSV cell is text already (as_text would give it back as it is): a full row's text
    # cells are taken in one C call.
    text_of = (operator.itemgetter(*text_at)
               if source.kind == CSV and len(text_at) > 1 else None)
    reach = max(text_at, default=-1) + 1
    for line, cells in source.walk(progress):
        width = len(cells)
        read.lines.append(line)
        if text_of is not None and width >= reach:
            read.texts.append(text_of(cells))
        else:
            read.texts.append(tuple(as_text(cells[i]) if i < width else "" for i in text_at))
        values = []
        for (i, t), observe in zip(date_at, observers, strict=True):
            value = cells[i] if i < width else None
            observe(line, value)
            values.append((value, cells[t] if 0 <= t < width else None))
        read.dates.append(tuple(values))
    for column in columns.values():
        column.settle()  # DateOrderUnclear: the whole file is refused with the question
    return read


def _check_rows(read: _Read, rules: RowRules, progress: Progress | None,
                ) -> tuple[list[CleanRow], list[tuple[int, str]]]:
    rows: list[CleanRow] = []
    problems: list[tuple[int, str]] = []
    names = [m.field for m in read.text_maps]
    # A field without a value map keeps its cell (FieldMap.translate gives it back as is).
    translators = [m.translate if m.values and m.field != "customer_demand" else None
                   for m in read.text_maps]
    date_names = [m.field for m in read.date_maps]
    total = len(read.lines)
    for n, (line, texts, dates) in enumerate(zip(read.lines, read.texts, read.dates,
                                                 strict=True)):
        read.texts[n] = read.dates[n] = ()  # the raw cells go as their row is checked
        cells = {name: (tr(text) if tr is not None else text)
                 for name, tr, text in zip(names, translators, texts, strict=True)}
        try:
            rows.append(clean_row(line, cells, rules, dict(zip(date_names, dates, strict=True))))
        except ValidationErrors as e:
            problems.append((line, e.message()))
        if progress is not None and n % 2000 == 0:
            progress(n, total)
    return rows, problems


def import_file(db: Database, file: str | Path, mapping_file: str | Path | dict[str, Any],
                *, kind: str | None = None, sheet: str | None = None, dry_run: bool = False,
                skip_bad: bool = False, actor: Actor = SYSTEM,
                progress: Progress | None = None) -> ImportResult:
    """Import complaints from a CSV or Excel file (`kind` from the file name unless given).
    Raises DeskError when the file or the mapping cannot be used at all; bad rows are
    reported in `problems`.

    `progress(done, total)` is called now and then; raising from it cancels the import
    (nothing is written: it is all one transaction).
    """
    require(actor, IMPORT)  # supervisors (app/permissions.py)
    with without_cyclic_gc():
        return _import_file(db, Path(file), mapping_file, kind, sheet, dry_run, skip_bad,
                            actor, progress)


def _import_file(db: Database, path: Path, mapping_file: str | Path | dict[str, Any],
                 kind: str | None, sheet: str | None, dry_run: bool, skip_bad: bool,
                 actor: Actor, progress: Progress | None) -> ImportResult:
    mapping = parse_mapping(read_mapping(mapping_file))
    with db.read() as session:
        region = str(get_setting(session, "phone_region"))
    source = open_source(path, kind, sheet=sheet, encoding=mapping.encoding)
    try:
        read = _read_cells(source, mapping, _phase(progress, 0))
    finally:
        source.close()
    source_kind, encoding, sheet_name = source.kind, source.encoding, source.sheet
    del source  # and with it the file's text
    demand = next((m for m in mapping.fields if m.field == "customer_demand"), None)
    rules = RowRules(read.columns, region, demand.values if demand else None,
                     demand.folded if demand else None)
    rows, refused = _check_rows(read, rules, _phase(progress, 1))
    count = len(read.lines)
    # Orders found from the values (not those the mapping gave), to be told to the person.
    date_orders = {c.column: c.settled for c in read.columns.values()
                   if c.settled and c.order is None}
    del read  # the checked rows are all that is needed from here on
    result = ImportResult(0, 0, [_line_problem(line, why) for line, why in refused],
                          rows=count, encoding=encoding, dry_run=dry_run,
                          date_orders=date_orders, sheet=sheet_name, refused=refused)
    write = not dry_run and (skip_bad or not refused)
    with (db.write() if write else db.read()) as session:
        known = existing_external_ids(
            session, (r.external_id for r in rows if r.external_id))
        seen: set[str] = set()
        new_rows = []
        for row in rows:
            if row.external_id:
                if row.external_id in known or row.external_id in seen:
                    result.duplicates += 1
                    continue
                seen.add(row.external_id)
            new_rows.append(row)
        result.ready = len(new_rows)
        if not write or not new_rows:  # nothing to write: say what a real run would create
            lists = ListLookup(session)
            lists.note_rows(new_rows)
            result.new_values = [(k, text) for (k, _f), text in lists.new.items()]
            if progress is not None:
                progress(PHASES * 1000, PHASES * 1000)
            return result
        result.new_values = write_rows(session, new_rows, actor, clock.now(), path.name,
                                       _phase(progress, 2))
        result.added = len(new_rows)
        # Bulk rows bypass the flush: one audit event accounts for them (app/audit.py).
        audit.record_bulk(session, actor, "import_xlsx" if source_kind == XLSX else "import_csv",
                          path.name, complaints=result.added)
    return result


def import_csv(db: Database, file: str | Path, mapping_file: str | Path | dict[str, Any],
               dry_run: bool = False, skip_bad: bool = False, actor: Actor = SYSTEM,
               progress: Callable[[int, int], None] | None = None) -> ImportResult:
    """`import csv` (DESIGN.md §5)."""
    return import_file(db, file, mapping_file, kind=CSV, dry_run=dry_run, skip_bad=skip_bad,
                       actor=actor, progress=progress)


def import_xlsx(db: Database, file: str | Path, mapping_file: str | Path | dict[str, Any],
                sheet: str | None = None, dry_run: bool = False, skip_bad: bool = False,
                actor: Actor = SYSTEM, progress: Callable[[int, int], None] | None = None,
                ) -> ImportResult:
    """`import xlsx` (DESIGN.md §5): the first sheet, or `sheet`."""
    return import_file(db, file, mapping_file, kind=XLSX, sheet=sheet, dry_run=dry_run,
                       skip_bad=skip_bad, actor=actor, progress=progress)
