"""Issue 18 at the intake form: a walk-in to a printed slip with the keyboard only, counting the
command keys (Tab, number keys in pick lists, shortcuts; text typed is not counted). Chinese
arrives as an input method's commit (tests/ui/keyboard.py), as PLATFORM.md says."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from app.i18n import set_language, translate
from app.services.common import Actor
from app.services.complaints import get_detail
from app.services.settings_service import set_setting
from tests.ui.intake_screen import open_form
from tests.ui.keyboard import Keyboard
from ui.context import DeskContext
from ui.intake.intake_fields import RARE_FIELDS
from ui.intake.intake_form import IntakeForm
from ui.key_bindings import key_text
from ui.shortcuts import INTAKE, SHORTCUTS, all_keys


@pytest.fixture
def form(qtbot: Any, ctx: DeskContext, fixed_clock: Any) -> IntakeForm:
    return open_form(qtbot, ctx)


@pytest.fixture
def cups_queues() -> None:
    from tests.printing.printed import require_queues

    require_queues()


def slips_printed(ctx: DeskContext, ref: str) -> list[dict[str, Any]]:
    return [e.data for e in get_detail(ctx.db, ref).timeline if e.kind == "slip_printed"]


def test_walk_in_to_printed_slip_in_at_most_12_command_keys(
        form: IntakeForm, qtbot: Any, ctx: DeskContext, supervisor: Actor, cups_queues: None,
        monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
    """A customer at the counter: phone, name, category, shop, where, what happened, what they
    ask for; Ctrl+P prints the slip on this PC's slip printer without a dialog. Before issue
    18 the same complaint took 19 command keys (Tab through email, tier, received time,
    channel and subject; the print dialog's Enter)."""
    import ui.printing as printing
    from app.printing import desk_printers
    from tests.printing.printed import landed, page_sizes_mm

    set_setting(ctx.db, "slip_action", "print", supervisor)
    desk_printers.save(ctx.db.paths, desk_printers.DeskPrinters(
        slip_printer="CDT-A5", slip_format="a5", print_without_dialog=True))
    monkeypatch.setattr(printing, "QPrintDialog", None)  # a print dialog would fail the test
    warnings: list[str] = []
    monkeypatch.setattr(printing, "warn", lambda parent, text, title=None: warnings.append(text))
    kb = Keyboard()
    kb.type("13812345678")
    kb.tab()
    kb.type("王小明")
    kb.tab()
    assert form.fields.category.hasFocus()  # email, tier, time, channel, subject passed
    kb.choose("1")  # product quality
    kb.tab()
    kb.choose("7")  # L2 fashion shop
    kb.tab()
    kb.type("2F 服饰店 A-12")
    kb.tab(2)  # staff involved (not known) -> what happened
    assert form.fields.description.hasFocus()
    kb.type("买的外套穿一次就开线了，店员不给退。")
    kb.tab()
    assert form.fields.demands.hasFocus()
    kb.choose("1")  # refund
    kb.press(Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier, "Ctrl+P")
    qtbot.waitUntil(lambda: bool(form.last_reference), timeout=15_000)
    ref = form.last_reference
    qtbot.waitUntil(lambda: bool(slips_printed(ctx, ref)), timeout=30_000)
    with capsys.disabled():
        print(f"\nwalk-in to printed slip: {kb.presses} command keys ({' '.join(kb.log)})")
    assert kb.presses <= 12
    assert kb.log == ["Tab", "Tab", "1", "Tab", "7", "Tab", "Tab", "Tab", "Tab", "1", "Ctrl+P"]
    d = get_detail(ctx.db, ref)
    assert (d.customer_name, d.phone, d.channel, d.category, d.department) == (
        "王小明", "+8613812345678", "counter", "product_quality", "tenant_l2_fashion")
    assert d.location == "2F 服饰店 A-12" and d.demands == ["refund"]
    printed = slips_printed(ctx, ref)[0]
    assert printed["printer"] == "CDT-A5"
    pdf = landed("CDT-A5", int(printed["job"]))
    assert page_sizes_mm(pdf)[0] == pytest.approx((148, 210), abs=1)
    assert not warnings
    assert form.fields.customer.phone.hasFocus() and form.is_empty()  # the next customer


def test_rare_fields_are_passed_by_tab_and_reached_by_their_own_key(
        form: IntakeForm, qtbot: Any) -> None:
    f = form.fields
    expected: dict[str, QWidget] = {"email": f.customer.email, "tier": f.customer.tier,
                                    "received_at": f.received, "occurred_at": f.occurred,
                                    "channel": f.channel, "subject": f.subject}
    assert f.rare == expected
    # Tab from the first field to the attachments never stops on a rare field.
    visited = []
    kb = Keyboard()
    for _ in range(12):
        kb.tab()
        visited.append(Keyboard.focus())
    assert not set(map(id, visited)) & set(map(id, expected.values()))
    for field, shortcut_id in RARE_FIELDS.items():
        f.customer.phone.setFocus()
        [key] = all_keys(shortcut_id)
        kb.press(Qt.Key(ord(key[-1])), Qt.KeyboardModifier.AltModifier, key)
        assert expected[field].hasFocus(), field
        # Its key is written after its label and in its tooltip.
        row = f.left.rows[field]
        assert key in row.label.text()
        assert expected[field].toolTip() == key_text(shortcut_id) == key


def test_a_rare_field_chosen_by_its_key_is_saved(form: IntakeForm, qtbot: Any) -> None:
    """A phone complaint: the channel is changed with Alt+C and a number."""
    kb = Keyboard()
    kb.type("13800000011")
    kb.press(Qt.Key.Key_C, Qt.KeyboardModifier.AltModifier, "Alt+C")
    kb.choose("2")  # phone
    kb.tab()
    assert form.fields.category.hasFocus()
    form.fields.description.setFocus()
    kb.type("电话投诉：停车场收费错误")
    kb.press(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier, "Ctrl+S")
    qtbot.waitUntil(lambda: bool(form.last_reference), timeout=15_000)
    assert get_detail(form.ctx.db, form.last_reference).channel == "phone"


def test_the_keys_table_names_every_intake_key_in_every_language(form: IntakeForm) -> None:
    """F1 lists the table's intake rows: each is a key the form answers, and the form answers
    no key the table does not list; every text translated."""
    listed = {key for s in SHORTCUTS if s.area == INTAKE for key in all_keys(s.id)}
    bound = {s.key().toString() for s in form.shortcuts}
    assert bound == listed
    for lang in ("zh-Hans", "zh-Hant"):
        for shortcut in SHORTCUTS:
            if shortcut.area == INTAKE:
                assert translate(shortcut.what, lang) != shortcut.what
    set_language("zh-Hans")
    form.retranslate()
    assert form.fields.left.rows["email"].label.text().endswith("Alt+M</span>")


def test_ctrl_shift_p_shows_the_print_dialog_where_slips_go_straight_to_the_printer(
        form: IntakeForm, qtbot: Any, ctx: DeskContext, supervisor: Actor, cups_queues: None,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """This PC prints slips without the dialog; Ctrl+Shift+P still opens Qt's print dialog
    (on the slip printer), and the slip is printed where it was accepted."""
    import ui.printing as printing
    from app.printing import desk_printers
    from tests.printing.printed import landed, page_sizes_mm
    from tests.ui.test_printing import accept_print_dialog_as_it_opens

    set_setting(ctx.db, "slip_action", "print", supervisor)
    desk_printers.save(ctx.db.paths, desk_printers.DeskPrinters(
        slip_printer="CDT-A5", slip_format="a5", print_without_dialog=True))
    warnings: list[str] = []
    monkeypatch.setattr(printing, "warn", lambda parent, text, title=None: warnings.append(text))
    kb = Keyboard()
    kb.type("13812345679")
    form.fields.description.setFocus()
    kb.type("收银台多收了十元")
    seen: list[str] = []
    accept_print_dialog_as_it_opens(qtbot, seen)
    kb.press(Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier
             | Qt.KeyboardModifier.ShiftModifier, "Ctrl+Shift+P")
    qtbot.waitUntil(lambda: bool(form.last_reference), timeout=15_000)
    ref = form.last_reference
    qtbot.waitUntil(lambda: bool(slips_printed(ctx, ref)), timeout=30_000)
    assert seen == ["CDT-A5"]  # the dialog was shown, on this PC's slip printer
    printed = slips_printed(ctx, ref)[0]
    assert printed["printer"] == "CDT-A5"
    assert page_sizes_mm(landed("CDT-A5", int(printed["job"])))[0] == pytest.approx(
        (148, 210), abs=1)
    assert not warnings


@pytest.mark.parametrize("typed", ["2026-03-09 14:30", "2026-3-9 14:30", "202603091430",
                                   "2026/03/09 14:30"])
def test_a_received_time_typed_as_a_date_is_the_time_saved(
        form: IntakeForm, qtbot: Any, fixed_clock: Any, typed: str) -> None:
    """Alt+R, then the time the customer came, typed as written. The first "-" used to send
    the cursor to the next pick list (the rest of the date chose a category), and a separator
    typed after a full section skipped the next one (2026-12-06 became 2026-12-12 06:…).
    The time typed has no seconds (they were the clock's when the form was opened)."""
    fixed_clock.advance(seconds=17)
    form.fields.tick()
    kb = Keyboard()
    kb.type("13800000012")
    kb.press(Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier, "Alt+R")
    assert form.fields.received.hasFocus()
    kb.type(typed)
    assert form.fields.received.hasFocus()
    assert form.fields.received.text() == "2026-03-09 14:30"
    assert form.fields.category.code() is None  # nothing typed landed there
    kb.tab()
    assert form.fields.category.hasFocus()  # Tab leaves the field, as from any other
    form.fields.description.setFocus()
    kb.type("停车场收费错误")
    kb.press(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier, "Ctrl+S")
    qtbot.waitUntil(lambda: bool(form.last_reference), timeout=15_000)
    received = get_detail(form.ctx.db, form.last_reference).received_at
    assert received.isoformat() == "2026-03-09T14:30:00"


def test_a_received_time_in_the_future_is_refused_at_the_field(
        form: IntakeForm, qtbot: Any) -> None:
    kb = Keyboard()
    kb.type("13800000013")
    kb.press(Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier, "Alt+R")
    kb.type("2026-03-11 09:00")  # tomorrow (the clock says 10 March 2026, 10:00)
    form.fields.description.setFocus()
    kb.type("未来的时间")
    form.save()
    qtbot.waitUntil(lambda: not form.saving.busy, timeout=15_000)
    assert not form.last_reference
    assert form.fields.left.rows["received_at"].error.text() == "is in the future"
    assert form.banner.kind == "error"
