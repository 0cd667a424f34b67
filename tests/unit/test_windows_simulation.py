"""The Windows simulation (tests/windows_sim): the SQLite run of scripts/test.sh is in it, it
refuses what Windows refuses, and the program copes with those refusals."""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from app import atomic_files
from app.atomic_files import FileInUse, in_use, write_bytes
from tests.cli_process import clean_env, windows_simulated
from tests.conftest import PG_URL

MARK = "_complaint_desk_windows_sim"
PROBE = f"import os; print(getattr(os.fsync, {MARK!r}, False))"


def _active() -> bool:
    return bool(getattr(os.fsync, MARK, False))


def test_the_sqlite_run_is_in_windows_mode() -> None:
    """scripts/test.sh runs the SQLite suite in the simulation (CI too): this fails when it does
    not, in this process or in the processes tests start."""
    required = windows_simulated() or (os.environ.get("CI") == "true" and PG_URL is None)
    if not required:
        pytest.skip("not the SQLite run of scripts/test.sh")
    assert sys.platform.startswith("linux")
    assert _active(), "os.fsync is not simulated: tests/windows_sim is not on PYTHONPATH"
    assert windows_simulated(), "DESK_WINDOWS_SIM=1 is not set"
    child = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                           env=clean_env(), timeout=60)
    assert child.stdout.strip() == "True", "a child process is not in the simulation"


simulated = pytest.mark.skipif(not _active(), reason="only in the Windows simulation")


def _refused(error: pytest.ExceptionInfo[PermissionError]) -> None:
    assert getattr(error.value, "winerror", None) == 32 and in_use(error.value)


@simulated
def test_fsync_needs_a_writable_handle(tmp_path: Path) -> None:
    file = tmp_path / "backup.zip"
    file.write_bytes(b"zip")
    with file.open("rb") as fh, pytest.raises(OSError) as caught:
        os.fsync(fh.fileno())
    assert caught.value.errno == errno.EBADF
    with file.open("r+b") as fh:
        os.fsync(fh)  # a file object works too, as on Windows
    fd = os.open(tmp_path, os.O_RDONLY)
    try:
        os.fsync(fd)  # a folder: exempt (Windows cannot open one; POSIX syncs it)
    finally:
        os.close(fd)


@simulated
def test_a_file_held_open_cannot_be_replaced_renamed_or_deleted(tmp_path: Path) -> None:
    report, new = tmp_path / "2026-11.pdf", tmp_path / "new.pdf"
    report.write_bytes(b"old")
    new.write_bytes(b"new")
    with report.open("rb"):  # a PDF viewer has it open
        with pytest.raises(PermissionError) as caught:
            os.replace(new, report)
        _refused(caught)
        with pytest.raises(PermissionError) as caught:
            report.unlink()
        _refused(caught)
        with pytest.raises(PermissionError) as caught:
            report.rename(tmp_path / "moved.pdf")
        _refused(caught)
        with pytest.raises(PermissionError):
            os.replace(report, tmp_path / "elsewhere.pdf")  # the source held open: refused too
    os.replace(new, report)
    assert report.read_bytes() == b"new"
    report.unlink()
    folder = tmp_path / ".backup-work"  # a temporary folder with a file still open in it
    folder.mkdir()
    with (folder / "desk.db").open("wb"), pytest.raises(PermissionError):
        shutil.rmtree(folder)
    shutil.rmtree(folder)


@simulated
def test_sqlite_holds_its_database_and_wal_open(tmp_path: Path) -> None:
    path = tmp_path / "desk.db"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    try:
        for held in (path, Path(f"{path}-wal")):
            with pytest.raises(PermissionError) as caught:
                held.unlink()
            _refused(caught)
    finally:
        conn.close()
    path.unlink()


@simulated
def test_an_output_open_elsewhere_is_named_and_left_whole(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(atomic_files, "RETRY_SECONDS", 0.2)
    export = tmp_path / "十一月.csv"
    export.write_bytes(b"open in Excel")
    with export.open("rb"), pytest.raises(FileInUse) as caught:
        write_bytes(export, b"new rows")
    assert str(export) in caught.value.message()
    assert export.read_bytes() == b"open in Excel"
    assert atomic_files.stale_parts(tmp_path) == []
    write_bytes(export, b"new rows")  # closed in Excel: the next try works
    assert export.read_bytes() == b"new rows"


@simulated
def test_another_process_of_the_run_holding_a_file_counts_too(tmp_path: Path) -> None:
    """The window holding the database while a command restores it, Excel holding an export."""
    held = tmp_path / "desk.db"
    held.write_bytes(b"db")
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys; f = open(sys.argv[1], 'rb'); print('open', "
         "flush=True); sys.stdin.read()", str(held)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=clean_env())
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        with pytest.raises(PermissionError) as caught:
            held.unlink()
        _refused(caught)
    finally:
        holder.communicate("", timeout=30)  # it closes the file and ends
    held.unlink()
