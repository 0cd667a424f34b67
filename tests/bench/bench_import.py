"""Import: a CSV of `size` complaints (default 100,000) with Chinese Excel dates
(`2024/3/5 14:20`), phones, names, categories (some new), stages and demands, imported into
an empty database the way `import csv` does it.

- `import_100k`: wall time on SQLite (target ≤ 10 s); the baseline is the same file read with
  the csv module and its rows inserted with sqlite3 `executemany` into a bare table — what
  the file costs before any checking, customers, references or timelines.
- `import_100k_pg`: the same import into a fresh database on a PostgreSQL server (the test
  server of scripts/pg_test_server.sh, or $COMPLAINT_DESK_BENCH_PG), ratio to SQLite (target
  ≤ 2); skipped when no server can be had.
- `import_rss_mb`: peak resident memory of the process that ran the SQLite import (target
  ≤ 300 MB; `ms` holds MB).

Each import runs in a process of its own, so its peak memory is its own.

    python tests/bench/bench_import.py [SIZE]
"""

from __future__ import annotations

import csv
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
RUNS = int(os.environ.get("COMPLAINT_DESK_BENCH_IMPORT_RUNS", "3"))
MAPPING = {"external_id": "编号", "received_at": "投诉时间", "description": "投诉内容",
           "phone": "电话", "customer_name": "客户姓名", "category": "类别",
           "stage": {"column": "状态", "values": {"新登记": "new", "已关闭": "closed",
                                                   "待回访": "follow_up"}},
           "resolved_at": "解决时间", "customer_demand": "诉求"}

# One import in a child process: prints {"ms", "rss_mb", "added"} as JSON.
CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, sys.argv[1])
from app import clock
from app.migrate import open_database
from app.services.importing import import_csv
db = open_database(sys.argv[2])
mapping = json.loads(sys.argv[4])
started = time.perf_counter()
result = import_csv(db, sys.argv[3], mapping)
ms = (time.perf_counter() - started) * 1000
db.dispose()
# Linux's ru_maxrss carries the memory of the process this one was forked from (the bench
# runner, which may hold a 100k desk); VmHWM is this program's own high-water mark.
try:
    with open("/proc/self/status") as fh:
        rss = next(int(l.split()[1]) for l in fh if l.startswith("VmHWM:")) / 1024
except OSError:
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"ms": ms, "rss_mb": rss, "added": result.added,
                  "problems": result.problems[:3]}))
"""


def write_file(path: Path, size: int) -> Path:
    """The import file: Chinese Excel dates, a third closed with resolve times."""
    start = datetime(2023, 1, 1, 8, 0)
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["编号", "投诉时间", "投诉内容", "电话", "客户姓名", "类别", "状态",
                    "解决时间", "诉求"])
        for i in range(size):
            when = start + timedelta(minutes=5 * i)
            stage = ("新登记", "已关闭", "待回访")[i % 3]
            resolved = when + timedelta(hours=30) if stage != "新登记" else None
            w.writerow([f"K{i}", f"{when.year}/{when.month}/{when.day} {when:%H:%M}",
                        f"顾客反映第 {i} 号问题：商品质量差，要求退货",
                        f"13{8 + i % 2}{i % 40_000:08d}", ("张三", "Chan Tai Man", "")[i % 3],
                        ("parking", "停车", f"新类别{i % 7}")[i % 3], stage,
                        f"{resolved.year}/{resolved.month}/{resolved.day} {resolved:%H:%M}"
                        if resolved else "", "refund;apology"])
    return path


def _child(db_arg: str, csv_path: Path) -> dict[str, Any]:
    out = subprocess.run([sys.executable, "-c", CHILD, str(ROOT), db_arg, str(csv_path),
                          json.dumps(MAPPING, ensure_ascii=False)],
                         capture_output=True, text=True, timeout=1200,
                         env={**os.environ, "COMPLAINT_DESK_LANG": "en"})
    if out.returncode != 0:
        raise RuntimeError(out.stderr.strip().splitlines()[-1] if out.stderr else "failed")
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def _baseline(csv_path: Path, folder: Path) -> float:
    """csv module + sqlite3 executemany of the raw cells into a bare table."""
    db = folder / f"raw-{uuid.uuid4().hex}.db"
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("CREATE TABLE t (a, b, c, d, e, f, g, h, i)")
    started = time.perf_counter()
    with csv_path.open(encoding="utf-8-sig", newline="") as fh:
        rows = csv.reader(fh)
        next(rows)
        with conn:
            conn.executemany("INSERT INTO t VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    ms = (time.perf_counter() - started) * 1000
    conn.close()
    return ms


def _pg_url() -> str | None:
    url = os.environ.get("COMPLAINT_DESK_BENCH_PG")
    if url:
        return url
    try:
        out = subprocess.run(["bash", str(ROOT / "scripts" / "pg_test_server.sh")],
                             capture_output=True, text=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return out.stdout.strip() or None if out.returncode == 0 else None


def _pg_import(server: str, csv_path: Path) -> dict[str, Any] | None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"bench_import_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            url = make_url(server).set(database=name).render_as_string(hide_password=False)
            return _child(url, csv_path)
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


def run(db_path: str | Path, size: int, runs: int = RUNS) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(dir=Path(db_path).parent) as tmp:
        folder = Path(tmp)
        csv_path = write_file(folder / "import.csv", size)
        sqlite_runs = []
        for n in range(runs):
            outcome = _child(str(folder / f"import-{n}.db"), csv_path)
            if outcome["added"] != size:
                raise RuntimeError(f"imported {outcome['added']} of {size}: "
                                   f"{outcome['problems']}")
            sqlite_runs.append(outcome)
        base = statistics.median(_baseline(csv_path, folder) for _ in range(runs))
        ms = statistics.median(r["ms"] for r in sqlite_runs)
        rss = max(r["rss_mb"] for r in sqlite_runs)
        results: dict[str, Any] = {
            "import_100k": {
                "ms": round(ms), "ratio": round(ms / base, 1),
                "baseline": "csv module + sqlite3 executemany of the raw cells",
                "baseline_ms": round(base), "rows": size,
                "runs_ms": [round(r["ms"]) for r in sqlite_runs], "target_ms": 10_000},
            "import_rss_mb": {"ms": round(rss), "ratio": None,
                              "baseline": "peak RSS of the importing process (MB)",
                              "target_mb": 300},
        }
        server = _pg_url()
        if server is not None:
            pg_runs = [r for r in (_pg_import(server, csv_path) for _ in range(runs)) if r]
            if pg_runs:
                pg = statistics.median(r["ms"] for r in pg_runs)
                results["import_100k_pg"] = {
                    "ms": round(pg), "ratio": round(pg / ms, 2),
                    "baseline": "import_100k on SQLite", "rows": size,
                    "runs_ms": [round(r["ms"]) for r in pg_runs], "target_ratio": 2}
    return results


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    print(json.dumps(run(Path(tempfile.gettempdir()) / "bench.db", count), indent=2,
                     ensure_ascii=False))
