"""This PC's printers: which prints slips (and in which format), which prints reports, and
whether slips go to the printer without the print dialog.

Printers belong to a PC, not to the database: several counters share one PostgreSQL database
and each has its own slip printer. So the choices live in `printers.json` in this PC's data
folder (the folder of `--db FILE`, else the user's data folder); the desk-wide `slip_format`
setting stays the format of a PC that has not chosen one.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

from app.atomic_files import write_bytes
from app.errors import ValidationError
from app.i18n import N_
from app.paths import Paths

FILE_NAME = "printers.json"
FORMATS = ("a5", "receipt80")


@dataclass(frozen=True)
class DeskPrinters:
    slip_printer: str = ""  # "" = the system's default printer
    slip_format: str = ""  # "" = the desk's setting `slip_format`
    report_printer: str = ""
    # Slips go straight to the slip printer; the print dialog stays on Ctrl+Shift+P.
    print_without_dialog: bool = False


def load(paths: Paths) -> DeskPrinters:
    """The choices made on this PC; defaults for a PC that made none (or an unreadable file)."""
    try:
        raw = json.loads((paths.data_dir / FILE_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return DeskPrinters()
    if not isinstance(raw, dict):
        return DeskPrinters()
    known = {f.name: f.type for f in fields(DeskPrinters)}
    kept: dict[str, Any] = {}
    for key, value in raw.items():
        if key == "print_without_dialog" and isinstance(value, bool) or key in known and key != "print_without_dialog" and isinstance(value, str):
            kept[key] = value
    if kept.get("slip_format") not in (None, "", *FORMATS):
        kept.pop("slip_format")
    return DeskPrinters(**kept)


def save(paths: Paths, choices: DeskPrinters) -> DeskPrinters:
    if choices.slip_format not in ("", *FORMATS):
        raise ValidationError("slip_format", N_("is not one of the formats"))
    clean = replace(choices, slip_printer=choices.slip_printer.strip(),
                    report_printer=choices.report_printer.strip())
    paths.data_dir.mkdir(parents=True, exist_ok=True)
    write_bytes(paths.data_dir / FILE_NAME, json.dumps(asdict(clean), ensure_ascii=False,
                                                       indent=1).encode("utf-8"))
    return clean


def file_of(paths: Paths) -> Path:
    return paths.data_dir / FILE_NAME
