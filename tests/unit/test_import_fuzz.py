"""Property test of the CSV import: whatever the cells hold (control characters, huge texts,
SQL-looking text, formulas, impossible dates), the import never crashes; every data row is
either imported, a duplicate, or refused with a line-numbered message; and an import that
refuses anything writes nothing unless told to skip bad rows."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from app.db import Database
from app.errors import DeskError
from app.models import Complaint
from app.services.csv_text import restore
from app.services.importing import import_csv
from app.validation import clean_text
from tests.conftest import ControlledClock
from tests.unit.csv_support import count, db_fingerprint, write_csv

HEADER = ["id", "when", "what", "via", "sev", "stage", "tel", "sat", "cat", "wants", "closed"]
MAPPING = {"external_id": "id", "received_at": "when", "description": "what", "channel": "via",
           "severity": "sev", "stage": "stage", "phone": "tel", "satisfaction": "sat",
           "category": "cat", "customer_demand": "wants", "closed_at": "closed",
           "date_order": "mdy"}

# Any character a file can carry in UTF-8 (lone surrogates cannot be written at all).
any_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=30)
nasty = st.sampled_from([
    "'; DROP TABLE complaints; --", "1' OR '1'='1", "=cmd|' /C calc'!A0", "+SUM(1,2)",
    "-2+3", "@IMPORT", "'=already", "\t=tab", "\x00\x01\x02", "\u202etxet", "😡🙏🏽",
    "繁體與简体 mixed ｆｕｌｌ", "NULL", "",
])
huge = st.builds(lambda s, n: s * n, st.text(min_size=1, max_size=3), st.integers(1000, 6000))
dates = st.one_of(
    st.dates().map(lambda d: d.isoformat()),
    st.dates().map(lambda d: f"{d.month:02d}/{d.day:02d}/{d.year}"),
    st.datetimes().map(lambda d: d.isoformat(sep=" ")),
    st.sampled_from(["2025-02-30", "13/01/2025", "2025-01-05 25:00", "yesterday", "0/0/0"]),
    any_text,
)


# A valid row, then up to two of its cells replaced by anything at all: so that some
# examples import and others are refused, row by row.
valid_row = st.tuples(
    st.text("AB0123-", min_size=1, max_size=4),  # external ids that may repeat
    st.datetimes(datetime(1990, 1, 1), datetime(2026, 3, 1)).map(lambda d: d.isoformat(" ")),
    st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=200)
    .filter(lambda s: clean_text(restore(s.strip())) != ""),
    st.sampled_from(["phone", "online", "counter", ""]),
    st.sampled_from(["minor", "urgent", ""]),
    st.sampled_from(["new", "closed", "follow_up", "investigating", ""]),
    st.sampled_from(["13800138000", "+852 9123 4567", "(010) 8888-6666", ""]),
    st.sampled_from(["1", "5", "4.0", ""]),
    st.sampled_from(["parking", "停车", "新类别", "=SUM(A1)", ""]),
    st.sampled_from(["refund", "refund;apology", ""]),
    st.just(""),
).map(list)
anything = st.one_of(nasty, any_text, huge, dates,
                     st.sampled_from(["fax", "critical", "done", "12", "0", "-3", "3.5", "pony"]))


@st.composite
def messy_row(draw: st.DrawFn) -> list[str]:
    row = draw(valid_row)
    for index in draw(st.lists(st.integers(0, len(HEADER) - 1), max_size=2)):
        row[index] = draw(anything)
    return row


rows = st.lists(messy_row(), min_size=1, max_size=5)


def test_import_never_crashes_and_never_writes_part(
        db: Database, tmp_path: Path, fixed_clock: ControlledClock,
        capsys: object) -> None:
    ran: list[int] = []
    outcomes = {"imported": 0, "refused": 0}

    # Derandomised: the same examples on every run, so the suite never flakes; a wider search
    # (3,000 random examples) was run by hand when this was written.
    @settings(max_examples=250, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(data=rows, skip_bad=st.booleans())
    def check(data: list[list[str]], skip_bad: bool) -> None:
        ran.append(1)
        f = write_csv(tmp_path / "fuzz.csv", data, header=HEADER)
        before, complaints = db_fingerprint(db), count(db)
        try:
            result = import_csv(db, f, MAPPING, skip_bad=skip_bad)
        except DeskError:  # the whole file refused (its structure or its encoding): no change
            assert db_fingerprint(db) == before
            outcomes["refused"] += 1
            return

        read = [r for r in data if any(c.strip() for c in r)]
        assert result.rows == len(read)
        assert len(result.problems) + result.ready + result.duplicates == len(read)
        lines = [int(p.split(":", 1)[0].removeprefix("line ")) for p in result.problems]
        assert lines == sorted(set(lines)) and all(n >= 2 for n in lines)
        if result.problems and not skip_bad:
            assert result.added == 0
            assert db_fingerprint(db) == before  # all or nothing
        else:
            assert result.added == result.ready
            assert count(db) == complaints + result.added
        if result.added == 0:
            assert db_fingerprint(db) == before
        outcomes["imported"] += result.added > 0
        outcomes["refused"] += bool(result.problems)
        if not result.problems and not result.duplicates:
            # Every row was stored with its text intact (control characters dropped).
            with db.read() as s:
                stored = set(s.scalars(select(Complaint.description)))
            for r in read:
                assert clean_text(restore(r[2].strip())) in stored

    check()
    with capsys.disabled():  # type: ignore[attr-defined]
        print(f"\nimport fuzz: {len(ran)} examples ({outcomes['imported']} imported rows, "
              f"{outcomes['refused']} refused some)")
    assert len(ran) >= 40
    assert outcomes["imported"] and outcomes["refused"]  # both paths were exercised
