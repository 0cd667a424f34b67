"""Checks for input values, each raising ValidationError that names the field."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from app import clock
from app.errors import ValidationError
from app.i18n import N_

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# Control characters other than tab/newline make text unprintable on slips and in CSV.
_CONTROL = {c for c in range(32) if c not in (9, 10, 13)} | {127}
_DROP_CONTROL: dict[int, None] = dict.fromkeys(_CONTROL)


def clean_text(value: str | None) -> str:
    """Strip, normalise to NFC, and drop control characters (keeps tabs and newlines)."""
    if value is None:
        return ""
    text = str(value)
    if not text.isascii():  # ASCII has no surrogates and is NFC already (100,000-row imports)
        # A lone surrogate (a broken paste, a mis-decoded file) cannot be stored as UTF-8:
        # pair what pairs, replace the rest with U+FFFD instead of failing the save.
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
        if not unicodedata.is_normalized("NFC", text):
            text = unicodedata.normalize("NFC", text)
    return text.translate(_DROP_CONTROL).strip()  # translate: fast on 100,000-row imports


def text(field: str, value: str | None, max_len: int, required: bool = False) -> str | None:
    cleaned = clean_text(value)
    if not cleaned:
        if required:
            raise ValidationError(field, N_("is required"))
        return None
    if len(cleaned) > max_len:
        raise ValidationError(
            field, N_("is too long ({length} characters; at most {limit})"),
            length=len(cleaned), limit=max_len,
        )
    return cleaned


def code(field: str, value: str | None, allowed: tuple[str, ...], required: bool = False) -> str | None:
    cleaned = clean_text(value)
    if not cleaned:
        if required:
            raise ValidationError(field, N_("is required"))
        return None
    if cleaned not in allowed:
        raise ValidationError(
            field, N_("has an unknown value \"{value}\" (one of: {allowed})"),
            value=cleaned[:40], allowed=", ".join(allowed),
        )
    return cleaned


def email(value: str | None, max_len: int) -> str | None:
    cleaned = text("email", value, max_len)
    if cleaned is not None and not _EMAIL.match(cleaned):
        raise ValidationError("email", N_("is not an email address"))
    return cleaned


_DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%Y/%m/%d")
_DATETIME_FORMATS = (
    "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M",
    "%m/%d/%Y %H:%M:%S", "%m/%d/%Y %H:%M", "%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %I:%M %p",
    "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M",
)


def parse_datetime(field: str, value: str | datetime | date | None, required: bool = False,
                   allow_future: bool = False) -> datetime | None:
    """ISO or MM/DD/YYYY (with or without a time); never in the future unless allowed."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise ValidationError(field, N_("is required"))
        return None
    if isinstance(value, datetime):
        result = value.replace(microsecond=0, tzinfo=None)
    elif isinstance(value, date):
        result = datetime(value.year, value.month, value.day)
    else:
        raw = value.strip()
        parsed = None
        for fmt in _DATETIME_FORMATS:
            try:
                parsed = datetime.strptime(raw, fmt)
                break
            except ValueError:
                pass
        if parsed is None:
            for fmt in _DATE_FORMATS:
                try:
                    parsed = datetime.strptime(raw, fmt)
                    break
                except ValueError:
                    pass
        if parsed is None:
            try:
                parsed = datetime.fromisoformat(raw).replace(tzinfo=None)
            except ValueError:
                raise ValidationError(
                    field, N_("is not a date (use YYYY-MM-DD or MM/DD/YYYY): \"{value}\""),
                    value=raw[:40],
                ) from None
        result = parsed.replace(microsecond=0)
    if result.year < 1990:
        raise ValidationError(field, N_("is too far in the past"))
    if not allow_future and result > clock.now():
        raise ValidationError(field, N_("is in the future"))
    return result


def check_occurred(occurred: datetime | None, received: datetime) -> None:
    """The incident happened before the complaint about it was received (or at that time)."""
    if occurred is not None and occurred > received:
        raise ValidationError("occurred_at", N_("is after the received time"))


def occurred_at(value: str | datetime | date | None, received: datetime) -> datetime | None:
    """When the incident happened (mall procedure 时间), checked against the received time;
    empty stays empty (unknown)."""
    occurred = parse_datetime("occurred_at", value)
    check_occurred(occurred, received)
    return occurred


def parse_month(value: str) -> tuple[int, int]:
    m = re.fullmatch(r"(\d{4})-(\d{1,2})", value.strip())
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise ValidationError("month", N_("is not a month (use YYYY-MM): \"{value}\""), value=value[:20])
    return int(m.group(1)), int(m.group(2))


def amount_cents(value: str | int | float | Decimal | None) -> int:
    """A money amount (yuan/dollars with up to 2 decimals) in cents; never negative."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return 0
    try:
        amount = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        raise ValidationError("amount", N_("is not a number")) from None
    if not amount.is_finite():
        raise ValidationError("amount", N_("is not a number"))
    if amount < 0:
        raise ValidationError("amount", N_("cannot be negative"))
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationError("amount", N_("has more than 2 decimals"))
    if amount > Decimal("100000000"):
        raise ValidationError("amount", N_("is too large"))
    return int(amount * 100)


def satisfaction(value: str | int | None, required: bool = True) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise ValidationError("satisfaction", N_("is required"))
        return None
    try:
        n = int(str(value).strip())
    except ValueError:
        raise ValidationError("satisfaction", N_("must be a whole number from 1 to 5")) from None
    if not 1 <= n <= 5:
        raise ValidationError("satisfaction", N_("must be a whole number from 1 to 5"))
    return n
