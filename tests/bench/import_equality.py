"""Does a change to the import engine leave what it writes exactly as it was? (issue 17)

Imports the same files with two checkouts of the program (this one and OTHER, e.g. main) into
fresh databases, each in a child process with the clock frozen and the same time zone, then
compares every table of the two databases row by row (every column: ids, references, due
times, customers, repeat flags, timeline events, the search index, the audit trail with its
hashes and the seal index), and the import's own answer (added, duplicates, refused lines and
reasons, new list values, date orders found). The clock being frozen, nothing may differ.

Files: the benchmark's file (Chinese Excel dates), and files made here that take the other
roads: day-first settled by the column, `date_order` with two-digit years, GBK with
`2024年3月5日 下午2:20` and a time column, an .xlsx with date cells, serials and text, a file
mixing the common form with every other form and with bad values (imported with skip_bad),
and a second import onto the first (known customers, duplicates). Then `check` of each
program runs on the other's database.

    python tests/bench/import_equality.py /work/main [--size 100000] [--pg URL]
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import subprocess
import sys
import tempfile
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "bench"))

import bench_import  # noqa: E402

NOW = "2026-03-10T10:00:00"
ENV = {"TZ": "Asia/Shanghai", "COMPLAINT_DESK_LANG": "en"}

# One import (or several, onto one database) in a child: prints each ImportResult as JSON.
CHILD = r"""
import dataclasses, json, sys
from datetime import datetime
sys.path.insert(0, sys.argv[1])
from app import clock
clock.set_clock(lambda: datetime.fromisoformat(sys.argv[3]))
from app.migrate import open_database
from app.services.importing import import_file
from app.errors import DeskError
db = open_database(sys.argv[2])
out = []
for job in json.loads(sys.argv[4]):
    try:
        r = import_file(db, job["file"], job["mapping"], kind=job["kind"],
                        skip_bad=job.get("skip_bad", False))
        out.append(dataclasses.asdict(r))
    except DeskError as e:
        out.append({"refused_whole": e.message()})
db.dispose()
print(json.dumps(out, ensure_ascii=False, default=str))
"""

CHECK = r"""
import sys
sys.path.insert(0, sys.argv[1])
from app.migrate import open_database
from app.audit_check import check_chain
db = open_database(sys.argv[2])
problems = check_chain(db)
db.dispose()
print(len(problems)); print("\n".join(problems[:5]))
"""


def _write_csv(path: Path, rows: list[list[Any]], encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


FULL_HEADER = ["编号", "投诉时间", "时间", "投诉内容", "电话", "客户姓名", "类别", "状态",
               "解决时间", "关闭时间", "诉求", "满意度", "渠道", "严重程度", "发生时间",
               "等级", "邮箱", "部门", "地点", "主题"]
FULL_MAP: dict[str, Any] = {
    "external_id": "编号", "received_at": "投诉时间", "description": "投诉内容",
    "phone": "电话", "customer_name": "客户姓名", "category": "类别",
    "stage": {"column": "状态", "values": {"新登记": "new", "已关闭": "closed",
                                            "待回访": "follow_up", "已解决": "in_progress"}},
    "resolved_at": "解决时间", "closed_at": "关闭时间",
    "customer_demand": {"column": "诉求", "values": {"退款": "refund", "道歉": "apology"}},
    "satisfaction": "满意度",
    "channel": {"column": "渠道", "values": {"电话": "phone", "网上": "online"}},
    "severity": {"column": "严重程度", "values": {"紧急": "urgent", "一般": "normal"}},
    "occurred_at": "发生时间", "tier": "等级", "email": "邮箱", "department": "部门",
    "location": "地点", "subject": "主题",
}


def _extra(i: int) -> list[str]:
    """Tier (core customers get shorter due times), email, department (one written as a
    quoted formula, restored on import), location, subject (with an apostrophe)."""
    return [("core", "key", "", "ordinary")[i % 4], ("", f"u{i % 30}@example.com")[i % 2],
            ("前台", "", "'=工程部")[i % 3], ("一楼", "")[i % 2], ("", "O'Brien 投诉")[i % 2]]

# Received-time cells of the mixed file: the common form and every other one, good and bad.
MIXED_DATES = [
    "2024/3/5 14:20", "2024/3/5 14:20", " 2024/3/5 9:05 ", "2024/03/05 14:20:59",
    "2024-3-5 9:05:00", "2024.3.5", "2024.3.5 14:20", "2024/3/5", "2024/3/5 14：20",
    "2024/3/5 14时20分", "2024/3/5 下午2:20", "2024/3/5 2:20 PM", "2024/3/5 2:20PM",
    "2024/3/5 12:00 am", "2024/3/5 14:20+08:00", "2024/3/5 14:20Z", "2024/3/5T14:20",
    "2024/3/5, 14:20", "2024/3/5 14:20:00.5", "2024/3/5 14:20 -05:00",
    "2024-03-05T14:20:00", "2024-03-05 14:20", "2024-03-05T14:20:00Z",
    "2024-03-05T14:20:00+08:00", "2024-03-05T14:20:00.123456", "2024年3月5日",
    "2024年3月5日 下午2:20", "2024 年 3 月 5 号 14:20", "Mar 5, 2024 7:56:48 PM",
    "5 March 2024", "Tuesday, March 5, 2024 14:20", "20240305", "45356", "45356.75",
    "2024/2/29 10:00", "2023/2/29 10:00", "2024/3/5 25:00", "2024/3/5 14:60",
    "2024/3/5 13:20 PM", "2024/3/5 0:20 AM", "2024/13/5 10:00", "2024/0/5 10:00",
    "2024/3/0 10:00", "1989/12/31 10:00", "2027/1/1 10:00", "2024/3/5 14:20 foo",
    "2024/3/5 14", "2024/3/5 7", "2024/3/05 7:5", "2024/3/5 07:05", "2024/3/5 24:00",
    "12024/3/5 10:00", "2024/3/500 10:00", "2024/3/5 14:20:61", "2024/3/5 14:20:60",
    "2024/3/5 ２:20", "２０２４/3/5 14:20", "2024/٣/5 14:20", "2024/3/5 14:20:00,25",
    "2024/3/5  14:20", "2024/3/5\t14:20", "2024/3/5 14:2", "2024/3/5 014:20",
    "2024-3/5 14:20", "2024/3-5 14:20", "24/3/5 14:20", "2024/3/5 14:20 pm", "",
    "05/03/2024 14:20", "25/12/2023 10:00", "5.3.2024", "5-3-2024 9:05:00",
]


def _files(folder: Path, size: int) -> list[tuple[str, list[dict[str, Any]]]]:
    """(case name, the imports of that case, made one after the other on one database)."""
    cases: list[tuple[str, list[dict[str, Any]]]] = []
    bench = bench_import.write_file(folder / "bench.csv", size)
    cases.append(("bench", [{"file": str(bench), "mapping": bench_import.MAPPING,
                             "kind": "csv"}]))

    # The benchmark's file again on top of the first import: all duplicates; plus a file
    # whose phones are the bench's (known customers updated) with new ids.
    again = _write_csv(folder / "again.csv", [
        ["编号", "投诉时间", "投诉内容", "电话", "客户姓名", "类别", "状态", "解决时间", "诉求"],
        *[[f"N{i}", f"2024/1/{1 + i % 28} {i % 24}:{i % 60:02d}", f"又来了 {i}",
           f"13{8 + i % 2}{i % 40_000:08d}", ("王五", "", "Lee")[i % 3], "parking",
           "已关闭", f"2024/2/{1 + i % 28} 10:00", "refund"] for i in range(0, 3000, 7)]])
    cases.append(("bench+again", [
        {"file": str(bench), "mapping": bench_import.MAPPING, "kind": "csv"},
        {"file": str(bench), "mapping": bench_import.MAPPING, "kind": "csv"},
        {"file": str(again), "mapping": bench_import.MAPPING, "kind": "csv"}]))

    day_first = _write_csv(folder / "uk.csv", [
        ["Date", "Issue", "Closed"],
        *[[f"{1 + i % 28:02d}/{1 + i % 12:02d}/2015 {i % 24:02d}:{i % 60:02d}", f"issue {i}",
           f"{1 + i % 28}/{1 + i % 12}/2016 10:00" if i % 2 else ""] for i in range(400)]])
    cases.append(("day-first", [{"file": str(day_first), "kind": "csv", "mapping": {
        "received_at": "Date", "description": "Issue", "closed_at": "Closed",
        "stage": {"column": "Closed", "values": {}}}},
        {"file": str(day_first), "kind": "csv", "mapping": {
            "received_at": "Date", "description": "Issue", "closed_at": "Closed"}}]))

    us = _write_csv(folder / "us.csv", [
        ["When", "Issue", "Resolved"],
        *[[f"{1 + i % 12}/{1 + i % 28}/{(i % 30):02d} {1 + i % 12}:{i % 60:02d} "
           f"{('AM', 'PM')[i % 2]}", f"issue {i}",
           f"{1 + i % 12}/{1 + i % 28}/24" if i % 3 == 0 else ""] for i in range(300)]])
    cases.append(("mdy two-digit", [
        {"file": str(us), "kind": "csv", "mapping": {"received_at": "When",
                                                     "description": "Issue",
                                                     "resolved_at": "Resolved"}},
        {"file": str(us), "kind": "csv", "skip_bad": True,
         "mapping": {"received_at": "When", "description": "Issue", "resolved_at": "Resolved",
                     "date_order": "mdy"}},
        {"file": str(us), "kind": "csv", "skip_bad": True,
         "mapping": {"received_at": "When", "description": "Issue", "date_order": "ymd"}}]))

    gbk_rows: list[list[Any]] = [FULL_HEADER]
    for i in range(500):
        day = ("2024年3月{d}日", "2024.3.{d}", "2024-3-{d}", "2024/3/{d}")[i % 4].format(
            d=1 + i % 28)
        gbk_rows.append([
            f"G{i % 450}", day, ("下午2:20", "14:20", "9:05:30", "上午11时5分", "")[i % 5],
            f"顾客反映问题 {i}", ("13800138000", "+852 9123 4567", "010-8888 6666", "",
                                 "0912-345-678")[i % 5], ("张三", "李四", "")[i % 3],
            ("停车", "服务", "新类别甲")[i % 3], ("新登记", "已关闭", "待回访", "已解决")[i % 4],
            f"2024年4月{1 + i % 28}日 10:00" if i % 4 in (1, 2) else "",
            f"2024/4/{2 + i % 27} 12:00" if i % 4 == 1 else "",
            ("退款", "道歉;退款", "refund", "")[i % 4], ("", "5", "4.0", "3")[i % 4],
            ("电话", "网上", "")[i % 3], ("紧急", "一般", "")[i % 3],
            "2024/2/1 7:00" if i % 6 == 0 else "", *_extra(i)])
    gbk = _write_csv(folder / "gbk.csv", gbk_rows, encoding="gbk")
    gbk_map = {**FULL_MAP, "received_at": {"column": "投诉时间", "time_column": "时间"}}
    cases.append(("gbk + time column", [{"file": str(gbk), "kind": "csv", "mapping": gbk_map,
                                         "skip_bad": True}]))

    import openpyxl

    book = openpyxl.Workbook()
    ws = book.active
    ws.append(FULL_HEADER)
    for i in range(400):
        received: Any = (datetime(2024, 3, 1 + i % 28, i % 24, i % 60),
                         date(2024, 3, 1 + i % 28), 45356 + i % 50, 45356.5 + i % 50,
                         f"2024/3/{1 + i % 28} {i % 24}:{i % 60:02d}", "2024-03-05T10:00:00",
                         f"2024年3月{1 + i % 28}日")[i % 7]
        ws.append([f"X{i}", received, time(14, 20) if i % 7 == 1 else None,
                   f"Excel 行 {i}", 13800138000 + i % 9, ("张三", None)[i % 2], "停车",
                   ("已关闭", "新登记")[i % 2],
                   datetime(2024, 4, 1, 9, 0) if i % 2 == 0 else None, None,
                   "退款", (5, 4.0, None)[i % 3], "电话", "一般", None, *_extra(i)])
    xlsx = folder / "book.xlsx"
    book.save(xlsx)
    xlsx_map = {**FULL_MAP, "received_at": {"column": "投诉时间", "time_column": "时间"}}
    cases.append(("xlsx", [{"file": str(xlsx), "kind": "xlsx", "mapping": xlsx_map,
                            "skip_bad": True}]))

    def mixed_file(name: str, values: list[str]) -> Path:
        rows: list[list[Any]] = [FULL_HEADER]
        for i in range(len(values) * 6):
            common = f"2024/3/{1 + i % 28} {i % 24}:{i % 60:02d}"
            value = values[i % len(values)] if i % 2 else common
            rows.append([
                f"M{i}", value, "", f"混合 {i}" if i % 5 else "'=SUM(A1) 公式",
                f"1380013{i % 50:04d}", "王", "停车",
                ("新登记", "已关闭", "已解决")[i % 3],
                ("", "2024/4/1 10:00", "2024/3/1 10:00", "2024/4/1 25:00")[i % 4]
                if i % 3 else "", "2024/4/2 10:00" if i % 3 == 1 else "", "退款", "", "电话",
                "一般", ("", "2024/3/1 8:00", "2024/3/9 8:00")[i % 3], *_extra(i)])
        return _write_csv(folder / name, rows)

    mixed = mixed_file("mixed.csv", MIXED_DATES)
    # Without the two-digit year, the column settles itself (day-first: 25/12/2023).
    settled = mixed_file("settled.csv", [v for v in MIXED_DATES if v != "24/3/5 14:20"])
    cases.append(("mixed forms", [
        {"file": str(mixed), "kind": "csv", "mapping": FULL_MAP},
        {"file": str(settled), "kind": "csv", "mapping": FULL_MAP},
        {"file": str(settled), "kind": "csv", "mapping": FULL_MAP, "skip_bad": True}]))
    # The same cells again, read with every date_order.
    for order in ("dmy", "mdy", "ymd"):
        cases.append((f"mixed forms, {order}", [
            {"file": str(mixed), "kind": "csv", "mapping": {**FULL_MAP, "date_order": order},
             "skip_bad": True}]))
    return cases


def _run(python: str, root: Path, script: str, *args: str) -> str:
    out = subprocess.run([python, "-c", script, str(root), *args], capture_output=True,
                         text=True, timeout=1800, env={**os.environ, **ENV})
    if out.returncode != 0:
        raise RuntimeError(f"{root}: {out.stderr.strip()[-2000:]}")
    return out.stdout


def _python(root: Path) -> str:
    return str(root / ".venv" / "bin" / "python")


def _dump_sqlite(path: Path) -> dict[str, tuple[int, str, list[Any]]]:
    """Table -> (rows, digest of every row in rowid order, the first rows)."""
    import sqlite3

    conn = sqlite3.connect(path)
    tables = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    found = {}
    for name in tables:
        try:
            rows = conn.execute(f'SELECT * FROM "{name}" ORDER BY rowid').fetchall()
        except sqlite3.OperationalError:  # WITHOUT ROWID
            rows = conn.execute(f'SELECT * FROM "{name}" ORDER BY 1').fetchall()
        digest = hashlib.sha256(repr(rows).encode()).hexdigest()
        found[name] = (len(rows), digest, rows)
    conn.close()
    return found


def _dump_pg(url: str) -> dict[str, tuple[int, str, list[Any]]]:
    from sqlalchemy import MetaData, Text, cast, create_engine, select

    engine = create_engine(url)
    meta = MetaData()
    meta.reflect(engine)
    found = {}
    with engine.connect() as conn:
        for name, table in sorted(meta.tables.items()):
            order = list(table.primary_key.columns) or list(table.columns)
            # As the server's text: a json column's exact text, not its parsed value.
            rows = [tuple(r) for r in conn.execute(
                select(*[cast(c, Text) for c in table.columns]).order_by(*order))]
            found[name] = (len(rows), hashlib.sha256(repr(rows).encode()).hexdigest(), rows)
    engine.dispose()
    return found


def _compare(label: str, a: dict[str, Any], b: dict[str, Any]) -> list[str]:
    problems = []
    for name in sorted(set(a) | set(b)):
        if name not in a or name not in b:
            problems.append(f"{label}: table {name} only on one side")
            continue
        (na, da, ra), (nb, db_, rb) = a[name], b[name]
        if da != db_:
            first = next((i for i, (x, y) in enumerate(zip(ra, rb, strict=False)) if x != y), min(na, nb))
            problems.append(f"{label}: {name} differs ({na} vs {nb} rows; first at {first}: "
                            f"{ra[first] if first < na else None!r:.300} vs "
                            f"{rb[first] if first < nb else None!r:.300})")
    return problems


def _pg_database(server: str, name: str, create: bool) -> str:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        if create:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(server).set(database=name).render_as_string(hide_password=False)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("other", type=Path, help="the other checkout (with its .venv)")
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--pg", help="a PostgreSQL server URL: the cases run there too")
    args = parser.parse_args()
    roots = {"this": ROOT, "other": args.other.resolve()}
    problems: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        cases = _files(folder, args.size)
        for n, (label, jobs) in enumerate(cases):
            answers, dumps, paths = {}, {}, {}
            for side, root in roots.items():
                path = folder / f"{side}-{n}.db"
                paths[side] = path
                answers[side] = _run(_python(root), root, CHILD, str(path), NOW,
                                     json.dumps(jobs, ensure_ascii=False))
                dumps[side] = _dump_sqlite(path)
            same_answer = answers["this"] == answers["other"]
            if not same_answer:
                problems.append(f"{label}: import answers differ:\n  this:  "
                                f"{answers['this'][:600]}\n  other: {answers['other'][:600]}")
            diff = _compare(label, dumps["this"], dumps["other"])
            problems += diff
            results = json.loads(answers["this"])
            summary = "; ".join(
                f"file refused: {r['refused_whole'][:70]}" if "refused_whole" in r else
                f"added {r['added']}, dup {r['duplicates']}, refused rows {len(r['refused'])}"
                for r in results)
            rows = {k: v[0] for k, v in dumps["this"].items()
                    if k in ("complaints", "customers", "complaint_events", "audit_seals")}
            print(f"[{'same' if same_answer and not diff else 'DIFFERENT'}] {label}: {summary}"
                  f" | {rows} | {len(dumps['this'])} tables compared", flush=True)
            # Each program's `check` on the database the other one wrote.
            for side, root in roots.items():
                other_db = paths["other" if side == "this" else "this"]
                out = _run(_python(root), root, CHECK, str(other_db)).splitlines()
                if out and out[0] != "0":
                    problems.append(f"{label}: check of {side} on the other's database: "
                                    + " | ".join(out))
        if args.pg:
            for label, jobs in cases:
                dumps = {}
                for side, root in roots.items():
                    url = _pg_database(args.pg, f"equality_{side}", True)
                    try:
                        answer = _run(_python(root), root, CHILD, url, NOW,
                                      json.dumps(jobs, ensure_ascii=False))
                        dumps[side] = (answer, _dump_pg(url))
                    finally:
                        _pg_database(args.pg, f"equality_{side}", False)
                diff = _compare(f"PG {label}", dumps["this"][1], dumps["other"][1])
                if dumps["this"][0] != dumps["other"][0]:
                    diff.append(f"PG {label}: import answers differ")
                problems += diff
                print(f"[{'same' if not diff else 'DIFFERENT'}] PostgreSQL {label}: "
                      f"{len(dumps['this'][1])} tables compared", flush=True)
    print("\n".join(problems) if problems else "no difference")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
