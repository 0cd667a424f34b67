"""Issue 18 in the complaint panel: a complaint carried forward with keys only (save the section,
next / previous section, move through the guards, approve), the cursor staying in the panel
after every change (it used to land in the window's go-to box), and the panel's saves off the
GUI thread while another program holds the database's write lock."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QEvent, QObject, QSettings, Qt
from PySide6.QtGui import QRegion
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from app.db import Database
from app.i18n import translate
from app.services.common import Actor
from app.services.complaints import get_detail
from tests.complaint_factory import advance, new_complaint
from tests.ui.keyboard import Keyboard
from tests.write_lock import WriteLockHolder
from ui import messages, tasks
from ui.complaint.panel import ComplaintPanel
from ui.context import DeskContext
from ui.main_window import MainWindow
from ui.shortcuts import COMPLAINT, SHORTCUTS, all_keys

CTRL = Qt.KeyboardModifier.ControlModifier


class Said:
    def __init__(self) -> None:
        self.warnings: list[str] = []
        self.questions: list[str] = []
        self.answer = True


@pytest.fixture
def said(monkeypatch: pytest.MonkeyPatch) -> Said:
    s = Said()
    monkeypatch.setattr(messages, "warn", lambda parent, text, title=None:
                        s.warnings.append(text))

    def ask(parent: Any, text: str, title: str | None = None) -> bool:
        s.questions.append(text)
        return s.answer

    monkeypatch.setattr(messages, "ask", ask)
    return s


@pytest.fixture
def window(qtbot: QtBot, ctx: DeskContext, tmp_path: Any, fixed_clock: Any) -> MainWindow:
    w = MainWindow(ctx, QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(w)
    w.resize(1280, 720)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    return w


def open_in(window: MainWindow, qtbot: QtBot, ref: str) -> ComplaintPanel:
    window.ctx.signals.open_complaint.emit(ref)
    panel = window.views["complaint"]
    assert isinstance(panel, ComplaintPanel)
    qtbot.waitUntil(lambda: panel.reference == ref)
    return panel


def press(kb: Keyboard, qtbot: QtBot, key: Qt.Key, mods: Qt.KeyboardModifier, name: str) -> None:
    kb.press(key, mods, name)
    qtbot.waitUntil(tasks.idle, timeout=15_000)


def in_panel(panel: ComplaintPanel) -> QWidget:
    focus = QApplication.focusWidget()
    assert focus is not None and panel.isAncestorOf(focus), focus
    return focus


def number_of(combo: Any, code: str) -> str:
    """The number key that picks `code` in a pick list (its n-th item)."""
    return str([combo.itemData(i) for i in range(combo.count())].index(code)
               + (0 if combo.optional else 1))


def number_in(group: Any, code: str) -> str:
    """The number key that ticks `code` in a group of choices."""
    from ui.widgets.check_group import CODE_ROLE

    return str([group.item(i).data(CODE_ROLE) for i in range(group.count())].index(code) + 1)


def test_a_complaint_carried_forward_with_keys_only(
        window: MainWindow, qtbot: QtBot, db: Database, clerk: Actor, said: Said,
        capsys: Any) -> None:
    ref = new_complaint(db, clerk)
    panel = open_in(window, qtbot, ref)
    a = panel.sections["assessment"]
    assert a.category.hasFocus()  # type: ignore[attr-defined]  # it opens where the work is
    kb = Keyboard()
    kb.tab(2)  # severity (normal) -> owner
    kb.choose(number_of(a.owner, str(clerk.user_id)))  # type: ignore[attr-defined]
    press(kb, qtbot, Qt.Key.Key_S, CTRL, "Ctrl+S")
    assert get_detail(db, ref).stage == "assessed"
    in_panel(panel)

    press(kb, qtbot, Qt.Key.Key_PageDown, CTRL, "Ctrl+PgDown")
    inv = panel.sections["investigation"]
    assert inv.findings.hasFocus()  # type: ignore[attr-defined]
    kb.type("同批次外套已有三起开线投诉")
    kb.tab()  # the verdict (issue 20): needed to leave the investigation
    kb.choose(number_of(inv.verdict, "true"))  # type: ignore[attr-defined]  # verified true
    kb.tab(2)  # root cause -> responsibility
    kb.choose(number_of(inv.responsibility, "tenant"))  # type: ignore[attr-defined]
    press(kb, qtbot, Qt.Key.Key_S, CTRL, "Ctrl+S")
    d = get_detail(db, ref)
    assert (d.stage, d.findings, d.verified, d.responsibility) == (
        "investigating", "同批次外套已有三起开线投诉", "true", "tenant")
    press(kb, qtbot, Qt.Key.Key_PageUp, CTRL, "Ctrl+PgUp")
    assert panel.current_part == "assessment"
    press(kb, qtbot, Qt.Key.Key_PageDown, CTRL, "Ctrl+PgDown")

    # Ctrl+M goes through the guards: refused, the reason shown, the cursor where it is missing.
    press(kb, qtbot, Qt.Key.Key_M, CTRL, "Ctrl+M")
    assert said.warnings == ["Propose a solution first."]
    assert panel.banner.isVisible() and "Propose a solution first." in panel.banner.text.text()
    sol = panel.sections["solution"]
    assert sol.types.hasFocus() and get_detail(db, ref).stage == "investigating"  # type: ignore[attr-defined]
    kb.choose(number_in(sol.types, "refund"))  # type: ignore[attr-defined]
    kb.tab()
    kb.type("199")
    press(kb, qtbot, Qt.Key.Key_S, CTRL, "Ctrl+S")
    assert get_detail(db, ref).solution_amounts == {"refund": 19900}

    press(kb, qtbot, Qt.Key.Key_M, CTRL, "Ctrl+M")
    assert get_detail(db, ref).stage == "proposed"
    # After the move the cursor is at the next thing to do, in the panel.
    agree = panel.sections["agreement"].agree_button  # type: ignore[attr-defined]
    assert in_panel(panel) is agree
    press(kb, qtbot, Qt.Key.Key_Space, Qt.KeyboardModifier.NoModifier, "Space")
    assert get_detail(db, ref).customer_agreed_at is not None
    press(kb, qtbot, Qt.Key.Key_M, CTRL, "Ctrl+M")
    assert get_detail(db, ref).stage == "in_progress"
    assert panel.sections["implementation"].done_text.hasFocus()  # type: ignore[attr-defined]
    assert not window.goto_box.hasFocus()
    assert said.warnings == ["Propose a solution first."]
    with capsys.disabled():
        print(f"\npanel, new to in progress: {kb.presses} command keys ({' '.join(kb.log)})")


def test_after_a_move_by_button_the_cursor_stays_in_the_panel(
        window: MainWindow, qtbot: QtBot, db: Database, clerk: Actor, supervisor: Actor,
        said: Said) -> None:
    ref = new_complaint(db, clerk)
    advance(db, ref, "investigating", clerk, supervisor)
    from app.services import resolution

    resolution.propose_solution(db, ref, types=["apology"], amounts={}, description="致歉",
                                actor=clerk)
    panel = open_in(window, qtbot, ref)
    button = panel.move_bar.buttons["proposed"]
    button.setFocus()
    Keyboard().press(Qt.Key.Key_Space, name="Space")
    qtbot.waitUntil(tasks.idle, timeout=15_000)
    assert get_detail(db, ref).stage == "proposed"
    assert in_panel(panel) is panel.sections["agreement"].agree_button  # type: ignore[attr-defined]


def test_ctrl_s_where_the_section_has_nothing_to_save_says_so(
        window: MainWindow, qtbot: QtBot, db: Database, clerk: Actor, supervisor: Actor,
        said: Said) -> None:
    ref = new_complaint(db, clerk)
    advance(db, ref, "closed", clerk, supervisor)
    panel = open_in(window, qtbot, ref)
    version = get_detail(db, ref).version
    Keyboard().press(Qt.Key.Key_S, CTRL, "Ctrl+S")
    assert "has nothing to save now" in panel.banner.text.text()
    Keyboard().press(Qt.Key.Key_M, CTRL, "Ctrl+M")
    assert "Only a supervisor can reopen it" in panel.banner.text.text()
    assert get_detail(db, ref).version == version
    in_panel(panel)


def test_a_supervisor_approves_with_ctrl_shift_a_after_a_question(
        window: MainWindow, qtbot: QtBot, ctx: DeskContext, db: Database, clerk: Actor,
        supervisor: Actor, said: Said) -> None:
    ref = new_complaint(db, clerk)
    advance(db, ref, "proposed", clerk, supervisor, amount="900")
    panel = open_in(window, qtbot, ref)
    shift = CTRL | Qt.KeyboardModifier.ShiftModifier
    press(Keyboard(), qtbot, Qt.Key.Key_A, shift, "Ctrl+Shift+A")
    assert "needs the role: Supervisor" in panel.banner.text.text()  # a clerk
    assert get_detail(db, ref).approval_state == "pending"
    ctx.actor = supervisor
    ctx.signals.actor_changed.emit()
    assert not panel.banner.isVisible()  # the clerk's notice went with the clerk
    said.answer = False
    press(Keyboard(), qtbot, Qt.Key.Key_A, shift, "Ctrl+Shift+A")
    assert said.questions[-1] == f"Approve the solution of {ref}: ¥900.00?"
    assert get_detail(db, ref).approval_state == "pending"
    said.answer = True
    press(Keyboard(), qtbot, Qt.Key.Key_A, shift, "Ctrl+Shift+A")
    assert get_detail(db, ref).approval_state == "approved"
    in_panel(panel)
    press(Keyboard(), qtbot, Qt.Key.Key_A, shift, "Ctrl+Shift+A")
    assert "Nothing on this complaint waits" in panel.banner.text.text()


def test_another_person_signing_in_does_not_inherit_unsaved_edits(
        window: MainWindow, qtbot: QtBot, ctx: DeskContext, db: Database, clerk: Actor,
        supervisor: Actor, staff: dict[str, Actor], said: Said) -> None:
    ref = new_complaint(db, clerk)
    advance(db, ref, "assessed", clerk, supervisor)
    panel = open_in(window, qtbot, ref)
    inv = panel.sections["investigation"]
    inv.findings.setPlainText("李小红写了一半")  # type: ignore[attr-defined]
    panel.notify("success", lambda: "Saved by 李小红")
    ctx.actor = staff["clerk2"]
    ctx.signals.actor_changed.emit()
    assert inv.findings.toPlainText() == ""  # type: ignore[attr-defined]
    assert not panel.banner.isVisible() and not panel.unsaved()


def test_every_panel_key_of_the_table_is_bound_and_translated(
        window: MainWindow, qtbot: QtBot, db: Database, clerk: Actor) -> None:
    panel = open_in(window, qtbot, new_complaint(db, clerk))
    bound = {s.key().toString() for s in panel.keys.shortcuts}
    listed = {key for s in SHORTCUTS if s.area == COMPLAINT for key in all_keys(s.id)}
    assert bound == listed
    for shortcut in SHORTCUTS:
        if shortcut.area == COMPLAINT:
            for lang in ("zh-Hans", "zh-Hant"):
                assert translate(shortcut.what, lang) != shortcut.what


@pytest.fixture
def panel(qtbot: QtBot, ctx: DeskContext, said: Said, fixed_clock: Any) -> ComplaintPanel:
    widget = ComplaintPanel(ctx)
    qtbot.addWidget(widget)
    widget.resize(1280, 680)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    return widget


def test_a_panel_save_waits_for_the_write_lock_without_freezing(
        panel: ComplaintPanel, qtbot: QtBot, db: Database, clerk: Actor,
        supervisor: Actor, said: Said) -> None:
    from tests.ui.test_intake_saving import LoopWatch

    ref = new_complaint(db, clerk)
    advance(db, ref, "assessed", clerk, supervisor)
    panel.open(ref)
    inv = panel.sections["investigation"]
    findings = inv.findings  # type: ignore[attr-defined]
    findings.setFocus()
    Keyboard().type("调查中：等待商户回复")
    inv.responsibility.set_code("tenant")  # type: ignore[attr-defined]
    with WriteLockHolder(db) as holder:
        watch = LoopWatch()
        Keyboard().press(Qt.Key.Key_S, CTRL, "Ctrl+S")
        assert panel.saving.busy
        qtbot.waitUntil(lambda: panel.busy_strip.waiting, timeout=5_000)
        Keyboard().type("（又打了字）")
        Keyboard().press(Qt.Key.Key_S, CTRL, "Ctrl+S")
        Keyboard().press(Qt.Key.Key_M, CTRL, "Ctrl+M")
        assert findings.toPlainText() == "调查中：等待商户回复"
        assert panel.saving.started_saves == 1
        assert watch.stop() < 500
        holder.release()
        qtbot.waitUntil(tasks.idle, timeout=30_000)
    d = get_detail(db, ref)
    assert (d.stage, d.findings) == ("investigating", "调查中：等待商户回复")
    assert [e.kind for e in d.timeline].count("investigation") == 1
    assert findings.hasFocus() and not panel.busy_strip.isVisible()
    assert said.warnings == []


def test_a_busy_database_keeps_the_panels_edits(
        qtbot: QtBot, impatient: Database, clerk: Actor, supervisor: Actor, said: Said,
        fixed_clock: Any) -> None:
    ref = new_complaint(impatient, clerk)
    advance(impatient, ref, "assessed", clerk, supervisor)
    panel = ComplaintPanel(DeskContext(db=impatient, actor=clerk))
    qtbot.addWidget(panel)
    panel.resize(1280, 680)
    panel.show()
    panel.open(ref)
    inv = panel.sections["investigation"]
    inv.findings.setPlainText("等待商户回复")  # type: ignore[attr-defined]
    inv.responsibility.set_code("tenant")  # type: ignore[attr-defined]
    with WriteLockHolder(impatient):
        inv.save_button.click()  # type: ignore[attr-defined]
        qtbot.waitUntil(tasks.idle, timeout=20_000)
    assert len(said.warnings) == 1 and "busy" in said.warnings[0]
    assert "nothing was saved" in panel.banner.text.text() and panel.banner.kind == "warning"
    assert inv.findings.toPlainText() == "等待商户回复"  # type: ignore[attr-defined]
    assert get_detail(impatient, ref).findings is None
    inv.save_button.click()  # type: ignore[attr-defined]
    qtbot.waitUntil(tasks.idle, timeout=20_000)
    assert get_detail(impatient, ref).findings == "等待商户回复"


def test_amount_fields_replaced_at_once_never_open_as_windows_of_their_own(
        qtbot: QtBot) -> None:
    """A type's amount field added to the visible editor and replaced before the event loop
    turned (the solution section fills, then its types change) opened as a small window of its
    own: it took the keyboard focus from the main window (the panel lost its cursor)."""
    from PySide6.QtWidgets import QVBoxLayout

    from ui.widgets.amounts_editor import AmountsEditor

    top = QWidget()
    qtbot.addWidget(top)
    editor = AmountsEditor()
    QVBoxLayout(top).addWidget(editor)
    top.show()
    qtbot.waitExposed(top)
    editor.set_types([("refund", "Refund")])
    editor.set_types([("refund", "Refund"), ("cash", "Cash")])
    qtbot.wait(50)
    strays = [w for w in QApplication.topLevelWidgets()
              if w.isVisible() and w is not top and w.isWindow() and not isinstance(
                  w, MainWindow | ComplaintPanel)]
    assert strays == []
    assert list(editor.fields) == ["refund", "cash"]


def test_a_switch_and_an_open_during_a_panel_save_wait_for_its_outcome(
        panel: ComplaintPanel, qtbot: QtBot, ctx: DeskContext, db: Database, clerk: Actor,
        supervisor: Actor, staff: dict[str, Actor], said: Said) -> None:
    """Another person signs in, then asks for another complaint, while the first one's save
    waits for the write lock: the save finishes as the first person's, then the panel becomes
    the new person's (no notice of the first one left) and shows the complaint asked for."""
    ref = new_complaint(db, clerk)
    other = new_complaint(db, clerk, customer_name="陈先生", phone="13900000009")
    advance(db, ref, "assessed", clerk, supervisor)
    panel.open(ref)
    inv = panel.sections["investigation"]
    inv.findings.setPlainText("李小红查到：同批次问题")  # type: ignore[attr-defined]
    inv.responsibility.set_code("tenant")  # type: ignore[attr-defined]
    with WriteLockHolder(db) as holder:
        inv.save_button.click()  # type: ignore[attr-defined]
        assert panel.saving.busy
        ctx.actor = staff["clerk2"]
        ctx.signals.actor_changed.emit()
        ctx.signals.open_complaint.emit(other)
        # Still the first complaint, its edits on view, while they are being saved.
        assert panel.reference == ref
        assert inv.findings.toPlainText() == "李小红查到：同批次问题"  # type: ignore[attr-defined]
        holder.release()
        qtbot.waitUntil(tasks.idle, timeout=30_000)
    d = get_detail(db, ref)
    assert d.findings == "李小红查到：同批次问题"
    [entry] = [e for e in d.timeline if e.kind == "investigation"]
    assert entry.actor == clerk.name
    assert panel.reference == other and not panel.banner.isVisible()
    assert said.warnings == [] and said.questions == []


def test_a_move_queued_behind_another_save_is_made_by_who_asked(
        window: MainWindow, qtbot: QtBot, ctx: DeskContext, db: Database, clerk: Actor,
        supervisor: Actor, staff: dict[str, Actor], said: Said) -> None:
    """Saves of all screens go one at a time: a move asked for in the panel while the intake
    form's save waits for the lock runs after it. Another person signing in meanwhile does not
    make it theirs (it took the name of whoever was signed in when it ran)."""
    from app.services import resolution
    from tests.ui.test_intake_saving import fill

    ref = new_complaint(db, clerk)
    advance(db, ref, "investigating", clerk, supervisor)
    resolution.propose_solution(db, ref, types=["apology"], amounts={}, description="致歉",
                                actor=clerk)
    form = window.view("intake")
    panel = open_in(window, qtbot, ref)
    with WriteLockHolder(db) as holder:
        fill(form)  # type: ignore[arg-type]
        assert form.save()  # type: ignore[attr-defined]
        assert panel.complaint.request_move("proposed")
        ctx.actor = staff["clerk2"]
        ctx.signals.actor_changed.emit()
        holder.release()
        qtbot.waitUntil(tasks.idle, timeout=30_000)
    d = get_detail(db, ref)
    assert d.stage == "proposed"
    assert d.timeline[-1].actor == clerk.name, [(e.kind, e.actor) for e in d.timeline]


class Painted(QObject):
    """The region of `widget` painted since the last `clear()`, in its own coordinates."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self.region = QRegion()
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.Paint:
            self.region = self.region.united(event.region())  # type: ignore[attr-defined]
        return False


def test_the_section_that_becomes_current_is_painted_whole(
        panel: ComplaintPanel, qtbot: QtBot, db: Database, clerk: Actor, supervisor: Actor,
        said: Said) -> None:
    """Its blue border drawn all round: after a refused move the view scrolled to the section
    asked for, and the part of it already on screen was moved up as it was (grey border), only
    the part scrolled in was drawn blue."""
    ref = new_complaint(db, clerk)
    advance(db, ref, "investigating", clerk, supervisor)
    panel.open(ref)
    solution = panel.sections["solution"]
    qtbot.waitUntil(lambda: not solution.visibleRegion().isEmpty())  # partly on screen
    qtbot.wait(50)
    painted = Painted(solution)
    panel.scroll_to("solution")
    qtbot.wait(100)
    on_screen = solution.visibleRegion()
    assert panel.current_part == "solution" and solution.property("current") is True
    assert on_screen.subtracted(painted.region).isEmpty(), (
        on_screen.boundingRect(), painted.region.boundingRect())


def test_an_own_due_time_typed_as_a_date_is_the_one_saved(
        panel: ComplaintPanel, qtbot: QtBot, db: Database, clerk: Actor, said: Said,
        fixed_clock: Any) -> None:
    """The assessment's due time set by hand, typed as written (Qt's own field skipped the
    month after the year's "-": 2026-03-20 18:00 became 2026-03-… 20:18)."""
    ref = new_complaint(db, clerk)
    panel.open(ref)
    a = panel.sections["assessment"]
    a.owner.set_code(str(clerk.user_id))  # type: ignore[attr-defined]
    a.own_due.setChecked(True)  # type: ignore[attr-defined]
    due = a.due  # type: ignore[attr-defined]
    due.setFocus()
    due.setSelectedSection(due.Section.YearSection)
    Keyboard().type("2026-03-20 18:00")
    assert due.hasFocus() and due.text() == "2026-03-20 18:00"
    Keyboard().press(Qt.Key.Key_S, CTRL, "Ctrl+S")
    qtbot.waitUntil(tasks.idle, timeout=15_000)
    d = get_detail(db, ref)
    assert d.stage == "assessed" and d.due_at is not None
    assert d.due_at.strftime("%Y-%m-%d %H:%M") == "2026-03-20 18:00"
