"""The spine's benchmarks: the queue query, a text search and one month's statistics.

Each is timed through the service (app/services/queue.py, stats.py) and against the same work
written as raw SQL with the `sqlite3` module on the same file: the same joins, filters,
ordering and limit, the same aggregate queries and the same bit of Python on their results
(medians, shares); the run checks first that both give the same answer. `ms` is the median
wall time of the service call; `ratio` the median of service ms / raw ms over pairs of runs
made back to back (warm), so a busy machine slows both sides of a pair alike.
"""

from __future__ import annotations

import json
import sqlite3
import statistics
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from app import clock
from app.codes import STAGES
from app.db import Database
from app.i18n import set_language
from app.migrate import open_database
from app.rules.stages import OPEN_STAGES
from app.services.queue import QueueFilter, queue_cards, search
from app.services.search_index import FTS_TABLE, MIN_FTS_CHARS, fts_phrase, like_pattern
from app.services.stats import month_bounds, month_stats, previous

SEARCH_TERM = "停车场"  # a Chinese term clerks type (3 characters: the trigram index answers)
SEARCH_LIMIT = 200
BASE_QUEUE = "raw sqlite3: same query (5 joins, open stages, same order), fetchall"
BASE_SEARCH = "raw sqlite3: same 2 searches (all stages, same order, limit 200), fetchall"
BASE_STATS = "raw sqlite3: the same aggregate queries for the month and the one before"


def alternate(a: Callable[[], Any], b: Callable[[], Any], runs: int) -> tuple[float, float]:
    """(median wall ms of a, median of a's ms / b's ms per pair), run warm and alternately.

    Each pair (a then b) runs back to back, so the ratio of a pair sees the same load on the
    machine; the median over pairs keeps a burst of other work from deciding the ratio.
    """
    a()
    b()
    times: list[float] = []
    ratios: list[float] = []
    for _ in range(runs):
        started = time.perf_counter()
        a()
        middle = time.perf_counter()
        b()
        ended = time.perf_counter()
        times.append((middle - started) * 1000)
        ratios.append((middle - started) / max(ended - middle, 1e-9))
    return statistics.median(times), statistics.median(ratios)


def result(ms: float, ratio: float, baseline: str) -> dict[str, Any]:
    return {"ms": round(ms, 1), "ratio": round(ratio, 2), "baseline": baseline}


def dt(value: datetime) -> str:
    """A time as SQLAlchemy stores it in SQLite (what raw SQL must compare with)."""
    return value.strftime("%Y-%m-%d %H:%M:%S.%f")


def _in(values: tuple[str, ...]) -> str:
    return ", ".join("?" * len(values))


# --- the queue -----------------------------------------------------------------------------

QUEUE_SQL = """
SELECT c.id, c.reference, c.stage, c.severity, cu.name, cu.phone, cu.tier, cat.label_zh_hans,
       substr(c.description, 1, 80), u.display_name, c.owner_id, c.received_at, c.due_at,
       c.paused_since, c.reopen_count,
       EXISTS (SELECT 1 FROM attachments a WHERE a.complaint_id = c.id),
       c.is_repeat, c.version, c.channel, dept.label_zh_hans, c.closed_at
FROM complaints c
LEFT JOIN customers cu ON cu.id = c.customer_id
LEFT JOIN users u ON u.id = c.owner_id
LEFT JOIN list_values cat ON cat.id = c.category_id
LEFT JOIN list_values dept ON dept.id = c.department_id
WHERE c.stage IN ({stages}) {text}
ORDER BY c.stage,
  CASE c.severity WHEN 'urgent' THEN 0 WHEN 'serious' THEN 1 WHEN 'normal' THEN 2
                  WHEN 'minor' THEN 3 ELSE 9 END,
  CASE cu.tier WHEN 'core' THEN 0 WHEN 'key' THEN 1 WHEN 'ordinary' THEN 2
               WHEN 'potential' THEN 3 ELSE 9 END,
  CASE WHEN c.stage IN ('new', 'assessed', 'investigating', 'proposed', 'in_progress')
            AND c.due_at IS NOT NULL
            AND ((c.due_at < ? AND c.paused_since IS NULL) OR c.due_at < c.paused_since)
       THEN 0 ELSE 1 END,
  c.due_at, c.id
{limit}
"""


def raw_queue(conn: sqlite3.Connection, now: datetime) -> list[Any]:
    sql = QUEUE_SQL.format(stages=_in(OPEN_STAGES), text="", limit="")
    return conn.execute(sql, (*OPEN_STAGES, dt(now))).fetchall()


def raw_search(conn: sqlite3.Connection, term: str, now: datetime, fts: bool) -> list[Any]:
    """app.services.search_index's condition for one word: the index, or LIKE on 4 columns."""
    if fts and len(term) >= MIN_FTS_CHARS:
        text = f"AND c.id IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ?)"
        params: tuple[str, ...] = (fts_phrase(term),)
    else:
        text = ("AND (c.reference LIKE ? ESCAPE '\\' OR cu.name LIKE ? ESCAPE '\\' "
                "OR cu.phone LIKE ? ESCAPE '\\' OR c.description LIKE ? ESCAPE '\\')")
        params = (like_pattern(term),) * 4
    sql = QUEUE_SQL.format(stages=_in(STAGES), text=text, limit="LIMIT ?")
    return conn.execute(sql, (*STAGES, *params, dt(now), SEARCH_LIMIT)).fetchall()


def phone_fragment(conn: sqlite3.Connection) -> str:
    """Seven digits of a mobile number in the data (as a clerk types part of one)."""
    row = conn.execute("SELECT phone FROM customers WHERE length(phone) = 11 "
                       "ORDER BY id LIMIT 1").fetchone()
    return row[0][3:10] if row else "1380013"


# --- the month's statistics ----------------------------------------------------------------

def busiest_month(conn: sqlite3.Connection, now: datetime) -> str:
    """The complete month with the most complaints received."""
    row = conn.execute(
        "SELECT substr(received_at, 1, 7) AS m FROM complaints WHERE received_at < ? "
        "GROUP BY m ORDER BY count(*) DESC, m DESC LIMIT 1",
        (dt(now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)),)).fetchone()
    return row[0] if row else now.strftime("%Y-%m")


def _hours(later: str, earlier: str) -> float:
    return (datetime.fromisoformat(later) - datetime.fromisoformat(earlier)).total_seconds() / 3600


def raw_figures(conn: sqlite3.Connection, year: int, month: int, now: datetime) -> dict[str, Any]:
    """What app.services.stats._figures computes, as plain SQL."""
    start, end = month_bounds(year, month)
    cut = min(end, max(start, now))
    s, e, c = dt(start), dt(end), dt(cut)
    q = conn.execute
    received = "c.received_at >= ? AND c.received_at < ?"
    open_at_end = "c.received_at < ? AND (c.closed_at IS NULL OR c.closed_at >= ?)"
    resolved = q("SELECT received_at, resolved_at, due_at FROM complaints "
                 "WHERE resolved_at >= ? AND resolved_at < ?", (s, e)).fetchall()
    hours = [_hours(r[1], r[0]) for r in resolved]
    met = sum(1 for r in resolved if r[2] is None or r[1] <= r[2])
    first = [_hours(r[1], r[0]) for r in q(
        f"SELECT received_at, first_contact_at FROM complaints c WHERE {received} "
        "AND first_contact_at IS NOT NULL", (s, e))]
    visits = q("SELECT count(*), avg(satisfaction) FROM revisits "
               "WHERE done_at >= ? AND done_at < ?", (s, e)).fetchone()
    # The compensation ledger: entries carried out in the month, each type's own amount.
    comp = q("SELECT amounts, amount_cents FROM solutions WHERE implemented_at >= ? "
             "AND implemented_at < ? AND amount_cents > 0", (s, e)).fetchall()
    by_type: dict[str, int] = {}
    for amounts, cents in comp:
        for kind, part in (json.loads(amounts) or {"unsplit": cents}).items():
            if part:
                by_type[kind] = by_type.get(kind, 0) + part

    keys = ("by_category", "by_channel", "by_severity", "by_department")
    breakdowns: dict[str, dict[str, int]] = {k: {} for k in keys}
    for *values, n in q(
            "SELECT cat.code, c.channel, c.severity, dept.code, count(*) FROM complaints c "
            "LEFT JOIN list_values cat ON cat.id = c.category_id LEFT JOIN list_values dept "
            f"ON dept.id = c.department_id WHERE {received} GROUP BY 1, 2, 3, 4", (s, e)):
        for key, value in zip(keys, values, strict=True):
            breakdowns[key][value or "none"] = breakdowns[key].get(value or "none", 0) + n

    stage_rows = q(
        "SELECT coalesce(ev.to_stage, 'new'), count(*), sum(CASE WHEN c.due_at < ? "
        "AND (coalesce(ev.to_stage, 'new') IN ('new', 'assessed', 'investigating', "
        "'in_progress') OR (ev.to_stage = 'proposed' AND c.due_at < ev.at)) "
        "THEN 1 ELSE 0 END) FROM complaints c LEFT OUTER JOIN complaint_events "
        "ev ON ev.id = (SELECT max(x.id) FROM complaint_events x WHERE x.complaint_id = c.id "
        "AND x.to_stage IS NOT NULL AND x.at < ?) "
        f"WHERE {open_at_end} GROUP BY 1", (c, c, c, c)).fetchall()
    still_open = [row for row in stage_rows if row[0] != "closed"]
    # The investigation's verdicts and the escalations (issue 20).
    names = {"true": "verified", "unfounded": "unfounded", "not_verifiable": "not_verifiable"}
    verdicts = {"verified": 0, "unfounded": 0, "not_verifiable": 0, "pending": 0}
    for verdict, n in q(f"SELECT c.verified, count(*) FROM complaints c WHERE {received} "
                        "GROUP BY c.verified", (s, e)):
        verdicts[names.get(verdict, "pending")] += n
    decided = sum(verdicts.values()) - verdicts["pending"]
    return {
        "by_verification": verdicts,
        "founded_pct": round(100 * verdicts["verified"] / decided, 1) if decided else None,
        "escalated": q("SELECT count(*) FROM (SELECT complaint_id FROM escalations "
                       "WHERE at >= ? AND at < ? GROUP BY complaint_id)", (s, e)).fetchone()[0],
        "received": q(f"SELECT count(*) FROM complaints c WHERE {received}", (s, e)).fetchone()[0],
        "closed_in_month": q("SELECT count(*) FROM complaints WHERE closed_at >= ? "
                             "AND closed_at < ?", (s, e)).fetchone()[0],
        "open_at_month_end": sum(n for _, n, _late in still_open),
        "overdue_at_month_end": sum(late or 0 for _, _n, late in still_open),
        **breakdowns,
        "by_responsibility": {(k or "none"): n for k, n in q(
            "SELECT i.responsibility, count(*) FROM investigations i JOIN complaints c "
            f"ON c.id = i.complaint_id WHERE {received} GROUP BY i.responsibility", (s, e))},
        "by_stage_at_month_end": {k: n for k, n, _late in still_open},
        "sla_met_pct": round(100 * met / len(resolved), 1) if resolved else None,
        "median_hours_to_resolve": round(statistics.median(hours), 1) if hours else None,
        "median_hours_to_first_contact": round(statistics.median(first), 1) if first else None,
        "revisits_done": visits[0],
        "avg_satisfaction": round(visits[1], 2) if visits[1] is not None else None,
        "reopened": q("SELECT count(*) FROM complaint_events WHERE kind = 'reopened' "
                      "AND at >= ? AND at < ?", (s, e)).fetchone()[0],
        "compensation_total": round(sum(cents for _, cents in comp) / 100, 2),
        "compensation_by_type": {k: round(v / 100, 2) for k, v in sorted(by_type.items())},
        "by_question": {str(qid): {"answers": n, "avg": round(avg, 2)} for qid, n, avg in q(
            "SELECT a.question_id, count(*), avg(a.score) FROM revisit_answers a JOIN revisits r "
            "ON r.id = a.revisit_id WHERE r.done_at >= ? AND r.done_at < ? "
            "GROUP BY a.question_id", (s, e))},
        "typical_cases": q("SELECT count(*) FROM typical_cases WHERE marked_at >= ? "
                           "AND marked_at < ?", (s, e)).fetchone()[0],
        "repeat_customers": q(
            "SELECT count(*) FROM (SELECT c.customer_id FROM complaints c JOIN customers cu "
            f"ON cu.id = c.customer_id WHERE {received} "
            "AND (cu.phone IS NOT NULL OR cu.anonymised_at IS NOT NULL) "
            "GROUP BY c.customer_id HAVING count(*) >= 2)", (s, e)).fetchone()[0],
    }


def raw_month_stats(conn: sqlite3.Connection, month: str, now: datetime) -> dict[str, Any]:
    year, mon = int(month[:4]), int(month[5:7])
    figures = raw_figures(conn, year, mon, now)
    figures["previous_month"] = raw_figures(conn, *previous(year, mon), now)
    return figures


# --- running -------------------------------------------------------------------------------

def _same_stats(service: dict[str, Any], raw: dict[str, Any]) -> list[str]:
    """Keys where the raw SQL disagrees with the service: the baseline must do the same work."""
    return [k for k, v in raw.items() if k != "previous_month" and service.get(k) != v]


def run(db_path: Path, size: int, runs: int = 7) -> dict[str, dict[str, Any]]:
    set_language("zh-Hans")
    db: Database = open_database(str(db_path))
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        now = clock.now()
        with clock.frozen(now):  # service and raw SQL see the same "now"
            fts = conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?",
                               (FTS_TABLE,)).fetchone() is not None
            cards = queue_cards(db, QueueFilter())
            rows = raw_queue(conn, now)
            if [c.reference for c in cards] != [r[1] for r in rows]:
                raise AssertionError("raw queue SQL and queue_cards disagree")
            queue = alternate(lambda: queue_cards(db, QueueFilter()),
                              lambda: raw_queue(conn, now), runs)

            phone = phone_fragment(conn)
            for term in (SEARCH_TERM, phone):
                if [c.reference for c in search(db, term)] != [
                        r[1] for r in raw_search(conn, term, now, fts)]:
                    raise AssertionError(f"raw search SQL and search() disagree on {term!r}")
            text = alternate(lambda: (search(db, SEARCH_TERM), search(db, phone)),
                             lambda: (raw_search(conn, SEARCH_TERM, now, fts),
                                      raw_search(conn, phone, now, fts)), runs)

            month = busiest_month(conn, now)
            differ = _same_stats(month_stats(db, month), raw_month_stats(conn, month, now))
            if differ:
                raise AssertionError(f"raw stats SQL and month_stats disagree on {differ}")
            stats = alternate(lambda: month_stats(db, month),
                              lambda: raw_month_stats(conn, month, now), runs)
    finally:
        conn.close()
        db.dispose()
    return {
        "queue_query": result(*queue, f"{BASE_QUEUE} ({len(rows):,} cards)"),
        "text_search": result(*text, f"{BASE_SEARCH} ({SEARCH_TERM!r}, {phone!r})"),
        "stats_month": result(*stats, f"{BASE_STATS} ({month})"),
    }
