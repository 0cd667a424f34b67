"""Build the one-folder bundle with PyInstaller: `python packaging/build.py [--smoke]`.

Output: dist/complaint-desk/ (programs complaint-desk and complaint-desk-cli). Prints the build
time and the bundle size; `--smoke` then runs packaging/smoke_test.py on the bundle.
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
    print(f"bundle: {BUNDLE}  size: {size_mb:.0f} MB  build time: {seconds:.0f} s")
    if args.smoke:
        return subprocess.run([sys.executable, str(ROOT / "packaging" / "smoke_test.py"),
                               str(BUNDLE)], check=False).returncode
    return 0


if __name__ == "__main__":
    sys.exit(main())
