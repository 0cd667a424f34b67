"""PostgreSQL's COPY for the bulk paths (an import's rows, the seal index of its audit event).

Through the driver, psycopg's executemany sends one INSERT per row in a pipeline: about 30 µs
of the client's time a row, 14 of the 21 s an import of 100,000 complaints took on
PostgreSQL (it writes 480,000 rows: complaints, timeline events, customers, seals; issue 17).
COPY streams the same values in one command. The values are those the INSERT would have
bound (the caller applies the same bind processors), dumped by the same psycopg adapters, so
the rows stored are the same; the caller's transaction holds them like any other write.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy.engine import Connection

COPY_ABOVE = 200  # fewer rows than this: a plain INSERT costs no more and says more in logs


def copy_rows(conn: Connection, table: str, columns: Sequence[str],
              rows: Iterable[Sequence[Any]]) -> None:
    """COPY `rows` (value tuples in `columns` order) into `table`, in the connection's
    transaction. PostgreSQL only."""
    from psycopg import sql  # only a server database needs the driver's composer

    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table), sql.SQL(", ").join(sql.Identifier(c) for c in columns))
    driver = conn.connection.driver_connection
    assert driver is not None
    with driver.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


def upsert_rows(conn: Connection, table: str, columns: Sequence[str], key: Sequence[str],
                update: Sequence[str], rows: Iterable[Sequence[Any]]) -> bool:
    """INSERT … ON CONFLICT (key) DO UPDATE SET update = excluded.update of `rows`, COPYed to a
    temporary table first (dropped at the end of the transaction). The rows must not repeat a
    key (one statement cannot update a row twice). PostgreSQL only.

    False, with nothing written, when the server does not let the program's account make
    temporary tables (TEMPORARY revoked from PUBLIC): the caller then upserts its own way."""
    from psycopg import errors, sql

    staging = f"{table}_copy"
    names = sql.SQL(", ").join(sql.Identifier(c) for c in columns)
    driver = conn.connection.driver_connection
    assert driver is not None
    with driver.cursor() as cursor:
        # In a savepoint: a refusal must not abort the caller's transaction.
        cursor.execute("SAVEPOINT bulk_copy_staging")
        try:
            cursor.execute(sql.SQL("CREATE TEMPORARY TABLE IF NOT EXISTS {} (LIKE {}) "
                                   "ON COMMIT DROP").format(sql.Identifier(staging),
                                                            sql.Identifier(table)))
        except errors.InsufficientPrivilege:
            cursor.execute("ROLLBACK TO SAVEPOINT bulk_copy_staging")
            cursor.execute("RELEASE SAVEPOINT bulk_copy_staging")
            return False
        cursor.execute("RELEASE SAVEPOINT bulk_copy_staging")
        cursor.execute(sql.SQL("TRUNCATE {}").format(sql.Identifier(staging)))
    copy_rows(conn, staging, columns, rows)
    with driver.cursor() as cursor:
        cursor.execute(sql.SQL(
            "INSERT INTO {table} ({names}) SELECT {names} FROM {staging} "
            "ON CONFLICT ({key}) DO UPDATE SET {sets}").format(
            table=sql.Identifier(table), names=names, staging=sql.Identifier(staging),
            key=sql.SQL(", ").join(sql.Identifier(c) for c in key),
            sets=sql.SQL(", ").join(sql.SQL("{0} = excluded.{0}").format(sql.Identifier(c))
                                    for c in update)))
    return True
