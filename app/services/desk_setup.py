"""First start of a new desk: business name, profile lists, language, the first supervisor.

Also what the main window shows about the desk (business name, demo or not) and the language
chosen at first start, read without the window opening a session itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.db import Database
from app.errors import ValidationError, ValidationErrors
from app.i18n import N_
from app.models import Setting
from app.profiles import apply_profile
from app.services.users import StaffMember, create_user, has_accounts
from app.settings import get as get_setting
from app.settings import put, validate
from app.sla import profile_hours_setting


@dataclass
class FirstStartInput:
    business_name: str
    profile: str  # mall | salon | hotel
    language: str  # zh-Hans | zh-Hant | en
    username: str
    display_name: str
    password: str
    password_again: str
    demo: bool = False
    # The SLA clock's hours, as the `opening_hours` setting holds them (None: around the
    # clock); PROFILE_DEFAULT takes the profile's (mall and salon in the day, hotel always).
    opening_hours: Any = "profile"


PROFILE_DEFAULT = "profile"


@dataclass(frozen=True)
class DeskInfo:
    business_name: str
    profile: str
    is_demo: bool
    currency_symbol: str = "¥"


def needs_first_start(db: Database) -> bool:
    """A database without any staff account has not been set up yet."""
    return not has_accounts(db)


def desk_info(db: Database) -> DeskInfo:
    with db.read() as session:
        return DeskInfo(str(get_setting(session, "business_name") or ""),
                        str(get_setting(session, "profile")),
                        bool(get_setting(session, "is_demo")),
                        str(get_setting(session, "currency_symbol")))


def stored_language(db: Database) -> str | None:
    """The language chosen for this desk, or None when nobody chose one yet."""
    with db.read() as session:
        row = session.get(Setting, "language")
        return str(get_setting(session, "language")) if row is not None else None


def first_start(db: Database, data: FirstStartInput) -> StaffMember:
    """Set the desk up: check everything first, then create the supervisor, then store the
    settings and the profile's lists in one transaction. Raises ValidationErrors."""
    errors: list[ValidationError] = []
    values: dict[str, Any] = {}
    for key, value in (("business_name", data.business_name), ("profile", data.profile),
                       ("language", data.language), ("is_demo", bool(data.demo))):
        try:
            values[key] = validate(key, value)
        except ValidationError as e:
            errors.append(e)
    hours = data.opening_hours
    if hours == PROFILE_DEFAULT:
        # A promise made outside opening hours would be broken: never default to 24 hours
        # for a business that closes at night.
        hours = profile_hours_setting(str(values.get("profile", "mall")))
    try:
        values["opening_hours"] = validate("opening_hours", hours)
    except ValidationError as e:
        errors.append(e)
    if "business_name" in values and not values["business_name"]:
        errors.append(ValidationError("business_name", N_("is required")))
    if not (data.username or "").strip():
        errors.append(ValidationError("username", N_("is required")))
    if (data.password or "") != (data.password_again or ""):
        errors.append(ValidationError("password_again", N_("does not match the password")))
    if errors:
        raise ValidationErrors(errors)
    # The account rules (length of the password, a free user name) live in create_user.
    try:
        member = create_user(db, data.username, data.display_name, "supervisor", data.password)
    except ValidationError as e:
        raise ValidationErrors([e]) from None
    with db.write() as session:
        apply_profile(session, str(values["profile"]))
        for key, value in values.items():
            put(session, key, value)
    return member
