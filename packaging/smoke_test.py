"""Smoke test of the frozen bundle, using only the bundle's programs:
the bundle's own `selftest` (every view opened, slips, a report and an Excel file made and read
back, font, catalogs, Qt plugins: it fails on any one of them), then demo data, a Chinese
complaint imported through the command line, its slip as PDF (checked for the reference and
the Chinese text), a check, and the window started offscreen and closed.

Usage: python packaging/smoke_test.py dist/complaint-desk
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path


def run(cmd: list[str], env: dict[str, str], timeout: int = 120) -> str:
    print("$", " ".join(cmd[1:]) if len(cmd) > 1 else cmd[0])
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        raise SystemExit(f"FAILED ({done.returncode}): {done.stdout}\n{done.stderr}")
    return done.stdout


def main(bundle: Path) -> int:
    suffix = ".exe" if sys.platform == "win32" else ""
    cli = str(bundle / f"complaint-desk-cli{suffix}")
    window = str(bundle / f"complaint-desk{suffix}")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("COMPLAINT_DESK_DB", None)
    # The bundle must not lean on the source tree or the development venv.
    env.pop("PYTHONPATH", None)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        env["HOME"] = str(work)  # the default data folder lands in the temp folder
        # The installed program is the tested program: its own selftest, as support staff run
        # it on a counter PC (exit 0 only when every check passed).
        print(run([cli, "--lang", "en", "selftest"], env, timeout=600).rstrip())
        db = str(work / "desk.db")
        run([cli, "--db", db, "--lang", "zh-Hans", "demo", "--count", "30", "--seed", "3"], env)
        # From now on the database has accounts: act as the demo administrator.
        env.update(COMPLAINT_DESK_USER="admin", COMPLAINT_DESK_PASSWORD="demo")
        rows = work / "one.csv"
        with rows.open("w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(["日期", "内容", "姓名", "电话", "类别", "编号"])
            writer.writerow(["2026-01-15 14:30", "洗发后头皮发红发痒，要求退款", "林美玲",
                             "13912345678", "product_quality", "SMOKE-1"])
        mapping = work / "map.json"
        mapping.write_text(json.dumps({
            "received_at": "日期", "description": "内容", "customer_name": "姓名",
            "phone": "电话", "category": "类别", "external_id": "编号"}), encoding="utf-8")
        run([cli, "--db", db, "--lang", "zh-Hans", "import", "csv", str(rows), "--mapping",
             str(mapping)], env)
        exported = work / "all.csv"
        run([cli, "--db", db, "export", "csv", "--out", str(exported), "--from", "2026-01-15",
             "--to", "2026-01-15"], env)
        with exported.open(encoding="utf-8-sig") as fh:
            refs = [r["reference"] for r in csv.DictReader(fh) if r["external_id"] == "SMOKE-1"]
        assert refs, "imported complaint not found in the export"
        slip = work / "slip.pdf"
        run([cli, "--db", db, "--lang", "zh-Hans", "slip", refs[0], "--out", str(slip),
             "--format", "receipt80"], env)
        data = slip.read_bytes()
        assert data.startswith(b"%PDF") and len(data) > 2000, "slip is not a PDF"
        try:
            from pypdf import PdfReader

            text = "".join(page.extract_text() for page in PdfReader(str(slip)).pages)
            assert refs[0] in text and "林美玲" in text and "139****5678" in text, text
            print("slip text ok:", refs[0])
        except ImportError:
            print("pypdf not available: slip text not checked")
        print(run([cli, "--db", db, "check"], env).strip())
        env["COMPLAINT_DESK_EXIT_AFTER_SHOW"] = "1"
        out = run([window, "--db", db, "--lang", "zh-Hans"], env, timeout=60)
        print("window started and closed", out.strip()[-80:])
    print("SMOKE TEST PASSED")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "dist/complaint-desk")))
