"""Columns read as the database stores them, for queries that read thousands of rows.

SQLite hands times and JSON over as text, and SQLAlchemy's result processors convert each
value in Python (a regular expression per time, a wrapper around json.loads per document):
a third of a month's statistics and a tenth of the queue at 100,000 complaints (tests/bench).
Such columns are read with `as_stored` and converted by the parsers below, the C
`datetime.fromisoformat` and `json.loads` on SQLite; PostgreSQL's driver already gives
datetimes and decoded JSON, which pass through unchanged.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import String, type_coerce


def as_stored(column: Any, dialect: str) -> Any:
    """`column` read without SQLAlchemy's conversion where the stored form is text."""
    return type_coerce(column, String) if dialect == "sqlite" else column


def _as_is(value: Any) -> Any:
    return value


def time_parser(dialect: str) -> Callable[[Any], datetime]:
    """The datetime of a non-null time column read with `as_stored`."""
    return datetime.fromisoformat if dialect == "sqlite" else _as_is


def json_parser(dialect: str) -> Callable[[Any], Any]:
    """The value of a non-null JSON column read with `as_stored`."""
    return json.loads if dialect == "sqlite" else _as_is
