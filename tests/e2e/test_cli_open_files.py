"""A command's output file open in another program (issue 23): on Windows, last month's export
open in Excel or a report open in a PDF viewer cannot be replaced. The command says which file
to close, exits 2 and leaves the file as it was; once it is closed, the same command works.
Here this test process holds the file, standing for Excel: Windows (or its simulation, which
counts every process of the run) refuses the command's rename."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.cli_process import clean_env, run_main

pytestmark = pytest.mark.skipif(
    os.name != "nt" and os.environ.get("DESK_WINDOWS_SIM") != "1",
    reason="on POSIX an open file can be replaced: Windows or its simulation only")


@pytest.mark.parametrize(("lang", "word"), [("zh-Hans", "关闭"), ("zh-Hant", "關閉"),
                                            ("en", "close it")])
def test_an_export_open_in_excel_is_named_and_left_whole(
        lang: str, word: str, db_arg: str, tmp_path: Path) -> None:
    out = tmp_path / "十一月 投诉.csv"
    out.write_bytes(b"last month, open in Excel")
    env = clean_env(COMPLAINT_DESK_USER="supervisor", COMPLAINT_DESK_PASSWORD="demo1234")
    args = ["--db", db_arg, "--lang", lang, "export", "csv", "--out", str(out)]
    with out.open("rb"):  # Excel has it open
        done = run_main(args, env, timeout=60)
    assert done.returncode == 2, done.stdout + done.stderr
    message = done.stderr.strip().splitlines()
    assert len(message) == 1 and word in message[0] and str(tmp_path) in message[0]
    assert out.read_bytes() == b"last month, open in Excel"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]
    again = run_main(args, env, timeout=60)  # closed in Excel: the same command works
    assert again.returncode == 0, again.stderr
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, header first
