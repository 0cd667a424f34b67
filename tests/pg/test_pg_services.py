"""The PostgreSQL side of app/db.py, the connection probe and `migrate-to`, on a real server."""

from __future__ import annotations

import os
import subprocess
import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select, text, update
from sqlalchemy.exc import DBAPIError

from app.audit_check import chain_summary, check_chain
from app.db import BUSY, Database
from app.errors import DeskError
from app.migrate import head_revision, open_database, upgrade
from app.models import Attachment, AuditEvent, Base, Complaint, Customer
from app.paths import Paths
from app.profiles import apply_profile
from app.schema_versions import application_name
from app.services import resolution
from app.services.changes import change_marker
from app.services.checks import run_checks
from app.services.common import Actor
from app.services.connection_test import EMPTY, FAILED, NEWER, READY, probe
from app.services.evidence import attachment_path
from app.services.intake import IntakeInput, log_complaint
from app.services.users import create_user, list_staff
from tests.cli_process import run_main
from tests.db_inspect import table_counts
from tests.pg.server import Admin

pytestmark = pytest.mark.postgres_only
ROOT = Path(__file__).resolve().parents[2]


def other_counter(db: Database, tmp_path: Path) -> Database:
    """The same database opened by another counter (its own engine and connections)."""
    return Database(Paths(tmp_path / "other", db.url, None))


def test_writers_queue_up_and_each_sees_the_one_before(db: Database, clerk: Actor,
                                                       tmp_path: Path) -> None:
    ref = log_complaint(db, IntakeInput(description="排队测试", customer_name="周先生"),
                        clerk).reference
    other = other_counter(db, tmp_path)
    holding, release, seen = threading.Event(), threading.Event(), []

    def first() -> None:
        with db.write() as s:
            s.execute(update(Complaint).where(Complaint.reference == ref).values(location="A"))
            holding.set()
            release.wait(20)

    def second() -> None:
        with other.write() as s:  # waits for the first writer's lock, then reads fresh data
            seen.append(s.scalar(select(Complaint.location).where(Complaint.reference == ref)))

    t1 = threading.Thread(target=first)
    t1.start()
    assert holding.wait(20)
    t2 = threading.Thread(target=second)
    t2.start()
    with db.engine.connect() as conn:  # the second writer is waiting on the write lock
        for _ in range(1200):  # up to a minute on a loaded machine
            waiting = conn.execute(text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock' AND wait_event = 'advisory'")).scalar()
            if waiting:
                break
            # PostgreSQL reads pg_stat_activity once per transaction: without ending it, a
            # first look taken before the second writer reached the lock is all later looks see
            conn.rollback()
            threading.Event().wait(0.05)
    assert waiting == 1 and not seen
    release.set()
    t1.join(20)
    t2.join(20)
    assert seen == ["A"]
    other.dispose()


def test_a_writer_that_waits_too_long_is_told_the_database_is_busy(
        db: Database, clerk: Actor, tmp_path: Path) -> None:
    impatient = Database(Paths(tmp_path / "other", db.url + "?options=-c%20lock_timeout%3D200ms",
                               None))
    holding, release = threading.Event(), threading.Event()

    def long_work() -> None:  # an import, say, holding the write lock
        with db.write() as s:
            s.execute(text("SELECT 1"))
            holding.set()
            release.wait(20)

    worker = threading.Thread(target=long_work)
    worker.start()
    try:
        assert holding.wait(20)
        with pytest.raises(DeskError) as caught:
            log_complaint(impatient, IntakeInput(description="忙碌测试", customer_name="冯先生"),
                          clerk)
        assert caught.value.msgid == BUSY and "nothing was saved" in caught.value.message()
    finally:
        release.set()
        worker.join(20)
    assert table_counts(db)["complaints"] == 0
    impatient.dispose()


def test_reads_are_snapshots_and_cannot_write(db: Database, clerk: Actor,
                                              tmp_path: Path) -> None:
    log_complaint(db, IntakeInput(description="快照测试", customer_name="吴女士"), clerk)
    other = other_counter(db, tmp_path)
    with db.read() as s:
        before = s.scalar(select(func.count()).select_from(Complaint))
        log_complaint(other, IntakeInput(description="另一台登记", customer_name="郑先生"), clerk)
        assert s.scalar(select(func.count()).select_from(Complaint)) == before
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Complaint)) == before + 1
    with pytest.raises(DBAPIError, match="read-only"), db.read() as s:
        s.execute(update(Complaint).values(location="x"))
    other.dispose()


def test_connection_settings(db: Database) -> None:
    with db.write() as s:
        conn = s.connection()
        assert conn.exec_driver_sql("SHOW transaction_isolation").scalar() == "read committed"
        assert conn.exec_driver_sql("SHOW lock_timeout").scalar() == "30s"
        name = conn.exec_driver_sql("SHOW application_name").scalar()
        assert name == application_name() and name.startswith("complaint-desk 0.")


def test_other_counters_changes_move_the_marker(db: Database, clerk: Actor,
                                                tmp_path: Path) -> None:
    other = other_counter(db, tmp_path)
    ref = log_complaint(other, IntakeInput(description="看板刷新", customer_name="钱先生"),
                        clerk).reference
    first = change_marker(db)
    resolution.add_contact(other, ref, method="phone", summary="已联系", actor=clerk)
    second = change_marker(db)
    assert second != first and second.complaints == first.complaints
    log_complaint(other, IntakeInput(description="又一件", customer_name="孙女士"), clerk)
    assert change_marker(db).complaints == first.complaints + 1
    other.dispose()


def test_probe_tells_ready_empty_newer_and_unreachable(db: Database, pg_admin: Admin) -> None:
    ready = probe(db.url)
    assert ready.state == READY and ready.server.startswith("PostgreSQL")
    assert ready.complaints == 0 and ready.revision == head_revision()
    assert "password" not in ready.target

    empty_url = pg_admin.create(pg_admin.unique_name("empty"))
    try:
        assert probe(empty_url).state == EMPTY
    finally:
        pg_admin.drop(empty_url.rsplit("/", 1)[1])

    with db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'ffff9999'"))
    newer = probe(db.url)
    assert newer.state == NEWER and "ffff9999" in newer.message()

    gone = probe(db.url.rsplit("/", 1)[0] + "/no_such_database_here")
    assert gone.state == FAILED and "no_such_database_here" in gone.message()
    refused = probe("postgresql+psycopg://postgres@127.0.0.1:1/x")
    assert refused.state == FAILED and not refused.ok


def test_two_counters_starting_on_a_new_database_set_it_up_once(
        pg_admin: Admin, tmp_path: Path) -> None:
    name = pg_admin.unique_name("fresh")
    url = pg_admin.create(name)
    counters = [Database(Paths(tmp_path / str(i), url, None)) for i in range(3)]
    errors: list[BaseException] = []

    def start(db: Database) -> None:
        try:
            upgrade(db)
        except BaseException as e:  # noqa: BLE001 - collected for the assertion below
            errors.append(e)

    threads = [threading.Thread(target=start, args=(c,)) for c in counters]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    try:
        assert errors == [] and probe(url).state == READY
    finally:
        for c in counters:
            c.dispose()
        pg_admin.drop(name)


# --- migrate-to ------------------------------------------------------------------------------


def sqlite_desk(tmp_path: Path) -> tuple[Database, list[str]]:
    """A SQLite desk with accounts, worked complaints, contacts, an attachment and an audit
    trail: what a desk moving to a server brings along."""
    db = open_database(str(tmp_path / "desk.db"))
    with db.write() as s:
        apply_profile(s, "mall")
    create_user(db, "admin", "管理员", "admin", "demo1234")  # migrate-to is theirs
    create_user(db, "supervisor", "王主管", "supervisor", "demo1234")
    create_user(db, "clerk1", "李小红", "clerk", "demo1234")
    staff = {m.username: m.as_actor() for m in list_staff(db)}
    receipt = tmp_path / "receipt.txt"
    receipt.write_text("小票 ¥128", encoding="utf-8")
    refs = []
    for i in range(4):
        refs.append(log_complaint(db, IntakeInput(
            description=f"第{i}件：鞋子开胶", customer_name=f"顾客{i}", phone=f"1390000000{i}",
            category="product_quality", attachments=[receipt] if i == 0 else []),
            staff["clerk1"]).reference)
    resolution.assess(db, refs[0], category="product_quality", severity="serious",
                      owner_id=staff["supervisor"].user_id, actor=staff["supervisor"])
    resolution.add_contact(db, refs[1], method="phone", summary="已回电", actor=staff["clerk1"])
    return db, refs


def migrate(source: Path, url: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, COMPLAINT_DESK_USER="admin",
               COMPLAINT_DESK_PASSWORD="demo1234", XDG_DATA_HOME=str(tmp_path / "xdg"))
    return run_main(["--lang", "en", "--db", str(source), "migrate-to", url], env,
                    timeout=120)


@pytest.fixture
def empty_server_db(pg_admin: Admin) -> tuple[str, str]:
    name = pg_admin.unique_name("target")
    yield pg_admin.create(name), name
    pg_admin.drop(name)


def test_migrate_to_copies_everything_and_the_chain_holds(
        tmp_path: Path, empty_server_db: tuple[str, str]) -> None:
    url, _name = empty_server_db
    source, refs = sqlite_desk(tmp_path)
    source.dispose()

    done = migrate(source.paths.db_file, url, tmp_path)  # type: ignore[arg-type]
    assert done.returncode == 0, done.stderr
    # The file as copied (its audit trail now ends with the admin's sign-in for the command).
    counts, chain = table_counts(source), chain_summary(source)
    assert "row counts and checksums verified" in done.stdout
    assert f"{chain[0]} events, chain intact" in done.stdout

    target = Database(Paths(tmp_path / "other-pc", url, None))
    # Every row copied, and the attachment file's content now held by the server database.
    assert table_counts(target) == {**counts, "attachment_blobs": 1}
    assert "Attachments: 1 now held by the server database." in done.stdout
    assert chain_summary(target) == chain and check_chain(target) == []
    assert run_checks(target).ok  # its checksum verified on the server
    with target.read() as s:
        attachment_id = s.scalar(select(Attachment.id))
    assert attachment_path(target, attachment_id).read_text(encoding="utf-8") == "小票 ¥128"
    assert not (tmp_path / "xdg").exists()  # nothing written to this PC's data folder
    # Ids go on from the copied ones: the server's sequences were moved past them.
    staff = {m.username: m.as_actor() for m in list_staff(target)}
    new = log_complaint(target, IntakeInput(description="迁移后第一件", customer_name="新顾客",
                                            phone="13900000009"), staff["clerk1"])
    assert new.id == counts["complaints"] + 1 and new.reference not in refs
    with target.read() as s:
        assert s.scalar(select(func.max(Customer.id))) == counts["customers"] + 1
    assert check_chain(target) == []
    target.dispose()


def test_migrate_to_refuses_a_server_with_complaints_and_changes_nothing(
        tmp_path: Path, empty_server_db: tuple[str, str]) -> None:
    url, _name = empty_server_db
    source, _refs = sqlite_desk(tmp_path)
    source.dispose()
    assert migrate(source.paths.db_file, url, tmp_path).returncode == 0  # type: ignore[arg-type]
    target = Database(Paths(tmp_path / "t", url, None))
    before = table_counts(target)
    again = migrate(source.paths.db_file, url, tmp_path)  # type: ignore[arg-type]
    assert again.returncode == 2
    assert "already holds 4 complaints" in again.stderr and again.stderr.count("\n") == 1
    assert table_counts(target) == before
    target.dispose()


def test_a_failed_migration_leaves_the_server_as_it_was(
        tmp_path: Path, empty_server_db: tuple[str, str]) -> None:
    url, _name = empty_server_db
    source, refs = sqlite_desk(tmp_path)
    # A text PostgreSQL cannot hold (a NUL character, which SQLite keeps): the copy of that
    # table fails half-way, after the schema and the earlier tables were written.
    with source.engine.begin() as conn:
        conn.execute(update(Complaint).where(Complaint.reference == refs[2])
                     .values(description="坏\x00字"))
    source.dispose()
    failed = migrate(source.paths.db_file, url, tmp_path)  # type: ignore[arg-type]
    assert failed.returncode == 2
    assert "Table complaints" in failed.stderr and "Nothing was copied" in failed.stderr
    target = Database(Paths(tmp_path / "t", url, None))
    with target.engine.connect() as conn:
        tables = conn.execute(text(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        )).scalar()
    assert tables == 0  # not even the schema: it was one transaction
    target.dispose()


def test_every_table_is_copied() -> None:
    """A table added to models.py is copied by migrate-to without being named there."""
    from app.services.migrate_to import _tables

    assert {t.name for t in _tables()} == set(Base.metadata.tables)
    assert {AuditEvent.__tablename__, Attachment.__tablename__} <= {t.name for t in _tables()}
