"""Dates and times of import files (DESIGN.md §5), read without guessing.

Forms read, mixed freely in one column: ISO 8601 (an offset is converted to the desk's local
time), `2024/3/5 14:20`, `2024-3-5 9:05:00`, `2024.3.5`, `2024年3月5日 下午2:20`, English month
names (`Mar 5, 2024 7:56:48 PM`, `5 March 2024`), AM/PM, Excel date cells and serial numbers,
`20240305`; a time may come from a column of its own.

Numbers in day/month order (`05/03/2024`) are read only when the order is known: from the
mapping's `date_order`, else from the column's own values — one whose first number is above
12 makes the column day-first, one whose second number is above 12 month-first, for every row.
A column that leaves it open (or says both) refuses the whole file with the question
(DateOrderUnclear); so do two-digit years without `date_order`.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Any

from app import clock
from app.errors import DeskError, ValidationError
from app.i18n import N_

DATE_ORDERS = ("dmy", "mdy", "ymd")
_YEAR_SEPARATORS = ("/", "-", ".")
EARLIEST_YEAR = 1990
_EXCEL_EPOCH = datetime(1899, 12, 30)  # serial 1 = 1900-01-01 (with Lotus' 1900-02-29 bug)
_MONTHS = {name: i + 1 for i, names in enumerate((
    ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
    ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
    ("oct", "october"), ("nov", "november"), ("dec", "december"))) for name in names}

_TIME = (r"(?P<ap1>上午|下午|AM|PM|am|pm)?\s*(?P<h>\d{1,2})"
         r"(?:[:：](?P<mi>\d{2})(?:[:：](?P<s>\d{2})(?:[.,]\d+)?)?"
         r"|[时時点點](?:(?P<mi2>\d{1,2})分(?:(?P<s2>\d{1,2})秒)?)?)"
         r"\s*(?P<ap2>[AaPp]\.?[Mm]\.?)?\s*(?P<tz>Z|[+-]\d{2}(?::?\d{2})?)?")
_TAIL = rf"(?:(?:\s+|T|\s*,\s*){_TIME})?\s*$"
_NUMERIC = re.compile(r"^\s*(?P<a>\d{1,4})(?P<sep>[/\-.])(?P<b>\d{1,2})(?P=sep)(?P<c>\d{1,4})"
                      + _TAIL)
_CJK = re.compile(r"^\s*(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日号號]?"
                  + _TAIL)
_NAMED_MONTH_FIRST = re.compile(
    r"^\s*(?:[A-Za-z]{3,9}\.?,?\s+)??(?P<mon>[A-Za-z]{3,9})\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?"
    r",?\s+(?P<y>\d{4})" + _TAIL)
_NAMED_DAY_FIRST = re.compile(
    r"^\s*(?:[A-Za-z]{3,9}\.?,?\s+)?(?P<d>\d{1,2})(?:st|nd|rd|th)?[\s\-]+(?P<mon>[A-Za-z]{3,9})"
    r"\.?,?[\s\-]+(?P<y>\d{2,4})" + _TAIL)
# The commonest written form, `2024/3/5 14:20` (Excel's Chinese date cells as text, and
# `2024-3-5 9:05:00`, `2024.3.5`): year first, ASCII digits, one space, a 24-hour time without
# fraction, marker or offset. Every value of this form reads as _NUMERIC reads it; the
# date and the time parts repeat from row to row (many complaints a day), so each distinct
# part is read once (DateColumn._fast). Anything else takes the general road.
_FAST_DATE = re.compile(r"([0-9]{4})([/.\-])([0-9]{1,2})\2([0-9]{1,2})")
_FAST_TIME = re.compile(r"([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?")
_FAST_PARTS = 4096  # distinct date or time parts remembered per column (a year has 366 days)
Part = tuple[int, int, int]  # (year, month, day) or (hour, minute, second)
_UNSEEN: Part = (-1, -1, -1)  # a part not read yet (None: read, not of the fast form)
_SERIAL = re.compile(r"^\s*(?P<n>\d{5})(?P<f>\.\d+)?\s*$")
_COMPACT = re.compile(r"^\s*(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})\s*$")
_TIME_ONLY = re.compile(r"^\s*" + _TIME + r"\s*$")


class DateOrderUnclear(DeskError):
    """A column's numeric dates can be read two ways: the file is refused, asking date_order."""


def _bad(field_name: str, raw: str) -> ValidationError:
    return ValidationError(field_name, N_("is not a date: \"{value}\""), value=raw[:40])


def _clock(m: re.Match[str], field_name: str, raw: str) -> tuple[int, int, int, str | None]:
    """(hour, minute, second, offset text) of the time part of a match (0:00 if none)."""
    hour_text = m.group("h")
    if hour_text is None:
        return 0, 0, 0, None
    hour = int(hour_text)
    minute = int(m.group("mi") or m.group("mi2") or 0)
    second = int(m.group("s") or m.group("s2") or 0)
    marker = (m.group("ap1") or m.group("ap2") or "").replace(".", "").upper()
    if marker:
        if not 1 <= hour <= 12:
            raise ValidationError(field_name, N_("has an AM/PM time with hour {hour}: "
                                                 "\"{value}\""), hour=hour, value=raw[:40])
        pm = marker in ("PM", "下午")
        hour = hour % 12 + (12 if pm else 0)
    return hour, minute, second, m.group("tz")


def _local(value: datetime) -> datetime:
    """An aware time as the desk's local wall-clock time (naive, like every stored time)."""
    if value.tzinfo is None:
        return value
    return value.astimezone().replace(tzinfo=None)


def _offset(tz: str | None) -> timezone | None:
    if not tz:
        return None
    if tz == "Z":
        return UTC
    digits = tz[1:].replace(":", "")
    minutes = int(digits[:2]) * 60 + int(digits[2:4] or 0)
    return timezone((-1 if tz[0] == "-" else 1) * timedelta(minutes=minutes))


def _make(field_name: str, raw: str, y: int, mo: int, d: int, m: re.Match[str] | None,
          ) -> datetime:
    hour, minute, second, tz = _clock(m, field_name, raw) if m is not None else (0, 0, 0, None)
    try:
        value = datetime(y, mo, d, hour, minute, second, tzinfo=_offset(tz))
    except ValueError:
        raise _bad(field_name, raw) from None
    return _local(value)


@dataclass
class _Evidence:
    line: int
    value: str


@dataclass
class DateColumn:
    """How one date column of a file is read; `observe` every value, `settle`, then `read`."""

    field: str
    column: str
    order: str | None = None  # from the mapping; else settled by the values
    day_first: _Evidence | None = None
    month_first: _Evidence | None = None
    open_example: _Evidence | None = None  # a value both orders read
    short_year: _Evidence | None = None
    settled: str | None = dataclasses.field(default=None, init=False)
    # Parts of the fast form read so far: text -> (year, month, day) / (hour, minute, second),
    # or None when the part is not of the fast form or not a real date or time.
    _days: dict[str, Part | None] = dataclasses.field(
        default_factory=dict, init=False, repr=False)
    _times: dict[str, Part | None] = dataclasses.field(
        default_factory=dict, init=False, repr=False)
    # A time the clock has already passed; a value up to it is not in the future.
    _past: datetime = dataclasses.field(default=datetime.min, init=False, repr=False)

    def observe(self, line: int, value: Any) -> None:
        if self.order is not None or not isinstance(value, str) or not value[:1].isdigit():
            return
        if value[4:5] in _YEAR_SEPARATORS and value[:4].isascii() and value[:4].isdigit():
            # Year first: _NUMERIC reads it as year-month-day whatever the order, and no
            # other pattern here reads a value that starts with three digits.
            return
        m = _NUMERIC.match(value)
        if m is None:
            m2 = _NAMED_DAY_FIRST.match(value)
            if m2 is not None and len(m2.group("y")) == 2 and self.short_year is None:
                self.short_year = _Evidence(line, value)
            return
        a, b, c = m.group("a"), m.group("b"), m.group("c")
        if len(a) == 4:
            return  # year first: always year-month-day
        if len(c) != 4:
            if self.short_year is None:
                self.short_year = _Evidence(line, value)
            return
        if int(a) > 12:
            self.day_first = self.day_first or _Evidence(line, value)
        elif int(b) > 12:
            self.month_first = self.month_first or _Evidence(line, value)
        elif a != b and self.open_example is None:
            self.open_example = _Evidence(line, value)

    def settle(self) -> None:
        """Decide the column's order or raise DateOrderUnclear asking for `date_order`."""
        if self.order is not None:
            self.settled = self.order
            return
        if self.short_year is not None:
            raise DateOrderUnclear(
                N_("\"{column}\" has dates with a two-digit year (line {line}: \"{value}\"): "
                   "say the order of day, month and year with \"date_order\" (\"dmy\", "
                   "\"mdy\" or \"ymd\")"), column=self.column, line=self.short_year.line,
                value=self.short_year.value[:40])
        if self.day_first is not None and self.month_first is not None:
            raise DateOrderUnclear(
                N_("\"{column}\" has day-first dates (line {line1}: \"{value1}\") and "
                   "month-first dates (line {line2}: \"{value2}\"): say which the file uses "
                   "with \"date_order\" (\"dmy\" or \"mdy\")"), column=self.column,
                line1=self.day_first.line, value1=self.day_first.value[:40],
                line2=self.month_first.line, value2=self.month_first.value[:40])
        if self.day_first is not None:
            self.settled = "dmy"
        elif self.month_first is not None:
            self.settled = "mdy"
        elif self.open_example is not None:
            raise DateOrderUnclear(
                N_("\"{column}\" has dates that read both day-first and month-first (line "
                   "{line}: \"{value}\") and none that settles it: say which with "
                   "\"date_order\" (\"dmy\" or \"mdy\")"), column=self.column,
                line=self.open_example.line, value=self.open_example.value[:40])

    def read(self, value: Any, time_value: Any = None, required: bool = False,
             ) -> datetime | None:
        """The value as a local datetime (None when empty and not required)."""
        result = self._read(value)
        if result is None:
            if required:
                raise ValidationError(self.field, N_("is required"))
            if _present(time_value):
                raise ValidationError(self.field, N_("has a time but no date"))
            return None
        if time_value is not None and _present(time_value):
            if result.time() != time(0):
                raise ValidationError(self.field, N_("has a time in both the date and the "
                                                     "time column"))
            result = datetime.combine(result.date(), read_time(self.field, time_value))
        if result.year < EARLIEST_YEAR:
            raise ValidationError(self.field, N_("is too far in the past"))
        if result > self._past:  # else the clock is past it already: no need to ask again
            now = clock.now()
            if result > now:
                raise ValidationError(self.field, N_("is in the future"))
            self._past = now
        return result

    def _read(self, value: Any) -> datetime | None:
        if type(value) is str:  # text, as every CSV cell is: the checks below, in short
            raw = value.strip()
            return self._text(raw) if raw else None
        if value is None:
            return None
        if isinstance(value, datetime):
            return _local(value).replace(microsecond=0)
        if isinstance(value, date):
            return datetime(value.year, value.month, value.day)
        if isinstance(value, bool):
            raise _bad(self.field, str(value))
        if isinstance(value, int | float):
            return _serial(self.field, float(value), str(value))
        if isinstance(value, time):
            raise ValidationError(self.field, N_("is a time without a date"))
        raw = str(value).strip()
        if not raw:
            return None
        return self._text(raw)

    def _text(self, raw: str) -> datetime:
        f = self.field
        if len(raw) >= 10 and raw[4] == "-" and raw[7] == "-":
            try:  # ISO 8601, the commonest form of exports; fromisoformat reads offsets too
                return _local(datetime.fromisoformat(raw)).replace(microsecond=0)
            except ValueError:
                pass
        fast = self._fast(raw)
        if fast is not None:
            return fast
        m = _NUMERIC.match(raw)
        if m is not None:
            a, b, c = m.group("a"), m.group("b"), m.group("c")
            if len(a) == 4:  # year first is year-month-day, whatever date_order says
                if len(c) > 2:
                    raise _bad(f, raw)
                return _make(f, raw, int(a), int(b), int(c), m)
            order = self.settled or ("dmy" if a == b else None)  # 5/5: both read alike
            if order is None or len(a) > 2 or len(c) not in (2, 4):
                raise _bad(f, raw)  # settle() refused files whose order is open
            if order == "ymd":
                if len(c) != 2:
                    raise ValidationError(f, N_("does not follow date_order {order}: "
                                                "\"{value}\""), order=order, value=raw[:40])
                return _make(f, raw, _year(a), int(b), int(c), m)
            day, month = (a, b) if order == "dmy" else (b, a)
            return _make(f, raw, _year(c), int(month), int(day), m)
        m = _CJK.match(raw)
        if m is not None:
            return _make(f, raw, int(m.group("y")), int(m.group("m")), int(m.group("d")), m)
        for pattern in (_NAMED_MONTH_FIRST, _NAMED_DAY_FIRST):
            m = pattern.match(raw)
            if m is not None:
                month = _MONTHS.get(m.group("mon").lower())
                if month is None:
                    continue
                y_text = m.group("y")
                if len(y_text) == 2 and self.settled is None:
                    raise _bad(f, raw)
                return _make(f, raw, _year(y_text), month, int(m.group("d")), m)
        m = _COMPACT.match(raw)
        if m is not None:
            return _make(f, raw, int(m.group("y")), int(m.group("m")), int(m.group("d")), None)
        m = _SERIAL.match(raw)
        if m is not None:
            return _serial(f, float(raw), raw)
        raise _bad(f, raw)


    def _fast(self, raw: str) -> datetime | None:
        """`raw` read as _NUMERIC would read it when it is of the fast form (_FAST_DATE, then
        optionally one space and _FAST_TIME) and a real date and time; else None, and the
        general road reads it (with its own message for a value that is wrong)."""
        day_text, space, time_text = raw.partition(" ")
        day = _remembered(self._days, day_text, _fast_day)
        if day is None:
            return None
        if not space:
            return datetime(*day)
        clock_time = _remembered(self._times, time_text, _fast_time)
        if clock_time is None:
            return None
        return datetime(*day, *clock_time)


def _remembered(parts: dict[str, Part | None], text: str,
                read: Callable[[str], Part | None]) -> Part | None:
    """read(text), each distinct text read once (up to _FAST_PARTS of them)."""
    found = parts.get(text, _UNSEEN)
    if found is _UNSEEN:
        found = read(text)
        if len(parts) < _FAST_PARTS:
            parts[text] = found
    return found


def _fast_day(text: str) -> Part | None:
    """(year, month, day) of a date part of the fast form that is a real date, else None."""
    m = _FAST_DATE.fullmatch(text)
    if m is None:
        return None
    y, mo, d = int(m[1]), int(m[3]), int(m[4])
    try:
        date(y, mo, d)
    except ValueError:
        return None
    return y, mo, d


def _fast_time(text: str) -> Part | None:
    """(hour, minute, second) of a time part of the fast form that is a real time, else
    None."""
    m = _FAST_TIME.fullmatch(text)
    if m is None:
        return None
    h, mi, sec = int(m[1]), int(m[2]), int(m[3] or 0)
    return (h, mi, sec) if h < 24 and mi < 60 and sec < 60 else None


def _year(text: str) -> int:
    """A year; two digits mean 2000–2068 or 1969–1999, as spreadsheets read them."""
    value = int(text)
    if len(text) == 2:
        return value + (2000 if value < 69 else 1900)
    return value


def _serial(field_name: str, number: float, raw: str) -> datetime:
    """An Excel serial date (days since 1899-12-30, the fraction the time of day)."""
    if not 10_000 <= number < 100_000:
        raise _bad(field_name, raw)
    value = _EXCEL_EPOCH + timedelta(days=number)
    return (value + timedelta(microseconds=500_000)).replace(microsecond=0)  # float noise


def _present(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def read_time(field_name: str, value: Any) -> time:
    """A time of day from a separate column: `14:20`, `2:20 PM`, `下午2:20`, an Excel time
    cell or fraction of a day."""
    if isinstance(value, datetime):
        return value.time().replace(microsecond=0)
    if isinstance(value, time):
        return value.replace(microsecond=0, tzinfo=None)
    if isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value < 1:
        seconds = round(float(value) * 86400)
        return time(seconds // 3600 % 24, seconds // 60 % 60, seconds % 60)
    raw = str(value).strip()
    m = _TIME_ONLY.match(raw)
    if m is None or m.group("tz"):
        raise ValidationError(field_name, N_("has a time that cannot be read: \"{value}\""),
                              value=raw[:40])
    hour, minute, second, _tz = _clock(m, field_name, raw)
    try:
        return time(hour, minute, second)
    except ValueError:
        raise ValidationError(field_name, N_("has a time that cannot be read: \"{value}\""),
                              value=raw[:40]) from None
