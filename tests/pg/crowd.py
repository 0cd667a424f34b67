"""Several counter processes on one database, and the checks that nothing was lost.

`run_counters` starts tests/pg/counter.py once per tag, lets them all go at the same moment
and collects what each one acknowledged. `verify` then compares the database with those
acknowledgements:
- every acknowledged reference is there exactly once, no other new complaint is, and today's
  numbers run 1..N without a gap or a repeat (the counter row, app/references.py);
- each complaint's version: the versions the acknowledged changes reported are distinct and
  the newest is the one in the database (two changes built on the same version would show as
  a repeat, a change written over by an older one as a database version below the newest);
  with `one_step` (every change is one UPDATE: the `basic` mix) they also run without a gap;
- its contacts, notes and stage agree with the acknowledged changes, and the location is the
  one the newest acknowledged edit wrote;
- every operation that was not acknowledged was reported as a conflict (or a refused move)
  naming the complaint, and nothing else went wrong (a counter that crashed fails the run);
- the audit trail's hash chain is intact.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections import Counter as Tally
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from app.audit_check import check_chain
from app.db import Database
from app.models import Complaint, ComplaintEvent, Contact
from tests.cli_process import python_env

ROOT = Path(__file__).resolve().parents[2]
COUNTER = Path(__file__).with_name("counter.py")
CHANGES = ("contact", "note", "edit", "move", "assess", "investigate", "propose", "agree",
           "implement", "revisit")


class CounterProcess:
    def __init__(self, db_arg: str, tag: str, mix: str, *options: str) -> None:
        env = python_env(PYTHONUNBUFFERED="1")
        self.tag = tag
        self.proc = subprocess.Popen(
            [sys.executable, str(COUNTER), db_arg, tag, mix, *options], cwd=ROOT, env=env,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.records: list[dict[str, Any]] = []
        self.ready = threading.Event()
        self.stderr = ""
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self._err = threading.Thread(target=self._read_err, daemon=True)
        self._err.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            record = json.loads(line)
            if record.get("ready"):
                self.ready.set()
            else:
                self.records.append(record)
        self.ready.set()  # ended (perhaps before it was ready: the caller sees the code)

    def _read_err(self) -> None:
        assert self.proc.stderr is not None
        self.stderr = self.proc.stderr.read()

    def go(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write("go\n")
        self.proc.stdin.flush()

    def finish(self, timeout: float) -> None:
        try:
            code = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(10)
            raise AssertionError(f"counter {self.tag} did not finish in {timeout:.0f} s") from None
        self._reader.join(10)
        self._err.join(10)
        assert code == 0, f"counter {self.tag} failed ({code}):\n{self.stderr[-3000:]}"
        assert self.records and self.records[-1].get("done"), f"counter {self.tag} ended early"


def run_counters(db_arg: str, tags: list[str], mix: str, *options: str,
                 timeout: float = 120) -> dict[str, list[dict[str, Any]]]:
    """Start one counter per tag, let them go together, return each one's records."""
    crowd = [CounterProcess(db_arg, tag, mix, *options) for tag in tags]
    try:
        for c in crowd:
            assert c.ready.wait(60), f"counter {c.tag} did not start:\n{c.stderr}"
            assert c.proc.poll() is None, f"counter {c.tag} ended at start:\n{c.stderr}"
        for c in crowd:
            c.go()
        for c in crowd:
            c.finish(timeout)
    finally:
        for c in crowd:
            if c.proc.poll() is None:
                c.proc.kill()
    return {c.tag: c.records for c in crowd}


@dataclass
class Outcome:
    """What the counters did, as counted from their acknowledgements."""

    ops: int = 0
    acked: Tally[str] = field(default_factory=Tally)
    conflicts: Tally[str] = field(default_factory=Tally)
    refused: int = 0
    skipped: int = 0
    polls: int = 0
    complaints_logged: int = 0

    def line(self) -> str:
        return (f"{self.ops} operations: {sum(self.acked.values())} saved "
                f"({', '.join(f'{k} {v}' for k, v in sorted(self.acked.items()))}), "
                f"{sum(self.conflicts.values())} conflicts reported "
                f"({', '.join(f'{k} {v}' for k, v in sorted(self.conflicts.items()))}), "
                f"{self.refused} moves refused, {self.skipped} skipped, {self.polls} polls")


@dataclass(frozen=True)
class Before:
    refs: set[str]
    versions: dict[str, int]
    contacts: dict[str, int]
    notes: dict[str, int]
    edits: dict[str, int]


def _per_complaint(db: Database, what: Any, where: Any = None) -> dict[str, int]:
    with db.read() as s:
        q = (select(Complaint.reference, func.count()).select_from(what)
             .join(Complaint, Complaint.id == what.complaint_id).group_by(Complaint.reference))
        if where is not None:
            q = q.where(where)
        return {r: int(n) for r, n in s.execute(q)}


def snapshot(db: Database) -> Before:
    with db.read() as s:
        versions = {k: v for k, v in s.execute(select(Complaint.reference, Complaint.version))}
    return Before(set(versions), versions, _per_complaint(db, Contact),
                  _per_complaint(db, ComplaintEvent, ComplaintEvent.kind == "note"),
                  _per_complaint(db, ComplaintEvent, ComplaintEvent.kind == "field_changed"))


def verify(db: Database, before: Before, records: dict[str, list[dict[str, Any]]],
           one_step: bool = True) -> Outcome:
    out = Outcome()
    logged: list[str] = []
    changes: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for tag, lines in records.items():
        for r in lines:
            if r.get("done"):
                continue
            out.ops += 1
            op = r.get("op", "")
            if op == "poll":
                out.polls += 1
            elif "skipped" in r:
                out.skipped += 1
            elif "conflict" in r:
                assert r["ref"] in r["conflict"], f"{tag}: a conflict must name its complaint"
                out.conflicts[op] += 1
            elif "refused" in r:
                out.refused += 1
            elif op == "log":
                logged.append(r["ref"])
                out.acked[op] += 1
            else:
                assert op in CHANGES, r
                changes[r["ref"]].append(r)
                out.acked[op] += 1
    out.complaints_logged = len(logged)

    # References: each acknowledged one saved once, nothing else new, no gap, no repeat.
    assert len(logged) == len(set(logged)), "a reference was handed out twice"
    with db.read() as s:
        rows = {k: v for k, v in s.execute(select(Complaint.reference, Complaint.version))}
        stages = {k: v for k, v in s.execute(select(Complaint.reference, Complaint.stage))}
        locations = {k: v for k, v in s.execute(select(Complaint.reference, Complaint.location))}
    assert set(rows) - before.refs == set(logged), "saved complaints differ from acknowledged"
    by_day: dict[str, list[int]] = defaultdict(list)
    for ref in rows:
        _ts, day, number = ref.split("-")
        by_day[day].append(int(number))
    for day, numbers in by_day.items():
        assert sorted(numbers) == list(range(1, len(numbers) + 1)), f"gap or repeat on {day}"

    # Versions: none built on the same version twice, the newest one kept.
    contacts = _per_complaint(db, Contact)
    notes = _per_complaint(db, ComplaintEvent, ComplaintEvent.kind == "note")
    edited = _per_complaint(db, ComplaintEvent, ComplaintEvent.kind == "field_changed")
    for ref in set(rows):
        mine = changes.get(ref, [])
        base = before.versions.get(ref, 1)
        versions = sorted(r["version"] for r in mine)
        problem = f"{ref}: versions {versions} after {base}, database at {rows[ref]}"
        assert len(set(versions)) == len(versions), f"lost update: {problem}"
        assert rows[ref] == (versions[-1] if versions else base), f"overwritten: {problem}"
        if one_step:
            assert versions == list(range(base + 1, rows[ref] + 1)), f"gap: {problem}"
        ops = Tally(r["op"] for r in mine)
        assert contacts.get(ref, 0) == before.contacts.get(ref, 0) + ops["contact"], ref
        assert notes.get(ref, 0) == before.notes.get(ref, 0) + ops["note"], ref
        assert edited.get(ref, 0) == ops["edit"] + before.edits.get(ref, 0), ref
        if mine:
            newest = max(mine, key=lambda r: r["version"])
            assert stages[ref] == newest["stage"], f"{ref}: stage {stages[ref]} != {newest}"
        edits = [r for r in mine if r["op"] == "edit"]
        if edits:
            assert locations[ref] == max(edits, key=lambda r: r["version"])["location"], ref
    problems = check_chain(db)
    assert problems == [], f"audit trail: {problems}"
    return out
