"""Shared fixtures: each test gets its own SQLite file (copied from a migrated template),
English texts unless it asks otherwise, the real clock restored, Qt offscreen.

With COMPLAINT_DESK_TEST_DB=postgresql+psycopg://… the `db` fixture is instead a fresh database
on that PostgreSQL server (a copy of a migrated template database, tests/pg/server.py); tests
that need the SQLite file itself (`db_path`, `template_db`, or the `sqlite_only` marker) are
skipped there, and `postgres_only` tests run only there. `db_arg` is what `--db` takes for the
test's database either way.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.pop("COMPLAINT_DESK_DB", None)

from tests.pg.server import Admin, server_url_from_env  # noqa: E402

PG_URL = server_url_from_env()  # None: the suite runs on SQLite files
if PG_URL is not None:
    # A server database keeps its files (attachments, drafts, backups) in the user's data
    # folder: point that, for this process and the program's processes started by tests, at a
    # scratch folder instead of the real one.
    import tempfile

    os.environ["XDG_DATA_HOME"] = tempfile.mkdtemp(prefix="desk-pg-data-")

from app import clock  # noqa: E402
from app.db import Database  # noqa: E402
from app.i18n import set_language  # noqa: E402
from app.migrate import open_database, upgrade  # noqa: E402
from app.paths import Paths, resolve  # noqa: E402
from app.profiles import apply_profile  # noqa: E402
from app.services.common import Actor  # noqa: E402
from app.services.users import create_user  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    sqlite_only = pytest.mark.skip(reason="SQLite only (this run is on PostgreSQL)")
    postgres_only = pytest.mark.skip(reason="needs PostgreSQL: set COMPLAINT_DESK_TEST_DB "
                                            "(scripts/pg_test_server.sh prints a URL)")
    for item in items:
        if PG_URL is not None and item.get_closest_marker("sqlite_only"):
            item.add_marker(sqlite_only)
        if PG_URL is None and item.get_closest_marker("postgres_only"):
            item.add_marker(postgres_only)


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """This PC's settings (QSettings) in the test's folder, for this process and the program's
    processes it starts: never the user's file, never Windows' registry (ui/settings_file.py)."""
    folder = tmp_path / "qsettings"
    monkeypatch.setenv("COMPLAINT_DESK_SETTINGS_DIR", str(folder))
    try:
        from PySide6.QtCore import QSettings
    except ImportError:  # not installed: nothing reads settings
        yield
        return
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
        QSettings.setPath(QSettings.Format.IniFormat, scope, str(folder))
    yield


def _seed(db: Database) -> None:
    """What every test database holds: the mall lists and three accounts."""
    with db.write() as session:
        apply_profile(session, "mall")
    create_user(db, "supervisor", "王主管", "supervisor", "demo1234")
    create_user(db, "clerk1", "李小红", "clerk", "demo1234")
    create_user(db, "clerk2", "Chan Tai Man", "clerk", "demo1234")


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated database with the mall lists and three accounts, made once per run."""
    if PG_URL is not None:
        pytest.skip("needs the SQLite file (this run is on PostgreSQL)")
    path = tmp_path_factory.mktemp("template") / "template.db"
    db = open_database(str(path))
    _seed(db)
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.dispose()
    return path


@pytest.fixture(scope="session")
def pg_admin() -> Iterator[Admin]:
    """CREATE/DROP DATABASE on the test server (PostgreSQL runs only)."""
    if PG_URL is None:
        pytest.skip("needs PostgreSQL: set COMPLAINT_DESK_TEST_DB")
    admin = Admin(PG_URL)
    yield admin
    admin.close()


@pytest.fixture(scope="session")
def pg_template(pg_admin: Admin, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The name of a migrated, seeded template database on the server, made once per run."""
    name = pg_admin.unique_name("desk_template")
    url = pg_admin.create(name)
    db = Database(Paths(tmp_path_factory.mktemp("pg-template"), url, None))
    upgrade(db)
    _seed(db)
    db.dispose()  # CREATE DATABASE … TEMPLATE needs it without connections
    yield name
    pg_admin.drop(name)


@pytest.fixture
def db_path(template_db: Path, tmp_path: Path) -> Path:
    path = tmp_path / "desk.db"
    shutil.copyfile(template_db, path)
    return path


@pytest.fixture
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    if PG_URL is None:
        database = Database(resolve(str(request.getfixturevalue("db_path"))))
        yield database
        database.dispose()
        return
    admin: Admin = request.getfixturevalue("pg_admin")
    name = admin.unique_name("t")
    url = admin.create(name, template=request.getfixturevalue("pg_template"))
    database = Database(Paths(tmp_path / "desk-files", url, None))
    yield database
    _stop_windows()
    database.dispose()
    admin.drop(name)


def _stop_windows() -> None:
    """Close the test's windows and stop their timers before its server database is dropped:
    pytest-qt closes them only after every other fixture, and a timer that fired in between
    (a customer lookup 300 ms after typing) would connect to a database that is gone."""
    import sys

    if "PySide6.QtWidgets" not in sys.modules:
        return
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    if QApplication.instance() is None:
        return
    for window in QApplication.topLevelWidgets():
        for timer in window.findChildren(QTimer):
            timer.stop()
        window.close()


@pytest.fixture(scope="session")
def new_database(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
                 ) -> Iterator[Callable[[str], Database]]:
    """Make a seeded database outside the per-test `db` (for data built once per run and
    copied into each test's `db` with `copy_database`), on whichever backend the run uses."""
    made: list[str] = []
    admin: Admin | None = None
    if PG_URL is None:
        template_file: Path = request.getfixturevalue("template_db")
    else:
        admin = request.getfixturevalue("pg_admin")
        template_name: str = request.getfixturevalue("pg_template")

    def make(label: str) -> Database:
        folder = tmp_path_factory.mktemp(label)
        if admin is None:
            path = folder / f"{label}.db"
            shutil.copyfile(template_file, path)
            return Database(resolve(str(path)))
        name = admin.unique_name(label)
        made.append(name)
        return Database(Paths(folder / "files", admin.create(name, template_name), None))

    yield make
    if admin is not None:
        for name in made:
            admin.drop(name)


@pytest.fixture(scope="session")
def copy_database(request: pytest.FixtureRequest) -> Callable[[Database, Database], None]:
    """`copy(source, target)`: make the target database an exact copy of the source (SQLite's
    backup API; on PostgreSQL the target is made again from the source as its template)."""
    admin: Admin | None = request.getfixturevalue("pg_admin") if PG_URL is not None else None

    def copy(source: Database, target: Database) -> None:
        if source.paths.db_file is not None:
            import sqlite3

            source.dispose()
            src = sqlite3.connect(source.paths.db_file)
            dst = target.engine.raw_connection()
            try:
                src.backup(dst.driver_connection)  # type: ignore[arg-type]
            finally:
                dst.close()
                src.close()
            return
        assert admin is not None
        source.dispose()
        target.dispose()  # the engine connects again on its next use
        name = target.engine.url.database
        assert name is not None
        admin.create(name, template=source.engine.url.database)

    return copy


@pytest.fixture
def db_arg(db: Database) -> str:
    """What `--db` takes for this test's database: the SQLite file or the server's URL."""
    return str(db.paths.db_file) if db.paths.db_file is not None else db.url


@pytest.fixture
def staff(db: Database) -> dict[str, Actor]:
    from app.services.users import list_staff

    return {m.username: m.as_actor() for m in list_staff(db)}


@pytest.fixture
def supervisor(staff: dict[str, Actor]) -> Actor:
    return staff["supervisor"]


@pytest.fixture
def clerk(staff: dict[str, Actor]) -> Actor:
    return staff["clerk1"]


class ControlledClock:
    """A clock tests move by hand: `at(...)` sets it, `advance(...)` moves it on."""

    def __init__(self, start: datetime) -> None:
        self.now = start
        clock.set_clock(lambda: self.now)

    def at(self, when: datetime) -> None:
        self.now = when

    def advance(self, **delta: float) -> None:
        from datetime import timedelta

        self.now = self.now + timedelta(**delta)


@pytest.fixture
def fixed_clock() -> Iterator[ControlledClock]:
    yield ControlledClock(datetime(2026, 3, 10, 10, 0, 0))
    clock.reset_clock()


@pytest.fixture(autouse=True)
def _isolation() -> Iterator[None]:
    set_language("en")
    yield
    set_language("en")
    clock.reset_clock()
    # Once a window test ran background work, the cycle collector runs only from the GUI
    # thread's timer (ui/gui_gc.py), which turns only while a test waits on Qt: collect here.
    from ui import gui_gc

    if gui_gc.installed():
        gui_gc.collect_if_due()


@pytest.fixture(autouse=True)
def _no_real_credential_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Server passwords a test keeps go to its own folder, never to the PC's keyring or its
    data folder (app/credentials.py); tests of a credential store install their own."""
    import keyring
    from keyring.backends import fail

    monkeypatch.setenv("COMPLAINT_DESK_SECRETS_DIR", str(tmp_path / "secrets"))
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)
