"""A counter that loses the network while saving: a clear error, nothing half-saved, the next
save works once the line is back, and the server ends what a vanished counter held. The
connection is cut for real: a TCP proxy between the counter and the server, or the server
ending the counter's session."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, func, select, text
from sqlalchemy.engine import make_url

from app import db as db_module
from app.db import ConnectionLost, Database
from app.models import Complaint
from app.paths import Paths
from app.services.common import Actor
from app.services.intake import IntakeInput, log_complaint
from tests.pg.proxy import TcpProxy

pytestmark = pytest.mark.postgres_only


@pytest.fixture
def proxy(db: Database) -> Iterator[TcpProxy]:
    url = make_url(db.url)
    line = TcpProxy(url.host or "127.0.0.1", url.port or 5432)
    yield line
    line.stop()


def behind(proxy: TcpProxy, db: Database, folder: Path) -> Database:
    """A counter reaching the server through the proxy."""
    return Database(Paths(folder, proxy.url_for(db.url), None))


def complaints(db: Database) -> int:
    with db.read() as s:
        return int(s.scalar(select(func.count()).select_from(Complaint)) or 0)


def during_save(counter: Database, action: Callable[[], None]) -> None:
    """Run `action` once, in the middle of the counter's next save: after the complaint's rows
    went to the server, before the audit trail and the commit."""
    done = [False]

    def hook(_session: Any, _context: Any) -> None:
        if not done[0]:
            done[0] = True
            action()

    event.listen(counter._write, "after_flush", hook)


def intake(name: str) -> IntakeInput:
    return IntakeInput(description="断网时登记", customer_name=name, phone="13812345678")


def test_a_cut_line_during_a_save_is_told_and_nothing_is_kept(
        db: Database, clerk: Actor, proxy: TcpProxy, tmp_path: Path) -> None:
    counter = behind(proxy, db, tmp_path / "pc")
    log_complaint(counter, intake("第一位"), clerk)  # the line works
    during_save(counter, proxy.cut)
    started = time.monotonic()
    with pytest.raises(ConnectionLost) as lost:
        log_complaint(counter, intake("第二位"), clerk)
    assert time.monotonic() - started < 5  # told at once, no hanging
    assert not lost.value.maybe_saved
    assert "was lost, so this was not saved" in lost.value.message()
    assert complaints(db) == 1  # nothing of the broken save
    # The line is back: the same counter saves again (its dead connection is replaced).
    log_complaint(counter, intake("第二位"), clerk)
    assert complaints(db) == 2
    counter.dispose()


def test_the_server_ending_the_session_mid_save_is_told(
        db: Database, clerk: Actor, tmp_path: Path) -> None:
    counter = Database(Paths(tmp_path / "pc", db.url, None))
    log_complaint(counter, intake("第一位"), clerk)
    admin = Database(Paths(tmp_path / "admin", db.url, None))

    def terminate() -> None:
        with admin.engine.connect() as conn:
            conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                              "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                              " AND state = 'idle in transaction'"))
            conn.commit()

    during_save(counter, terminate)
    with pytest.raises(ConnectionLost):
        log_complaint(counter, intake("第二位"), clerk)
    assert complaints(db) == 1
    log_complaint(counter, intake("第三位"), clerk)
    assert complaints(db) == 2
    counter.dispose()
    admin.dispose()


def test_a_line_gone_silent_mid_save_does_not_block_the_other_counters(
        db: Database, clerk: Actor, proxy: TcpProxy, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The silent counter held the write lock in an open transaction; the server ends that
    transaction after idle_in_transaction_session_timeout, so another counter saves, and the
    silent one, once its line answers again, is told its save was lost."""
    monkeypatch.setattr(db_module, "PG_IDLE_IN_TRANSACTION_S", 2)
    silent = behind(proxy, db, tmp_path / "silent-pc")
    other = Database(Paths(tmp_path / "other-pc", db.url, None))
    log_complaint(silent, intake("第一位"), clerk)
    during_save(silent, proxy.freeze)
    outcome: list[BaseException | None] = []

    def save() -> None:
        try:
            log_complaint(silent, intake("断线那位"), clerk)
            outcome.append(None)
        except BaseException as e:  # noqa: BLE001 - checked below
            outcome.append(e)

    worker = threading.Thread(target=save)
    worker.start()
    time.sleep(0.5)  # the silent save now waits on the line, holding the write lock
    started = time.monotonic()
    log_complaint(other, intake("另一台"), clerk)  # waits for the server to end the other
    waited = time.monotonic() - started
    assert 1.0 < waited < 10, waited  # it had to wait for the timeout, then went through
    proxy.thaw()  # the line answers again
    worker.join(30)
    assert not worker.is_alive()
    assert isinstance(outcome[0], ConnectionLost), outcome
    with db.read() as s:
        names = sorted(s.scalars(select(Complaint.description)))
    assert len(names) == 2  # the first and the other counter's; none of the lost save
    silent.dispose()
    other.dispose()
