"""Schema 0008/0009 on a desk set up before them: the desk's profile's questions are added and
sealed at the upgrade (check finds nothing), a desk not yet set up gets none (its profile
brings them at first start), and the upgrade is all or nothing like every other."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import text

from app.audit_check import check_chain
from app.db import Database
from app.migrate import _config, head_revision, upgrade
from app.paths import resolve
from app.survey_defaults import QUESTIONS

pytestmark = pytest.mark.sqlite_only


def _desk_at(path: Path, revision: str) -> Database:
    db = Database(resolve(str(path)))
    cfg = _config()
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
    return db


# A desk of the last release (0006, occurred_at) and one a release older (0005, the ledger):
# both go up through the escalations (0007), the questionnaire (0008), typical cases (0009).
@pytest.mark.parametrize("revision", ["0005", "0006"])
def test_a_desk_set_up_before_gets_its_profiles_questions_sealed(tmp_path: Path,
                                                                revision: str) -> None:
    db = _desk_at(tmp_path / "old.db", revision)
    with db.engine.begin() as conn:
        conn.execute(text("INSERT INTO settings (key, value) VALUES ('profile', '\"salon\"')"))
        conn.execute(text("INSERT INTO list_values (kind, code, label_zh_hans, label_zh_hant, "
                          "label_en, position, active) VALUES ('category', 'booking', '预约', "
                          "'預約', 'Booking', 1, 1)"))
    upgrade(db)
    with db.engine.connect() as conn:
        codes = conn.execute(text("SELECT code FROM survey_questions ORDER BY position")).scalars()
        assert list(codes) == [q[0] for q in QUESTIONS["salon"]]
        sealed = conn.execute(text("SELECT count(*) FROM audit_seals "
                                   "WHERE table_name = 'survey_questions'")).scalar()
    assert sealed == len(QUESTIONS["salon"])
    # The hand-made rows above were never sealed; the questions were, at the upgrade.
    assert not [p for p in check_chain(db) if "question" in p]
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() \
            == head_revision() == "0009"
        tables = set(conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'table'"))
                     .scalars())
        assert {"escalations", "survey_questions", "revisit_answers", "typical_cases"} <= tables
        # 0007's clock rules start at the upgrade, not at complaints months old.
        assert conn.execute(text("SELECT count(*) FROM settings "
                                 "WHERE key = 'escalation_clock_since'")).scalar() == 1
    db.dispose()


def test_a_desk_not_set_up_gets_no_questions_until_its_first_start(tmp_path: Path) -> None:
    db = _desk_at(tmp_path / "new.db", "0005")
    upgrade(db)
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM survey_questions")).scalar() == 0
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() \
            == head_revision()
    db.dispose()
