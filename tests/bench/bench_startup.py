"""Start-up: process start to the main window shown, against a bare PySide6 window process.

`run(db_path, size)` spawns `python main.py --db DB` with COMPLAINT_DESK_EXIT_AFTER_SHOW=1 and
times it from the parent's side, median of several runs after a warm-up; the baseline is the
same measurement of a process that only shows an empty QMainWindow.

- startup: the window shown (its frame: menus, the bar of views, "Opening the database…",
  before SQLAlchemy and Alembic are imported). Target (issue 18): within 400 ms of the bare
  window.
- startup_ready: the desk open in it (database checked and upgraded, signed in, the intake
  form shown and taking keys). Target (issue 3): under 1.5 s with 100,000 complaints.

    python tests/bench/bench_startup.py [DB] [SIZE]
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from ui.shown_marker import ENV_EXIT_AFTER_SHOW, SHOWN_MARKER  # noqa: E402

TARGET_MS = 1500  # ready
TARGET_OVER_BARE_MS = 400  # the window shown
RUNS = 5
BARE_WINDOW = f"""
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.resize(1280, 740)
window.show()
QTimer.singleShot(0, lambda: (print("{SHOWN_MARKER}", flush=True), app.quit()))
sys.exit(app.exec())
"""


def _env(home: Path) -> dict[str, str]:
    # A clean home: no remembered "last view" of the person running the benchmark. Bytecode
    # is cached (outside the source tree) as it is in an installed program; without it every
    # start would also compile the sources.
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
               HOME=str(home), XDG_CONFIG_HOME=str(home / "config"),
               PYTHONPYCACHEPREFIX=str(home / "pycache"), **{ENV_EXIT_AFTER_SHOW: "1"},
               # The demo database has accounts: sign in without the dialog.
               COMPLAINT_DESK_USER="clerk1", COMPLAINT_DESK_PASSWORD="demo")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def time_to_marker(cmd: list[str], env: dict[str, str]) -> float:
    """Milliseconds from spawning `cmd` until it prints the first shown-marker."""
    return times_to_markers(cmd, env)[0]


def times_to_markers(cmd: list[str], env: dict[str, str]) -> list[float]:
    """Milliseconds from spawning `cmd` until each shown-marker line (the frame, the desk)."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    times = []
    for line in proc.stdout:
        if line.startswith(SHOWN_MARKER):
            times.append((time.perf_counter() - started) * 1000)
    _out, err = proc.communicate(timeout=60)
    if not times:
        raise RuntimeError(f"no window shown by {cmd[1:]}: exit {proc.returncode}\n{err[-2000:]}")
    return times


def _alternating(a: list[str], b: list[str], env: dict[str, str],
                 runs: int) -> tuple[list[list[float]], list[float]]:
    """Runs of `a` (every marker) and `b` (its first) taken in turn, so both see the same
    load on a shared machine."""
    times_to_markers(a, env)  # warm-up: file cache, font cache, bytecode
    time_to_marker(b, env)
    times_a, times_b = [], []
    for _ in range(runs):
        times_a.append(times_to_markers(a, env))
        times_b.append(time_to_marker(b, env))
    return times_a, times_b


def database_check_ms(db_path: Path) -> float:
    """The start-up check of the database file (app.damage.diagnose, a full quick_check)."""
    from app.damage import diagnose

    started = time.perf_counter()
    diagnose(db_path)
    return (time.perf_counter() - started) * 1000


def ensure_database(db_path: Path, size: int) -> int:
    """The database to start on: made with demo data when missing; returns its complaints."""
    from sqlalchemy import func, select

    from app.migrate import open_database
    from app.models import Complaint
    from app.services.users import has_accounts

    db = open_database(str(db_path))
    try:
        with db.read() as s:
            count = int(s.scalar(select(func.count()).select_from(Complaint)) or 0)
        if count == 0 and size > 0 or not has_accounts(db):
            from app.services.demo import DemoOptions, make_demo

            make_demo(db, DemoOptions(count=size if count == 0 else 0))
            with db.read() as s:
                count = int(s.scalar(select(func.count()).select_from(Complaint)) or 0)
        return count
    finally:
        db.dispose()


def run(db_path: str | Path, size: int, runs: int = RUNS) -> dict[str, Any]:
    db_path = Path(db_path)
    complaints = ensure_database(db_path, size)
    with tempfile.TemporaryDirectory() as home:
        env = _env(Path(home))
        desk_runs, bare_runs = _alternating(
            [sys.executable, str(ROOT / "main.py"), "--db", str(db_path)],
            [sys.executable, "-c", BARE_WINDOW], env, runs)
    frame_runs = [t[0] for t in desk_runs]
    ready_runs = [t[-1] for t in desk_runs]
    frame_ms, ready_ms = statistics.median(frame_runs), statistics.median(ready_runs)
    bare_ms = statistics.median(bare_runs)
    return {
        "startup": {
            "ms": round(frame_ms),
            "ratio": round(frame_ms / bare_ms, 2),
            "baseline": "bare PySide6 QMainWindow process",
            "baseline_ms": round(bare_ms),
            "over_baseline_ms": round(frame_ms - bare_ms),
            "runs_ms": [round(t) for t in frame_runs],
            "baseline_runs_ms": [round(t) for t in bare_runs],
            "complaints": complaints,
            "target": f"within {TARGET_OVER_BARE_MS} ms of the bare window",
            "within_target": frame_ms - bare_ms <= TARGET_OVER_BARE_MS,
        },
        "startup_ready": {
            "ms": round(ready_ms),
            "ratio": round(ready_ms / bare_ms, 2),
            "baseline": "bare PySide6 QMainWindow process",
            "baseline_ms": round(bare_ms),
            "runs_ms": [round(t) for t in ready_runs],
            "database_check_ms": round(database_check_ms(db_path)),
            "database_mb": round(db_path.stat().st_size / 2**20),
            "complaints": complaints,
            "target_ms": TARGET_MS,
            "within_target": ready_ms < TARGET_MS,
        },
    }


if __name__ == "__main__":
    path = sys.argv[1] if len(sys.argv) > 1 else str(Path(tempfile.gettempdir()) / "bench.db")
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
    print(json.dumps(run(path, count), indent=2))
