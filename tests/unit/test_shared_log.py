"""The log file is written by several processes at once (the window, a scheduled backup, a
command beside them) and rotated (issue 23): nothing is lost or mangled, and on Windows a log
that another handle holds open does not break logging."""

from __future__ import annotations

import logging
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from app import logging_setup
from app.logging_setup import install_logging, log_file, uninstall_logging
from app.paths import Paths
from tests.cli_process import ROOT, python_env

WRITER = """
import logging, sys
from pathlib import Path
from app import logging_setup
from app.paths import Paths
logging_setup.MAX_BYTES, logging_setup.BACKUP_COUNT = 20_000, 200
logging_setup.install_logging(Paths(Path(sys.argv[1]), "sqlite:///x.db", None))
log = logging.getLogger("complaint_desk.test")
for i in range(int(sys.argv[3])):
    log.info("%s line %05d %s", sys.argv[2], i, "柜台" * 20)
"""
IDLE = """
import logging, sys
from pathlib import Path
from app import logging_setup
from app.paths import Paths
logging_setup.install_logging(Paths(Path(sys.argv[1]), "sqlite:///x.db", None))
logging.getLogger("complaint_desk.test").info("idle beside the other")
print("ready", flush=True)
sys.stdin.read()
"""
LINE = re.compile(r" INFO complaint_desk\.test \[MainThread\] (\w+) line (\d{5}) (柜台){20}$")


def _lines(folder: Path) -> list[str]:
    files = sorted((folder / "logs").glob(f"{logging_setup.LOG_NAME}*"))
    return [line for f in files for line in f.read_text(encoding="utf-8").splitlines()]


def test_processes_writing_and_rotating_one_log_lose_nothing(tmp_path: Path) -> None:
    count = 1500  # ~120 KB each: several rotations of 20 KB while both write
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, str(tmp_path), tag, str(count)],
                                cwd=ROOT, env=python_env(), stderr=subprocess.PIPE, text=True)
               for tag in ("window", "backup", "check")]
    for writer in writers:
        _out, err = writer.communicate(timeout=120)
        assert writer.returncode == 0, err
        assert "Logging error" not in err, err
    records = [line for line in _lines(tmp_path) if " complaint_desk.test " in line]
    assert all(LINE.search(line) for line in records), [r for r in records
                                                        if not LINE.search(r)][:3]
    seen = sorted(LINE.search(line).group(1, 2) for line in records)  # type: ignore[union-attr]
    expected = sorted((tag, f"{i:05d}") for tag in ("window", "backup", "check")
                      for i in range(count))
    assert seen == expected  # each record once, none lost in a rotation
    assert len(list((tmp_path / "logs").glob(f"{logging_setup.LOG_NAME}.*"))) >= 5


@pytest.fixture
def small_log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setattr(logging_setup, "MAX_BYTES", 4000)
    monkeypatch.setattr(logging_setup, "BACKUP_COUNT", 50)
    paths = Paths(tmp_path, "sqlite:///x.db", None)
    assert install_logging(paths) is not None
    yield log_file(paths)
    uninstall_logging()


def test_a_log_held_open_elsewhere_delays_rotation_and_loses_nothing(
        small_log: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """In the Windows simulation the held log cannot be renamed, as on Windows."""
    log = logging.getLogger("complaint_desk.test")
    log.info("first")
    with small_log.open("rb"):  # a support person's viewer, another process's handle
        for i in range(200):
            log.info("held %03d %s", i, "x" * 40)
    for i in range(100):
        log.info("after %03d %s", i, "x" * 40)
    text = "\n".join(_lines(small_log.parents[1]))
    assert all(f"held {i:03d} " in text for i in range(200))
    assert all(f"after {i:03d} " in text for i in range(100))
    assert "Logging error" not in capsys.readouterr().err


def test_another_process_of_the_program_does_not_hold_off_rotation(small_log: Path) -> None:
    """The window has written to the log and sits idle while a command beside it logs: the
    log still rotates at its size. On Windows the handler closes the file after each record;
    it must do so here too, else every process holds the file open and (in the Windows
    simulation, as on Windows) no rotation can rename it while the window runs."""
    idle = subprocess.Popen([sys.executable, "-c", IDLE, str(small_log.parents[1])], cwd=ROOT,
                            env=python_env(), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        assert idle.stdout is not None and idle.stdout.readline().strip() == "ready"
        log = logging.getLogger("complaint_desk.test")
        for i in range(200):  # ~24 KB: several rotations of 4000 bytes
            log.info("beside %03d %s", i, "x" * 80)
    finally:
        _out, err = idle.communicate("", timeout=60)
    assert idle.returncode == 0, err
    rotated = list(small_log.parent.glob(f"{logging_setup.LOG_NAME}.*"))
    assert len(rotated) >= 4, rotated
    assert small_log.stat().st_size < 2 * logging_setup.MAX_BYTES
    text = "\n".join(_lines(small_log.parents[1]))
    assert all(f"beside {i:03d} " in text for i in range(200))
    assert "idle beside the other" in text
