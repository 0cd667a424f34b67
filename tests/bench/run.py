"""The benchmark (DESIGN.md §5): `python tests/bench/run.py [--size N] [--json] [--db PATH]`.

Builds (or reuses) a demo database of N complaints under tests/bench/data/ (git-ignored; one
file per size and schema, so a changed migration means a fresh build),
measures the spine's queries against the same work written as raw SQL with `sqlite3`
(tests/bench/spine.py), then every `tests/bench/bench_<area>.py` module that exposes
`run(db_path: pathlib.Path, size: int) -> dict[str, dict]`. A module that cannot be imported
or fails is skipped with the reason on stderr; the others still run.

Prints a table by default; `--json` prints one object name -> {"ms", "ratio", "baseline"}.
`--check` exits 1 when a target in TARGETS is missed.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import os
import re
import sys
import time
import traceback
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

DATA = HERE / "data"
DEFAULT_SIZE = 100_000
# Targets of issue 2 (spine): ms below, ratio to raw SQL below; the queue's ratio is issue
# 18's. An area module states its own: "within_target" in its result (shown and checked too).
TARGETS: dict[str, dict[str, float]] = {
    "queue_query": {"ms": 100, "ratio": 1.5},
    "text_search": {"ratio": 2},
    "stats_month": {"ms": 300, "ratio": 2},
    "import_100k": {"ms": 10_000},
    "import_100k_pg": {"ratio": 2},
    "import_rss_mb": {"ms": 300},  # MB
}


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def complaint_count(path: Path) -> int | None:
    """Complaints in an existing benchmark database, None if it cannot be read."""
    import sqlite3

    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
            return int(conn.execute("SELECT count(*) FROM complaints").fetchone()[0])
    except sqlite3.Error:
        return None


def prepare(db_path: Path | None, size: int) -> tuple[Path, int]:
    """The database to measure: the given one, or data/bench-<size>.db built when missing."""
    from app.migrate import open_database
    from app.services.demo import DemoOptions, make_demo

    path = db_path or DATA / f"demo-{size}-{schema_tag()}.db"
    count = complaint_count(path) if path.exists() else None
    if count is not None and (count == size or (db_path is not None and count > 0)):
        open_database(str(path)).dispose()  # brings an older file to the current schema
        return path, count
    if db_path is not None and path.exists() and count is None:
        raise SystemExit(f"{path} is not a Complaint Desk database")  # never delete theirs
    if db_path is None:  # our leftovers: a broken build, or one made for an older schema
        ours = re.compile(rf"demo-{size}-[0-9a-f]{{10}}\.db(-wal|-shm)?")
        for old in DATA.glob(f"demo-{size}-*"):
            if ours.fullmatch(old.name):
                old.unlink()
    path.parent.mkdir(parents=True, exist_ok=True)
    log(f"building {path} with {size:,} demo complaints ...")
    started = time.perf_counter()
    db = open_database(str(path))
    summary = make_demo(db, DemoOptions(count=size, seed=1))
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.dispose()
    log(f"built in {time.perf_counter() - started:.1f} s "
        f"(make_demo {summary.seconds:.1f} s, {summary.events:,} timeline events)")
    return path, size


def schema_tag() -> str:
    """A short hash of the migrations: a schema change (even a rebuilt 0001) means a new file."""
    digest = hashlib.sha256()
    for migration in sorted((ROOT / "app" / "migrations" / "versions").glob("*.py")):
        digest.update(migration.read_bytes())
    return digest.hexdigest()[:10]


def area_modules() -> list[Path]:
    return sorted(HERE.glob("bench_*.py"))


def run_area(module_path: Path, db_path: Path, size: int) -> dict[str, dict[str, Any]]:
    """One area's benchmarks; {} (with the reason on stderr) when it cannot run."""
    name = module_path.stem
    try:
        spec = importlib.util.spec_from_file_location(f"bench_area_{name}", module_path)
        if spec is None or spec.loader is None:
            raise ImportError(f"cannot load {module_path.name}")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    except Exception as e:  # noqa: BLE001 - any import problem only skips this area
        log(f"skipped {name}: cannot import ({type(e).__name__}: {e})")
        return {}
    if not callable(getattr(module, "run", None)):
        log(f"skipped {name}: no run(db_path, size)")
        return {}
    try:
        results = module.run(db_path, size)
    except Exception as e:  # noqa: BLE001 - a failing area must not hide the others
        log(f"skipped {name}: failed ({type(e).__name__}: {e})")
        log(traceback.format_exc(limit=3))
        return {}
    if not isinstance(results, dict):
        log(f"skipped {name}: run() returned {type(results).__name__}, not a dict")
        return {}
    return results


def missed(name: str, result: dict[str, Any]) -> list[str]:
    target = TARGETS.get(name, {})
    problems = []
    if "ms" in target and result.get("ms") is not None and result["ms"] >= target["ms"]:
        problems.append(f"ms ≥ {target['ms']:g}")
    if "ratio" in target and result.get("ratio") is not None and result["ratio"] >= target["ratio"]:
        problems.append(f"ratio ≥ {target['ratio']:g}")
    if result.get("within_target") is False:  # an area's own target (its module says which)
        stated = result.get("target", result.get("target_ms"))
        problems.append(f"target {stated}" if stated is not None else "its target")
    return problems


def has_target(name: str, result: dict[str, Any]) -> bool:
    return name in TARGETS or "within_target" in result


def table(results: dict[str, dict[str, Any]], size: int, path: Path) -> str:
    lines = [f"Complaint Desk benchmark: {size:,} complaints ({path})", ""]
    lines.append(f"{'benchmark':<16}{'ms':>10}{'ratio':>8}  {'target':<8} baseline")
    for name, r in results.items():
        ms = r.get("ms")
        ratio = r.get("ratio")
        status = ("MISSED" if missed(name, r) else "ok") if has_target(name, r) else ""
        lines.append(f"{name:<16}{ms if ms is not None else '-':>10}"
                     f"{ratio if ratio is not None else '-':>8}  {status:<8} "
                     f"{r.get('baseline') or ''}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=DEFAULT_SIZE)
    parser.add_argument("--json", action="store_true", help="one JSON object on stdout")
    parser.add_argument("--db", type=Path, help="measure this database (built if missing)")
    parser.add_argument("--runs", type=int, default=7, help="runs per measurement (median)")
    parser.add_argument("--only", help="comma-separated benchmark modules: spine,board,...")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    if args.size < 1 or args.runs < 1:
        parser.error("--size and --runs must be 1 or more")

    import spine

    path, count = prepare(args.db, args.size)
    only = set(args.only.split(",")) if args.only else None
    results: dict[str, dict[str, Any]] = {}
    if only is None or "spine" in only:
        results.update(spine.run(path, count, runs=args.runs))
    for module_path in area_modules():
        if only is not None and module_path.stem.removeprefix("bench_") not in only:
            continue
        log(f"running {module_path.name} ...")
        results.update(run_area(module_path, path, count))
    if args.json:
        print(json.dumps(results, ensure_ascii=False))
    else:
        print(table(results, count, path))
    failed = [f"{n}: {', '.join(missed(n, r))}" for n, r in results.items() if missed(n, r)]
    for line in failed:
        log(f"target missed — {line}")
    return 1 if failed and args.check else 0


if __name__ == "__main__":
    sys.exit(main())
