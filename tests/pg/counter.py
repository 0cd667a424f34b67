"""One service counter as a separate process, for the concurrency tests and tests/pg/hammer.py.

    python tests/pg/counter.py DB TAG MIX (--ops N | --seconds S) [--seed N] [--shared R,R]
                               [--race R,R]

DB is what `--db` takes (a SQLite file or a PostgreSQL URL). The process opens the database,
prints {"ready": true}, waits for a line on stdin (so that every counter starts at once), then
works through the real services and prints one JSON line per operation, flushed the moment
the service returned:
  {"op": "log", "ref": R, "version": V}                 acknowledged (committed)
  {"op": OP, "ref": R, "conflict": "message"}           refused: changed elsewhere meanwhile
  {"op": OP, "ref": R, "refused": "message"}            refused by a stage guard
and at the end {"done": true, "ops": N}. Any other error ends the process with a traceback.

Mixes:
- `basic` (tests): log complaints; on the `--shared` complaints add contacts and notes (no
  version asked) and change the location with the version just read (optimistic locking);
  once per `--race` complaint, try to move it to investigating with the version just read.
- `desk` (the hammer): what a counter does all day: log complaints (some from returning
  customers), open the queue, take a complaint and do its next step (assess, investigate,
  propose, agree, carry out, revisit), log contacts, edit fields, poll the change marker and
  the revisits due. Every step sends the version the clerk saw.
A few milliseconds of "reading the screen" between reading a complaint and saving it give the
other counters a chance to change it first: that is what optimistic locking is for.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from app.db import Database  # noqa: E402
from app.errors import Conflict, MoveRefused  # noqa: E402
from app.paths import resolve  # noqa: E402
from app.services import moves, resolution, revisits  # noqa: E402
from app.services.changes import change_marker  # noqa: E402
from app.services.common import Actor  # noqa: E402
from app.services.complaints import get_detail, update_fields  # noqa: E402
from app.services.intake import IntakeInput, log_complaint  # noqa: E402
from app.services.queue import QueueFilter, queue_cards  # noqa: E402
from app.services.users import list_staff  # noqa: E402

OPEN = ("new", "assessed", "investigating", "proposed", "in_progress", "follow_up")


def emit(**record: Any) -> None:
    print(json.dumps(record, ensure_ascii=False), flush=True)


class Counter:
    def __init__(self, db: Database, tag: str, rng: random.Random, actor: Actor) -> None:
        self.db, self.tag, self.rng, self.actor = db, tag, rng, actor
        self.n = 0

    def think(self) -> None:
        time.sleep(self.rng.uniform(0, 0.004))

    def attempt(self, op: str, ref: str, fn: Any, **extra: Any) -> None:
        """Run one change; print what became of it."""
        try:
            saved = fn()
        except Conflict as e:
            emit(op=op, ref=ref, conflict=e.message())
        except MoveRefused as e:
            emit(op=op, ref=ref, refused=e.message())
        else:
            emit(op=op, ref=saved.reference, version=saved.version, stage=saved.stage, **extra)

    # --- operations ------------------------------------------------------------------------

    def log(self, phone: str | None = None) -> None:
        self.n += 1
        result = log_complaint(self.db, IntakeInput(
            description=f"{self.tag} 第{self.n}号：试衣间的灯坏了，顾客要求道歉。",
            customer_name=f"顾客{self.tag}{self.n}",
            phone=phone or f"139{self.rng.randrange(10**8):08d}",
            category="product_quality"), self.actor)
        emit(op="log", ref=result.reference, version=1, stage=result.stage)

    def contact(self, ref: str) -> None:
        self.n += 1
        self.attempt("contact", ref, lambda: resolution.add_contact(
            self.db, ref, method="phone", summary=f"{self.tag}-{self.n} 已电话联系",
            actor=self.actor))

    def note(self, ref: str) -> None:
        self.n += 1
        self.attempt("note", ref, lambda: resolution.add_note(
            self.db, ref, f"{self.tag}-{self.n} 备注", actor=self.actor))

    def edit(self, ref: str) -> None:
        version = get_detail(self.db, ref).version
        self.think()
        self.n += 1
        location = f"{self.tag}-{self.n}"
        self.attempt("edit", ref, lambda: update_fields(
            self.db, ref, {"location": location}, actor=self.actor, expected_version=version),
            location=location)

    def race(self, ref: str) -> None:
        detail = get_detail(self.db, ref)
        if detail.stage != "assessed":
            emit(op="move", ref=ref, skipped=detail.stage)
            return
        self.think()
        self.attempt("move", ref, lambda: moves.move(
            self.db, ref, "investigating", self.actor, expected_version=detail.version))

    def next_step(self, ref: str) -> None:
        """The complaint's next step in the procedure, as the clerk saw it on screen."""
        d = get_detail(self.db, ref)
        v, a, db = d.version, self.actor, self.db
        self.think()
        self.n += 1
        step: tuple[str, Any]
        if d.stage == "new":
            step = ("assess", lambda: resolution.assess(
                db, ref, category="product_quality", severity=self.rng.choice(
                    ["minor", "normal", "serious"]), owner_id=a.user_id, actor=a,
                expected_version=v))
        elif d.stage == "assessed":
            step = ("investigate", lambda: resolution.record_investigation(
                db, ref, findings=f"{self.tag} 核实属实", responsibility="tenant", verdict="true", actor=a,
                expected_version=v))
        elif d.stage == "investigating" and not d.solution_types:
            step = ("propose", lambda: resolution.propose_solution(
                db, ref, types=["apology"], amounts={"apology": "0"}, actor=a, expected_version=v))
        elif d.stage == "investigating":
            step = ("move", lambda: moves.move(db, ref, "proposed", a, expected_version=v))
        elif d.stage == "proposed" and d.customer_agreed_at is None:
            step = ("agree", lambda: resolution.record_agreement(db, ref, actor=a,
                                                                 expected_version=v))
        elif d.stage == "proposed":
            step = ("move", lambda: moves.move(db, ref, "in_progress", a, expected_version=v))
        elif d.stage == "in_progress" and d.implemented_at is None:
            step = ("implement", lambda: resolution.record_implementation(
                db, ref, what_was_done=f"{self.tag} 已道歉", actor=a, expected_version=v))
        elif d.stage == "in_progress":
            step = ("move", lambda: moves.move(db, ref, "follow_up", a, expected_version=v))
        elif d.stage == "follow_up":
            happy = self.rng.random() < 0.85
            step = ("revisit", lambda: revisits.record_revisit(
                db, ref, method="phone", satisfaction=4 if happy else 2,
                comment="" if happy else "仍不满意", actor=a, expected_version=v))
        else:
            emit(op="step", ref=ref, skipped=d.stage)
            return
        self.attempt(step[0], ref, step[1])

    # --- mixes ---------------------------------------------------------------------------

    def basic(self, shared: list[str], race: list[str]) -> None:
        roll = self.rng.random()
        if race and roll < 0.5:  # early: every counter tries them at the same time
            self.race(race.pop(self.rng.randrange(len(race))))
        elif roll < 0.35 or not shared:
            self.log()
        elif roll < 0.55:
            self.contact(self.rng.choice(shared))
        elif roll < 0.65:
            self.note(self.rng.choice(shared))
        else:
            self.edit(self.rng.choice(shared))

    def desk(self, phones: list[str]) -> None:
        roll = self.rng.random()
        if roll < 0.2:
            returning = self.rng.random() < 0.3  # the same customers come back
            self.log(self.rng.choice(phones) if returning else None)
            return
        if roll < 0.25:
            change_marker(self.db)
            revisits.revisits_due(self.db)
            emit(op="poll")
            return
        cards = [c for c in queue_cards(self.db, QueueFilter()) if c.stage in OPEN]
        if not cards:
            self.log()
            return
        # Clerks often take from the top of the queue (and so pick the same complaint), or
        # carry on with one further along.
        ref = self.rng.choice(cards[:8] if self.rng.random() < 0.4 else cards).reference
        if roll < 0.75:
            self.next_step(ref)
        elif roll < 0.9:
            self.contact(ref)
        else:
            self.edit(ref)


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("db")
    p.add_argument("tag")
    p.add_argument("mix", choices=("basic", "desk"))
    p.add_argument("--ops", type=int, default=0)
    p.add_argument("--seconds", type=float, default=0)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--shared", default="")
    p.add_argument("--race", default="")
    args = p.parse_args()
    db = Database(resolve(args.db))
    staff = {m.username: m.as_actor() for m in list_staff(db)}
    actor = staff.get("supervisor") or next(iter(staff.values()))
    rng = random.Random(f"{args.seed}-{args.tag}")
    counter = Counter(db, args.tag, rng, actor)
    shared = [r for r in args.shared.split(",") if r]
    race = [r for r in args.race.split(",") if r]
    phones = [f"1370000{i:04d}" for i in range(12)]
    emit(ready=True)
    sys.stdin.readline()  # "go": every counter starts at once
    deadline = time.monotonic() + args.seconds if args.seconds else None
    done = 0
    while (args.ops and done < args.ops) or (deadline and time.monotonic() < deadline):
        if args.mix == "basic":
            counter.basic(shared, race)
        else:
            counter.desk(phones)
        done += 1
    db.dispose()
    emit(done=True, ops=done)
    return 0


if __name__ == "__main__":
    sys.exit(main())
