"""The command line with its output redirected on a Windows PC (issue 23): the ANSI code page
(cp936, cp950, cp1252), not Unicode. A character the code page lacks must not turn finished
work into "exit 2, nothing changed"."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from app.db import Database
from app.i18n import _, set_language
from app.services.common import Actor
from app.services.intake import IntakeInput, log_complaint
from tests.cli_process import clean_env, run_main

RUNS = [("zh-Hans", "cp936"), ("zh-Hant", "cp950"), ("en", "cp1252"),  # each PC's own
        ("zh-Hans", "cp950"), ("zh-Hans", "cp1252"), ("zh-Hant", "cp936")]  # and mixed ones


@pytest.mark.parametrize(("lang", "code_page"), RUNS)
def test_the_slip_is_written_and_said_whatever_the_code_page(
        lang: str, code_page: str, db: Database, db_arg: str, clerk: Actor, fixed_clock: Any,
        tmp_path: Path) -> None:
    ref = log_complaint(db, IntakeInput(description="试衣间的镜子碎了", customer_name="陈"),
                        clerk).reference
    out = tmp_path / "投诉单 備份" / "单.pdf"  # a Simplified and a Traditional name
    env = clean_env(COMPLAINT_DESK_USER="clerk1", COMPLAINT_DESK_PASSWORD="demo1234")
    done = run_main(["--db", db_arg, "--lang", lang, "slip", ref, "--out", str(out)], env,
                    encoding=code_page, timeout=60)  # decoded strictly in that code page
    assert done.returncode == 0, done.stderr
    assert out.read_bytes().startswith(b"%PDF")
    set_language(lang)
    said = _("Slip written: {path}", path=str(out))
    assert done.stdout == said.encode(code_page, "backslashreplace").decode(code_page) + "\n"
    if code_page == {"zh-Hans": "cp936", "zh-Hant": "cp950"}.get(lang, "cp1252"):
        # On a PC in its own language only the path may need escapes, never the message.
        assert "\\u" not in done.stdout.replace(str(out).encode(code_page, "backslashreplace")
                                                .decode(code_page), "")
