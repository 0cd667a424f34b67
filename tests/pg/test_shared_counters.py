"""Several counters on one PostgreSQL server, on a real server: attachments held by the
database and opened at another counter, backups of the server database that include them,
and an older program refusing a newer schema while a newer one waits for the others."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select, text, update

import app
from app import migrate
from app.db import Database
from app.errors import ValidationError
from app.migrate import OtherCountersConnected, head_revision, open_database, upgrade
from app.models import Attachment, AttachmentBlob, Complaint, SchemaInfo
from app.paths import Paths
from app.schema_versions import NewerDatabase
from app.services import attachments as attachment_store
from app.services.checks import run_checks
from app.services.common import Actor
from app.services.complaints import get_detail
from app.services.evidence import add_attachment, attachment_path
from app.services.intake import IntakeInput, log_complaint
from tests.pg.server import Admin

pytestmark = pytest.mark.postgres_only
ROOT = Path(__file__).resolve().parents[2]


def counter(db: Database, folder: Path) -> Database:
    """The same server database opened by another counter PC (own engine, own data folder)."""
    return Database(Paths(folder, db.url, None))


def photo(path: Path, seed: int, size: int = 300_000) -> Path:
    """A file of `size` bytes that no other test file shares."""
    block = hashlib.sha256(f"photo {seed}".encode()).digest()
    path.write_bytes((block * (size // len(block) + 1))[:size])
    return path


def test_an_attachment_added_at_one_counter_opens_at_another(
        db: Database, clerk: Actor, tmp_path: Path) -> None:
    front = counter(db, tmp_path / "front-pc")
    back = counter(db, tmp_path / "back-office-pc")
    receipt = photo(tmp_path / "收据 照片.jpg", 1)
    ref = log_complaint(front, IntakeInput(description="收据照片在前台", customer_name="林美玲",
                                           phone="13912345678", attachments=[receipt]),
                        clerk).reference
    # Nothing on the front PC's disk: the content is in the database.
    assert not (tmp_path / "front-pc" / "attachments").exists()
    entry = get_detail(back, ref).attachments[0]
    opened = attachment_path(back, entry.id)
    assert opened.read_bytes() == receipt.read_bytes()
    assert opened.is_relative_to(tmp_path / "back-office-pc")
    assert opened.name == "收据_照片.jpg"  # the name people read, made safe for the disk
    # Evidence added later at the back office opens at the front.
    recording = photo(tmp_path / "录音.m4a", 2, 1_000_000)
    add_attachment(back, ref, recording, clerk)
    later = get_detail(front, ref).attachments[1]
    assert attachment_path(front, later.id).read_bytes() == recording.read_bytes()
    assert run_checks(front).ok
    front.dispose()
    back.dispose()


def test_the_same_content_is_stored_once(db: Database, clerk: Actor, tmp_path: Path) -> None:
    receipt = photo(tmp_path / "receipt.jpg", 3)
    for name in ("王先生", "赵女士"):
        log_complaint(db, IntakeInput(description="同一张收据", customer_name=name,
                                      attachments=[receipt]), clerk)
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Attachment)) == 2
        assert s.scalar(select(func.count()).select_from(AttachmentBlob)) == 1


def test_a_file_over_the_limit_is_refused_and_nothing_saved(
        db: Database, clerk: Actor, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(attachment_store, "MAX_BYTES", 200_000)
    big = photo(tmp_path / "video.mp4", 4, 200_001)
    with pytest.raises(ValidationError, match="video.mp4"):
        log_complaint(db, IntakeInput(description="太大", customer_name="钱先生",
                                      attachments=[big]), clerk)
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Complaint)) == 0
        assert s.scalar(select(func.count()).select_from(AttachmentBlob)) == 0
    assert attachment_store.limit_text() == "Up to 0 MB per file"  # 200 kB rounds down


def test_check_finds_held_content_that_was_changed(db: Database, clerk: Actor,
                                                  tmp_path: Path) -> None:
    log_complaint(db, IntakeInput(description="被改的照片", customer_name="孙先生",
                                  attachments=[photo(tmp_path / "p.jpg", 5)]), clerk)
    with db.engine.begin() as conn:
        conn.execute(update(AttachmentBlob).values(data=b"not the photo"))
    report = run_checks(db)
    assert not report.ok and any("Attachment changed" in p for p in report.problems)


def test_a_backup_of_the_server_database_includes_the_attachments(
        db: Database, clerk: Actor, tmp_path: Path, pg_admin: Admin) -> None:
    """The server database's backup (pg_dump, README) carries the contents: restored into a
    new database, a third counter opens the photo."""
    pgbin = sorted(Path("/usr/lib/postgresql").glob("*/bin"))[-1]
    receipt = photo(tmp_path / "receipt.jpg", 6)
    ref = log_complaint(db, IntakeInput(description="备份里的照片", customer_name="周女士",
                                        attachments=[receipt]), clerk).reference
    dump = tmp_path / "desk.dump"
    plain = db.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    subprocess.run([str(pgbin / "pg_dump"), "--format=custom", "--file", str(dump), plain],
                   check=True, timeout=120)
    name = pg_admin.unique_name("restored")
    restored_url = pg_admin.create(name)
    try:
        target = db.engine.url.set(drivername="postgresql", database=name)
        subprocess.run([str(pgbin / "pg_restore"), "--no-owner", "--dbname",
                        target.render_as_string(hide_password=False), str(dump)],
                       check=True, timeout=120)
        third = Database(Paths(tmp_path / "third-pc", restored_url, None))
        entry = get_detail(third, ref).attachments[0]
        assert attachment_path(third, entry.id).read_bytes() == receipt.read_bytes()
        assert run_checks(third).ok
        third.dispose()
    finally:
        pg_admin.drop(name)


# --- schema versions across counters --------------------------------------------------------

FUTURE = '''"""a later program version's schema (made by the test)"""
import sqlalchemy as sa
from alembic import op

revision = "9001_future"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("complaints", sa.Column("future_note", sa.Text(), nullable=True))


def downgrade() -> None:
    op.drop_column("complaints", "future_note")
'''


def test_a_newer_program_waits_for_the_others_then_an_old_one_refuses_to_write(
        db: Database, clerk: Actor, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    mine, old_head = app.__version__, head_revision()
    old_counter = open_database(db.url)  # this program, running at another PC
    ref = log_complaint(old_counter, IntakeInput(description="升级前", customer_name="吴先生"),
                        clerk).reference
    # A PC updated to 9.1.0 starts: the database must change layout, the old counter is open.
    folder = tmp_path / "newer-migrations"
    shutil.copytree(migrate.MIGRATIONS, folder)
    (folder / "versions" / "9001_future.py").write_text(
        FUTURE.replace("{head}", head_revision()), encoding="utf-8")
    with monkeypatch.context() as newer:
        newer.setattr(migrate, "MIGRATIONS", folder)
        newer.setattr(app, "__version__", "9.1.0")
        new_counter = Database(Paths(tmp_path / "new-pc", db.url, None))
        with pytest.raises(OtherCountersConnected) as waiting:
            upgrade(new_counter)
        said = waiting.value.message()
        assert "Version 9.1.0 must update" in said and f"version {mine}" in said
        assert [c.application_name.split(" ")[1] for c in waiting.value.counters] == [mine]
        assert current_revision_on(db) == old_head  # nothing changed yet
        old_counter.dispose()  # the old counter closes (and the test's own connections)
        db.dispose()
        upgrade(new_counter)
        assert current_revision_on(db) == "9001_future"
        with new_counter.read() as s:
            assert s.get(SchemaInfo, "9001_future").program_version == "9.1.0"
        new_counter.dispose()
    # The old program again: it does not open the database, and says which version to get.
    with pytest.raises(NewerDatabase) as refused:
        open_database(db.url)
    assert "Update this PC to version 9.1.0" in refused.value.message()
    # An old counter that was running all along refuses its next save; nothing is written.
    running = Database(Paths(tmp_path / "running-pc", db.url, None))
    running.schema_guard = (head_revision(), migrate.known_revisions())
    with pytest.raises(NewerDatabase, match="Update this PC to version 9.1.0"):
        log_complaint(running, IntakeInput(description="升级后旧程序", customer_name="郑先生"),
                      clerk)
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Complaint)) == 1
        assert s.scalar(select(Complaint.reference)) == ref
    running.dispose()
    # And as a command: the old program's CLI exits 2 with the same sentence.
    env = {k: v for k, v in os.environ.items() if not k.startswith("COMPLAINT_DESK")}
    done = subprocess.run([sys.executable, str(ROOT / "main.py"), "--lang", "en", "--db",
                           db.url, "stats", "--month", "2026-03", "--json"],
                          capture_output=True, text=True, cwd=ROOT, env=env, timeout=60)
    assert done.returncode == 2
    assert "Update this PC to version 9.1.0" in done.stderr


def current_revision_on(db: Database) -> str:
    with db.engine.connect() as conn:
        return str(conn.execute(text("SELECT version_num FROM alembic_version")).scalar())


def test_a_new_database_is_set_up_without_waiting_and_records_the_version(
        pg_admin: Admin, tmp_path: Path) -> None:
    name = pg_admin.unique_name("fresh")
    url = pg_admin.create(name)
    try:
        watcher = Database(Paths(tmp_path / "a", url, None))
        with watcher.engine.connect():  # another counter already connected: no matter
            first = open_database(url)
        with first.read() as s:
            assert s.get(SchemaInfo, head_revision()).program_version == app.__version__
        first.dispose()
        watcher.dispose()
    finally:
        pg_admin.drop(name)
