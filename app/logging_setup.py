"""The program's log: a rotating file in the data folder (`<data>/logs/complaint-desk.log`).

Rotation keeps the last few megabytes (5 files of 1 MB), so a counter PC running for years
never fills its disk with logs. Several processes write the same file (the window, a scheduled
`backup`, a command beside it), so the handler is concurrent-log-handler's: a lock file
(`.__complaint-desk.lock`) orders their writes and rotations, and on Windows, which cannot
rename a file another process holds open, the file is closed after each write and a rotation
that still meets an open file is put off rather than failing or losing records. The standard
RotatingFileHandler renames under the other processes' feet: on POSIX they go on writing into
the renamed file, on Windows the rename fails at every record. Texts in the log are English (for whoever supports the desk);
the error dialog tells the user where the file is. Personal data is not logged on purpose:
services log what they did, not what was typed.
"""

from __future__ import annotations

import logging
from pathlib import Path

from concurrent_log_handler import ConcurrentRotatingFileHandler

from app import __version__
from app.paths import Paths

LOG_NAME = "complaint-desk.log"
MAX_BYTES = 1024 * 1024
BACKUP_COUNT = 4
FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"
_MARK = "_complaint_desk_handler"
_levels: list[int] = []  # the root level before install_logging raised it


def log_file(paths: Paths) -> Path:
    return paths.logs / LOG_NAME


def install_logging(paths: Paths, level: int = logging.INFO) -> Path | None:
    """Send the root logger to the rotating file (once per file; again for another database).
    Returns the file, or None when the folder cannot be written (the program runs on)."""
    root = logging.getLogger()
    target = log_file(paths)
    for handler in list(root.handlers):
        if getattr(handler, _MARK, False):
            if Path(getattr(handler, "baseFilename", "")) == target.resolve():
                return target
            root.removeHandler(handler)
            handler.close()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        # keep_file_open=False: each process closes the file after each record, as the handler
        # always does on Windows. Otherwise, on POSIX, every process holds the file open between
        # records, and a rotation is put off for as long as another process runs (the Windows
        # simulation refuses the rename, as Windows would): the log grows past MAX_BYTES.
        handler = ConcurrentRotatingFileHandler(
            str(target), maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8",
            keep_file_open=False)
    except OSError:
        return None
    handler.setFormatter(logging.Formatter(FORMAT))
    setattr(handler, _MARK, True)
    root.addHandler(handler)
    if root.level > level or root.level == logging.NOTSET:
        _levels.append(root.level)
        root.setLevel(level)
    logging.getLogger("complaint_desk").info("Complaint Desk %s started; database %s",
                                             __version__, paths.describe())
    return target


def uninstall_logging() -> None:
    """Close the log file (tests, or before the data folder is moved)."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, _MARK, False):
            root.removeHandler(handler)
            handler.close()
    while _levels:
        root.setLevel(_levels.pop())
