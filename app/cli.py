"""The command line (DESIGN.md §5). Exit 0 on success, 2 on bad input with a one-line message.

Each command is a small function; heavy modules are imported only by the command that needs
them, so `python main.py stats` does not load ReportLab.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence

from app.codes import field_label
from app.console_text import json_ascii_only, make_output_safe
from app.errors import DeskError
from app.i18n import LANGUAGES, N_, _, set_language, system_language

EXIT_OK, EXIT_BAD_INPUT = 0, 2
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

    stats = sub.add_parser("stats", help="figures of one month")
    stats.add_argument("--month", required=True)
    stats.add_argument("--json", action="store_true")

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

    slip = sub.add_parser("slip", help="the complaint slip as PDF")
    slip.add_argument("reference")
    slip.add_argument("--out", required=True)
    slip.add_argument("--format", choices=("a5", "receipt80"), default="a5")

    report = sub.add_parser("report", help="printed reports")
    report.add_argument("kind", choices=("monthly",))
    report.add_argument("--month", required=True)
    report.add_argument("--out", required=True)
    # Also accepted after the command (DESIGN.md §5); SUPPRESS keeps a --lang given before it.
    report.add_argument("--lang", choices=LANGUAGES, default=argparse.SUPPRESS)

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
                                        months=args.months), actor=args.actor)
    print(_("Demo data: {count} complaints added", count=summary.complaints))
    return EXIT_OK


def cmd_stats(args: argparse.Namespace) -> int:
    from app.services.stats import month_stats

    db = _open(args)
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
        print(_("Dry run, nothing written: {ready} rows can be imported, already present "
                "{duplicates}, refused {refused}", ready=result.ready,
                duplicates=result.duplicates, refused=refused))
    else:
        print(_("Imported {added}, already present {duplicates}, refused {refused}",
                added=result.added, duplicates=result.duplicates, refused=refused))
    if refused and args.skip_bad and not args.dry_run:
        print(_("{refused} of {rows} rows were refused and NOT imported (listed above)",
                refused=refused, rows=result.rows), file=sys.stderr)
    elif refused and not args.dry_run:
        print(_("Nothing was imported: {refused} rows were refused (listed above); fix them, "
                "or import the others with --skip-bad", refused=refused), file=sys.stderr)
    return EXIT_BAD_INPUT if refused and not args.skip_bad else EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from app.services.exporting import export_csv

    db = _open(args)
    n = export_csv(db, args.out, args.date_from, args.date_to, actor=args.actor)
    print(_("Exported {count} complaints", count=n))
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
    print(_("Backup written: {file} ({complaints} complaints, {attachments} attachments, "
            "{size})", file=str(info.path), complaints=info.complaints,
            attachments=info.attachments, size=human_size(info.size)))
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    from pathlib import Path

    from app.paths import resolve
    from app.services.restore import restore_backup

    # Not _open(): the database being replaced may be the damaged one.
    result = restore_backup(resolve(args.db), Path(args.file), actor=args.actor)
    print(_("Restored {file} ({time}): {complaints} complaints.", file=str(result.restored.path),
            time=f"{result.restored.made_at:%Y-%m-%d %H:%M}", complaints=result.complaints))
    if result.kept is not None:
        print(_("The data it replaced is kept in {file}", file=str(result.kept)))
    return EXIT_OK


def cmd_slip(args: argparse.Namespace) -> int:
    from app.reports.slip import write_slip

    db = _open(args)
    path = write_slip(db, args.reference, args.out, args.format)
    print(_("Slip written: {path}", path=str(path)))
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    from app.i18n import get_language
    from app.reports.monthly import write_monthly_report
    from app.validation import parse_month

    parse_month(args.month)  # a bad month is refused before the database is opened
    db = _open(args)
    result = write_monthly_report(db, args.month, args.out, get_language(), actor=args.actor)
    print(_("Monthly report written: {path} ({pages} pages)", path=str(result.path),
            pages=result.pages))
    return EXIT_OK


def cmd_migrate_to(args: argparse.Namespace) -> int:
    from app.services.migrate_to import migrate_to

    db = _open(args)
    result = migrate_to(db, args.url)
    print(_("Copied {rows} rows in {tables} tables to {target}; row counts and checksums "
            "verified.", rows=result.total_rows, tables=len(result.tables),
            target=result.target))
    print(_("Audit trail: {events} events, chain intact, newest hash {hash}",
            events=result.audit_events, hash=result.audit_head[:16]))
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
    "import": cmd_import,
    "export": cmd_export,
    "check": cmd_check,
    "slip": cmd_slip,
    "report": cmd_report,
    "backup": cmd_backup,
    "restore": cmd_restore,
    "migrate-to": cmd_migrate_to,
}


# Commands that need Qt (`selftest`): given by the entry (main.py), as app/ never imports Qt.
Command = Callable[[argparse.Namespace], int]


def run(argv: Sequence[str] | None = None, qt_commands: dict[str, Command] | None = None) -> int:
    make_output_safe()  # a redirect in a Windows code page must not fail a finished command
    args = build_parser().parse_args(argv)
    set_language(args.lang or os.environ.get("COMPLAINT_DESK_LANG") or system_language())
    if args.command is None:
        from ui.application import run_gui

        return run_gui(args)
    if args.command in (qt_commands or {}):
        # Its own temporary desk: no --db, no signing in to this PC's database.
        return (qt_commands or {})[args.command](args)
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
