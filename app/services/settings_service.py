"""Reading and changing settings for the windows (which never open a session themselves).

Who may change a setting is declared with it (`SettingSpec.role`). One exception, for the
questions the program asks the first time something is done (print the slip or open it?):
whoever is asked first answers for the desk; changing the answer later needs the role.
"""

from __future__ import annotations

import json
from typing import Any

from app import audit
from app.db import Database
from app.models import Setting
from app.permissions import require_role
from app.services.common import Actor
from app.settings import SPEC_BY_KEY, SettingSpec, get, get_all, put, validate

# Settings the program asks about at first use instead of leaving them at their default.
ASKED_AT_FIRST_USE = ("slip_action",)


def read_settings(db: Database) -> dict[str, Any]:
    """Every declared setting: its stored value, else its default."""
    with db.read() as session:
        return get_all(session)


def stored_setting(db: Database, key: str) -> Any | None:
    """The value someone chose, or None while the default applies (nobody chose yet)."""
    validate_key(key)
    with db.read() as session:
        row = session.get(Setting, key)
        return json.loads(row.value) if row is not None else None


def set_setting(db: Database, key: str, value: Any, actor: Actor) -> Any:
    """Validate and store one setting; returns the stored value.

    ValidationError naming the setting for a bad value, PermissionDenied without the role.
    """
    spec = validate_key(key)
    value = validate(key, value)
    _require_role(actor, spec.role, key)
    with db.write() as session:
        before = get(session, key)
        stored = put(session, key, value)
        # The trail names the setting and both values (settings hold no personal data).
        audit.record(session, actor, "setting_changed", f"setting:{key}", before=before,
                     after=stored)
        return stored


def remember_choice(db: Database, key: str, value: Any, actor: Actor) -> Any:
    """Store the answer to a first-use question (any signed-in role may give the first one)."""
    if key not in ASKED_AT_FIRST_USE:
        return set_setting(db, key, value, actor)
    validate_key(key)
    value = validate(key, value)
    with db.write() as session:
        if session.get(Setting, key) is not None:
            _require_role(actor, SPEC_BY_KEY[key].role, key)
        return put(session, key, value)


def validate_key(key: str) -> SettingSpec:
    """The setting's declaration; ValidationError if there is no such setting."""
    if key not in SPEC_BY_KEY:
        validate(key, None)  # raises ValidationError(key, "is not a setting")
    return SPEC_BY_KEY[key]


def _require_role(actor: Actor, role: str, key: str) -> None:
    require_role(actor, role, f"setting:{key}")  # roles are ordered in app/permissions.py
