"""Sealing rows added in bulk (issue 15): what it costs inside an import, and what `check`
then costs to verify them.

`run(db_path, size)` imports `size` complaints from a CSV (each with its customer, timeline
event and, for closed ones, revisit) into a fresh database through `import_csv`, timing the
bulk sealing inside it (fingerprinting the new rows, app/audit_bulk.py, and writing the seal
index); `ratio` is its share of the whole import. Then it times the audit check
(`check_chain`) of that database against reading the same tables raw with sqlite3.

    python tests/bench/bench_sealing.py [SIZE]
"""

from __future__ import annotations

import csv
import json
import sqlite3
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

MAPPING = {"external_id": "id", "received_at": "date", "description": "text", "phone": "phone",
           "customer_name": "name", "satisfaction": "rating", "closed_at": "closed",
           "stage": {"column": "status", "values": {"Open": "new", "Closed": "closed"}}}
TABLES = ("complaints", "customers", "complaint_events", "revisits", "solutions")


def _csv(path: Path, size: int) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(["id", "date", "text", "phone", "name", "status", "closed", "rating"])
        for i in range(size):
            closed = i % 2 == 1
            out.writerow([f"C{i}", "2025-01-05 10:30", f"停车场收费不清楚，顾客要求解释 {i}",
                          f"138{i:08d}", f"顾客{i}", "Closed" if closed else "Open",
                          "2025-01-09 10:00" if closed else "", "4" if closed else ""])
    return path


def run(db_path: Path, size: int) -> dict[str, dict[str, Any]]:
    from app import audit
    from app.audit_check import check_chain
    from app.migrate import open_database
    from app.services.common import Actor
    from app.services.importing import import_csv

    spent = [0.0]

    def timed(fn: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[0] += time.perf_counter() - started
        return wrapper

    with tempfile.TemporaryDirectory() as tmp:
        source = _csv(Path(tmp) / "complaints.csv", size)
        db = open_database(str(Path(tmp) / "import.db"))
        seal_bulk, write_index = audit._seal_bulk, audit._write_index
        audit._seal_bulk, audit._write_index = timed(seal_bulk), timed(write_index)
        try:
            started = time.perf_counter()
            result = import_csv(db, source, MAPPING, actor=Actor(None, "admin", "admin"))
            whole = time.perf_counter() - started
        finally:
            audit._seal_bulk, audit._write_index = seal_bulk, write_index
        assert result.added == size, result.problems[:3]
        started = time.perf_counter()
        problems = check_chain(db)
        checking = time.perf_counter() - started
        assert not problems, problems
        db.dispose()
        conn = sqlite3.connect(Path(tmp) / "import.db")
        started = time.perf_counter()
        rows = sum(len(conn.execute(f"SELECT * FROM {t}").fetchall()) for t in TABLES)
        raw = time.perf_counter() - started
        conn.close()
    return {
        "seal_import": {"ms": round(spent[0] * 1000), "ratio": round(spent[0] / whole, 3),
                        "baseline": f"share of the whole import of {size} complaints "
                                    f"({round(whole * 1000)} ms, {rows} rows sealed)"},
        "check_chain": {"ms": round(checking * 1000), "ratio": round(checking / raw, 1),
                        "baseline": f"reading the {rows} rows raw with sqlite3 "
                                    f"({round(raw * 1000)} ms)"},
    }


if __name__ == "__main__":
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    print(json.dumps(run(Path(tempfile.gettempdir()) / "x.db", size), indent=1))
