"""Three counters hammer one PostgreSQL database for a minute; then nothing may be lost or
duplicated (issue 11's "done when"). Not part of the test suite:

    .venv/bin/python tests/pg/hammer.py [--seconds 60] [--counters 3] [--url URL] [--keep]

URL is a server (default: $COMPLAINT_DESK_TEST_DB, else the one scripts/pg_test_server.sh
starts); a fresh database is made on it, set up like a new desk (mall lists, a supervisor and
clerks), and dropped afterwards unless --keep. Each counter (tests/pg/counter.py, mix `desk`)
logs complaints (some from returning customers), takes complaints from the top of the queue
and does their next step (assess, investigate, propose, agree, carry out, revisit — closing or
reopening), logs contacts, edits fields and polls the change marker and the revisits due,
always sending the version the clerk saw. tests/pg/crowd.py then checks the database against
every acknowledgement and the audit chain. Exit status 0 when everything holds.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select  # noqa: E402

from app.db import Database  # noqa: E402
from app.migrate import upgrade  # noqa: E402
from app.models import AuditEvent, Complaint, ComplaintEvent, Contact, Customer  # noqa: E402
from app.paths import Paths  # noqa: E402
from app.profiles import apply_profile  # noqa: E402
from app.services.users import create_user  # noqa: E402
from tests.pg.crowd import run_counters, snapshot, verify  # noqa: E402
from tests.pg.server import Admin, server_url_from_env  # noqa: E402


def server_url(given: str | None) -> str:
    if given:
        return given
    found = server_url_from_env()
    if found:
        return found
    done = subprocess.run(["bash", str(ROOT / "scripts" / "pg_test_server.sh")],
                          capture_output=True, text=True, check=True)
    return done.stdout.strip().splitlines()[-1]


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--seconds", type=float, default=60)
    p.add_argument("--counters", type=int, default=3)
    p.add_argument("--url")
    p.add_argument("--keep", action="store_true")
    p.add_argument("--seed", type=int, default=11)
    args = p.parse_args()

    admin = Admin(server_url(args.url))
    name = admin.unique_name("hammer")
    url = admin.create(name)
    db = Database(Paths(Path("/tmp") / name, url, None))
    try:
        upgrade(db)
        with db.write() as session:
            apply_profile(session, "mall")
        create_user(db, "supervisor", "王主管", "supervisor", "demo1234")
        for i in range(1, args.counters + 1):
            create_user(db, f"clerk{i}", f"柜台{i}", "clerk", "demo1234")
        before = snapshot(db)
        tags = [f"C{i}" for i in range(1, args.counters + 1)]
        print(f"{len(tags)} counters on {db.paths.describe()} for {args.seconds:.0f} s …",
              flush=True)
        started = time.perf_counter()
        records = run_counters(url, tags, "desk", "--seconds", str(args.seconds),
                               "--seed", str(args.seed), timeout=args.seconds + 120)
        elapsed = time.perf_counter() - started
        # Raises AssertionError naming what went wrong; a step may be several UPDATEs.
        out = verify(db, before, records, one_step=False)
        with db.read() as s:
            stages = Counter(dict(s.execute(
                select(Complaint.stage, func.count()).group_by(Complaint.stage)).all()))
            totals = {t.__tablename__: s.scalar(select(func.count()).select_from(t))
                      for t in (Complaint, Customer, Contact, ComplaintEvent, AuditEvent)}
            reopened = s.scalar(select(func.count()).select_from(Complaint)
                                .where(Complaint.reopen_count > 0))
        per_counter = {tag: sum(1 for r in lines if not r.get("done"))
                       for tag, lines in records.items()}
        print(f"ran {elapsed:.1f} s; {out.line()}")
        print(f"per counter: {per_counter}; {out.ops / elapsed:.1f} operations/s")
        print(f"rows now: {totals}; stages: {dict(sorted(stages.items()))}; "
              f"reopened: {reopened}")
        print("verified: references unique and gapless; per complaint the acknowledged "
              "versions distinct and the newest kept (no lost update); contacts, notes, edits, "
              "stages and locations as acknowledged; every conflict reported; audit chain "
              "intact")
        return 0
    finally:
        db.dispose()
        if not args.keep:
            admin.drop(name)
        else:
            print(f"kept: {url}")
        admin.close()


if __name__ == "__main__":
    sys.exit(main())
