"""app/atomic_files.py: whole files or none, the user's permissions, Windows' open files."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import pytest

from app import atomic_files
from app.atomic_files import FileInUse, atomic_path, atomic_write, stale_parts, write_bytes


def _windows_in_use(path: str) -> PermissionError:
    error = PermissionError(errno.EACCES, "being used by another process", path)
    error.winerror = 32  # type: ignore[attr-defined]
    return error


def test_a_failed_write_leaves_the_old_file_and_no_part(tmp_path: Path) -> None:
    target = tmp_path / "report.pdf"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError), atomic_write(target) as fh:
        fh.write(b"half of the new")
        raise RuntimeError("killed")
    assert target.read_bytes() == b"old"
    assert stale_parts(tmp_path) == []
    write_bytes(target, b"new")
    assert target.read_bytes() == b"new"


def test_a_library_writing_by_name_gets_the_same_promise(tmp_path: Path) -> None:
    target = tmp_path / "month.xlsx"
    with atomic_path(target) as part:
        assert part.parent == tmp_path and part.name.endswith(".part")
        part.write_bytes(b"workbook")
        assert not target.exists()
    assert target.read_bytes() == b"workbook"
    assert stale_parts(tmp_path) == []


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
def test_outputs_get_the_users_permissions_backups_stay_private(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        write_bytes(tmp_path / "export.csv", b"x")
        with atomic_path(tmp_path / "export.xlsx") as part:
            part.write_bytes(b"x")
        write_bytes(tmp_path / "backup.zip", b"x", private=True)
    finally:
        os.umask(old)
    mode = {p.name: stat.S_IMODE(p.stat().st_mode) for p in tmp_path.iterdir()}
    assert mode == {"export.csv": 0o644, "export.xlsx": 0o644, "backup.zip": 0o600}


def test_a_file_held_briefly_is_replaced_after_a_retry(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "slip.pdf"
    target.write_bytes(b"old")
    real_replace, refusals = os.replace, [2]

    def busy_twice(src: str, dst: str) -> None:
        if refusals[0]:
            refusals[0] -= 1
            raise _windows_in_use(str(dst))
        real_replace(src, dst)

    monkeypatch.setattr(atomic_files.os, "replace", busy_twice)
    write_bytes(target, b"new")
    assert target.read_bytes() == b"new" and refusals == [0]


def test_a_file_held_open_names_itself_and_nothing_changes(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "2026-11.xlsx"
    target.write_bytes(b"open in Excel")

    def always_busy(src: str, dst: str) -> None:
        raise _windows_in_use(str(dst))

    monkeypatch.setattr(atomic_files, "RETRY_SECONDS", 0.2)
    monkeypatch.setattr(atomic_files.os, "replace", always_busy)
    with pytest.raises(FileInUse) as caught:
        write_bytes(target, b"new")
    assert str(target) in caught.value.message()
    assert target.read_bytes() == b"open in Excel"
    assert stale_parts(tmp_path) == []


def test_a_real_permission_problem_is_not_retried(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []

    def denied(src: str, dst: str) -> None:
        calls.append(dst)
        raise PermissionError(errno.EACCES, "Permission denied", str(dst))

    if os.name == "nt":
        pytest.skip("on Windows every PermissionError may be a file in use")
    monkeypatch.setattr(atomic_files.os, "replace", denied)
    with pytest.raises(PermissionError):
        write_bytes(tmp_path / "x.csv", b"x")
    assert len(calls) == 1
