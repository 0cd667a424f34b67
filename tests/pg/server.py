"""Test databases on a real PostgreSQL server (COMPLAINT_DESK_TEST_DB names it).

The suite makes one migrated *template* database per run, and each test gets a fresh copy of
it: `CREATE DATABASE t_… TEMPLATE …` copies the files, which takes milliseconds, unlike running
the migrations again. Names carry the process id so that two runs on one server do not meet.
Databases are dropped WITH (FORCE): a test's child process left connected cannot keep one.
"""

from __future__ import annotations

import itertools
import os
from typing import Any

import psycopg
from sqlalchemy.engine import URL, make_url

ENV_TEST_DB = "COMPLAINT_DESK_TEST_DB"
_numbers = itertools.count(1)


def server_url_from_env() -> str | None:
    """The server the suite runs on (a postgresql URL), or None for SQLite."""
    value = os.environ.get(ENV_TEST_DB, "").strip()
    return value if value.startswith("postgresql") else None


def with_database(url: str, name: str) -> str:
    """The same server and account, another database."""
    return make_url(url).set(database=name).render_as_string(hide_password=False)


def _conninfo(url: URL) -> dict[str, Any]:
    info: dict[str, Any] = {"host": url.host or "127.0.0.1", "port": url.port or 5432,
                            "user": url.username, "dbname": url.database or "postgres",
                            "connect_timeout": 5, "autocommit": True}
    if url.password:
        info["password"] = url.password
    return info


class Admin:
    """An autocommit connection to the server's maintenance database, for CREATE/DROP."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.conn = psycopg.connect(**_conninfo(make_url(url)))

    def unique_name(self, prefix: str) -> str:
        return f"{prefix}_{os.getpid()}_{next(_numbers)}"

    def create(self, name: str, template: str | None = None) -> str:
        """A new database (empty, or a copy of `template`); returns its URL."""
        self.drop(name)
        sql = f'CREATE DATABASE "{name}"'
        if template:
            sql += f' TEMPLATE "{template}"'
        self.conn.execute(sql)  # type: ignore[arg-type]
        return with_database(self.url, name)

    def drop(self, name: str) -> None:
        self.conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')  # type: ignore[arg-type]

    def close(self) -> None:
        self.conn.close()
