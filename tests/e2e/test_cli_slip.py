"""`python main.py slip REF --out FILE.pdf --format a5|receipt80` as a separate process."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path
from typing import Any

from pypdf import PdfReader

from app.db import Database
from app.phones import mask_phone
from app.services.common import Actor
from app.services.intake import IntakeInput, log_complaint
from tests.cli_process import clean_env, run_main

ROOT = Path(__file__).resolve().parents[2]


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    # The database has staff accounts: act as a clerk (DESIGN.md §5, app/cli_user.py).
    env = clean_env(COMPLAINT_DESK_USER="clerk1", COMPLAINT_DESK_PASSWORD="demo1234")
    return run_main(args, env, timeout=60)


def test_slip_command_writes_the_pdf(db: Database, db_arg: str, clerk: Actor,
                                     fixed_clock: Any, tmp_path: Path) -> None:
    ref = log_complaint(db, IntakeInput(description="试衣间的镜子碎了", customer_name="陈大文",
                                        phone="+852 9123 4567", category="facilities"),
                        clerk).reference
    out = tmp_path / "slips" / "slip.pdf"
    result = cli("--db", db_arg, "--lang", "zh-Hant", "slip", ref, "--out", str(out),
                 "--format", "receipt80")
    assert result.returncode == 0, result.stderr
    assert str(out) in result.stdout
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(out.read_bytes())).pages)
    assert ref in text and mask_phone("91234567") in text and "設施設備" in text
    assert "91234567" not in text


def test_slip_takes_lang_after_the_command(db: Database, db_arg: str, clerk: Actor,
                                          fixed_clock: Any, tmp_path: Path) -> None:
    """DESIGN.md §5: `slip REF --lang L` as the other commands; given before and after, the
    one after the command counts (the slip's language, as `print slip` takes it)."""
    ref = log_complaint(db, IntakeInput(description="试衣间的镜子碎了", customer_name="陈大文",
                                        category="facilities"), clerk).reference
    out = tmp_path / "slip.pdf"
    result = cli("--db", db_arg, "--lang", "en", "slip", ref, "--out", str(out),
                 "--lang", "zh-Hant")
    assert result.returncode == 0, result.stderr
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(out.read_bytes())).pages)
    assert "設施設備" in text and "Facilities" not in text
    english = tmp_path / "slip-en.pdf"
    result = cli("--db", db_arg, "slip", ref, "--lang", "en", "--out", str(english))
    assert result.returncode == 0, result.stderr
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(english.read_bytes())).pages)
    assert "Facilities" in text and "设施" not in text


def test_unknown_reference_is_one_line_and_exit_2(db_arg: str, tmp_path: Path) -> None:
    out = tmp_path / "x.pdf"
    result = cli("--db", db_arg, "--lang", "en", "slip", "TS-20990101-0001",
                 "--out", str(out))
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "Error: No complaint with reference TS-20990101-0001"]
    assert not out.exists()


def test_unknown_format_is_refused_by_the_parser(db_arg: str, tmp_path: Path) -> None:
    result = cli("--db", db_arg, "slip", "TS-20260310-0001", "--out",
                 str(tmp_path / "x.pdf"), "--format", "a4")
    assert result.returncode == 2
    assert "--format" in result.stderr
