"""`check`: is the database sound? Integrity, foreign keys, audit chain, attachments, backups.

Each check adds what it passed or the problems it found; `notes` are facts worth knowing that
are not faults (e.g. the age of the latest backup). Each check runs in its own transaction;
one that cannot run (a table dropped behind the program's back) is a finding in one line,
and the others still run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from app import backup_rotation, clock
from app.audit_check import check_chain
from app.backup_places import all_folders
from app.db import Database
from app.i18n import N_, _, ngettext
from app.models import Attachment, AttachmentBlob
from app.services.attachments import held_in_database, sha256_of, unreferenced_blobs

MAX_LISTED = 20
# (title msgid, "module:function(db) -> list[str] of problems"); a missing module is skipped.
AUDIT_TRAIL = N_("Audit trail")


@dataclass
class CheckReport:
    problems: list[str] = field(default_factory=list)
    passed: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def lines(self) -> list[str]:
        return ([f"OK   {p}" for p in self.passed] + [f"NOTE {n}" for n in self.notes]
                + [f"BAD  {p}" for p in self.problems])


def _sqlite_structure(session: Session, report: CheckReport) -> None:
    result = [r[0] for r in session.execute(text(f"PRAGMA integrity_check({MAX_LISTED})"))]
    if result == ["ok"]:
        report.passed.append(_("Database integrity"))
    else:
        report.problems.extend(_("Database integrity: {detail}", detail=" ".join(r.split()))
                               for r in result)
    fk = session.execute(text("PRAGMA foreign_key_check")).all()
    if fk:
        report.problems.extend(
            _("Broken link in table {table}, row {row}", table=r[0], row=r[1])
            for r in fk[:MAX_LISTED])
    else:
        report.passed.append(_("Links between records"))


def _held_attachments(session: Session, report: CheckReport) -> None:
    """A server database: every attachment's content is there and matches its checksum,
    compared on the server (sha256() in SQL), so no content crosses the network."""
    digest = func.encode(func.sha256(AttachmentBlob.data), "hex")
    rows = session.execute(
        select(Attachment.stored_name, AttachmentBlob.sha256, digest == Attachment.sha256)
        .outerjoin(AttachmentBlob, AttachmentBlob.sha256 == Attachment.sha256)
        .order_by(Attachment.id)).all()
    bad = 0
    for name, held, matches in rows:
        if held is None:
            report.problems.append(_("Attachment missing: {name}", name=name))
            bad += 1
        elif not matches:
            report.problems.append(_("Attachment changed: {name}", name=name))
            bad += 1
    if not bad:
        report.passed.append(_("Attachments ({count}, checksums verified)", count=len(rows)))
    spare = unreferenced_blobs(session)
    if spare:
        report.notes.append(ngettext(
            "{count} stored attachment content belongs to no complaint",
            "{count} stored attachment contents belong to no complaint", spare, count=spare))


def _attachments(db: Database, session: Session, report: CheckReport) -> None:
    if held_in_database(session):
        _held_attachments(session, report)
        return
    root = db.paths.attachments.resolve()
    bad = 0
    known: set[str] = set()
    for a in session.scalars(select(Attachment)):
        path = (root / a.stored_name).resolve()
        known.add(str(path))
        if not path.is_relative_to(root):
            report.problems.append(_("Attachment outside the attachments folder: {name}",
                                     name=a.stored_name))
            bad += 1
        elif not path.is_file():
            report.problems.append(_("Attachment missing: {name}", name=a.stored_name))
            bad += 1
        elif sha256_of(path) != a.sha256:
            report.problems.append(_("Attachment changed: {name}", name=a.stored_name))
            bad += 1
    if not bad:
        report.passed.append(_("Attachments ({count}, checksums verified)", count=len(known)))
    if root.is_dir():
        # A file without a record is left by a save that was interrupted before it committed:
        # harmless, but worth knowing.
        stray = sum(1 for p in root.rglob("*")
                    if p.is_file() and str(p.resolve()) not in known)
        if stray:
            report.notes.append(ngettext(
                "{count} file in the attachments folder belongs to no complaint",
                "{count} files in the attachments folder belong to no complaint", stray,
                count=stray))


def _audit_trail(db: Database, report: CheckReport) -> None:
    try:
        problems = check_chain(db)
    except Exception as e:  # noqa: BLE001 - a check that cannot run is itself a finding
        reason = (str(getattr(e, "orig", None) or e).splitlines() or [type(e).__name__])[0]
        problems = [_("could not be checked: {reason}", reason=reason)]
    if problems:
        report.problems.extend(_("{field}: {problem}", field=_(AUDIT_TRAIL), problem=p)
                               for p in problems[:MAX_LISTED])
    else:
        report.passed.append(_(AUDIT_TRAIL))


def _backups(db: Database, report: CheckReport) -> None:
    if db.paths.db_file is None:
        return
    found = [b for f in all_folders(db) for b in backup_rotation.scan(f, db.paths.db_file.stem)]
    if not found:
        report.notes.append(_("No backup of this database yet"))
        return
    latest = max(found, key=lambda b: b.made_at)
    days = (clock.now() - latest.made_at).days
    report.notes.append(ngettext("Latest backup: {file} ({days} day old)",
                                 "Latest backup: {file} ({days} days old)", days,
                                 file=str(latest.path), days=days))


def _guarded(title: str, report: CheckReport, step: Callable[[], None]) -> None:
    """A check that cannot run is itself a finding, in one line; the others still run."""
    try:
        step()
    except Exception as e:  # noqa: BLE001 - a damaged or altered file fails in many ways
        reason = (str(getattr(e, "orig", None) or e).splitlines() or [type(e).__name__])[0]
        report.problems.append(_("{field}: {problem}", field=_(title), problem=_(
            "could not be checked: {reason}", reason=reason)))


def run_checks(db: Database) -> CheckReport:
    """Every check, each in its own transaction so that one that fails leaves the others."""
    report = CheckReport()
    if db.is_sqlite:
        def structure() -> None:
            with db.read() as session:
                _sqlite_structure(session, report)

        _guarded(N_("Database integrity"), report, structure)

    def attachments() -> None:
        with db.read() as session:
            _attachments(db, session, report)

    _guarded(N_("Attachments"), report, attachments)
    _audit_trail(db, report)
    _guarded(N_("Backups"), report, lambda: _backups(db, report))
    return report
