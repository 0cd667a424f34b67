"""Moving a database to a PostgreSQL server: `python main.py --db FILE migrate-to URL`.

Everything happens in ONE transaction on the server, so a failure at any point leaves the
server database exactly as it was (PostgreSQL's DDL is transactional too):
1. the schema is brought to the program's revision with the same Alembic migrations;
2. a server database that already holds complaints is refused; one holding only set-up data
   (lists, accounts made at a first start there) has those rows replaced by the file's;
3. every table is copied in foreign-key order, ids kept, rows exactly as read (the audit
   trail's events, head and seals verbatim, so its hash chain and row fingerprints still hold);
4. PostgreSQL's id sequences are moved past the copied ids (setval);
5. it is verified before committing: per table the row count and a checksum over every row as
   read back from the server (the audit fingerprint of each row, summed), and the audit chain
   walked on the server, ending at the file's newest hash.
The source is read in one read transaction: a consistent snapshot even while a counter saves.
Attachment files become contents held by the server database (`attachment_blobs`, once per
SHA-256) in the same transaction, so every counter can open them; a file missing at the source
or no longer matching its checksum is not copied and is named in the result.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Table, delete, func, insert, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from app import clock
from app.audit_check import walk_chain
from app.audit_hashes import fingerprint
from app.db import WRITE_LOCK_KEY, Database
from app.errors import DeskError
from app.i18n import N_, NN_
from app.models import Attachment, AttachmentBlob, AuditHead, Base, Complaint
from app.paths import resolve
from app.schema_revisions import MIGRATIONS

BATCH = 1000
MODULUS = 1 << 256  # checksums: the sum of the rows' SHA-256 values, so row order is free

Progress = Callable[[str, int], None]  # table name, rows copied so far


@dataclass(frozen=True)
class TableCopy:
    name: str
    rows: int
    checksum: str  # hex; equal on both sides


@dataclass
class MigrationResult:
    target: str  # the server database, without its password
    tables: list[TableCopy] = field(default_factory=list)
    replaced: dict[str, int] = field(default_factory=dict)  # set-up rows the copy replaced
    audit_events: int = 0
    audit_head: str = ""
    attachments: int = 0  # contents now held by the server
    attachments_not_copied: list[str] = field(default_factory=list)  # missing or changed

    @property
    def total_rows(self) -> int:
        return sum(t.rows for t in self.tables)


def _tables() -> list[Table]:
    return list(Base.metadata.sorted_tables)  # parents before children


def _key_order(table: Table) -> list[Any]:
    return list(table.primary_key.columns) or list(table.columns)


def _rows(conn: Connection, table: Table) -> Iterator[dict[str, Any]]:
    # yield_per for this statement only: set on the connection it would stay, and turn every
    # later statement there into a server-side cursor (an INSERT cannot be one).
    result = conn.execute(select(table).order_by(*_key_order(table)),
                          execution_options={"yield_per": BATCH})
    for row in result.mappings():
        yield dict(row)


def _checksum(conn: Connection, table: Table) -> tuple[int, str]:
    """Row count and the sum of every row's audit fingerprint (as read through our types)."""
    count, total = 0, 0
    for row in _rows(conn, table):
        count += 1
        total = (total + int(fingerprint(table, row), 16)) % MODULUS
    return count, f"{total:064x}"


def _config(conn: Connection) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = conn
    return cfg


def _upgrade_target(conn: Connection) -> None:
    head = ScriptDirectory.from_config(_config(conn)).get_current_head()
    current = MigrationContext.configure(conn).get_current_revision()
    if current is not None and ScriptDirectory.from_config(_config(conn)).get_revision(
            current) is None:
        raise DeskError(N_("The server database was written by a newer version of the program "
                           "(schema {revision}); nothing was copied."), revision=current)
    if current != head:
        command.upgrade(_config(conn), "head")  # inside our transaction (env.py sees it)


def _clear_setup_rows(conn: Connection) -> dict[str, int]:
    """Refuse a server database with complaints; empty one that holds only set-up data."""
    complaints = conn.execute(select(func.count()).select_from(Complaint)).scalar_one()
    if complaints:
        raise DeskError(NN_("The server database already holds {count} complaint; migrate-to "
                            "only fills a new database. Nothing was copied.",
                            "The server database already holds {count} complaints; migrate-to "
                            "only fills a new database. Nothing was copied."), count=complaints)
    replaced: dict[str, int] = {}
    for table in reversed(_tables()):
        n = conn.execute(delete(table)).rowcount
        if n:
            replaced[table.name] = n
    return replaced


def _copy_table(source: Connection, target: Connection, table: Table,
                progress: Progress | None) -> None:
    batch: list[dict[str, Any]] = []
    done = 0
    for row in _rows(source, table):
        batch.append(row)
        if len(batch) >= BATCH:
            _insert(target, table, batch)
            done += len(batch)
            batch = []
            if progress:
                progress(table.name, done)
    if batch:
        _insert(target, table, batch)
        done += len(batch)
    if progress:
        progress(table.name, done)


def _insert(target: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    try:
        with target.begin_nested():  # a refused batch is named, then the whole copy undone
            target.execute(insert(table), rows)
    except DBAPIError as e:
        first, last = rows[0], rows[-1]
        key = _key_order(table)[0].name
        raise DeskError(N_("Table {table} (rows {first}–{last}) could not be copied: {reason}. "
                           "Nothing was copied."),
                        table=table.name, first=first[key], last=last[key],
                        reason=str(e.orig).splitlines()[0] if e.orig else str(e)) from e


def _reset_sequences(target: Connection) -> None:
    """Ids handed out by the server from now on follow the copied ones."""
    for table in _tables():
        keys = list(table.primary_key.columns)
        if len(keys) != 1 or keys[0].type.python_type is not int:
            continue
        seq = target.execute(text("SELECT pg_get_serial_sequence(:t, :c)"),
                             {"t": table.name, "c": keys[0].name}).scalar()
        if seq is None:
            continue  # ids given by the program itself (audit events)
        top = target.execute(select(func.max(keys[0]))).scalar()
        target.execute(text("SELECT setval(:s, :v, :called)"),
                       {"s": seq, "v": top or 1, "called": top is not None})


def _store_contents(src: Connection, conn: Connection, folder: Path,
                    result: MigrationResult) -> None:
    """Each attachment file of the source becomes a content held by the server (one row per
    distinct SHA-256), read one file at a time; what cannot be copied is listed."""
    rows = src.execute(select(Attachment.stored_name, Attachment.sha256)
                       .order_by(Attachment.id)).all()
    now = clock.now()
    stored: set[str] = set()
    for name, digest in rows:
        if digest in stored:
            continue
        path = folder / name
        data = path.read_bytes() if path.is_file() else None
        if data is None or hashlib.sha256(data).hexdigest() != digest:
            result.attachments_not_copied.append(name)  # `check` names it at the source too
            continue
        conn.execute(pg_insert(AttachmentBlob).values(
            sha256=digest, size=len(data), data=data, added_at=now
        ).on_conflict_do_nothing(index_elements=["sha256"]))
        stored.add(digest)
    result.attachments = len(rows) - len(result.attachments_not_copied)


def migrate_to(source: Database, url: str, progress: Progress | None = None) -> MigrationResult:
    """Copy `source` into the PostgreSQL database at `url`; DeskError (nothing done) if not."""
    url = url.strip()
    if not url.startswith("postgresql"):
        raise DeskError(N_("migrate-to copies into a PostgreSQL database: give a URL such as "
                           "postgresql+psycopg://user@server/complaints"))
    if url == source.url:
        raise DeskError(N_("The source and the target are the same database."))
    target = Database(resolve(url))
    result = MigrationResult(target=target.paths.describe())
    try:
        with source.read() as src_session, target.engine.connect() as conn:
            src = src_session.connection()
            with conn.begin():
                # Counters that connect meanwhile wait for the copy (app/db.py's write lock).
                conn.exec_driver_sql("SELECT pg_advisory_xact_lock(%(key)s)",
                                     {"key": WRITE_LOCK_KEY})
                _upgrade_target(conn)
                result.replaced = _clear_setup_rows(conn)
                for table in _tables():
                    _copy_table(src, conn, table, progress)
                _reset_sequences(conn)
                result.tables = _verify(src, conn)
                result.audit_events, result.audit_head = _verify_audit(src, conn)
                # After the verification: the source holds no contents (they are files).
                _store_contents(src, conn, source.paths.attachments, result)
    except DeskError:
        raise
    except (SQLAlchemyError, OSError) as e:
        reason = str(getattr(e, "orig", None) or e).strip().splitlines()[0]
        raise DeskError(N_("Could not migrate to {target}: {reason}. Nothing was copied."),
                        target=result.target, reason=reason) from e
    finally:
        target.dispose()
    return result


def _verify(src: Connection, conn: Connection) -> list[TableCopy]:
    tables: list[TableCopy] = []
    for table in _tables():
        n_src, sum_src = _checksum(src, table)
        n_dst, sum_dst = _checksum(conn, table)
        if n_src != n_dst:
            raise DeskError(NN_("Table {table}: {count} row in the file but {target} on the "
                                "server; nothing was copied.",
                                "Table {table}: {count} rows in the file but {target} on the "
                                "server; nothing was copied."), table=table.name,
                            count=n_src, target=n_dst)
        if sum_src != sum_dst:
            raise DeskError(N_("Table {table} reads back differently on the server; nothing "
                               "was copied."), table=table.name)
        tables.append(TableCopy(table.name, n_dst, sum_dst))
    return tables


def _verify_audit(src: Connection, conn: Connection) -> tuple[int, str]:
    """The audit chain holds on the server and ends where the file's ends."""
    trail = walk_chain(conn)
    if trail.problem:
        raise DeskError(N_("The audit trail does not hold on the server ({problem}); nothing "
                           "was copied."), problem=trail.problem)
    head = src.execute(select(AuditHead.last_hash)).scalar()
    if head is not None and head != trail.last_hash:
        raise DeskError(N_("The audit trail on the server does not end at the file's newest "
                           "event; nothing was copied."))
    return trail.count, trail.last_hash
