"""A process that holds a database the way the window does, for the lost-WAL tests.

    python tests/safety/holder.py DB_FILE [--window] [--straddle]

It opens the database through the program (app/db.py), saves one complaint, then does what a
file dialog sniffing the folder does: opens and closes the database file and its -wal/-shm
with plain `open()`, which on POSIX releases every SQLite lock of the process. It prints
"sniffed WAL_INODE" and waits for a line on stdin (meanwhile the test runs another process on
the database). Then it saves SAVES more complaints, printing "ack REFERENCE" for each save the
program acknowledged and "told MESSAGE" for each it refused to acknowledge, and ends with
os._exit (no tidy close), printing "wal WAL_INODE" just before.

--window: hold the desk lock as the window does (app/live_file.py).
--straddle: the first of those saves waits, after "in-save", for another line on stdin: it has
passed the program's check of the WAL but not yet begun its transaction (the other process
runs in that instant).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from sqlalchemy import event  # noqa: E402

from app import live_file  # noqa: E402
from app.db import Database  # noqa: E402
from app.errors import DeskError  # noqa: E402
from app.i18n import set_language  # noqa: E402
from app.paths import resolve  # noqa: E402
from app.services.intake import IntakeInput, log_complaint  # noqa: E402

SAVES = 3


def _inode(path: str) -> str:
    try:
        return str(os.stat(path).st_ino)
    except FileNotFoundError:
        return "missing"


def _save(db: Database, i: int) -> None:
    try:
        ref = log_complaint(db, IntakeInput(description=f"保存 {i}：试衣间的灯坏了",
                                            customer_name=f"客户{i}",
                                            phone=f"1390000{i:04d}")).reference
    except DeskError as e:
        print("told", e.message().replace("\n", " "), flush=True)
        return
    print("ack", ref, flush=True)


def main() -> int:
    set_language("en")  # the test reads the messages
    db_file = sys.argv[1]
    paths = resolve(db_file)
    db = Database(paths)
    if "--window" in sys.argv:
        assert live_file.hold_desk_lock(paths.data_dir)
    _save(db, 0)
    for name in (db_file, f"{db_file}-wal", f"{db_file}-shm"):
        open(name, "rb").close()  # what a sniffing file dialog does
    print("sniffed", _inode(f"{db_file}-wal"), flush=True)
    sys.stdin.readline()
    if "--straddle" in sys.argv:
        armed = [True]

        @event.listens_for(db._write, "after_transaction_create")
        def wait_inside(_session: object, _transaction: object) -> None:
            if armed[0]:
                armed[0] = False
                print("in-save", flush=True)
                sys.stdin.readline()

    for i in range(1, SAVES + 1):
        _save(db, i)
    print("wal", _inode(f"{db_file}-wal"), flush=True)
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main())
