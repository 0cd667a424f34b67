"""Dev only, until the first release: rebuild migration 0001 from app/models.py.

Run after changing a model: `.venv/bin/python scripts/regen_initial_migration.py`.
"""

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from alembic import command  # noqa: E402

from app.db import Database  # noqa: E402
from app.migrate import _config  # noqa: E402
from app.paths import resolve  # noqa: E402

target = ROOT / "app" / "migrations" / "versions" / "0001_initial_schema.py"
target.unlink(missing_ok=True)
# Later hand-written migrations (e.g. 0002, SQLite search index) build on 0001: set them aside
# while 0001 is regenerated, else Alembic refuses a history whose base is missing.
later = sorted(p for p in target.parent.glob("0*.py") if p.name != target.name)
with tempfile.TemporaryDirectory() as tmp:
    for p in later:
        p.rename(Path(tmp) / p.name)
    try:
        db = Database(resolve(str(Path(tmp) / "gen.db")))
        cfg = _config()
        with db.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.revision(cfg, message="initial schema", autogenerate=True, rev_id="0001")
        db.dispose()
    finally:
        for p in later:
            (Path(tmp) / p.name).rename(p)
print("rebuilt", target)
