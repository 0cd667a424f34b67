"""Helpers for the CSV import/export tests: files on disk and a fingerprint of the database."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

from app.db import Database
from tests.db_inspect import count as table_count
from tests.db_inspect import fingerprint

# A file in the style of public complaint datasets (CFPB-like column names).
HEADER = ["Complaint ID", "Date received", "Submitted via", "Product", "Issue", "Phone",
          "Consumer name", "Priority", "Status", "Date closed", "Rating", "Wants"]
MAPPING = {
    "date_order": "mdy",  # a US file: 01/05/2025 is January 5th
    "external_id": "Complaint ID",
    "received_at": "Date received",
    "channel": {"column": "Submitted via", "values": {"Web": "online", "Phone": "phone",
                                                       "Walk-in": "counter"}},
    "category": "Product",
    "description": "Issue",
    "phone": "Phone",
    "customer_name": "Consumer name",
    "severity": {"column": "Priority", "values": {"P1": "urgent", "P2": "serious",
                                                  "P3": "normal", "P4": "minor"}},
    "stage": {"column": "Status", "values": {"Open": "new", "Closed": "closed"}},
    "closed_at": "Date closed",
    "satisfaction": "Rating",
    "customer_demand": {"column": "Wants", "values": {"Money back": "refund",
                                                      "Sorry": "apology"}},
}


def row(**cells: str) -> list[str]:
    """A data row for HEADER; unnamed cells are empty. Keys: the header names with spaces
    replaced by underscores (Date_received=...)."""
    values = {k.replace("_", " "): v for k, v in cells.items()}
    unknown = set(values) - set(HEADER)
    assert not unknown, unknown
    return [values.get(h, "") for h in HEADER]


def good_row(n: int, **cells: str) -> list[str]:
    base = {"Complaint_ID": f"C-{n}", "Date_received": "01/05/2025 10:30", "Submitted_via": "Web",
            "Product": "Parking", "Issue": f"收费太贵 {n}", "Phone": "138 0013 8000",
            "Consumer_name": "王先生"}
    base.update(cells)
    return row(**base)


def write_csv(path: Path, rows: Sequence[Sequence[str]], header: Sequence[str] = HEADER,
              encoding: str = "utf-8", newline: str = "\r\n") -> Path:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator=newline)
    writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def db_fingerprint(db: Database) -> str:
    """A hash of every row of every table: equal before and after means nothing changed."""
    return fingerprint(db)


def count(db: Database, table: str = "complaints") -> int:
    return table_count(db, table)


def read_export(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))
