"""This PC's printer choices (printers.json) and what a print does to the complaint."""

from __future__ import annotations

from typing import Any

import pytest

from app.db import Database
from app.errors import ValidationError
from app.printing import desk_printers
from app.printing.desk_printers import DeskPrinters
from app.services.common import Actor


def test_choices_survive_a_restart_and_a_damaged_file_means_defaults(db: Database) -> None:
    chosen = DeskPrinters("收银台 Roll", "receipt80", "Office A4", True)
    desk_printers.save(db.paths, chosen)
    assert desk_printers.load(db.paths) == chosen
    desk_printers.file_of(db.paths).write_bytes(b'{"slip_printer": ')  # cut mid-write
    assert desk_printers.load(db.paths) == DeskPrinters()
    desk_printers.file_of(db.paths).write_text(
        '{"slip_printer": 5, "slip_format": "a3", "print_without_dialog": "yes", '
        '"report_printer": "P"}', encoding="utf-8")
    assert desk_printers.load(db.paths) == DeskPrinters(report_printer="P")


def test_an_unknown_format_is_refused(db: Database) -> None:
    with pytest.raises(ValidationError):
        desk_printers.save(db.paths, DeskPrinters(slip_format="a3"))
    assert not desk_printers.file_of(db.paths).exists()


def test_a_print_does_not_disturb_an_open_panel(db: Database, clerk: Actor,
                                               fixed_clock: Any) -> None:
    """The print is recorded without changing the complaint's version: a clerk editing it
    in the panel meanwhile still saves (no "changed elsewhere")."""
    from app.services.complaints import get_detail, update_fields
    from app.services.intake import IntakeInput, log_complaint
    from tests.printing.printed import require_queues

    require_queues()
    from app.printing.print_service import print_slip

    ref = log_complaint(db, IntakeInput(description="x", phone="13912345678"), clerk).reference
    version = get_detail(db, ref).version
    print_slip(db, ref, printer="CDT-A4", fmt="a5", actor=clerk)
    assert get_detail(db, ref).version == version
    # The panel saves with the version it read before the print.
    update_fields(db, ref, {"location": "B1 东门"}, actor=clerk, expected_version=version)
