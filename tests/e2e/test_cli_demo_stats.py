"""`python main.py demo` then `python main.py stats --month M --json`, as separate processes.

Every figure of `stats --json` is counted again here, independently, with plain `sqlite3` and
Python from the definitions in DESIGN.md §5: a complaint belongs to the month of its received
time; "at month end" figures rebuild each complaint's stage at that moment from its timeline
(the last stage it entered before the month's end), walking every event in Python.
"""

from __future__ import annotations

import json
import sqlite3
import statistics
import subprocess
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from tests.cli_process import clean_env, run_main

ROOT = Path(__file__).resolve().parents[2]
OPEN = ("new", "assessed", "investigating", "proposed", "in_progress")  # overdue-able stages


def cli(*args: str, user: str | None = None) -> subprocess.CompletedProcess[str]:
    env = clean_env(COMPLAINT_DESK_USER=user, COMPLAINT_DESK_PASSWORD="demo") if user else None
    return run_main(["--lang", "en", *args], env, timeout=120)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo-cli") / "demo.db"
    result = cli("--db", str(path), "demo", "--count", "2000", "--seed", "7")
    assert result.returncode == 0, result.stderr
    assert "2000" in result.stdout
    return path


def month_of(now: datetime, back: int) -> str:
    year, month = divmod(now.year * 12 + now.month - 1 - back, 12)
    return f"{year:04d}-{month + 1:02d}"


def bounds(month: str) -> tuple[datetime, datetime]:
    year, mon = int(month[:4]), int(month[5:7])
    return datetime(year, mon, 1), datetime(year + mon // 12, mon % 12 + 1, 1)


def t(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def recount(path: Path, month: str, now: datetime) -> dict[str, Any]:
    """The figures of `month`, from the rows alone (no program code)."""
    start, end = bounds(month)
    cut = min(end, max(start, now))
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    complaints = [dict(r) for r in conn.execute(
        "SELECT c.*, cat.code AS category_code, cu.phone AS customer_phone, "
        "cu.anonymised_at AS customer_anonymised FROM complaints c "
        "LEFT JOIN list_values cat ON cat.id = c.category_id "
        "LEFT JOIN customers cu ON cu.id = c.customer_id")]
    for c in complaints:
        for key in ("received_at", "resolved_at", "closed_at", "due_at"):
            c[key] = t(c[key])
    # The stage of every complaint at the cut, from its own timeline.
    stage_at: dict[int, str] = {}
    stage_since: dict[int, datetime] = {}
    for complaint_id, to_stage, at in conn.execute(
            "SELECT complaint_id, to_stage, at FROM complaint_events "
            "WHERE to_stage IS NOT NULL ORDER BY complaint_id, at, id"):
        if t(at) < cut:  # type: ignore[operator]
            stage_at[complaint_id] = to_stage
            stage_since[complaint_id] = t(at)  # type: ignore[assignment]
    visits = [(t(done), score) for done, score in conn.execute(
        "SELECT done_at, satisfaction FROM revisits WHERE done_at IS NOT NULL")]
    reopen_times = [t(at) for (at,) in conn.execute(
        "SELECT at FROM complaint_events WHERE kind = 'reopened'")]
    carried_out = list(conn.execute(
        "SELECT implemented_at, amount_cents FROM solutions WHERE implemented_at IS NOT NULL"))
    conn.close()

    def in_month(when: datetime | None) -> bool:
        return when is not None and start <= when < end

    received = [c for c in complaints if in_month(c["received_at"])]
    at_cut = {c["id"]: stage_at.get(c["id"], "new") for c in complaints
              if c["received_at"] < cut}
    open_at_cut = {i: s for i, s in at_cut.items() if s != "closed"}
    due = {c["id"]: c["due_at"] for c in complaints}
    resolved = [c for c in complaints if in_month(c["resolved_at"])]
    hours = [(c["resolved_at"] - c["received_at"]).total_seconds() / 3600 for c in resolved]
    met = [c for c in resolved if c["due_at"] is None or c["resolved_at"] <= c["due_at"]]
    scores = [score for done, score in visits if in_month(done)]
    known = Counter(c["customer_id"] for c in received
                    if c["customer_phone"] or c["customer_anonymised"])
    # The compensation ledger: every entry carried out in the month.
    paid = sum(cents for at, cents in carried_out if in_month(t(at)))
    return {
        "received": len(received),
        "closed_in_month": sum(1 for c in complaints if in_month(c["closed_at"])),
        "open_at_month_end": len(open_at_cut),
        "overdue_at_month_end": sum(1 for i, s in open_at_cut.items()
                                    # waiting on the customer stops the SLA clock at
                                    # the move into "proposed"
                                    if s in OPEN and due[i] is not None and due[i] < cut
                                    and (s != "proposed" or due[i] < stage_since[i])),
        "by_category": dict(Counter(c["category_code"] or "none" for c in received)),
        "by_channel": dict(Counter(c["channel"] for c in received)),
        "by_severity": dict(Counter(c["severity"] for c in received)),
        "by_stage_at_month_end": dict(Counter(open_at_cut.values())),
        "revisits_done": len(scores),
        "avg_satisfaction": round(sum(scores) / len(scores), 2) if scores else None,
        "reopened": sum(1 for at in reopen_times if in_month(at)),
        "repeat_customers": sum(1 for n in known.values() if n >= 2),
        "compensation_total": round(paid / 100, 2),
        "sla_met_pct": round(100 * len(met) / len(resolved), 1) if resolved else None,
        "median_hours_to_resolve": round(statistics.median(hours), 1) if hours else None,
    }


def test_stats_json_matches_an_independent_count(demo_db: Path) -> None:
    now = datetime.now()
    for back in (2, 0):  # a complete month (and the one before), then the running month
        month = month_of(now, back)
        result = cli("--db", str(demo_db), "stats", "--month", month, "--json",
                     user="supervisor")
        assert result.returncode == 0, result.stderr
        figures = json.loads(result.stdout)
        expected = recount(demo_db, month, datetime.now())
        assert figures["month"] == month
        if back:  # a month with data (the running one may have only just begun)
            assert figures["received"] > 50
        for key, value in expected.items():
            assert figures[key] == value, (month, key)
        previous = recount(demo_db, month_of(now, back + 1), datetime.now())
        for key, value in previous.items():
            assert figures["previous_month"][key] == value, (month, "previous", key)
        assert sum(figures["by_stage_at_month_end"].values()) == figures["open_at_month_end"]


def export(path: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        return conn.execute("SELECT reference, description FROM complaints ORDER BY id").fetchall()


def test_the_same_seed_makes_the_same_complaints(tmp_path: Path) -> None:
    runs = []
    for name, seed in (("a", "3"), ("b", "3"), ("c", "4")):
        path = tmp_path / f"{name}.db"
        result = cli("--db", str(path), "demo", "--count", "300", "--seed", seed)
        assert result.returncode == 0, result.stderr
        runs.append(export(path))
    assert len(runs[0]) == 300 and runs[0] == runs[1]
    assert runs[0] != runs[2]


def test_demo_on_an_existing_database_adds_more(demo_db: Path, tmp_path: Path) -> None:
    path = tmp_path / "again.db"
    with sqlite3.connect(demo_db) as src, sqlite3.connect(path) as dst:
        src.backup(dst)
    refused = cli("--db", str(path), "demo", "--count", "10")  # accounts exist now
    assert refused.returncode == 2 and "--user" in refused.stderr
    result = cli("--db", str(path), "demo", "--count", "300", "--seed", "7", user="admin")
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(path) as conn:
        refs = [r for (r,) in conn.execute("SELECT reference FROM complaints")]
        phones = [p for (p,) in conn.execute("SELECT phone FROM customers WHERE phone NOT NULL")]
        counters = dict(conn.execute("SELECT day, last FROM reference_counters"))
        per_day = Counter(r[3:11] for r in refs)
    assert len(refs) == 2300 and len(set(refs)) == 2300
    assert len(set(phones)) == len(phones)
    assert counters == dict(per_day)  # the day counters went on from where they were
    checked = cli("--db", str(path), "check", user="admin")
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_a_negative_count_is_refused_with_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    result = cli("--db", str(path), "demo", "--count", "-1")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "--count" in lines[0]
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM complaints").fetchone()[0] == 0


def test_demo_lang_after_the_command_makes_a_traditional_chinese_desk(tmp_path: Path) -> None:
    path = tmp_path / "hant.db"
    result = cli("--db", str(path), "demo", "--count", "40", "--lang", "zh-Hant")
    assert result.returncode == 0, result.stderr
    assert "40" in result.stdout  # the messages stay in the --lang before the command
    with sqlite3.connect(path) as conn:
        staff = {r[0] for r in conn.execute("SELECT display_name FROM users")}
        language = conn.execute("SELECT value FROM settings WHERE key = 'language'").fetchone()
        descriptions = [r[0] for r in conn.execute("SELECT description FROM complaints")]
    assert staff == {"周志強", "王美玲", "李小紅", "陳大文"}
    assert json.loads(language[0]) == "zh-Hant"
    assert all("顾" not in d for d in descriptions) and any("顧" in d for d in descriptions)
