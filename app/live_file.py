"""This process's hold on a live SQLite database file, so that a save acknowledged is in the file.

Why (../shared/PLATFORM.md, "SQLite in a program with file dialogs"): POSIX advisory locks
belong to the process. Anything in the process that opens and closes the database file, or its
-wal/-shm, outside SQLite (a file dialog sniffing types, an `open()` of the header) releases
every SQLite lock the process holds on it; another process then believes it holds the last
connection, checkpoints and deletes the WAL, and this process goes on committing into a deleted
file. Three defences, all kept here:

1. Anchor and guard. The first time the process opens the file it also opens two idle
   connections of its own: the *anchor* (read-write) and the *guard* (read-only). Each holds
   SQLite's SHARED lock for as long as it is open, so no other connection of this process is
   ever "the last connection" that checkpoints and deletes the WAL when it closes. When the
   last user lets go, the anchor closes last (SQLite's normal tidy close: checkpoint, delete
   the WAL if nobody else has the file open) only when no window of the program holds the
   database (the desk lock, 2.); otherwise the guard closes last, and a read-only connection
   never checkpoints nor deletes: the WAL stays for the window.
2. The desk lock: the window holds `desk.lock` in the database's data folder for as long as it
   is open (filelock: `flock` on POSIX, `LockFileEx` on Windows; closing another descriptor
   cannot release either). A `check`, `backup`, `import` or `restore` run meanwhile from
   another process sees it held and leaves the WAL in place.
3. The WAL's identity. The (device, inode) of -wal and -shm are noted when the anchor opens
   them; before every session and after every commit they are compared with the files on
   disk (`os.stat` only). While the anchor keeps the old file open its inode cannot be reused,
   so a WAL deleted and made anew is always noticed. Then the frames this process wrote into
   the deleted file are checkpointed into the database through the anchor, which still holds
   it (or, should another process have written meanwhile, copied whole beside the database:
   two histories are never mixed page by page), every connection of the process closes (so
   the next ones share no stale -shm), and the file opens afresh.

On Windows a lock belongs to its handle and an open file cannot be deleted, so the hazard does
not arise there; the same code runs and finds nothing to rescue.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from filelock import FileLock, Timeout

from app import clock
from app.network_drive import read_only_uri

log = logging.getLogger(__name__)

BUSY_TIMEOUT_S = 30
DESK_LOCK_FILE = "desk.lock"
WAL_HEADER_SIZE = 32  # a WAL file longer than its header holds another process's frames
Ident = tuple[int, int] | None


@dataclass(frozen=True)
class Rescue:
    """What was done about a WAL deleted under this process."""

    into_database: bool  # the frames were checkpointed into the database file
    kept_in: Path | None  # else: the whole database as this process saw it, kept beside it


def _ident(path: Path) -> Ident:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return (st.st_dev, st.st_ino)


def connect(path: Path, read_only: bool = False) -> sqlite3.Connection:
    """A plain sqlite3 connection to a database file with the program's settings."""
    if read_only:
        conn = sqlite3.connect(read_only_uri(path), uri=True, timeout=BUSY_TIMEOUT_S,
                               check_same_thread=False, isolation_level=None)
    else:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, check_same_thread=False,
                               isolation_level=None)
    conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_S * 1000}")
    return conn


class _Gate:
    """Sessions share the file; a reopen has it alone. Reader-preferring and re-entrant for
    sessions (a service may open a read inside a write on the same thread)."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._shared = 0
        self._exclusive = False
        self._depth = threading.local()

    def depth(self) -> int:
        return int(getattr(self._depth, "n", 0))

    @contextmanager
    def shared(self) -> Iterator[None]:
        with self._cond:
            if self.depth() == 0:
                while self._exclusive:
                    self._cond.wait()
            self._shared += 1
            self._depth.n = self.depth() + 1
        try:
            yield
        finally:
            with self._cond:
                self._shared -= 1
                self._depth.n = self.depth() - 1
                self._cond.notify_all()

    @contextmanager
    def exclusive(self) -> Iterator[None]:
        with self._cond:
            while self._exclusive or self._shared:
                self._cond.wait()
            self._exclusive = True
        try:
            yield
        finally:
            with self._cond:
                self._exclusive = False
                self._cond.notify_all()


class LiveFile:
    """One SQLite file as this process holds it (see the module's notes)."""

    def __init__(self, path: Path, lock_path: Path) -> None:
        self.path = path
        self.lock_path = lock_path
        self.users = 0
        self.gate = _Gate()
        self.epoch = 0  # counts the reopenings after a rescue
        self._mutex = threading.RLock()
        self._anchor: sqlite3.Connection | None = None
        self._guard: sqlite3.Connection | None = None
        self._wal: Ident = None
        self._shm: Ident = None
        self._closers: list[Callable[[], None]] = []
        self._rescue: Rescue | None = None
        self._kept: Path | None = None  # where this epoch's rescued copy went, if any

    # --- the anchor and the guard ---------------------------------------------------

    def open_anchor(self) -> None:
        """Open the anchor and the guard once the file exists (the engine's connect event)."""
        with self._mutex:
            if self._anchor is not None or not self.path.exists():
                return
            anchor = connect(self.path)
            try:
                anchor.execute("SELECT count(*) FROM sqlite_master").fetchone()
                guard = connect(self.path, read_only=True)
                guard.execute("SELECT count(*) FROM sqlite_master").fetchone()
            except sqlite3.DatabaseError:
                anchor.close()
                return  # not a database yet (or damaged): the check at start says so
            self._anchor, self._guard = anchor, guard
            wal_mode = anchor.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            self._wal = _ident(Path(f"{self.path}-wal")) if wal_mode else None
            self._shm = _ident(Path(f"{self.path}-shm")) if wal_mode else None

    def _close_anchor(self, tidy: bool) -> None:
        """Close the guard and the anchor. `tidy`: the anchor closes last and SQLite may
        checkpoint and delete the WAL; else the read-only guard closes last and nothing is
        checkpointed or deleted on the way out."""
        anchor, guard = self._anchor, self._guard
        self._anchor = self._guard = None
        self._wal = self._shm = None
        order = (guard, anchor) if tidy else (anchor, guard)
        for conn in order:
            if conn is not None:
                try:
                    conn.close()
                except sqlite3.Error:
                    log.exception("closing %s", self.path)

    def on_close(self, closer: Callable[[], None]) -> None:
        """Run `closer` (an engine's dispose) whenever every connection must close."""
        self._closers.append(closer)

    def forget_closer(self, closer: Callable[[], None]) -> None:
        if closer in self._closers:
            self._closers.remove(closer)

    # --- the WAL's identity -------------------------------------------------------------

    def intact(self) -> bool:
        """Are the -wal and -shm on disk still the files the anchor opened?"""
        if self._anchor is None or self._wal is None:
            return True
        return (_ident(Path(f"{self.path}-wal")) == self._wal
                and _ident(Path(f"{self.path}-shm")) == self._shm)

    def check(self) -> Rescue | None:
        """None while the WAL is intact; else rescue what this process wrote into the deleted
        one (see notes, 3.) and say how. The reopening waits for the outermost session when
        this thread is inside one."""
        if self.intact():
            return None
        with self._mutex:
            if not self.intact():
                assert self._anchor is not None
                self._rescue = self._save_frames(self._anchor)
            rescue = self._rescue
        if self.gate.depth() == 0:
            self.reopen()
        return rescue

    def _save_frames(self, anchor: sqlite3.Connection) -> Rescue:
        wal_now = Path(f"{self.path}-wal")
        others_wrote = wal_now.exists() and wal_now.stat().st_size > WAL_HEADER_SIZE
        if not others_wrote and self._kept is None:
            try:
                busy, frames, done = anchor.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
                if busy == 0 and frames == done:
                    log.warning("The WAL of %s was deleted by another process; its %s "
                                "frame(s) were checkpointed into the file.", self.path, frames)
                    return Rescue(True, None)
            except sqlite3.Error:
                log.exception("checkpoint of a deleted WAL")
        if self._kept is None:
            self._kept = self.path.with_name(
                f"{self.path.name}.rescued-{clock.now():%Y%m%d-%H%M%S}")
        target = sqlite3.connect(self._kept)
        try:
            anchor.backup(target)
        finally:
            target.close()
        log.error("The WAL of %s was replaced while another process wrote; this process's "
                  "view of the database was kept in %s.", self.path, self._kept)
        return Rescue(False, self._kept)

    def reopen(self) -> None:
        """Close every connection of this process to the file (sessions wait), so that the
        next ones open the -wal/-shm that are on disk now."""
        with self.gate.exclusive(), self._mutex:
            if not self.intact() and self._anchor is not None:
                self._save_frames(self._anchor)  # frames written since the first rescue
            for closer in list(self._closers):
                closer()
            self._close_anchor(tidy=False)
            self._rescue = None
            self._kept = None
            self.epoch += 1

    # --- the end ------------------------------------------------------------------------

    def close_all(self) -> None:
        """Every connection of this process closes now (a restore replacing the file)."""
        with self.gate.exclusive(), self._mutex:
            for closer in list(self._closers):
                closer()
            self._close_anchor(tidy=may_tidy(self.lock_path))

    def last_close(self) -> None:
        with self._mutex:
            self._close_anchor(tidy=may_tidy(self.lock_path))


# --- the registry: one LiveFile per file in this process ---------------------------------

_FILES: dict[Path, LiveFile] = {}
_REGISTRY = threading.Lock()


def acquire(path: Path, data_dir: Path) -> LiveFile:
    """Note one more user (a Database) of the file in this process."""
    key = Path(os.path.abspath(path))
    with _REGISTRY:
        live = _FILES.get(key)
        if live is None:
            live = _FILES[key] = LiveFile(key, data_dir / DESK_LOCK_FILE)
        live.users += 1
        return live


def release(live: LiveFile) -> None:
    """One user fewer; the last one closes the anchor (tidily when no window holds it)."""
    with _REGISTRY:
        live.users -= 1
        if live.users > 0:
            return
        _FILES.pop(live.path, None)
    live.last_close()


def find(path: Path) -> LiveFile | None:
    with _REGISTRY:
        return _FILES.get(Path(os.path.abspath(path)))


@contextmanager
def using(path: Path, data_dir: Path) -> Iterator[LiveFile]:
    """Hold the file's anchor around plain sqlite3 work on it (backups, restores)."""
    live = acquire(path, data_dir)
    try:
        live.open_anchor()
        yield live
    finally:
        release(live)


# --- the desk lock -----------------------------------------------------------------------

_held: dict[Path, FileLock] = {}


def _desk_lock(path: Path) -> FileLock:
    # The file stays: removing a flock'ed file lets the next process lock a different inode.
    return FileLock(path, thread_local=False, preserve_lock_file=True)


def hold_desk_lock(data_dir: Path, wait_s: float = 5.0) -> bool:
    """The window holds the database: other processes of the program keep its WAL. False
    when another window (of another account) holds it already; that one protects both."""
    path = data_dir / DESK_LOCK_FILE
    if path in _held:
        return True
    data_dir.mkdir(parents=True, exist_ok=True)
    lock = _desk_lock(path)
    try:
        lock.acquire(timeout=wait_s)
    except Timeout:
        return False
    _held[path] = lock
    return True


def drop_desk_lock(data_dir: Path) -> None:
    lock = _held.pop(data_dir / DESK_LOCK_FILE, None)
    if lock is not None:
        lock.release()


def may_tidy(lock_path: Path) -> bool:
    """May this process's last connection checkpoint and delete the WAL? Only when no window
    of the program holds the database (this process's own window may)."""
    if lock_path in _held:
        return True
    if not lock_path.parent.is_dir():
        return True
    lock = _desk_lock(lock_path)
    try:
        lock.acquire(timeout=0)
    except (Timeout, OSError):
        return False
    lock.release()
    return True
