"""Where the program keeps its files: one object, overridable by --db / COMPLAINT_DESK_DB."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_data_dir

APP_NAME = "ComplaintDesk"
ENV_DB = "COMPLAINT_DESK_DB"


@dataclass(frozen=True)
class Paths:
    data_dir: Path  # attachments, drafts, backups and logs live under it
    db_url: str
    db_file: Path | None  # the SQLite file, None for a server database

    @property
    def attachments(self) -> Path:
        return self.data_dir / "attachments"

    @property
    def backups(self) -> Path:
        return self.data_dir / "backups"

    @property
    def drafts(self) -> Path:
        return self.data_dir / "drafts"

    @property
    def logs(self) -> Path:
        return self.data_dir / "logs"

    def describe(self) -> str:
        """The database for people: a file path, or a URL without its password."""
        if self.db_file is not None:
            return str(self.db_file)
        from sqlalchemy.engine import make_url

        return make_url(self.db_url).render_as_string(hide_password=True)


def is_url(value: str) -> bool:
    return "://" in value


def resolve(db: str | None = None) -> Paths:
    """Paths for `--db` (a file or a SQLAlchemy URL), else $COMPLAINT_DESK_DB, else the default.

    With an explicit SQLite file, its files live beside it in `<name>-files/`, so that a
    test's or a USB stick's database carries its attachments with it.
    """
    value = db or os.environ.get(ENV_DB)
    if value and is_url(value):
        if value.startswith("sqlite:///"):
            file = Path(value.removeprefix("sqlite:///")).expanduser().resolve()
            return Paths(file.parent / f"{file.stem}-files", f"sqlite:///{file}", file)
        default = Path(user_data_dir(APP_NAME, appauthor=False))
        return Paths(default, value, None)
    if value:
        file = Path(value).expanduser().resolve()
        return Paths(file.parent / f"{file.stem}-files", f"sqlite:///{file}", file)
    data = Path(user_data_dir(APP_NAME, appauthor=False))
    file = data / "complaints.db"
    return Paths(data, f"sqlite:///{file}", file)
