"""Hostile input at the counter (Hypothesis): random and malformed values for every intake field,
huge texts, control characters, SQL-looking text, odd and path-like attachment names.

For every case: nothing crashes; a refusal changes nothing (no row, no file) and every problem
names its field with a message; an accepted complaint is saved whole, and its attachments land
inside the attachments folder. (The CSV import has its own fuzz, in the import's tests.)
"""

from __future__ import annotations

import os
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from app.codes import CHANNELS, DEMANDS, EMOTIONS, FIELD_LABELS, SEVERITIES, SOLUTION_TYPES, TIERS
from app.db import Database
from app.errors import ValidationError, ValidationErrors
from app.services.checks import run_checks
from app.services.common import SYSTEM, Actor
from app.services.intake import IntakeInput, OnTheSpot, check_intake, log_complaint
from tests.db_inspect import table_counts

HOSTILE = [
    "'; DROP TABLE complaints; --", "\" OR 1=1 --", "Robert'); DROP TABLE customers;--",
    "1; DELETE FROM settings", "%s%s%s%n", "{description}", "{0}{1}", "${HOME}", "NULL", "None",
    "<script>alert(1)</script>", "=cmd|' /C calc'!A0", "+SUM(1,1)", "@SUM(1)", "\x00", "a\x00b",
    "\x1b[31mred\x1b[0m", "\u202eevil\u202c", "\ufeffBOM", "\ud800", "x\udcff", "\U0002070e👩‍👩‍👧",
    "   ", "\t\r\n", "../../etc/passwd", "C:\\Windows\\system32", "投诉'; --", "ｎｕｌｌ",
    "\u3000\u3000", "\x7f\x08", "😀" * 50,
]
HUGE = st.builds(lambda ch, n: ch * n, st.sampled_from(["长", "a", "👍", "\x07", "'"]),
                 st.integers(3000, 20000))
TEXT = st.one_of(st.text(max_size=60), st.sampled_from(HOSTILE), st.sampled_from(HOSTILE), HUGE,
                 st.text(st.characters(categories=["Cc", "Cf", "Zs", "Co", "Mn"]), max_size=20))


def code(allowed: tuple[str, ...]) -> st.SearchStrategy[str | None]:
    return st.one_of(st.sampled_from(allowed), st.none(), st.just(""), TEXT,
                     st.sampled_from(allowed).map(lambda c: f" {c.upper()} "))


DATES = st.one_of(
    st.none(), st.just(""), TEXT,
    st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2100, 1, 1)),
    st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2030, 1, 1),
                 timezones=st.just(UTC)),
    st.datetimes(min_value=datetime(1980, 1, 1), max_value=datetime(2040, 1, 1)).flatmap(
        lambda d: st.sampled_from([d.isoformat(), f"{d:%m/%d/%Y %H:%M}", f"{d:%Y/%m/%d}"])),
    st.sampled_from(["2026-02-30", "13/45/2026", "9999-12-31 23:59:59", "0001-01-01", "2026-1-1",
                     "yesterday", "2026-03-10T25:00", "1e9"]),
)
PHONES = st.one_of(TEXT, st.sampled_from(["13800138000", "+852 9123 4567", "１３８００１３８０００",
                                          "+86 138-0013-8000", "0086 13800138000", "+", "00"]),
                   st.from_regex(r"\+?[0-9 \-()]{0,25}", fullmatch=True))
EMAILS = st.one_of(TEXT, st.emails(), st.sampled_from(["a@b", "@@", "x@y.z", "客户@例子.中国"]))
AMOUNTS = st.one_of(st.none(), TEXT, st.decimals(allow_nan=True, allow_infinity=True).map(str),
                    st.sampled_from(["12.345", "-1", "1e9", "NaN", "Infinity", "100", "600.00",
                                     "1,000.50", "0", "１００"]))


def _hostile_files(folder: Path) -> list[Path]:
    """Files whose names are odd or path-like; plus a missing one, a folder and a huge one."""
    folder.mkdir()
    names = ["..\\..\\x", "..x", "...", ".hidden", " spaced .txt", "a\nb.txt", "CON", "x:y.txt",
             "投诉照片 (1).jpg", "\u202egpj.exe", "a" * 250, "$(rm -rf ~).txt", "%2e%2e%2fx",
             "x;'\"--.txt", "-rf", "照片.JPG "]
    files = []
    for name in names:
        path = folder / name
        path.write_bytes(name.encode("utf-8", "surrogateescape") * 3)
        files.append(path)
    gbk = Path(os.fsdecode(bytes(folder) + b"/" + "测试收据.txt".encode("gbk")))
    gbk.write_bytes(b"gbk-named file")  # a name that is not UTF-8 (old zip archives)
    files.append(gbk)
    (folder / "sub").mkdir()
    files.append(folder / "sub" / ".." / ".." / folder.name / "CON")  # spelled with ../..
    files.append(folder / "missing.txt")
    files.append(folder / "sub")
    huge = folder / "huge.bin"
    with huge.open("wb") as fh:
        fh.truncate(51 * 1024 * 1024)  # sparse: over the 50 MB limit without using the disk
    files.append(huge)
    return files


def _counts(db: Database) -> dict[str, int]:
    counts = table_counts(db)  # tests/db_inspect.py: SQLite or PostgreSQL
    return {t: counts[t] for t in ("complaints", "customers", "attachments", "complaint_events",
                                   "solutions", "investigations")}


def _files(db: Database) -> set[Path]:
    root = db.paths.attachments
    return {p for p in root.rglob("*") if p.is_file()} if root.is_dir() else set()


def _assert_message(error: ValidationError) -> None:
    assert error.field in FIELD_LABELS or error.field == "attachment", error.field
    assert error.message().strip()  # rendered: every placeholder filled


def test_intake_survives_hostile_input(db: Database, clerk: Actor, supervisor: Actor,
                                       tmp_path: Path) -> None:
    files = _hostile_files(tmp_path / "incoming")
    root = db.paths.attachments.resolve()
    stats: Counter[str] = Counter()

    good_files = [f for f in files if f.is_file() and f.stat().st_size < 1024 * 1024]
    fields = {
        "description": TEXT, "customer_name": TEXT, "phone": PHONES, "email": EMAILS,
        "tier": code(TIERS), "channel": code(CHANNELS), "received_at": DATES,
        "subject": code(("product", "service")), "category": code(("product_quality", "parking")),
        "department": code(("security",)), "location": TEXT, "staff_involved": TEXT,
        "emotion": code(EMOTIONS), "severity": code(SEVERITIES),
        "demands": st.lists(st.one_of(st.sampled_from(DEMANDS), TEXT), max_size=4),
        "attachments": st.one_of(st.lists(st.sampled_from(good_files), max_size=3),
                                 st.lists(st.sampled_from(files), max_size=3)),
        "on_the_spot": st.one_of(st.none(), st.builds(
            OnTheSpot, st.lists(st.one_of(st.sampled_from(SOLUTION_TYPES), TEXT), max_size=3),
            TEXT, st.dictionaries(st.one_of(st.sampled_from(SOLUTION_TYPES), TEXT), AMOUNTS,
                                  max_size=3))),
    }

    @st.composite
    def inputs(draw: st.DrawFn) -> IntakeInput:
        """A sound complaint with one, a few or every field replaced by a hostile value: one
        bad field must not hide behind another, and odd-but-valid values must get saved."""
        values: dict[str, object] = dict(
            description="餐厅的汤里有头发，顾客要求退款并道歉", customer_name="王先生",
            phone="13800138000", channel="counter", category="product_quality")
        how_many = draw(st.sampled_from([1, 1, 2, 3, len(fields)]))
        for name in draw(st.lists(st.sampled_from(sorted(fields)), min_size=how_many,
                                  max_size=how_many, unique=True)):
            values[name] = draw(fields[name])
        return IntakeInput(**values)  # type: ignore[arg-type]

    @settings(max_examples=400, deadline=None, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture,
                                     HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(data=inputs(), actor=st.sampled_from([clerk, supervisor, SYSTEM]))
    # Cases found by earlier runs, kept so they are always tried:
    @example(IntakeInput("\ud800 broken paste", "x"), clerk)  # lone surrogate
    @example(IntakeInput("x", "x", category="\ud800"), clerk)  # ... looked up in a list
    @example(IntakeInput("x", "x", attachments=[files[-6]]), clerk)  # a GBK-named file
    @example(IntakeInput("x", "x", category="product_quality", attachments=[files[0]],
                         on_the_spot=OnTheSpot(["refund"], "refunded", {"refund": "99999"}, verdict="true")), clerk)
    def case(data: IntakeInput, actor: Actor) -> None:
        stats["cases"] += 1
        problems = check_intake(db, data)
        for p in problems:
            _assert_message(p)
        counts, present = _counts(db), _files(db)
        try:
            result = log_complaint(db, data, actor)
        except ValidationErrors as e:
            stats["refused"] += 1
            assert e.errors and e.message().strip()
            for err in e.errors:
                _assert_message(err)
        except ValidationError as e:
            stats["refused"] += 1
            _assert_message(e)
            # Only what check_intake cannot know refuses here: files, the money threshold,
            # resolving on the spot without a signed-in clerk.
            assert not problems and e.field in ("attachment", "amount", "owner"), e.field
        else:
            stats["saved"] += 1
            assert not problems, [p.message() for p in problems]
            after = _counts(db)
            assert after["complaints"] == counts["complaints"] + 1
            assert after["attachments"] == counts["attachments"] + len(data.attachments)
            stored = _files(db) - present
            assert len(stored) <= len(data.attachments)
            assert all(p.resolve().is_relative_to(root) for p in stored)
            stats["attachments"] += len(data.attachments)
            assert result.reference.startswith("TS-")
            return
        assert _counts(db) == counts, "a refused complaint left rows behind"
        assert _files(db) == present, "a refused complaint left files behind"

    case()
    report = run_checks(db)
    assert report.ok, report.problems
    print(f"\nhostile intake: {stats['cases']} cases run, {stats['saved']} saved "
          f"({stats['attachments']} attachments, all inside the folder), {stats['refused']} "
          f"refused with a message, 0 crashes, 0 partial writes")
