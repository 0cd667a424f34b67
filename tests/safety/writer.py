"""A separate process for the safety tests: saves complaints in a loop through the real intake
service and prints each reference once its save is acknowledged (committed), flushing at once.

    python tests/safety/writer.py DB_FILE COUNT TAG [ATTACH_EVERY]

COUNT 0 means "until killed". It prints "ready" once the database is open. Every ATTACH_EVERY-th
complaint carries a small attachment file (0: none).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from app.db import Database  # noqa: E402
from app.paths import resolve  # noqa: E402
from app.services.intake import IntakeInput, log_complaint  # noqa: E402


def main() -> int:
    db_file, count, tag = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    attach_every = int(sys.argv[4]) if len(sys.argv) > 4 else 0
    db = Database(resolve(db_file))
    scratch = Path(tempfile.mkdtemp(prefix="writer-"))
    print("ready", flush=True)
    i = 0
    while count == 0 or i < count:
        files = []
        if attach_every and i % attach_every == 0:
            f = scratch / f"receipt-{tag}-{i}.txt"
            f.write_bytes(f"{tag} {i} ".encode() * 500)
            files.append(f)
        result = log_complaint(db, IntakeInput(
            description=f"{tag} 第{i}号：试衣间的灯坏了，顾客被划伤。" * 3,
            customer_name=f"{tag}-{i}", phone=f"139{i % 100000000:08d}",
            attachments=files))
        print(result.reference, flush=True)
        i += 1
    db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
