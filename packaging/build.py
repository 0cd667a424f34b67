"""Build the one-folder bundle with PyInstaller: `python packaging/build.py [--smoke]`.

Output: dist/complaint-desk/ (programs complaint-desk and complaint-desk-cli). Prints the build
time and the bundle size; `--smoke` then runs packaging/smoke_test.py on the bundle.

Reproducible: the build refuses a Python environment whose packages are not exactly those of
the lock (requirements/build.txt, exported from uv.lock by scripts/lock.sh; install it with
`pip install --require-hashes -r requirements/build.txt`). The installer's version is the
program's own (app.__version__): written to packaging/windows/version.iss for Inno Setup and
to the Windows programs' version resource.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "packaging" / "complaint_desk.spec"
DIST = ROOT / "dist"
BUNDLE = DIST / "complaint-desk"
LOCK = ROOT / "requirements" / "build.txt"
VERSION_ISS = ROOT / "packaging" / "windows" / "version.iss"


def program_version() -> str:
    """app.__version__, read from the source (no import of the program needed)."""
    import ast

    tree = ast.parse((ROOT / "app" / "__init__.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if (isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "__version__"
                                                 for t in node.targets)
                and isinstance(node.value, ast.Constant)):
            return str(node.value.value)
    raise SystemExit("app/__init__.py has no __version__")


def write_installer_version(version: str | None = None) -> Path:
    """packaging/windows/version.iss, which complaint-desk.iss includes for AppVersion."""
    version = version or program_version()
    VERSION_ISS.write_text(
        "; Written by packaging/build.py from app.__version__: do not edit.\n"
        f'#define AppVersion "{version}"\n', encoding="utf-8")
    return VERSION_ISS


def locked_versions(lock: Path = LOCK) -> dict[str, str]:
    """Package -> exact version the lock asks for on this platform and Python."""
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    wanted: dict[str, str] = {}
    text = lock.read_text(encoding="utf-8").replace("\\\n", " ")
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith(("#", "-")):
            continue
        req = Requirement(line.split(" --hash")[0].strip())
        if req.marker is not None and not req.marker.evaluate():
            continue
        pins = [s.version for s in req.specifier if s.operator == "=="]
        if pins:
            wanted[canonicalize_name(req.name)] = pins[0]
    return wanted


def drift_from_lock(lock: Path = LOCK) -> list[str]:
    """What this environment has other than the lock says (empty: it matches)."""
    from importlib.metadata import PackageNotFoundError, version

    problems = []
    for name, wanted in sorted(locked_versions(lock).items()):
        try:
            have = version(name)
        except PackageNotFoundError:
            problems.append(f"{name}: missing (lock: {wanted})")
            continue
        if have != wanted:
            problems.append(f"{name}: {have} installed, lock: {wanted}")
    return problems


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def windows_resources() -> None:
    """The .ico and version resource PyInstaller embeds in the Windows programs."""
    sys.path.insert(0, str(ROOT))
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    from app import __version__

    app = QGuiApplication.instance() or QGuiApplication([])
    image = QImage(256, 256, QImage.Format.Format_ARGB32)
    image.fill(0)
    painter = QPainter(image)
    QSvgRenderer(str(ROOT / "resources" / "icons" / "complaint-desk.svg")).render(painter)
    painter.end()
    image.save(str(ROOT / "packaging" / "windows" / "complaint-desk.ico"))
    del app
    parts = (__version__.split(".") + ["0", "0", "0"])[:4]
    numbers = ", ".join(str(int(p)) for p in parts)
    (ROOT / "packaging" / "windows" / "version_info.txt").write_text(
        (ROOT / "packaging" / "windows" / "version_info.template").read_text()
        .replace("@NUMBERS@", numbers).replace("@VERSION@", __version__),
        encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--smoke", action="store_true", help="run the smoke test afterwards")
    args = parser.parse_args()
    drift = drift_from_lock()
    if drift:
        print("This environment differs from the lock (requirements/build.txt):\n  "
              + "\n  ".join(drift) + "\nInstall it with: python -m pip install "
              "--require-hashes -r requirements/build.txt", file=sys.stderr)
        return 2
    write_installer_version()
    if sys.platform == "win32":
        windows_resources()
    shutil.rmtree(BUNDLE, ignore_errors=True)
    started = time.monotonic()
    subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
         "--distpath", str(DIST), "--workpath", str(ROOT / "build" / "pyinstaller"), str(SPEC)],
        check=True, cwd=ROOT,
    )
    seconds = time.monotonic() - started
    size_mb = folder_size(BUNDLE) / 1e6
    print(f"bundle: {BUNDLE}  version: {program_version()}  size: {size_mb:.0f} MB  "
          f"build time: {seconds:.0f} s")
    if args.smoke:
        return subprocess.run([sys.executable, str(ROOT / "packaging" / "smoke_test.py"),
                               str(BUNDLE)], check=False).returncode
    return 0


if __name__ == "__main__":
    sys.exit(main())
