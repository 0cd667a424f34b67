"""CSV export (DESIGN.md §5): one row per complaint, safe to open in Excel.

UTF-8 with a BOM (so Excel reads Chinese correctly), the header first: `reference`, then the
importable fields under the same names, with codes (not labels), times as
`YYYY-MM-DD HH:MM:SS` and `customer_demand` as codes joined with ";". Cells that a
spreadsheet would run as a formula get a leading quote, which the import removes again, so
an exported file imports back unchanged with the identity mapping (`identity_mapping()`).

Rows are streamed from one Core query in chunks: 100,000 complaints never become ORM objects.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import aliased

from app import audit
from app.atomic_files import FileInUse, atomic_write
from app.db import Database
from app.errors import DeskError
from app.i18n import N_
from app.models import Complaint, Customer, ListValue
from app.outputs import guard_output
from app.permissions import EXPORT, require
from app.services.common import SYSTEM, Actor
from app.services.csv_mapping import IMPORT_FIELDS
from app.services.csv_text import neutralise

HEADER = ("reference", *IMPORT_FIELDS)
FETCH = 2000  # rows per fetch from the database cursor


def identity_mapping() -> dict[str, str]:
    """The mapping that imports an exported file (every field from its own column)."""
    return {name: name for name in IMPORT_FIELDS}


def _day(value: str | date | None, option: str) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise DeskError(N_("{option} is not a date (use YYYY-MM-DD): \"{value}\""),
                        option=option, value=value[:40]) from None


def _cell(value: Any) -> str | int:
    if value is None:
        return ""
    if isinstance(value, int) and not isinstance(value, bool):
        return value  # satisfaction: a number, left unquoted
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, list):
        return neutralise(";".join(str(v) for v in value))
    return neutralise(str(value))


def export_csv(db: Database, out: str | Path, date_from: str | date | None = None,
               date_to: str | date | None = None, *, actor: Actor = SYSTEM) -> int:
    """Write the complaints received from `date_from` to `date_to` (both days included, each
    optional) to `out`; returns how many. The file appears complete or not at all."""
    require(actor, EXPORT)  # supervisors (app/permissions.py); audited below
    target = guard_output(db, out)  # never onto the database or a backup
    start, end = _day(date_from, "--from"), _day(date_to, "--to")
    if start and end and end < start:
        raise DeskError(N_("--to is before --from"))
    category, subject, department = aliased(ListValue), aliased(ListValue), aliased(ListValue)
    c = Complaint
    query = (
        select(c.reference, c.received_at, c.channel, category.code, subject.code, c.severity,
               Customer.name, Customer.phone, Customer.email, Customer.tier, c.description,
               c.demands, department.code, c.location, c.external_id, c.stage, c.resolved_at,
               c.closed_at, c.satisfaction, c.occurred_at)
        .select_from(c)
        .outerjoin(Customer, Customer.id == c.customer_id)
        .outerjoin(category, category.id == c.category_id)
        .outerjoin(subject, subject.id == c.subject_id)
        .outerjoin(department, department.id == c.department_id)
        .order_by(c.received_at, c.id)
    )
    if start:
        query = query.where(c.received_at >= datetime.combine(start, datetime.min.time()))
    if end:
        query = query.where(c.received_at < datetime.combine(end + timedelta(days=1),
                                                            datetime.min.time()))
    count = 0
    try:
        with atomic_write(target) as raw, db.read() as session:
            fh = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
            # Every text is quoted: a spreadsheet that splits on ";" or tab as well as ","
            # (LibreOffice's default) still finds "exchange;explanation" in one column.
            csv.writer(fh).writerow(HEADER)  # plain names, as readers of the header expect
            writer = csv.writer(fh, quoting=csv.QUOTE_NONNUMERIC)
            result = session.execute(query.execution_options(yield_per=FETCH))
            for chunk in result.partitions():
                writer.writerows([_cell(v) for v in row] for row in chunk)
                count += len(chunk)
            fh.flush()
            fh.detach()  # the raw handle is synced and closed by atomic_write
    except FileInUse:
        raise
    except OSError as e:
        raise DeskError(N_("Cannot write {file}: {reason}"), file=target.name,
                        reason=e.strerror or str(e)) from None
    audit.log(db, actor, "export_csv", target.name, complaints=count,
              date_from=str(start or ""), date_to=str(end or ""))
    return count


