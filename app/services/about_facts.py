"""What the About box shows: version, where the data lives and how big it is, and the licences
of the font and libraries the program ships."""

from __future__ import annotations

import contextlib
import platform
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from app import __version__
from app.db import Database

ROOT = Path(__file__).resolve().parents[2]
FONT_LICENCE_FILE = ROOT / "resources" / "fonts" / "wqy-microhei.LICENSE.txt"

# (name shown, distribution to ask for its version or None, licence): what the bundle ships.
COMPONENTS: tuple[tuple[str, str | None, str], ...] = (
    ("WenQuanYi Micro Hei 文泉驿微米黑", None, "Apache-2.0 or GPL-3.0+ with font exception"),
    ("Qt for Python (PySide6)", "PySide6-Essentials", "LGPL-3.0"),
    ("SQLAlchemy", "SQLAlchemy", "MIT"),
    ("Alembic", "alembic", "MIT"),
    ("ReportLab", "reportlab", "BSD-3-Clause"),
    ("Pillow", "pillow", "MIT-CMU (HPND)"),
    ("qrcode", "qrcode", "BSD-3-Clause"),
    ("openpyxl", "openpyxl", "MIT"),
    ("platformdirs", "platformdirs", "MIT"),
    ("polib", "polib", "MIT"),
    ("psycopg", "psycopg", "LGPL-3.0"),
    ("Python", None, "PSF-2.0"),
)


@dataclass(frozen=True)
class Component:
    name: str
    version: str
    licence: str


@dataclass(frozen=True)
class AboutFacts:
    version: str
    database: str  # file path, or server URL without its password
    database_bytes: int | None  # None for a server database
    data_folder: str
    log_file: str
    components: list[Component]


def database_bytes(db: Database) -> int | None:
    """The SQLite file with its write-ahead log (what a copy of the data would take); on a
    PostgreSQL server, the database's size there."""
    file = db.paths.db_file
    if file is None:
        if not db.is_postgresql:
            return None
        from sqlalchemy import text

        with db.read() as session:
            size = session.scalar(text("SELECT pg_database_size(current_database())"))
        return int(size) if size is not None else None
    total = 0
    for part in (file, file.with_name(file.name + "-wal")):
        with contextlib.suppress(OSError):  # no write-ahead log right now
            total += part.stat().st_size
    return total


def _version(dist: str | None, name: str) -> str:
    if name == "Python":
        return platform.python_version()
    if dist is None:
        return ""
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return ""


def about_facts(db: Database) -> AboutFacts:
    from app.logging_setup import log_file

    return AboutFacts(
        version=__version__, database=db.paths.describe(), database_bytes=database_bytes(db),
        data_folder=str(db.paths.data_dir), log_file=str(log_file(db.paths)),
        # A library missing from this installation (psycopg without a server) is not listed.
        components=[Component(n, _version(d, n), lic) for n, d, lic in COMPONENTS
                    if d is None or _version(d, n)],
    )


def font_licence_text() -> str:
    try:
        return FONT_LICENCE_FILE.read_text(encoding="utf-8")
    except OSError:
        return ""
