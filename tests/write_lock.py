"""Another program holding the desk database's write lock, for real: a child process that
takes it (SQLite: BEGIN IMMEDIATE on the file; PostgreSQL: the desk's advisory write lock in an
open transaction, app/db.py) and keeps it until told to let go.

    with WriteLockHolder(db) as holder:
        ...                  # every save of the program waits, then reports the database busy
        holder.release()     # or leave the block
"""

from __future__ import annotations

import subprocess
import sys
from types import TracebackType

from sqlalchemy.engine import make_url

from app.db import WRITE_LOCK_KEY, Database
from tests.cli_process import python_env

CHILD = r"""
import sys
target, kind = sys.argv[1], sys.argv[2]
if kind == "sqlite":
    import sqlite3
    con = sqlite3.connect(target, isolation_level=None, timeout=30)
    con.execute("BEGIN IMMEDIATE")
else:
    import psycopg
    con = psycopg.connect(target)  # a transaction stays open until rollback
    con.execute("SELECT pg_advisory_xact_lock(%s)", (int(sys.argv[3]),))
print("held", flush=True)
sys.stdin.readline()
con.rollback() if kind != "sqlite" else con.execute("ROLLBACK")
con.close()
print("released", flush=True)
"""


class WriteLockHolder:
    def __init__(self, db: Database) -> None:
        if db.is_sqlite:
            assert db.paths.db_file is not None
            args = [str(db.paths.db_file), "sqlite"]
        else:
            url = make_url(db.url).set(drivername="postgresql")
            args = [url.render_as_string(hide_password=False), "postgresql", str(WRITE_LOCK_KEY)]
        self.process = subprocess.Popen(
            [sys.executable, "-c", CHILD, *args], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, text=True, env=python_env())
        assert self.process.stdout is not None
        line = self.process.stdout.readline().strip()
        if line != "held":
            self.process.kill()
            raise AssertionError(f"the lock holder did not take the lock: {line!r}")

    def release(self) -> None:
        """Let go of the lock (once); returns when the other program has."""
        if self.process.poll() is not None:
            return
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write("\n")
        self.process.stdin.flush()
        assert self.process.stdout.readline().strip() == "released"
        self.process.wait(timeout=30)

    def __enter__(self) -> WriteLockHolder:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 tb: TracebackType | None) -> None:
        try:
            self.release()
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait(timeout=30)
