"""The command line (DESIGN.md §5). Exit 0 on success, 2 on bad input with a one-line message.

Each command is a small function; heavy modules are imported only by the command that needs
them, so `python main.py stats` does not load ReportLab.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from app.codes import field_label
from app.console_text import json_ascii_only, make_output_safe
from app.errors import DeskError
from app.formatting import attachment_count, complaint_count
from app.i18n import LANGUAGES, N_, _, ngettext, set_language, system_language

if TYPE_CHECKING:
    from app.db import Database

EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT, EXIT_NOT_PRINTED = 0, 1, 2, 3
ENV_PASSWORD = "COMPLAINT_DESK_PASSWORD"


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="complaint-desk", description=_("Complaint Desk"))
    p.add_argument("--db", help="SQLite file or SQLAlchemy URL (default: the user's data folder)")
    p.add_argument("--lang", choices=LANGUAGES, help="zh-Hans | zh-Hant | en")
    p.add_argument("--user", help="act as this staff account")
    sub = p.add_subparsers(dest="command")

    demo = sub.add_parser("demo", help="fill the database with realistic demo data")
    demo.add_argument("--count", type=int, default=2000)
    demo.add_argument("--seed", type=int, default=1)
    demo.add_argument("--profile", choices=("mall", "salon", "hotel"), default="mall")
    demo.add_argument("--months", type=int, default=12)
    # The language of the demo's customers, staff and notes (after the command: the --lang
    # before it is the language of the messages); without it, the desk's own language.
    demo.add_argument("--lang", dest="demo_lang", choices=LANGUAGES, default=None)

    stats = sub.add_parser("stats", help="figures of one month")
    stats.add_argument("--month", required=True)
    stats.add_argument("--json", action="store_true")

    sub.add_parser("escalate", help="escalate what has become overdue to the supervisors "
                   "(for a scheduler, where no window is open)")
    handover = sub.add_parser("handover", help="the shift hand-over sheet as PDF (one A4 page)")
    handover.add_argument("--date", help="the day of the shift, YYYY-MM-DD (default: today)")
    handover.add_argument("--out", required=True)
    handover.add_argument("--lang", choices=LANGUAGES, default=argparse.SUPPRESS)

    imp = sub.add_parser("import", help="import complaints")
    imp_sub = imp.add_subparsers(dest="format", required=True)
    imp_csv = imp_sub.add_parser("csv")
    imp_csv.add_argument("file")
    imp_csv.add_argument("--mapping", required=True)
    imp_csv.add_argument("--dry-run", action="store_true")
    imp_csv.add_argument("--skip-bad", action="store_true")
    imp_xlsx = imp_sub.add_parser("xlsx")
    imp_xlsx.add_argument("file")
    imp_xlsx.add_argument("--mapping", required=True)
    imp_xlsx.add_argument("--sheet")
    imp_xlsx.add_argument("--dry-run", action="store_true")
    imp_xlsx.add_argument("--skip-bad", action="store_true")

    exp = sub.add_parser("export", help="export complaints")
    exp_sub = exp.add_subparsers(dest="format", required=True)
    exp_csv = exp_sub.add_parser("csv")
    exp_csv.add_argument("--out", required=True)
    exp_csv.add_argument("--from", dest="date_from")
    exp_csv.add_argument("--to", dest="date_to")
    exp_xlsx = exp_sub.add_parser("xlsx", help="the month's Excel workbook (as the window's)")
    exp_xlsx.add_argument("--month", required=True)
    exp_xlsx.add_argument("--out", required=True)
    exp_xlsx.add_argument("--lang", choices=LANGUAGES, default=argparse.SUPPRESS)

    slip = sub.add_parser("slip", help="the complaint slip as PDF")
    slip.add_argument("reference")
    slip.add_argument("--out", required=True)
    slip.add_argument("--format", choices=("a5", "receipt80"), default="a5")
    slip.add_argument("--lang", choices=LANGUAGES, default=argparse.SUPPRESS)

    prn = sub.add_parser("print", help="print a slip or a report at its own size")
    prn_sub = prn.add_subparsers(dest="page", required=True)
    prn_slip = prn_sub.add_parser("slip")
    prn_slip.add_argument("reference")
    prn_slip.add_argument("--printer")
    prn_slip.add_argument("--format", choices=("a5", "receipt80"))
    prn_slip.add_argument("--lang", choices=LANGUAGES, default=argparse.SUPPRESS)
    prn_report = prn_sub.add_parser("report")
    prn_report.add_argument("--month", required=True)
    prn_report.add_argument("--printer")
    prn_report.add_argument("--lang", choices=LANGUAGES, default=argparse.SUPPRESS)
    prn_handover = prn_sub.add_parser("handover")
    prn_handover.add_argument("--date", help="the day of the shift, YYYY-MM-DD (default: today)")
    prn_handover.add_argument("--printer")
    prn_handover.add_argument("--lang", choices=LANGUAGES, default=argparse.SUPPRESS)
    prn_case = prn_sub.add_parser("case", help="a typical case's sheet (A4)")
    prn_case.add_argument("reference")
    prn_case.add_argument("--printer")
    prn_case.add_argument("--lang", choices=LANGUAGES, default=argparse.SUPPRESS)

    report = sub.add_parser("report", help="printed reports")
    report.add_argument("kind", choices=("monthly",))
    report.add_argument("--month", required=True)
    report.add_argument("--out", required=True)
    # Also accepted after the command (DESIGN.md §5); SUPPRESS keeps a --lang given before it.
    report.add_argument("--lang", choices=LANGUAGES, default=argparse.SUPPRESS)

    case = sub.add_parser("case-sheet", help="a typical case's one-page sheet as PDF (for "
                          "training; customer data taken out)")
    case.add_argument("reference")
    case.add_argument("--out", required=True)
    case.add_argument("--lang", choices=LANGUAGES, default=argparse.SUPPRESS)

    backup = sub.add_parser("backup", help="a consistent copy of the database")
    backup.add_argument("--out")
    restore = sub.add_parser("restore", help="replace the database by a backup")
    restore.add_argument("file")
    sub.add_parser("check", help="check the database")
    migrate_to = sub.add_parser("migrate-to", help="copy this database into a PostgreSQL one")
    migrate_to.add_argument("url", help="postgresql+psycopg://user@server/database")
    selftest = sub.add_parser("selftest", help="check this installation on a temporary demo "
                              "desk: every view, a slip, a report, an Excel file")
    selftest.add_argument("--keep", metavar="FOLDER",
                          help="leave the desk, documents and screenshots in FOLDER")
    return p


def _open(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from app.migrate import open_database

    opened = getattr(args, "opened_db", None)  # signing in opened it (app/cli_user.py)
    return opened if opened is not None else open_database(args.db)


def cmd_demo(args: argparse.Namespace) -> int:
    from app.services.demo import DemoOptions, make_demo

    if args.count < 0 or args.months < 1:
        raise DeskError(N_("--count must be 0 or more and --months 1 or more"))
    db = _open(args)
    summary = make_demo(db, DemoOptions(count=args.count, seed=args.seed, profile=args.profile,
                                        months=args.months, language=args.demo_lang),
                        actor=args.actor)
    print(ngettext("Demo data: {count} complaint added", "Demo data: {count} complaints added",
                   summary.complaints, count=summary.complaints))
    return EXIT_OK


def _escalate_first(db: Database) -> int:
    """The clock's escalations recorded before figures are read (app/services/escalations.py:
    they fire when a due time passes, whether or not a window was open then)."""
    from app.services.escalations import escalate_by_clock

    return escalate_by_clock(db)


def cmd_stats(args: argparse.Namespace) -> int:
    from app.services.stats import month_stats
    from app.validation import parse_month

    parse_month(args.month)  # a bad month is refused before anything is written
    db = _open(args)
    _escalate_first(db)
    figures = month_stats(db, args.month)
    if args.json:
        print(json.dumps(figures, ensure_ascii=json_ascii_only(), sort_keys=True))
    else:
        for key, value in figures.items():
            if key != "previous_month":
                print(f"{key}: {value}")
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    from app.services.import_source import CSV, XLSX
    from app.services.importing import import_file

    db = _open(args)
    result = import_file(db, args.file, args.mapping, kind=XLSX if args.format == "xlsx" else CSV,
                         sheet=getattr(args, "sheet", None), dry_run=args.dry_run,
                         skip_bad=args.skip_bad, actor=args.actor)
    for problem in result.problems:
        print(problem, file=sys.stderr)
    if result.encoding not in (None, "UTF-8"):
        print(_("Read the file as {encoding}", encoding=result.encoding))
    for column, order in result.date_orders.items():
        print(_("Dates of \"{column}\" read as {order}", column=column, order=order))
    if result.new_values:
        print(_("New list values:"))
        for kind, text in result.new_values:
            print(f"  {field_label(kind)}: {text}")
    refused = len(result.problems)
    if args.dry_run:
        print(ngettext("Dry run, nothing written: {ready} row can be imported, already "
                       "present {duplicates}, refused {refused}",
                       "Dry run, nothing written: {ready} rows can be imported, already "
                       "present {duplicates}, refused {refused}", result.ready,
                       ready=result.ready, duplicates=result.duplicates,
                       refused=refused))
    else:
        print(_("Imported {added}, already present {duplicates}, refused {refused}",
                added=result.added, duplicates=result.duplicates, refused=refused))
    if refused and args.skip_bad and not args.dry_run:
        print(ngettext("{refused} of {rows} rows was refused and NOT imported (listed above)",
                       "{refused} of {rows} rows were refused and NOT imported (listed above)",
                       refused, refused=refused, rows=result.rows), file=sys.stderr)
    elif refused and not args.dry_run:
        print(ngettext("Nothing was imported: {refused} row was refused (listed above); fix it, "
                       "or import the others with --skip-bad",
                       "Nothing was imported: {refused} rows were refused (listed above); fix "
                       "them, or import the others with --skip-bad", refused, refused=refused),
              file=sys.stderr)
    return EXIT_BAD_INPUT if refused and not args.skip_bad else EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    if args.format == "xlsx":
        from app.i18n import get_language
        from app.reports.month_export import export_month_xlsx
        from app.validation import parse_month

        parse_month(args.month)
        db = _open(args)
        n = export_month_xlsx(db, args.month, args.out, get_language(), actor=args.actor)
        print(ngettext("Exported {count} complaint", "Exported {count} complaints", n,
                       count=n))
        return EXIT_OK
    from app.services.exporting import export_csv

    db = _open(args)
    n = export_csv(db, args.out, args.date_from, args.date_to, actor=args.actor)
    print(ngettext("Exported {count} complaint", "Exported {count} complaints", n, count=n))
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from app.damage import DamagedDatabase
    from app.services.checks import run_checks

    try:
        db = _open(args)
    except DamagedDatabase as e:  # the worst finding of all: say it as a finding, exit 1
        print(f"BAD {e.message()}")
        return 1
    report = run_checks(db)
    for line in report.lines():
        print(line)
    return EXIT_OK if report.ok else 1


def cmd_backup(args: argparse.Namespace) -> int:
    from pathlib import Path

    from app.services.backups import create_backup, human_size

    db = _open(args)
    info = create_backup(db, out=Path(args.out) if args.out else None, actor=args.actor)
    if info.note:
        print(info.note, file=sys.stderr)
    print(_("Backup written: {file} ({complaints}, {attachments}, {size})", file=str(info.path),
            complaints=complaint_count(info.complaints),
            attachments=attachment_count(info.attachments),
            size=human_size(info.size)))
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    from pathlib import Path

    from app.paths import resolve
    from app.services.restore import restore_backup

    # Not _open(): the database being replaced may be the damaged one.
    result = restore_backup(resolve(args.db), Path(args.file), actor=args.actor)
    print(_("Restored {file} ({time}): {complaints}.", file=str(result.restored.path),
            time=f"{result.restored.made_at:%Y-%m-%d %H:%M}",
            complaints=complaint_count(result.complaints)))
    if result.kept is not None:
        print(_("The data it replaced is kept in {file}", file=str(result.kept)))
    return EXIT_OK


def cmd_slip(args: argparse.Namespace) -> int:
    from app.reports.slip import write_slip

    db = _open(args)
    from app.i18n import get_language

    path = write_slip(db, args.reference, args.out, args.format, get_language())
    print(_("Slip written: {path}", path=str(path)))
    return EXIT_OK


def cmd_print(args: argparse.Namespace) -> int:
    """Exit 0 once the print system took the job; else one line naming the printer and the
    reason, exit 3 (refused, held by a paused printer, no paper that holds the page)."""
    from app.i18n import get_language
    from app.printing.cups import PrintFailed
    from app.printing.placement import NoPaperForPage
    from app.printing.print_service import (
        print_case_sheet,
        print_handover,
        print_report,
        print_slip,
    )

    if args.page == "handover":
        from app.clock import now
        from app.services.handover import shift_day

        shift_day(args.date, now().date())  # a bad day is refused before anything is done
    db = _open(args)
    try:
        if args.page == "slip":
            outcome = print_slip(db, args.reference, printer=args.printer, fmt=args.format,
                                 lang=get_language(), actor=args.actor)
        elif args.page == "handover":
            _escalate_first(db)
            outcome = print_handover(db, args.date, printer=args.printer,
                                     lang=get_language(), actor=args.actor)
        elif args.page == "case":
            outcome = print_case_sheet(db, args.reference, printer=args.printer,
                                       lang=get_language(), actor=args.actor)
        else:
            from app.validation import parse_month

            parse_month(args.month)
            _escalate_first(db)
            outcome = print_report(db, args.month, printer=args.printer, lang=get_language(),
                                   actor=args.actor)
    except (PrintFailed, NoPaperForPage) as e:
        print(_("Not printed: {message}", message=e.message()), file=sys.stderr)
        return EXIT_NOT_PRINTED
    held = outcome.held_message()
    if held is not None:
        print(_("Not printed yet: {message}", message=held.message()), file=sys.stderr)
        return EXIT_NOT_PRINTED
    print(ngettext("Sent to {printer}: job {job}, {pages} page on {paper}",
                   "Sent to {printer}: job {job}, {pages} pages on {paper}", outcome.pages,
                   printer=outcome.printer, job=outcome.job_id, pages=outcome.pages,
                   paper=outcome.placement.media))
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    from app.i18n import get_language
    from app.reports.monthly import write_monthly_report
    from app.validation import parse_month

    parse_month(args.month)  # a bad month is refused before the database is opened
    db = _open(args)
    _escalate_first(db)
    result = write_monthly_report(db, args.month, args.out, get_language(), actor=args.actor)
    print(ngettext("Monthly report written: {path} ({pages} page)",
                   "Monthly report written: {path} ({pages} pages)", result.pages,
                   path=str(result.path), pages=result.pages))
    return EXIT_OK


def cmd_escalate(args: argparse.Namespace) -> int:
    db = _open(args)
    added = _escalate_first(db)
    print(ngettext("Escalated to the supervisors: {count} new", "Escalated to the supervisors: "
                   "{count} new", added, count=added))
    return EXIT_OK


def cmd_handover(args: argparse.Namespace) -> int:
    from app.clock import now
    from app.i18n import get_language
    from app.reports.handover import write_handover
    from app.services.handover import shift_day

    shift_day(args.date, now().date())  # a bad day is refused before the database is opened
    db = _open(args)
    _escalate_first(db)
    result = write_handover(db, args.out, args.date, get_language(), actor=args.actor)
    waiting = sum(result.lines.values())
    shown = sum(result.shown.values())
    print(_("Hand-over sheet written: {path}", path=str(result.path)))
    lines = ngettext("{count} line waiting", "{count} lines waiting", waiting, count=waiting)
    if shown < waiting:
        lines = _("{lines}, {shown} of them on the page (the queue has them all)",
                  lines=lines, shown=shown)
    print(lines)
    return EXIT_OK


def cmd_case_sheet(args: argparse.Namespace) -> int:
    from app.i18n import get_language
    from app.reports.case_sheet import write_case_sheet

    db = _open(args)
    path = write_case_sheet(db, args.reference, args.out, get_language(), actor=args.actor)
    print(_("Case sheet written: {path}", path=str(path)))
    return EXIT_OK


def cmd_migrate_to(args: argparse.Namespace) -> int:
    from app.services.migrate_to import migrate_to

    db = _open(args)
    result = migrate_to(db, args.url)
    print(_("Copied {rows} in {tables} to {target}; row counts and checksums verified.",
            rows=ngettext("{count} row", "{count} rows", result.total_rows,
                          count=result.total_rows),
            tables=ngettext("{count} table", "{count} tables", len(result.tables),
                            count=len(result.tables)),
            target=result.target))
    print(ngettext("Audit trail: {events} event, chain intact, newest hash {hash}",
                   "Audit trail: {events} events, chain intact, newest hash {hash}",
                   result.audit_events, events=result.audit_events,
                   hash=result.audit_head[:16]))
    print(_("Attachments: {count} now held by the server database.",
            count=result.attachments))
    if result.attachments_not_copied:
        print(_("Not copied (missing or changed at the source; see `check`): {files}",
                files=", ".join(result.attachments_not_copied)), file=sys.stderr)
    if result.replaced:
        print(_("Replaced the server's set-up data: {tables}",
                tables=", ".join(f"{k} {v}" for k, v in result.replaced.items())))
    return EXIT_OK


def not_yet(args: argparse.Namespace) -> int:
    print(_("Not yet available: {command}", command=args.command), file=sys.stderr)
    return EXIT_BAD_INPUT


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "demo": cmd_demo,
    "stats": cmd_stats,
    "escalate": cmd_escalate,
    "handover": cmd_handover,
    "import": cmd_import,
    "export": cmd_export,
    "check": cmd_check,
    "slip": cmd_slip,
    "report": cmd_report,
    "print": cmd_print,
    "case-sheet": cmd_case_sheet,
    "backup": cmd_backup,
    "restore": cmd_restore,
    "migrate-to": cmd_migrate_to,
}


def parse_arguments(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line read, and the language chosen from it (the window and the commands
    alike): --lang, else $COMPLAINT_DESK_LANG, else the system's."""
    make_output_safe()  # a redirect in a Windows code page must not fail a finished command
    args = build_parser().parse_args(argv)
    set_language(args.lang or os.environ.get("COMPLAINT_DESK_LANG") or system_language())
    return args


def run_command(args: argparse.Namespace) -> int:
    """Run the subcommand of `args` (parse_arguments); without one the entry opens the window,
    and the commands that need Qt (`selftest`) are run by the entry too (main.py: app/ never
    imports the window or Qt)."""
    if args.command is None:
        print(_("Error: {message}", message=_("no command given")), file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.command not in COMMANDS:
        print(_("Not available in this program: {command}", command=args.command),
              file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        from app.cli_user import command_actor

        args.actor = command_actor(args)  # who runs it, and may they (DESIGN.md §5)
        return COMMANDS[args.command](args)
    except DeskError as e:
        print(_("Error: {message}", message=e.message()), file=sys.stderr)
        return EXIT_BAD_INPUT
    except (OSError, ValueError) as e:
        print(_("Error: {message}", message=str(e)), file=sys.stderr)
        return EXIT_BAD_INPUT
    except Exception as e:
        # A database altered or damaged behind the program's back fails in many places
        # (signing in writes an audit event): one line, and for `check` a finding.
        from sqlalchemy.exc import SQLAlchemyError

        if not isinstance(e, (SQLAlchemyError, sqlite3.Error)):
            raise
        reason = (str(getattr(e, "orig", None) or e).splitlines() or [type(e).__name__])[0]
        text = _("The database cannot be used: {reason}", reason=reason)
        if args.command == "check":
            print(f"BAD  {text}")
            return EXIT_FINDINGS
        print(_("Error: {message}", message=text), file=sys.stderr)
        return EXIT_FINDINGS


def run(argv: Sequence[str] | None = None) -> int:
    """A subcommand from its arguments (tests and scripts)."""
    return run_command(parse_arguments(argv))
