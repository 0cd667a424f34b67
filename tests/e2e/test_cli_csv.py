"""`python main.py import csv …` and `export csv …` as separate processes: exit status,
messages on stdout/stderr, and the database untouched when the input is refused."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from app.db import Database
from app.paths import resolve
from tests.cli_process import run_main
from tests.db_inspect import count as table_count
from tests.db_inspect import fingerprint
from tests.unit.csv_support import MAPPING, good_row, write_csv

ROOT = Path(__file__).resolve().parents[2]
T = TypeVar("T")


def _inspect(path: Path, look: Callable[[Database], T]) -> T:
    """Look into the database file the command wrote, from a connection of our own."""
    db = Database(resolve(str(path)))
    try:
        return look(db)
    finally:
        db.dispose()


def count(path: Path) -> int:
    return _inspect(path, table_count)


def db_fingerprint(path: Path) -> str:
    return _inspect(path, fingerprint)


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return run_main(args, timeout=60)


def _files(tmp_path: Path, rows: list[list[str]], encoding: str = "utf-8") -> tuple[str, str]:
    data = write_csv(tmp_path / "complaints.csv", rows, encoding=encoding)
    mapping = tmp_path / "map.json"
    mapping.write_text(json.dumps(MAPPING, ensure_ascii=False), encoding="utf-8")
    return str(data), str(mapping)


def test_import_then_reimport_then_export(tmp_path: Path) -> None:
    db = tmp_path / "desk.db"
    data, mapping = _files(tmp_path, [good_row(1), good_row(2, Issue="=SUM(A1:A9) 不对")])
    first = cli("--db", str(db), "--lang", "en", "import", "csv", data, "--mapping", mapping)
    assert (first.returncode, first.stderr) == (0, "")
    assert "New list values:\n  Category: Parking\n" in first.stdout  # one per line
    assert "Imported 2, already present 0, refused 0" in first.stdout
    again = cli("--db", str(db), "--lang", "en", "import", "csv", data, "--mapping", mapping)
    assert again.returncode == 0
    assert again.stdout.strip() == "Imported 0, already present 2, refused 0"
    assert count(db) == 2

    out = tmp_path / "export.csv"
    exported = cli("--db", str(db), "--lang", "en", "export", "csv", "--out", str(out),
                   "--from", "2025-01-01", "--to", "2025-01-31")
    assert (exported.returncode, exported.stdout.strip()) == (0, "Exported 2 complaints")
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and "'=SUM(A1:A9) 不对".encode() in raw


def test_bad_row_exit_2_line_numbered_and_nothing_written(tmp_path: Path) -> None:
    db = tmp_path / "desk.db"
    data, mapping = _files(tmp_path, [good_row(1), good_row(2, Phone="not a phone"),
                                      good_row(3, Date_received="2099-01-01")])
    assert cli("--db", str(db), "check").returncode == 0  # the database exists, empty
    before = db_fingerprint(db)

    refused = cli("--db", str(db), "--lang", "en", "import", "csv", data, "--mapping", mapping)
    assert refused.returncode == 2
    assert refused.stderr.splitlines() == [
        "line 3: Phone: is not a phone number (digits only)",
        "line 4: Received at: is in the future",
        "Nothing was imported: 2 rows were refused (listed above); fix them, or import the "
        "others with --skip-bad",
    ]
    assert "Imported 0, already present 0, refused 2" in refused.stdout
    assert db_fingerprint(db) == before

    dry = cli("--db", str(db), "--lang", "en", "import", "csv", data, "--mapping", mapping,
              "--dry-run", "--skip-bad")
    assert dry.returncode == 0
    assert ("Dry run, nothing written: 1 row can be imported, already present 0, refused 2"
            in dry.stdout)
    assert db_fingerprint(db) == before

    chinese = cli("--db", str(db), "--lang", "zh-Hans", "import", "csv", data,
                  "--mapping", mapping)
    assert chinese.returncode == 2
    assert chinese.stderr.splitlines()[0] == "第 3 行：电话：不是有效的电话号码（只能包含数字）"

    skipped = cli("--db", str(db), "--lang", "en", "import", "csv", data, "--mapping", mapping,
                  "--skip-bad")
    assert skipped.returncode == 0
    assert len(skipped.stderr.splitlines()) == 3  # the two rows, then how many were refused
    assert "Imported 1, already present 0, refused 2" in skipped.stdout
    assert count(db) == 1


def test_mapping_problems_are_one_line_exit_2(tmp_path: Path) -> None:
    db = tmp_path / "desk.db"
    data, _ = _files(tmp_path, [good_row(1)])
    cases = {
        "unknown.json": ({**MAPPING, "colour": "Product"},
                         'Error: The mapping has an unknown field "colour"'),
        "column.json": ({**MAPPING, "location": "Floor"},
                        'Error: The file has no column "Floor" (mapped to "location")'),
        "required.json": ({"received_at": "Date received"},
                          'Error: The mapping must name the column of "description"'),
    }
    for name, (mapping, message) in cases.items():
        path = tmp_path / name
        path.write_text(json.dumps(mapping), encoding="utf-8")
        result = cli("--db", str(db), "--lang", "en", "import", "csv", data,
                     "--mapping", str(path))
        assert result.returncode == 2
        lines = result.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith(message), result.stderr
    assert count(db) == 0


def test_gb18030_file_and_bad_export_range(tmp_path: Path) -> None:
    db = tmp_path / "desk.db"
    data, mapping = _files(tmp_path, [good_row(1, Issue="商场停车收费不合理")],
                           encoding="gb18030")
    result = cli("--db", str(db), "--lang", "zh-Hans", "import", "csv", data,
                 "--mapping", mapping)
    assert result.returncode == 0, result.stderr
    assert "按 GB18030 编码读取文件" in result.stdout
    assert "已导入 1 条" in result.stdout
    bad = cli("--db", str(db), "--lang", "en", "export", "csv", "--out",
              str(tmp_path / "x.csv"), "--from", "2025-13-01")
    assert bad.returncode == 2
    assert bad.stderr.strip() == 'Error: --from is not a date (use YYYY-MM-DD): "2025-13-01"'
    assert not (tmp_path / "x.csv").exists()


def test_skip_bad_says_how_many_were_refused(tmp_path: Path) -> None:
    db = tmp_path / "desk.db"
    data, mapping = _files(tmp_path, [good_row(1), good_row(2, Phone="not a phone"),
                                      good_row(3, Date_received="2099-01-01")])
    done = cli("--db", str(db), "--lang", "en", "import", "csv", data, "--mapping", mapping,
               "--skip-bad")
    assert done.returncode == 0 and count(db) == 1
    assert done.stderr.splitlines()[-1] == ("2 of 3 rows were refused and NOT imported "
                                            "(listed above)")


def test_import_xlsx_with_sheet(tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "Notes"
    sheet = book.create_sheet("Data")
    sheet.append(["受理日期", "时间", "投诉内容", "电话"])
    sheet.append(["2024年3月5日", "下午2:20", "空调不冷", 13812345678])
    sheet.append(["05/03/2024", "09:00", "ambiguous", None])
    path = tmp_path / "book.xlsx"
    book.save(path)
    mapping = tmp_path / "map.json"
    mapping.write_text(json.dumps({"received_at": {"column": "受理日期", "time_column": "时间"},
                                   "description": "投诉内容", "phone": "电话"},
                                  ensure_ascii=False), encoding="utf-8")
    db = tmp_path / "desk.db"
    missing = cli("--db", str(db), "--lang", "en", "import", "xlsx", str(path), "--mapping",
                  str(mapping))
    assert missing.returncode == 2 and 'The sheet "Notes" of book.xlsx is empty' in missing.stderr
    amb = cli("--db", str(db), "--lang", "en", "import", "xlsx", str(path), "--mapping",
              str(mapping), "--sheet", "Data")
    assert amb.returncode == 2 and "date_order" in amb.stderr
    mapping.write_text(json.dumps({"received_at": {"column": "受理日期", "time_column": "时间"},
                                   "description": "投诉内容", "phone": "电话",
                                   "date_order": "dmy"}, ensure_ascii=False), encoding="utf-8")
    ok = cli("--db", str(db), "--lang", "en", "import", "xlsx", str(path), "--mapping",
             str(mapping), "--sheet", "Data")
    assert ok.returncode == 0, ok.stderr
    assert "Imported 2, already present 0, refused 0" in ok.stdout
    stats = cli("--db", str(db), "stats", "--month", "2024-03", "--json")
    assert json.loads(stats.stdout)["received"] == 2
