"""Windows simulation for the test suite (issue 23): Python started with this folder on
PYTHONPATH and DESK_WINDOWS_SIM=1 behaves, for files, as it would on Windows.

Python imports `sitecustomize` at start-up, so every process of a run is in the mode: the
pytest process and whatever it starts with the same environment (the command line, the
window, the writer processes that the crash tests kill). `scripts/test.sh` runs the SQLite
suite this way; tests/unit/test_windows_simulation.py fails when that run is not in the mode.

What differs on Windows, and what this makes Linux do:
- `os.fsync` needs a handle opened for writing (FlushFileBuffers); on a file opened "rb" it
  fails with `[Errno 9] Bad file descriptor`. Directories are exempt: Windows cannot open one
  at all, and the program syncs folders on POSIX only.
- A file some handle holds open cannot be renamed, replaced or deleted (neither Python's
  `open` nor SQLite nor Qt share files for deletion): `os.replace`, `os.rename`,
  `os.unlink`, `os.remove` (and pathlib's, shutil's, which call them) fail with
  `PermissionError [WinError 32]`, `winerror` set as on Windows (app/atomic_files.in_use).
  What is held open is read from /proc/<pid>/fd of this process and of every other process
  of the run (each registers its PID in the folder named by DESK_WINDOWS_SIM_PIDS, which the
  first one makes and its children inherit): Python's opens, SQLite's database, `-wal` and
  `-shm` files and Qt's files all count, as Windows counts every process's handles. So the
  test process holding an export open stands for Excel holding it while a command replaces it,
  and the window's open database for a restore from the command line.
Not simulated here: `pty`, `fcntl`, `termios` missing (tests/unit/test_portability.py collects
the suite without them), code pages (the CLI tests set PYTHONIOENCODING, tests/cli_process.py).
"""

from __future__ import annotations

import atexit
import contextlib
import errno
import os
import stat
import sys
import time

ENV = "DESK_WINDOWS_SIM"  # not COMPLAINT_DESK_*: tests strip those from a child's environment
PIDS = "DESK_WINDOWS_SIM_PIDS"  # the folder where the processes of a run register
SHARING_VIOLATION = 32  # ERROR_SHARING_VIOLATION
MARK = "_complaint_desk_windows_sim"


def _install() -> None:
    import fcntl  # the simulation runs on Linux only; the program never imports it

    real_fsync, real_stat, real_fstat = os.fsync, os.stat, os.fstat
    real_replace, real_rename, real_unlink = os.replace, os.rename, os.unlink
    registry = os.environ.get(PIDS)
    first = not registry
    if not registry:  # the first process of the run: its children inherit the variable
        registry = f"/tmp/desk-windows-sim-{os.getpid()}-{time.time_ns()}"
        os.mkdir(registry)
        os.environ[PIDS] = registry
    mine = os.path.join(registry, str(os.getpid()))
    os.close(os.open(mine, os.O_WRONLY | os.O_CREAT, 0o644))

    def leave() -> None:
        with contextlib.suppress(OSError):
            real_unlink(mine)
            if first:
                os.rmdir(registry)  # left behind while a child still runs: harmless

    atexit.register(leave)

    def processes() -> list[str]:
        """This process first, then the run's other live processes."""
        pids = ["self"]
        for name in os.listdir(registry):
            if name != str(os.getpid()):
                if os.path.isdir(f"/proc/{name}"):
                    pids.append(name)
                else:  # ended: forget it
                    with contextlib.suppress(OSError):
                        real_unlink(os.path.join(registry, name))
        return pids

    def fsync(fd: object) -> None:
        number = fd if isinstance(fd, int) else fd.fileno()  # type: ignore[attr-defined]
        read_only = fcntl.fcntl(number, fcntl.F_GETFL) & os.O_ACCMODE == os.O_RDONLY
        if read_only and not stat.S_ISDIR(real_fstat(number).st_mode):
            raise OSError(errno.EBADF, "Bad file descriptor (Windows simulation: os.fsync "
                                       "needs a handle opened for writing)")
        real_fsync(number)

    def held_open(path: object, dir_fd: int | None) -> bool:
        try:
            st = real_stat(path, dir_fd=dir_fd, follow_symlinks=False)  # type: ignore[arg-type]
        except (OSError, TypeError, ValueError):
            return False
        if not stat.S_ISREG(st.st_mode):
            return False
        for pid in processes():
            folder = f"/proc/{pid}/fd"
            try:
                names = os.listdir(folder)
            except OSError:  # it just ended
                continue
            for name in names:
                try:
                    other = real_stat(f"{folder}/{name}")  # the file the handle is open on
                except OSError:
                    continue
                if other.st_ino == st.st_ino and other.st_dev == st.st_dev:
                    return True
        return False

    def refuse(path: object) -> PermissionError:
        error = PermissionError(errno.EACCES, "The process cannot access the file because it "
                                "is being used by another process (Windows simulation)",
                                os.fsdecode(path) if isinstance(path, str | bytes | os.PathLike)
                                else str(path))
        error.winerror = SHARING_VIOLATION  # type: ignore[attr-defined]
        return error

    def replace(src, dst, *, src_dir_fd=None, dst_dir_fd=None):  # type: ignore[no-untyped-def]
        for path, dir_fd in ((src, src_dir_fd), (dst, dst_dir_fd)):
            if held_open(path, dir_fd):
                raise refuse(path)
        return real_replace(src, dst, src_dir_fd=src_dir_fd, dst_dir_fd=dst_dir_fd)

    def rename(src, dst, *, src_dir_fd=None, dst_dir_fd=None):  # type: ignore[no-untyped-def]
        for path, dir_fd in ((src, src_dir_fd), (dst, dst_dir_fd)):
            if held_open(path, dir_fd):
                raise refuse(path)
        return real_rename(src, dst, src_dir_fd=src_dir_fd, dst_dir_fd=dst_dir_fd)

    def unlink(path, *, dir_fd=None):  # type: ignore[no-untyped-def]
        if held_open(path, dir_fd):
            raise refuse(path)
        return real_unlink(path, dir_fd=dir_fd)

    for name, function in (("fsync", fsync), ("replace", replace), ("rename", rename),
                           ("unlink", unlink), ("remove", unlink)):
        setattr(function, MARK, True)
        setattr(os, name, function)
    # shutil.rmtree checks this set to decide whether it may pass dir_fd: keep it truthful.
    os.supports_dir_fd.update({replace, rename, unlink})


def active() -> bool:
    return getattr(os.fsync, MARK, False)


if os.environ.get(ENV) == "1" and sys.platform.startswith("linux") and not active():
    _install()
