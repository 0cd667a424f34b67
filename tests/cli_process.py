"""Run the program's command line in a child process, as the CLI tests do.

Output goes to pipes, i.e. redirected: on Windows that is encoded in the ANSI code page, not
Unicode. In the Windows simulation (tests/windows_sim) each command therefore runs under the
code page of a Windows PC in its language (cp936 Simplified, cp950 Traditional, cp1252 English)
and its output is decoded strictly in that code page, as a log file on that PC would be read.
Elsewhere the output is UTF-8.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAIN = ROOT / "main.py"
CODE_PAGES = {"zh-Hans": "cp936", "zh-Hant": "cp950", "en": "cp1252"}
WINDOWS_SIM = "DESK_WINDOWS_SIM"


def windows_simulated() -> bool:
    return os.environ.get(WINDOWS_SIM) == "1"


def language_of(args: Sequence[str], env: Mapping[str, str]) -> str:
    """The language the command will speak: --lang, else COMPLAINT_DESK_LANG, else a Chinese
    Windows' (the counters' usual PC). Given twice (before the command and after it, as
    `print slip` takes it for the slip), the last one counts, as in app/cli's parser."""
    chosen = None
    for i, arg in enumerate(args):
        if arg == "--lang" and i + 1 < len(args):
            chosen = args[i + 1]
        elif arg.startswith("--lang="):
            chosen = arg.split("=", 1)[1]
    return chosen or env.get("COMPLAINT_DESK_LANG", "zh-Hans")


def output_encoding(args: Sequence[str], env: Mapping[str, str]) -> str:
    if windows_simulated():
        return CODE_PAGES.get(language_of(args, env), "cp936")
    return "utf-8"


def python_env(**extra: str) -> dict[str, str]:
    """This environment for a Python child that imports the project: the repository on
    PYTHONPATH, ahead of what is there (the Windows simulation's folder stays on it)."""
    inherited = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    return dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), *inherited]), **extra)


def simulation_env() -> dict[str, str]:
    """What a child started with a minimal environment needs to stay in the simulation."""
    return {k: os.environ[k] for k in ("PYTHONPATH", WINDOWS_SIM, WINDOWS_SIM + "_PIDS")
            if k in os.environ}


KEPT = {"COMPLAINT_DESK_SETTINGS_DIR"}  # each test's own settings folder (tests/conftest.py)


def clean_env(**extra: str) -> dict[str, str]:
    """This process's environment without the program's own variables (a test sets those)."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("COMPLAINT_DESK") or k in KEPT}
    env.update(extra)
    return env


def run_main(args: Sequence[str], env: Mapping[str, str] | None = None,
             encoding: str | None = None, timeout: float = 120,
             stdin: int | None = subprocess.DEVNULL, input: str | None = None,
             ) -> subprocess.CompletedProcess[str]:
    """`python main.py ARGS` with output redirected in `encoding` (default: see above)."""
    env = dict(clean_env() if env is None else env)
    encoding = encoding or output_encoding(args, env)
    env["PYTHONIOENCODING"] = encoding
    return subprocess.run([sys.executable, str(MAIN), *args], capture_output=True, text=True,
                          encoding=encoding, errors="strict", cwd=ROOT, env=env,
                          stdin=None if input is not None else stdin, input=input,
                          timeout=timeout)
