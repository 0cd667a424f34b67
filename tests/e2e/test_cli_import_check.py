"""`import csv` then `check` as separate processes (issue 17): rows sealed from the values the
import wrote pass the administrator's `check`, and a row edited afterwards fails it."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
from pathlib import Path

from app.db import Database
from app.paths import resolve
from tests.cli_process import run_main
from tests.unit.csv_support import write_csv
from tests.unit.test_import_seals import HEADER, MAPPING, _rows


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, COMPLAINT_DESK_PASSWORD="demo1234")
    return run_main(["--lang", "en", "--user", "admin", *args], env, timeout=120)


def test_imported_desk_checks_all_ok_and_an_edit_is_found(db_path: Path, tmp_path: Path,
                                                          ) -> None:
    from app.services.users import create_user

    db = Database(resolve(str(db_path)))
    create_user(db, "admin", "管理员", "admin", "demo1234")
    db.dispose()
    data = write_csv(tmp_path / "complaints.csv", _rows(0, 300), header=HEADER)
    mapping = tmp_path / "map.json"
    mapping.write_text(json.dumps(MAPPING, ensure_ascii=False), encoding="utf-8")
    imported = _cli("--db", str(db_path), "import", "csv", str(data), "--mapping", str(mapping))
    assert imported.returncode == 0, imported.stdout + imported.stderr
    checked = _cli("--db", str(db_path), "check")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    lines = checked.stdout.splitlines()
    assert lines and all(line.startswith(("OK", "NOTE")) for line in lines), checked.stdout
    assert any("Audit trail" in line for line in lines), checked.stdout

    conn = sqlite3.connect(db_path)
    with conn:
        conn.execute("UPDATE complaints SET description = 'edited' WHERE external_id = 'K42'")
    conn.close()
    again = _cli("--db", str(db_path), "check")
    assert again.returncode == 1, again.stdout + again.stderr
    assert "was changed outside the program" in again.stdout, again.stdout
