"""Real processes for the safety tests: a writer process whose acknowledged references are
collected by a reader thread, and plain-sqlite3 views of a database file."""

from __future__ import annotations

import queue
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

from tests.cli_process import python_env

ROOT = Path(__file__).resolve().parents[2]
WRITER = Path(__file__).with_name("writer.py")


class Writer:
    """`python writer.py DB COUNT TAG ATTACH_EVERY` with its output read line by line."""

    def __init__(self, db_file: Path, count: int = 0, tag: str = "W", attach_every: int = 0):
        env = python_env(PYTHONUNBUFFERED="1")
        self.proc = subprocess.Popen(
            [sys.executable, str(WRITER), str(db_file), str(count), tag, str(attach_every)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=env)
        self.acked: list[str] = []
        self.ready = threading.Event()
        self.ended = threading.Event()
        self._lines: queue.Queue[str | None] = queue.Queue()
        self._stderr: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=self._read_err, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            line = line.strip()
            if line == "ready":
                self.ready.set()
            elif line:
                self.acked.append(line)
                self._lines.put(line)
        self.ended.set()
        self._lines.put(None)

    def _read_err(self) -> None:
        assert self.proc.stderr is not None
        self._stderr.extend(self.proc.stderr)

    def wait_ready(self, timeout: float = 20) -> None:
        assert self.ready.wait(timeout), f"writer did not start: {self.stderr()}"

    def wait_acks(self, n: int, timeout: float = 20) -> None:
        """Until at least `n` saves were acknowledged (or the process ended)."""
        deadline = time.monotonic() + timeout
        while len(self.acked) < n:
            remaining = deadline - time.monotonic()
            assert remaining > 0, f"only {len(self.acked)} acks: {self.stderr()}"
            try:
                if self._lines.get(timeout=remaining) is None:
                    return
            except queue.Empty:
                continue

    def kill(self) -> list[str]:
        """Killed outright (SIGKILL; TerminateProcess on Windows), then every reference
        acknowledged before the kill."""
        self.proc.kill()
        self.proc.wait(10)
        self._drain()
        return list(self.acked)

    def finish(self, timeout: float = 60) -> int:
        code = self.proc.wait(timeout)
        self._drain()
        return code

    def _drain(self) -> None:
        """Lines already in the pipe when the process ended were acknowledged before it."""
        assert self.ended.wait(10), "the writer's output did not end"

    def stderr(self) -> str:
        return "".join(self._stderr)


def integrity(db_file: Path) -> list[str]:
    conn = sqlite3.connect(db_file, timeout=30)
    try:
        return [r[0] for r in conn.execute("PRAGMA integrity_check")]
    finally:
        conn.close()


def references(db_file: Path) -> set[str]:
    conn = sqlite3.connect(db_file, timeout=30)
    try:
        return {r[0] for r in conn.execute("SELECT reference FROM complaints")}
    finally:
        conn.close()


def table_counts(db_file: Path) -> dict[str, int]:
    conn = sqlite3.connect(db_file, timeout=30)
    try:
        names = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        return {n: conn.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}
    finally:
        conn.close()
