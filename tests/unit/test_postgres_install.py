"""PostgreSQL support installs with the program (issue 18): the driver is a plain dependency,
pinned with its hashes in the runtime lock (Windows wheels too), and no screen tells a mall's
administrator to pip install anything."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_driver_is_a_dependency_of_the_program_and_in_the_runtime_lock() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert any(d.startswith("psycopg[binary]") for d in project["project"]["dependencies"])
    lock = (ROOT / "requirements" / "runtime.txt").read_text(encoding="utf-8")
    block = re.search(r"^psycopg-binary==[^\n]*\n((?:    [^\n]*\n)+)", lock, re.M)
    assert block is not None, "psycopg-binary is not in requirements/runtime.txt"
    assert block.group(1).count("--hash=sha256:") > 5  # wheels for each platform, checked


def test_no_screen_or_message_asks_for_pip_install() -> None:
    places = [*ROOT.glob("app/**/*.py"), *ROOT.glob("ui/**/*.py"),
              *ROOT.glob("resources/translations/*/*.po")]
    offenders = [str(p.relative_to(ROOT)) for p in places
                 if "pip install" in p.read_text(encoding="utf-8")]
    assert offenders == []
