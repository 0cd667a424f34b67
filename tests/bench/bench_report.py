"""Monthly report: the PDF of a month with about 10,000 complaints in a 100,000 database.

`run(db_path, size)` builds (or reuses) a demo database of `size` complaints spread over ten
months beside `db_path` (so the busiest month holds about size / 10), then times
`write_monthly_report` for that month in 简体中文: median of several runs after a warm-up,
with the split between reading the figures (`monthly_report_stats`) and laying out and
drawing the pages (`monthly_report_pdf`). The baseline is `month_stats` alone for the same
month (the statistics function every report, dashboard and `stats --json` share).
Target (issue 6): under 5 s.

    python tests/bench/bench_report.py [DB] [SIZE]
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

TARGET_MS = 5000
RUNS = 3
MONTHS = 10  # 100,000 complaints over ten months: about 10,000 in a month
CHUNK = 10_000


def report_database(db_path: Path, size: int) -> Path:
    """A demo database of `size` complaints over MONTHS months, beside `db_path`."""
    from sqlalchemy import func, select

    from app.migrate import open_database
    from app.models import Complaint

    path = db_path.with_name(f"{db_path.stem}-report-{size}.db")
    db = open_database(str(path))
    try:
        with db.read() as s:
            count = int(s.scalar(select(func.count()).select_from(Complaint)) or 0)
        if count < size:
            from app.services.demo import DemoOptions, make_demo

            # In rounds of CHUNK: a round draws new customers' phones at random, and fewer
            # at a time keeps two new customers from drawing the same number.
            seed = 1
            while count < size:
                step = min(CHUNK, size - count)
                make_demo(db, DemoOptions(count=step, months=MONTHS, seed=seed))
                count, seed = count + step, seed + 1
        with db.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        db.dispose()
    return path


def busiest_month(db: Any) -> tuple[str, int]:
    """The complete month (not the running one) with the most complaints received."""
    from collections import Counter

    from sqlalchemy import select

    from app import clock
    from app.models import Complaint

    running = clock.now().strftime("%Y-%m")
    with db.read() as s:
        months = Counter(t.strftime("%Y-%m") for t in s.scalars(select(Complaint.received_at)))
    months.pop(running, None)
    month, count = months.most_common(1)[0]
    return month, count


def run(db_path: str | Path, size: int, runs: int = RUNS) -> dict[str, Any]:
    from app.db import Database
    from app.paths import resolve
    from app.reports.monthly import write_monthly_report
    from app.services.stats import month_stats

    path = report_database(Path(db_path), size)
    db = Database(resolve(str(path)))
    try:
        month, in_month = busiest_month(db)
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "report.pdf"
            write_monthly_report(db, month, out, "zh-Hans")  # warm-up: caches, font subset
            reports = []
            for _ in range(runs):
                started = time.perf_counter()
                result = write_monthly_report(db, month, out, "zh-Hans")
                reports.append(((time.perf_counter() - started) * 1000, result))
            size_kb = out.stat().st_size // 1024
        stats_runs = []
        for _ in range(runs):
            started = time.perf_counter()
            month_stats(db, month)
            stats_runs.append((time.perf_counter() - started) * 1000)
    finally:
        db.dispose()
    total = statistics.median(ms for ms, _ in reports)
    base = statistics.median(stats_runs)
    reading = statistics.median(r.stats_ms for _, r in reports)
    drawing = statistics.median(r.pdf_ms for _, r in reports)
    pages = reports[-1][1].pages
    return {
        "monthly_report": {
            "ms": round(total), "ratio": round(total / base, 1),
            "baseline": "month_stats of the same month alone", "baseline_ms": round(base),
            "month": month, "complaints_in_month": in_month, "pages": pages,
            "pdf_kb": size_kb, "runs_ms": [round(ms) for ms, _ in reports],
            "target_ms": TARGET_MS, "within_target": total < TARGET_MS,
        },
        "monthly_report_stats": {
            "ms": round(reading), "ratio": round(reading / total, 2),
            "baseline": "share of monthly_report: month_stats plus the report's lists",
        },
        "monthly_report_pdf": {
            "ms": round(drawing), "ratio": round(drawing / total, 2),
            "baseline": f"share of monthly_report: laying out and drawing {pages} pages",
        },
    }


if __name__ == "__main__":
    where = sys.argv[1] if len(sys.argv) > 1 else str(Path(tempfile.gettempdir()) / "bench.db")
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
    result = run(where, count)
    print(json.dumps(result, indent=2, ensure_ascii=False))
    r = result["monthly_report"]
    print(f"monthly report of {r['month']} ({r['complaints_in_month']} complaints, "
          f"{r['pages']} pages): {r['ms']} ms = statistics "
          f"{result['monthly_report_stats']['ms']} ms + PDF "
          f"{result['monthly_report_pdf']['ms']} ms", file=sys.stderr)
