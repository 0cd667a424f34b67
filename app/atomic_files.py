"""Writing, replacing and removing files so that neither a crash nor Windows loses one.

Every file the program writes for the user or for safety (slips, reports, exports, backups,
drafts, attachments) goes through here:
- it is written to a temporary file beside the target (`.<name>.<random>.part`, same folder,
  so the rename cannot cross disks), flushed and fsync'ed **through the handle that wrote it**
  (Windows refuses `os.fsync` on a read-only handle), then renamed into place and the folder
  synced (POSIX; Windows cannot open a folder);
- a crash leaves the old file whole and, at worst, a `*.part` file that `stale_parts` finds;
- Windows refuses to replace or delete a file another program holds open (Excel, a PDF
  viewer; antivirus and the search indexer briefly): the rename and the removal retry for a
  moment, then raise FileInUse naming the file to close. A PermissionError counts as "in use"
  when it carries a Windows error code (`winerror` 5, 32 or 33), which is also what the
  Windows simulation of the test suite raises on Linux.
The new file gets the permissions of the user's other files (the umask applies), unless the
caller asks for a private one (backups: customers' data).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, TypeVar

from app.errors import DeskError
from app.i18n import N_

RETRY_SECONDS = 2.0  # antivirus and indexers let go within this; Excel does not
PART_SUFFIX = ".part"
_WINDOWS_IN_USE = {5, 32, 33}  # access denied, sharing violation, lock violation
T = TypeVar("T")


class FileInUse(DeskError):
    """Another program holds the file open, so it cannot be replaced or removed now."""

    def __init__(self, path: Path) -> None:
        super().__init__(N_("The file {path} is open in another program (Excel, WPS or a PDF "
                            "viewer, for example): close it there and try again."),
                         path=str(path))
        self.path = path


def in_use(error: OSError) -> bool:
    """Is this the error Windows gives for a file another program holds open?"""
    if not isinstance(error, PermissionError):
        return False
    return getattr(error, "winerror", None) in _WINDOWS_IN_USE or os.name == "nt"


def _retrying(operation: Callable[[], T], path: Path, seconds: float = RETRY_SECONDS) -> T:
    deadline = time.monotonic() + seconds
    delay = 0.05
    while True:
        try:
            return operation()
        except PermissionError as e:
            if not in_use(e):
                raise
            if time.monotonic() >= deadline:
                raise FileInUse(path) from e
            time.sleep(delay)
            delay = min(delay * 2, 0.4)


def sync_folder(folder: Path) -> None:
    """Make a rename or a new file in `folder` survive a power cut (POSIX only: Windows
    cannot open a folder, and NTFS journals the rename itself)."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def sync_file(path: Path) -> None:
    """fsync a file that a library wrote and closed by name: through a writable handle."""
    with open(path, "r+b") as fh:
        os.fsync(fh.fileno())


def replace(source: Path, target: Path) -> None:
    """`os.replace`, retried while another program briefly holds either file."""
    _retrying(lambda: os.replace(source, target), Path(target))


def remove(path: Path, missing_ok: bool = True) -> None:
    """Delete a file, retried while another program briefly holds it."""
    def unlink() -> None:
        Path(path).unlink(missing_ok=missing_ok)

    _retrying(unlink, Path(path))


def part_name(target: Path) -> Path:
    """A fresh temporary name beside `target` (same folder, so the rename stays atomic)."""
    return target.with_name(f".{target.name}.{secrets.token_hex(4)}{PART_SUFFIX}")


def stale_parts(folder: Path) -> list[Path]:
    """Temporary files a killed write left in `folder` (only this module's own pattern)."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob(f".*{PART_SUFFIX}") if p.is_file())


def _create(path: Path, private: bool) -> int:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    return os.open(path, flags, 0o600 if private else 0o666)  # the umask applies to 0o666


@contextlib.contextmanager
def atomic_path(target: Path, private: bool = False) -> Iterator[Path]:
    """A temporary path for a library that writes a file by name (ReportLab, openpyxl,
    zipfile); once the block ends without error the file is synced and renamed to `target`.
    On an error the temporary file is removed and `target` is left as it was."""
    target = Path(target)
    part = part_name(target)
    os.close(_create(part, private))  # created here, so its permissions are ours
    try:
        yield part
        sync_file(part)
        replace(part, target)
    except BaseException:
        with contextlib.suppress(OSError):
            part.unlink()
        raise
    sync_folder(target.parent)


@contextlib.contextmanager
def atomic_write(target: Path, private: bool = False) -> Iterator[IO[bytes]]:
    """A binary handle whose bytes become `target` only once the block ends without error."""
    target = Path(target)
    part = part_name(target)
    fh = os.fdopen(_create(part, private), "wb")
    try:
        with fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        replace(part, target)
    except BaseException:
        with contextlib.suppress(OSError):
            part.unlink()
        raise
    sync_folder(target.parent)


def write_bytes(target: Path, data: bytes, private: bool = False) -> None:
    with atomic_write(target, private) as fh:
        fh.write(data)
