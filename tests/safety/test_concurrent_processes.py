"""Two program instances on one SQLite file (e.g. the command line while the window is open):
they queue for the write lock and lose nothing, instead of failing with "database is locked"."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

from tests.safety.helpers import Writer, integrity, references

PER_WRITER = 80


def test_two_writer_processes_lose_nothing(db_path: Path) -> None:
    before = references(db_path)
    started = time.monotonic()
    writers = [Writer(db_path, count=PER_WRITER, tag=tag, attach_every=10) for tag in "AB"]
    # The test process reads meanwhile, as the window's queue would.
    reads = 0
    while any(w.proc.poll() is None for w in writers):
        reads += len(references(db_path)) >= 0
    codes = [w.finish() for w in writers]
    errors = "".join(w.stderr() for w in writers)
    assert codes == [0, 0], errors
    assert "locked" not in errors.lower()
    acked = [ref for w in writers for ref in w.acked]
    assert len(acked) == 2 * PER_WRITER
    assert len(set(acked)) == len(acked), "a reference was handed out twice"
    assert set(acked) <= references(db_path)
    assert len(references(db_path) - before) == 2 * PER_WRITER
    assert integrity(db_path) == ["ok"]
    print(f"\nconcurrent writers: 2 processes × {PER_WRITER} saves, {reads} reads meanwhile, "
          f"0 lock failures, {time.monotonic() - started:.1f} s")


def test_writer_waits_for_a_long_transaction_elsewhere(db_path: Path) -> None:
    """The window holds the write lock for a while (a big import); the command line waits."""
    holder = sqlite3.connect(db_path, timeout=30, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("UPDATE settings SET value = value")  # a real write in progress
    writer = Writer(db_path, count=5, tag="L")
    writer.wait_ready()
    released = threading.Event()

    def release() -> None:
        holder.execute("COMMIT")
        released.set()

    # Hold the lock well past the writer's first attempt, then let go.
    timer = threading.Timer(1.5, release)
    timer.start()
    try:
        assert writer.finish(timeout=60) == 0, writer.stderr()
    finally:
        timer.cancel()
        holder.close()
    assert released.is_set()
    assert len(writer.acked) == 5
    assert set(writer.acked) <= references(db_path)
