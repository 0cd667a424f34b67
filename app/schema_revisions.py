"""The program's schema revisions (Alembic scripts in app/migrations): which is the newest and
whether a revision found in a file is one this program knows. Read by migrate, restore and the
backup checks; it imports neither of them."""

from __future__ import annotations

from pathlib import Path

from alembic.config import Config
from alembic.script import ScriptDirectory

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(folder: Path = MIGRATIONS) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(folder))
    return cfg


def head_revision(folder: Path = MIGRATIONS) -> str:
    head = ScriptDirectory.from_config(alembic_config(folder)).get_current_head()
    assert head is not None
    return head


def known_revision(revision: str) -> bool:
    """Is `revision` one of this program's (else: a newer program wrote it)?"""
    try:
        return ScriptDirectory.from_config(alembic_config()).get_revision(revision) is not None
    except Exception:  # noqa: BLE001 - alembic raises for ids it does not know
        return False
