"""The fast road for `2024/3/5 14:20` (issue 17's speed) reads every value exactly as the
general road does: the same time, or the same refusal with the same message, whatever the
column's date order; values it does not take are left to the general road."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.errors import ValidationError
from app.services import import_dates
from app.services.import_dates import DateColumn

pytestmark = pytest.mark.usefixtures("fixed_clock")  # now = 2026-03-10 10:00

ORDERS = (None, "dmy", "mdy", "ymd")


def _column(order: str | None, fast: bool) -> DateColumn:
    column = DateColumn("received_at", "Date", order)
    column.settle()
    if not fast:
        column._fast = lambda raw: None  # type: ignore[method-assign]
    return column


def _outcome(column: DateColumn, value: Any, time_value: Any = None) -> Any:
    try:
        return column.read(value, time_value)
    except ValidationError as e:
        return ("refused", e.field, e.message())


def _same(value: Any, time_value: Any = None) -> None:
    for order in ORDERS:
        # One column read many values: what it remembered of one must not change the next.
        fast, slow = _column(order, True), _column(order, False)
        for _ in range(2):
            assert _outcome(fast, value, time_value) == _outcome(slow, value, time_value), (
                order, value, time_value)


# Hand-picked: the fast form, its near misses, and forms that look like it but are not.
EDGES = [
    "2024/3/5 14:20", "2024/3/5 14:20:59", "2024-3-5 9:05:00", "2024.3.5 14:20", "2024/3/5",
    "2024/03/05 00:00", "2024/3/5 23:59:59", "2024/3/5 24:00", "2024/3/5 14:60",
    "2024/3/5 14:20:60", "2024/2/29 10:00", "2023/2/29 10:00", "2024/13/5 10:00",
    "2024/0/5 10:00", "2024/3/0 10:00", "2024/3/32 10:00", "0000/1/1 10:00", "1989/12/31 23:59",
    "1990/1/1 0:00", "2026/3/10 10:00", "2026/3/10 10:00:01", "2027/1/1 10:00", "2024/3/5 7",
    "2024/3/5 7:5", "2024/3/5 014:20", "2024/3/5  14:20", "2024/3/5\t14:20", "2024/3/5 14:20 ",
    " 2024/3/5 14:20", "2024/3/5 14:20:00.5", "2024/3/5 14:20 PM", "2024/3/5 2:20 PM",
    "2024/3/5 0:20 AM", "2024/3/5 下午2:20", "2024/3/5 14：20", "2024/3/5 14时20分",
    "2024/3/5 14:20Z", "2024/3/5 14:20+08:00", "2024/3/5T14:20", "2024/3/5, 14:20",
    "2024/3-5 14:20", "2024-3/5 14:20", "2024-03-05 14:20", "2024-03-5 14:20",
    "2024-3-05T14:20", "12024/3/5 10:00", "2024/3/500 10:00", "2024/3/5 14:20 foo",
    "２０２４/3/5 14:20", "2024/3/5 ２:20", "2024/٣/5 14:20", "24/3/5 14:20", "5/3/2024 14:20",
    "2024/3/5 14:20:00:00", "2024/3/5 14::20", "2024/3/5 -1:20", "2024/3/5 1:2:3",
    "2024..3.5", "2024/3//5", "2024/3/5/ 14:20", "",
]


@pytest.mark.parametrize("value", EDGES)
def test_edges_read_alike(value: str) -> None:
    _same(value)


def test_a_time_column_and_non_text_cells_read_alike() -> None:
    for value, time_value in [("2024/3/5", "14:20"), ("2024/3/5 14:20", "14:20"),
                              ("2024/3/5", "下午2:20"), ("2024/3/5 0:00", "9:00"),
                              ("2024/3/5 14:20", None), ("2024/3/5 14:20", " "),
                              (45356.5, None), (datetime(2024, 3, 5, 14, 20), None)]:
        _same(value, time_value)


def test_parts_seen_many_times_are_read_once(monkeypatch: pytest.MonkeyPatch) -> None:
    column = _column(None, True)
    calls: list[str] = []
    real = import_dates._FAST_DATE

    class Spy:
        def fullmatch(self, text: str) -> Any:
            calls.append(text)
            return real.fullmatch(text)

    monkeypatch.setattr(import_dates, "_FAST_DATE", Spy())
    got = [column.read(f"2024/3/5 {h}:{m:02d}") for h in range(24) for m in (0, 30)]
    assert got[-1] == datetime(2024, 3, 5, 23, 30) and len(got) == 48
    assert calls == ["2024/3/5"]


# Strings near the fast form: its characters and those of the forms it must not take.
near = st.text(st.sampled_from(list("0123456789/-. :：TZ+PMAa年月日时分下午\t２")), max_size=22)
shaped = st.builds(
    lambda y, sep, m, d, gap, h, mi, s, tail: f"{y}{sep}{m}{sep}{d}{gap}{h}:{mi}{s}{tail}",
    st.sampled_from(["2024", "1999", "1989", "2026", "2027", "0000", "9999", "２０２４"]),
    st.sampled_from(["/", "-", ".", "／"]), st.integers(0, 14).map(str) | st.just("03"),
    st.integers(0, 33).map(str) | st.just("05"), st.sampled_from([" ", "  ", "T", "\t", ""]),
    st.integers(0, 25).map(str) | st.just("09"), st.integers(0, 61).map(lambda n: f"{n:02d}"),
    st.sampled_from(["", ":00", ":59", ":60", ":5", ".5"]),
    st.sampled_from(["", " ", " PM", "Z", "+08:00", "x"]))


@settings(max_examples=600, deadline=None, derandomize=True)
@given(value=st.one_of(near, shaped))
def test_any_value_reads_alike(value: str) -> None:
    _same(value)


@settings(max_examples=400, deadline=None, derandomize=True)
@given(value=st.one_of(near, shaped, st.sampled_from(EDGES)))
def test_a_year_first_value_says_nothing_of_the_order(value: str) -> None:
    """observe() passes over a value that starts with four digits and a separator without
    running the patterns: none of them could take it as evidence of the order."""
    if not (value[4:5] in ("/", "-", ".") and value[:4].isascii() and value[:4].isdigit()):
        return
    m = import_dates._NUMERIC.match(value)
    assert m is None or len(m.group("a")) == 4
    assert import_dates._NAMED_DAY_FIRST.match(value) is None
