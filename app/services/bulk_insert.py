"""Inserting prepared rows in bulk, given column by column (SQLAlchemy Core, the driver's
executemany or PostgreSQL's COPY), inside the caller's transaction.

A bulk path (an import) builds each column of a batch as one list: a column that holds one
value for every row (the version, the import's file, its time) is `[value] * n`, with no
dict per row to build and read back (issue 17). Each column's values go through their column
type's own bind processor, so the stored values are exactly SQLAlchemy's, without its per-row
statement machinery, which cost more than SQLite's own work.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Table, func, insert, select
from sqlalchemy.engine import Connection

from app.bulk_copy import COPY_ABOVE, copy_rows

Columns = Mapping[str, Sequence[Any]]  # column name -> its values, one per row


def columns_of(rows: Sequence[Mapping[str, Any]]) -> dict[str, list[Any]]:
    """Rows given as dicts (each with the same keys) as columns."""
    if not rows:
        return {}
    return {name: list(map(operator.itemgetter(name), rows)) for name in rows[0]}


def insert_columns(conn: Connection, table: Table, values: Columns) -> None:
    """executemany (or, for a large batch on PostgreSQL, COPY) of the rows whose columns are
    `values`; columns of the table not given take their database default."""
    columns = [c for c in table.columns if c.name in values]
    if not columns:
        return
    count = len(values[columns[0].name])
    if not count:
        return
    if any(len(values[c.name]) != count for c in columns):
        raise ValueError(f"columns of unequal length for {table.name}")
    dialect = conn.dialect
    cells = []
    for c in columns:
        convert = _quick(c.type.dialect_impl(dialect).bind_processor(dialect))
        column = values[c.name]
        cells.append(convert(column) if convert is not None else column)
    if dialect.name == "postgresql" and count >= COPY_ABOVE:
        # The same values, bind processors applied, streamed by COPY (app/bulk_copy.py).
        copy_rows(conn, table.name, [c.name for c in columns], zip(*cells, strict=True))
        return
    compiled = insert(table).compile(dialect=dialect, column_keys=[c.name for c in columns])
    names = [c.name for c in columns]
    if compiled.positional:
        at = {name: i for i, name in enumerate(names)}
        order = [at[compiled.binds[name].key] for name in compiled.positiontup or ()]
        params: list[Any] = list(zip(*[cells[i] for i in order], strict=True))
    else:
        params = [dict(zip(names, row, strict=True)) for row in zip(*cells, strict=True)]
    conn.exec_driver_sql(compiled.string, params)


def insert_keyed(conn: Connection, table: Table, values: Columns, key: Any,
                 ) -> dict[Any, int]:
    """Insert rows that each have a unique `key` value; returns key value -> new id.

    A plain executemany or COPY (insert_columns; on PostgreSQL wide RETURNING statements ran
    5–8× slower), then the new ids are read back as those above the largest id before (ids
    come from a sequence or SQLite's rowid, so ours are all above it; rows other counters add
    meanwhile on a server are told apart by key). Reading them back by `key IN (…)` instead
    made PostgreSQL scan the freshly filled table for each chunk (it has no statistics on it
    yet): minutes.
    """
    wanted = set(values.get(key.name, ()))
    if not wanted:
        return {}
    before = conn.execute(select(func.coalesce(func.max(table.c.id), 0))).scalar_one()
    insert_columns(conn, table, values)
    found = conn.execute(select(table.c.id, key).where(table.c.id > before)).all()
    return {k: id_ for id_, k in found if k in wanted}


_SAMPLES = (datetime(2024, 3, 5, 14, 20), datetime(1999, 12, 31, 23, 59, 59, 123456))


def _quick(processor: Callable[[Any], Any] | None,
           ) -> Callable[[Sequence[Any]], list[Any]] | None:
    """The processor's conversion of a whole column, cheaper where it repeats: a JSON value
    (the demands, an event's data: a handful of distinct values) is serialised once; a
    datetime goes through C's isoformat when that gives exactly what the processor gives
    (SQLite's text form), and None stays None when the processor keeps it."""
    if processor is None:
        return None
    try:
        dates_as_text = (processor(None) is None and all(
            processor(d) == d.isoformat(" ", "microseconds") for d in _SAMPLES))
    except (TypeError, ValueError, AttributeError):
        dates_as_text = False
    if dates_as_text:
        def as_text(column: Sequence[Any]) -> list[Any]:
            first = column[0] if column else None
            if (type(first) is datetime and first.tzinfo is None
                    and column.count(first) == len(column)):
                # One time for every row (the import's own): one conversion. Naive times
                # that compare equal have the same fields, hence the same text.
                return [first.isoformat(" ", "microseconds")] * len(column)
            return [v if v is None else v.isoformat(" ", "microseconds")
                    if type(v) is datetime else processor(v) for v in column]
        return as_text
    memo: dict[str, Any] = {}

    def once(value: Any) -> Any:
        if not isinstance(value, list | dict):
            return processor(value)
        key = repr(value)
        found = memo.get(key)
        if found is None:
            found = memo[key] = processor(value)
        return found

    def convert(column: Sequence[Any]) -> list[Any]:
        if not any(isinstance(v, list | dict) for v in column):
            return list(map(processor, column))  # a flag or a number: the processor as it is
        # Rows that share one value object (import_writer gives equal demands and event data
        # the same object) take its conversion by identity, without its repr; the column
        # holds the objects, so their ids are theirs for the whole call.
        same: dict[int, Any] = {}
        return [same[i] if (i := id(v)) in same else same.setdefault(i, once(v))
                for v in column]

    return convert
