"""The intake form, driven like a clerk drives it: keyboard first, Chinese through the IME."""

from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from sqlalchemy import func, select, update

from app.drafts import draft_file
from app.i18n import set_language, translate
from app.models import Complaint, ListValue
from app.phones import mask_phone
from app.services.complaints import get_detail
from app.services.intake import IntakeInput, log_complaint
from tests.ui.keyboard import Keyboard, commit
from ui.context import DeskContext
from ui.intake import intake_form
from ui.intake.intake_form import IntakeForm

NOW = datetime(2026, 3, 10, 10, 0, 0)


def complaints(db) -> int:  # type: ignore[no-untyped-def]
    with db.read() as s:
        return int(s.scalar(select(func.count()).select_from(Complaint)) or 0)


@pytest.fixture
def form(qtbot, ctx: DeskContext, fixed_clock) -> IntakeForm:  # type: ignore[no-untyped-def]
    widget = IntakeForm(ctx)
    qtbot.addWidget(widget)
    widget.resize(1366, 700)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    widget.fields.customer.phone.setFocus()
    qtbot.waitUntil(lambda: widget.fields.customer.phone.hasFocus())
    return widget


def test_a_complete_complaint_typed_with_the_keyboard_only(form, db, qtbot, capsys):
    kb = Keyboard()
    kb.type("13812345678")
    kb.tab()
    kb.type("王小明")
    kb.tab()
    kb.type("wang@example.com")
    kb.tab()
    kb.choose("2")  # tier: key customer
    kb.tab(3)  # received at (now) -> occurred at (the same) -> channel
    kb.choose("1")  # walk-in at counter
    kb.tab()
    kb.choose("1")  # subject: product
    kb.tab()
    kb.choose("1")  # category: product quality
    kb.tab()
    kb.choose("7")  # department: L2 fashion shop
    kb.tab()
    kb.type("2F 服饰店 A-12")
    kb.tab()
    kb.type("店员 小张")
    kb.tab()
    kb.type("买的外套穿一次就开线了。\n店员不给退，态度很差 😡")
    kb.tab()
    kb.choose("3")  # emotion: angry
    kb.tab()
    kb.choose("3")  # severity: serious
    kb.tab()
    kb.choose("1")  # asks for: refund
    kb.choose("5")  # and: apology
    with qtbot.waitSignal(form.ctx.signals.data_changed) as saved:
        kb.press(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier, "Ctrl+S")
    with capsys.disabled():
        print(f"\nkeyboard-only intake: {kb.presses} key presses of navigation and commands "
              f"({' '.join(kb.log)})")
    ref = saved.args[0]
    assert ref.startswith("TS-20260310-")
    assert form.banner.isVisible() and ref in form.banner.text.text()
    assert form.fields.description.toPlainText() == ""  # ready for the next customer
    d = get_detail(form.ctx.db, ref)
    assert (d.customer_name, d.phone, d.email, d.tier) == (
        "王小明", "+8613812345678", "wang@example.com", "key")
    assert (d.channel, d.subject, d.category, d.department) == (
        "counter", "product", "product_quality", "tenant_l2_fashion")
    assert d.location == "2F 服饰店 A-12" and d.staff_involved == "店员 小张"
    assert d.description == "买的外套穿一次就开线了。\n店员不给退，态度很差 😡"
    assert (d.emotion, d.severity, d.demands) == ("angry", "serious", ["refund", "apology"])
    assert d.received_at == NOW and d.recorded_by == "李小红"
    assert kb.presses <= 25


def test_ctrl_enter_saves_from_the_description(form, qtbot):
    kb = Keyboard()
    kb.type("13800000001")
    form.fields.description.setFocus()
    kb.type("Lift out of order")
    kb.press(Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier, "Ctrl+Enter")
    assert form.last_reference
    assert get_detail(form.ctx.db, form.last_reference).description == "Lift out of order"


def _earlier(db, n: int, **kw):  # type: ignore[no-untyped-def]
    for i in range(n):
        log_complaint(db, IntakeInput(description=f"earlier {i}", customer_name="陳大文",
                                      phone="+852 9123 4567", email="chan@example.com",
                                      tier="key", **kw))


def test_returning_customer_is_filled_in_with_a_badge(form, db, qtbot):
    _earlier(db, 2)
    Keyboard().type("+852 9123 4567")  # at a mainland desk: with its country code
    box = form.fields.customer
    qtbot.waitUntil(lambda: box.badge.isVisible(), timeout=3000)
    assert box.name.text() == "陳大文"
    assert box.tier.code() == "key"
    assert "2 earlier complaints" in box.badge.text()
    assert "Key customer" in box.badge.text()
    assert "Repeat: 2 in the last 90 days" in box.badge.text()
    # A clerk does not see the email on file (mask_personal_data), only a masked hint.
    assert box.email.text() == "" and "c***@example.com" in box.email.placeholderText()
    form.fields.description.setPlainText("Third time the same problem")
    ref = form.save()
    d = get_detail(db, ref)
    assert d.customer_complaints == 3 and d.is_repeat and d.email == "chan@example.com"


def test_customer_chosen_by_name_keeps_the_hidden_phone(form, db, qtbot):
    _earlier(db, 1)
    box = form.fields.customer
    box.name.setFocus()
    Keyboard().type("陳大")
    completer = box._completers[box.name]
    qtbot.waitUntil(lambda: completer.popup().isVisible(), timeout=3000)
    popup = completer.popup()
    assert popup.model().rowCount() == 1
    masked = mask_phone("91234567")
    assert "91234567" not in masked and masked in popup.model().index(0, 0).data()
    popup.setCurrentIndex(popup.model().index(0, 0))
    QTest.keyClick(popup, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: box.badge.isVisible())
    assert box.phone.text() == masked  # masked for a clerk ...
    form.fields.description.setPlainText("Again")
    d = get_detail(db, form.save())
    assert d.phone == "+85291234567" and d.customer_complaints == 2  # ... yet the same one


CASES = {
    "empty description": ({"phone": "13800000002"}, "description", "is required"),
    "no name or phone": ({"description": "x"}, "customer_name",
                         "give a name or a phone number"),
    "bad phone": ({"phone": "12ab", "description": "x"}, "phone",
                  "is not a phone number (digits only)"),
    "bad email": ({"phone": "13800000002", "email": "wang@", "description": "x"}, "email",
                  "is not an email address"),
    "future date": ({"phone": "13800000002", "description": "x",
                     "received": datetime(2026, 3, 11, 9, 0)}, "received_at",
                    "is in the future"),
    "text too long": ({"phone": "13800000002", "description": "长" * 10_001}, "description",
                      "is too long (10001 characters; at most 10000)"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_every_validation_message_is_shown_and_nothing_is_saved(form, db, case):
    values, field, message = CASES[case]
    f = form.fields
    f.customer.phone.setText(values.get("phone", ""))
    f.customer.email.setText(values.get("email", ""))
    f.description.setPlainText(values.get("description", ""))
    if "received" in values:
        f._set_received(values["received"])
        f.received_auto = False
    assert form.save() is None
    row = f.left.rows.get(field) or f.right.rows[field]
    assert row.error.isVisible() and row.error.text() == message
    assert row.widget.property("invalid") is True
    assert row.widget.hasFocus()  # the clerk is taken to the field to correct
    assert "Customer name" in form.missing.text() or row.label.text() in form.missing.text()
    assert message in form.save_button.toolTip()
    assert complaints(db) == 0


def test_messages_are_in_the_users_language(form, db):
    set_language("zh-Hans")
    form.retranslate()
    form.fields.customer.phone.setText("13800000002")
    assert form.save() is None
    error = form.fields.right.rows["description"].error.text()
    assert error == translate("is required", "zh-Hans") and error != "is required"
    assert form.fields.right.rows["description"].label.text() == translate(
        "Description", "zh-Hans")
    assert complaints(db) == 0


def test_error_appears_when_leaving_the_field_and_goes_when_fixed(form, qtbot):
    kb = Keyboard()
    form.fields.customer.email.setFocus()
    kb.type("wang@")
    kb.tab()
    error = form.fields.left.rows["email"].error
    qtbot.waitUntil(error.isVisible)
    assert error.text() == "is not an email address"
    form.fields.customer.email.setText("wang@example.com")
    qtbot.waitUntil(lambda: not error.isVisible())
    # a field the clerk has not reached yet is not flagged while typing
    assert not form.fields.right.rows["description"].error.isVisible()


def test_pasted_emoji_and_mixed_scripts_are_kept_exactly(form, db):
    text = ("投诉：洗发后头皮过敏 🤕🙏 / 投訴：頭皮敏感 / Scalp reaction / "
            "ผิวแพ้ / 두피 / 𠮷野家 / e\u0301\n" + "長文" * 3000)
    form.fields.customer.name.setFocus()
    commit(form.fields.customer.name, "李 Lee 🌸")
    form.fields.description.setFocus()
    commit(form.fields.description, text)
    ref = form.save()
    d = get_detail(db, ref)
    assert d.customer_name == "李 Lee 🌸"
    assert d.description == text.replace("e\u0301", "\u00e9")  # stored as NFC


def test_draft_survives_a_crash_and_is_restored_with_a_notice(qtbot, ctx, db, fixed_clock):
    first = IntakeForm(ctx)
    qtbot.addWidget(first)
    first.fields.customer.phone.setText("13800000003")
    first.fields.customer.name.setText("張三")
    first.fields.category.set_code("parking")
    first.fields.demands.set_codes(["refund", "compensation"])
    first.fields.description.setPlainText("停车场收费多收了 20 元")
    path = draft_file(db.paths.drafts, first.draft_name())
    qtbot.waitUntil(path.exists, timeout=3000)  # written within about a second
    assert not first.keeper.pending()
    # The "crash": the form is dropped without saving or closing; a new one starts.
    second = IntakeForm(ctx)
    qtbot.addWidget(second)
    f = second.fields
    assert f.customer.phone.text() == "13800000003" and f.customer.name.text() == "張三"
    assert f.category.code() == "parking"
    assert f.demands.codes() == ["refund", "compensation"]
    assert f.description.toPlainText() == "停车场收费多收了 20 元"
    assert second.banner.isVisibleTo(second) and "Restored" in second.banner.text.text()
    ref = second.save()
    assert ref and not path.exists()  # discarded once saved


def test_dropping_a_file_adds_an_attachment_saved_with_its_sha256(form, db, tmp_path):
    receipt = tmp_path / "小票 receipt.jpg"
    receipt.write_bytes(b"\xff\xd8\xff fake jpeg " * 100)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(receipt))])
    enter = QDragEnterEvent(QPoint(200, 200), Qt.DropAction.CopyAction, mime,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(form, enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(200, 200), Qt.DropAction.CopyAction, mime,
                      Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(form, drop)
    assert form.fields.attachments.paths() == [receipt]
    # dropped on the description box, the file is attached too (not pasted as a path)
    QApplication.sendEvent(form.fields.description.viewport(), QDropEvent(
        QPointF(5, 5), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier))
    assert form.fields.description.toPlainText() == ""
    assert len(form.fields.attachments.paths()) == 1  # the same file only once
    form.fields.customer.phone.setText("13800000004")
    form.fields.description.setPlainText("Receipt attached")
    d = get_detail(db, form.save())
    assert [(a.name, a.sha256) for a in d.attachments] == [
        ("小票 receipt.jpg", hashlib.sha256(receipt.read_bytes()).hexdigest())]


def test_attachment_that_is_gone_is_refused_with_a_message(form, tmp_path):
    form.fields.attachments.add_paths([tmp_path / "missing.png"])
    error = form.fields.left.rows["attachment"].error
    assert error.isVisibleTo(form) and "missing.png" in error.text()
    assert form.fields.attachments.paths() == []


def test_resolve_on_the_spot(form, db, qtbot):
    kb = Keyboard()
    kb.type("13800000005")
    form.fields.category.set_code("parking")
    form.fields.description.setPlainText("Parking ticket not validated")
    kb.press(Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier, "Ctrl+R")
    assert form.spot.isVisible() and form.spot.types.hasFocus()
    kb.choose("1")  # apology
    kb.tab()
    kb.type("Validated the ticket and apologised")
    kb.tab()
    kb.type("20")
    kb.press(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier, "Ctrl+S")
    d = get_detail(db, form.last_reference)
    assert d.stage == "follow_up" and d.solution_types == ["apology"]
    assert d.amount_cents == 2000 and d.implementation == "Validated the ticket and apologised"
    assert not form.spot.isVisible()


def test_resolve_on_the_spot_needs_what_was_done(form, db):
    form.fields.customer.phone.setText("13800000005")
    form.fields.category.set_code("parking")
    form.fields.description.setPlainText("x")
    form.toggle_spot()
    assert form.save() is None
    assert form.spot.grid.rows["solution_types"].error.text() == "is required"
    assert form.spot.grid.rows["implementation"].error.text() == "is required"
    assert complaints(db) == 0


def test_a_clerk_cannot_pay_over_the_approval_threshold_on_the_spot(form, db):
    form.fields.customer.phone.setText("13800000005")
    form.fields.category.set_code("parking")
    form.fields.description.setPlainText("x")
    form.toggle_spot()
    form.spot.types.set_codes(["cash"])
    form.spot.done.setPlainText("Paid cash")
    form.spot.amounts.fields["cash"].setText("800")  # over the 500.00 threshold
    assert form.save() is None
    assert "supervisor must approve" in form.spot.grid.rows["amount"].error.text()
    assert form.banner.kind == "error" and complaints(db) == 0


def test_save_and_print_hands_the_slip_over(form, monkeypatch):
    import ui.printing

    delivered = []
    monkeypatch.setattr(ui.printing, "deliver_slip",
                        lambda ctx, ref, parent, with_dialog=None: delivered.append(
                            (ref, with_dialog)))
    Keyboard().type("13800000006")
    form.fields.description.setPlainText("Print me")
    Keyboard().press(Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier, "Ctrl+P")
    assert delivered == [(form.last_reference, None)]  # as this PC prints slips
    form.fields.customer.phone.setFocus()
    Keyboard().type("13800000007")
    form.fields.description.setPlainText("Print me with the dialog")
    # Ctrl+Shift+P: the print dialog even where slips go straight to the printer (issue 18).
    Keyboard().press(Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier
                     | Qt.KeyboardModifier.ShiftModifier, "Ctrl+Shift+P")
    assert delivered[1:] == [(form.last_reference, True)]


def test_save_and_print_without_the_printing_module_says_so(form, monkeypatch):
    import sys

    told = []
    monkeypatch.setitem(sys.modules, "ui.printing", None)  # import fails
    monkeypatch.setattr(intake_form, "inform", lambda parent, text: told.append(text))
    form.fields.customer.phone.setText("13800000006")
    form.fields.description.setPlainText("Print me")
    ref = form.save(print_slip=True)
    assert ref and told and ref in told[0]


def test_escape_asks_before_clearing_and_ctrl_l_clears(form, monkeypatch):
    answers = iter([False, True])
    monkeypatch.setattr(intake_form, "ask", lambda parent, text: next(answers))
    kb = Keyboard()
    kb.type("13800000007")
    kb.press(Qt.Key.Key_Escape, name="Esc")
    assert form.fields.customer.phone.text() == "13800000007"
    kb.press(Qt.Key.Key_Escape, name="Esc")
    assert form.fields.customer.phone.text() == ""
    kb.type("13800000008")
    kb.press(Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier, "Ctrl+L")
    assert form.is_empty()


def test_lists_offer_active_values_in_the_current_language(form, db):
    with db.write() as s:
        s.execute(update(ListValue).where(ListValue.kind == "category",
                                          ListValue.code == "parking").values(active=False))
    set_language("zh-Hant")
    form.retranslate()
    combo = form.fields.category
    codes = [combo.itemData(i) for i in range(combo.count())]
    assert "parking" not in codes and "safety" in codes
    assert "商品質量" in combo.itemText(codes.index("product_quality"))


def test_pick_lists_answer_number_keys_and_type_ahead(form):
    combo = form.fields.severity
    combo.setFocus()
    QTest.keyClick(combo, Qt.Key.Key_4)
    assert combo.code() == "urgent"
    QTest.keyClicks(combo, "min")
    assert combo.code() == "minor"
    emotion = form.fields.emotion
    emotion.setFocus()
    QTest.keyClick(emotion, Qt.Key.Key_2)
    assert emotion.code() == "upset"
    QTest.keyClick(emotion, Qt.Key.Key_Delete)
    assert emotion.code() is None


def test_received_time_is_when_the_clerk_began(form, fixed_clock):
    assert form.fields.received_value() == NOW
    form.fields.customer.phone.setText("13800000009")
    fixed_clock.advance(minutes=7)
    form.fields.tick()  # the 30 s refresh no longer moves it
    form.fields.description.setPlainText("x")
    ref = form.save()
    assert get_detail(form.ctx.db, ref).received_at == NOW
    assert form.fields.received_value() == datetime(2026, 3, 10, 10, 7)  # next customer: now


def test_an_emptied_form_leaves_no_draft(form, db, qtbot):
    path: Path = draft_file(db.paths.drafts, form.draft_name())
    form.fields.customer.phone.setText("1")
    qtbot.waitUntil(path.exists, timeout=3000)
    form.fields.customer.phone.setText("")
    qtbot.waitUntil(lambda: not path.exists(), timeout=3000)  # an emptied form leaves no draft
