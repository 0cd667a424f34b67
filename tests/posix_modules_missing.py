"""pytest plugin (`-p tests.posix_modules_missing`): run as if on Windows, where Python has no
`pty`, `fcntl`, `termios` or `tty`. The project's own modules (app, ui, tests, main.py) cannot
import them, nor can `pytest.importorskip` on their behalf; libraries keep them (on Windows
they take their own Windows paths, which cannot run here). tests/unit/test_portability.py
collects the suite with it.
"""

from __future__ import annotations

import builtins
import importlib
import sys
from pathlib import Path
from types import FrameType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
MISSING = frozenset({"pty", "fcntl", "termios", "tty"})
OURS = ("app", "ui", "tests", "main.py")
_real_import = builtins.__import__
_real_import_module = importlib.import_module


def _ours(namespace: dict[str, Any] | None) -> bool:
    file = (namespace or {}).get("__file__") or ""
    try:
        relative = Path(file).resolve().relative_to(ROOT)
    except ValueError:
        return False
    return relative.parts[0] in OURS and relative.parts[:1] != (".venv",)


def _refused(name: str, namespace: dict[str, Any] | None, caller: FrameType) -> bool:
    """Our module imports it, or pytest.importorskip does on our module's behalf."""
    if name.split(".")[0] not in MISSING:
        return False
    return _ours(namespace) or (caller.f_back is not None and _ours(caller.f_back.f_globals))


def _missing(name: str) -> ModuleNotFoundError:
    return ModuleNotFoundError(f"No module named {name!r} (as on Windows)", name=name)


def _import(name: str, globals: dict[str, Any] | None = None, locals: Any = None,
            fromlist: Any = (), level: int = 0) -> Any:
    if level == 0 and _refused(name, globals, sys._getframe(1)):
        raise _missing(name)
    return _real_import(name, globals, locals, fromlist, level)


def _import_module(name: str, package: str | None = None) -> Any:
    caller = sys._getframe(1)
    if _refused(name, caller.f_globals, caller):
        raise _missing(name)
    return _real_import_module(name, package)


builtins.__import__ = _import
importlib.import_module = _import_module
