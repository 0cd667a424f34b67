"""Issue 18: the intake form's saves never freeze the window, and nothing stale stays on it.

Another program holds the database's write lock for real (tests/write_lock.py: a second process
in BEGIN IMMEDIATE, or holding the desk's lock on PostgreSQL) while the clerk saves: the window
keeps answering, the form stays readable but takes no input, a second Ctrl+S starts nothing,
and the outcome is told: saved once the lock goes, or busy with the input kept.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from PySide6.QtCore import QElapsedTimer, Qt, QTimer
from PySide6.QtTest import QTest
from sqlalchemy import func, select

from app.db import ConnectionLost, Database
from app.drafts import load_draft
from app.models import Complaint
from app.services.common import Actor
from tests.ui.intake_screen import open_form
from tests.ui.keyboard import Keyboard, commit
from tests.write_lock import WriteLockHolder
from ui import background_save
from ui.context import DeskContext
from ui.intake import intake_form
from ui.intake.intake_form import VALIDATE_MS, IntakeForm


def complaints(db: Database) -> int:
    with db.read() as s:
        return int(s.scalar(select(func.count()).select_from(Complaint)) or 0)


@pytest.fixture
def form(qtbot: Any, ctx: DeskContext, fixed_clock: Any) -> IntakeForm:
    return open_form(qtbot, ctx)


def fill(form: IntakeForm) -> None:
    kb = Keyboard()
    form.fields.customer.phone.setFocus()
    kb.type("13912345678")
    kb.tab()
    kb.type("林美玲")
    form.fields.description.setFocus()
    kb.type("洗发后头皮发红发痒，要求退款。")


class LoopWatch:
    """The longest the GUI thread went without turning its event loop (a timer every 20 ms)."""

    def __init__(self) -> None:
        self.clock = QElapsedTimer()
        self.clock.start()
        self.last = 0
        self.longest = 0
        self.timer = QTimer()
        self.timer.setInterval(20)
        self.timer.timeout.connect(self._tick)
        self.timer.start()

    def _tick(self) -> None:
        now = self.clock.elapsed()
        self.longest = max(self.longest, now - self.last)
        self.last = now

    def stop(self) -> int:
        self.timer.stop()
        return self.longest


def test_a_save_waits_for_another_programs_write_lock_without_freezing(
        form: IntakeForm, qtbot: Any, db: Database) -> None:
    fill(form)
    description = form.fields.description
    with WriteLockHolder(db) as holder:
        watch = LoopWatch()
        Keyboard().press(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier, "Ctrl+S")
        assert form.saving.busy and form.saving.started_saves == 1
        # The database makes it wait: the strip says so, with the seconds.
        qtbot.waitUntil(lambda: form.busy_strip.waiting, timeout=5_000)
        assert form.busy_strip.isVisible() and "Still saving" in form.busy_strip.text.text()
        # Not the last inline check's "To save: Customer name, …" from before the last keys.
        assert form.missing.text() == ""
        qtbot.wait(1_000)
        # Nothing typed meanwhile lands in the form; no second save is queued.
        QTest.keyClick(description, Qt.Key.Key_X)
        commit(description, "再说一遍")
        Keyboard().press(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier, "Ctrl+S")
        qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
        assert description.toPlainText() == "洗发后头皮发红发痒，要求退款。"
        assert form.saving.started_saves == 1
        # The form stays on view, as it was: readable while it waits.
        assert description.isVisible() and form.fields.customer.name.text() == "林美玲"
        assert form.busy_strip.isVisible()
        waited = watch.stop()
        assert waited < 500, f"the window stood still for {waited} ms"
        assert complaints(db) == 0
        holder.release()
        qtbot.waitUntil(lambda: not form.saving.busy, timeout=30_000)
    assert complaints(db) == 1  # saved once, not twice
    assert form.banner.kind == "success" and form.last_reference in form.banner.text.text()
    assert not form.busy_strip.isVisible()
    assert form.fields.customer.phone.hasFocus() and form.is_empty()
    Keyboard().type("1380")  # the form takes input again
    assert form.fields.customer.phone.text() == "1380"


def test_a_busy_database_saves_nothing_and_keeps_the_input(
        qtbot: Any, impatient: Database, clerk: Actor, fixed_clock: Any) -> None:
    form = open_form(qtbot, DeskContext(db=impatient, actor=clerk))
    fill(form)
    with WriteLockHolder(impatient):
        form.save()
        qtbot.waitUntil(lambda: not form.saving.busy, timeout=20_000)
        assert complaints(impatient) == 0
        text = form.banner.text.text()
        assert form.banner.kind == "warning"
        assert "Not saved" in text and "busy" in text and "nothing was saved" in text
        assert form.fields.description.toPlainText() == "洗发后头皮发红发痒，要求退款。"
        draft = load_draft(impatient.paths.drafts, form.draft_name())
        assert draft is not None and draft.fields["description"] == "洗发后头皮发红发痒，要求退款。"
        assert form.fields.description.hasFocus()  # where the clerk was
    form.save()  # the other program is done: saving again works
    qtbot.waitUntil(lambda: not form.saving.busy, timeout=20_000)
    assert complaints(impatient) == 1 and form.banner.kind == "success"
    assert load_draft(impatient.paths.drafts, form.draft_name()) is None


def test_wrong_input_is_told_at_once_even_while_the_database_is_busy(
        form: IntakeForm, qtbot: Any, db: Database) -> None:
    form.fields.customer.phone.setText("12ab")
    form.fields.description.setPlainText("x")
    with WriteLockHolder(db):
        started = time.monotonic()
        form.save()
        qtbot.waitUntil(lambda: not form.saving.busy, timeout=20_000)
        assert time.monotonic() - started < 5  # not after the 30 s wait for the lock
    assert form.fields.left.rows["phone"].error.text() == "is not a phone number (digits only)"
    assert form.banner.kind == "error" and complaints(db) == 0


@pytest.mark.parametrize(("maybe", "words"), [
    (False, "so this was not saved"), (True, "it may or may not have been saved")])
def test_a_lost_connection_says_whether_the_save_may_have_reached_the_server(
        form: IntakeForm, qtbot: Any, db: Database, monkeypatch: pytest.MonkeyPatch,
        maybe: bool, words: str) -> None:
    """The outcome the bundle's ConnectionLost reports (the cut itself is tested for real in
    tests/ui/test_network_loss_window.py and tests/pg/test_network_loss.py)."""
    def cut(database: Database, data: object, actor: object) -> None:
        raise ConnectionLost(maybe_saved=maybe)

    monkeypatch.setattr(intake_form, "log_complaint", cut)
    asked: list[str] = []
    monkeypatch.setattr(intake_form, "ask", lambda parent, text: asked.append(text) or False)
    fill(form)
    form.save()
    qtbot.waitUntil(lambda: not form.saving.busy, timeout=10_000)
    assert words in form.banner.text.text() and form.banner.kind == "error"
    assert form.fields.customer.name.text() == "林美玲"
    assert load_draft(db.paths.drafts, form.draft_name()) is not None
    # Saving again after a save that may have reached the server asks first (a duplicate).
    assert form.save() is (not maybe)
    assert bool(asked) is maybe
    qtbot.waitUntil(lambda: not form.saving.busy, timeout=10_000)


def test_the_blank_form_after_a_save_marks_nothing_red(form: IntakeForm, qtbot: Any) -> None:
    """Saved with Ctrl+S from the description: leaving the description for the phone of the
    next complaint marked it "is required" on the blank form."""
    fill(form)
    form.fields.demands.setFocus()
    Keyboard().press(Qt.Key.Key_1, name="1")  # refund: highlighted as the current item
    form.fields.description.setFocus()
    assert form.fields.description.hasFocus()
    Keyboard().press(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier, "Ctrl+S")
    qtbot.waitUntil(lambda: bool(form.last_reference), timeout=10_000)
    qtbot.wait(VALIDATE_MS * 3)  # the inline check has run since
    shown = {field: row.error.text() for grid in (form.fields.left, form.fields.right)
             for field, row in grid.rows.items() if row.error.isVisibleTo(form)}
    assert shown == {}
    assert form.missing.styleSheet() == "color: #555;"  # neutral, not red
    assert not form.fields.demands.selectedItems()  # nothing looks chosen
    # Leaving a field of the new complaint empty still says so, as before.
    form.fields.description.setFocus()
    form.fields.customer.phone.setFocus()
    qtbot.waitUntil(lambda: form.fields.right.rows["description"].error.isVisibleTo(form))


def test_the_refusal_banner_goes_once_the_fields_are_corrected(
        form: IntakeForm, qtbot: Any) -> None:
    form.fields.customer.phone.setText("13800000001")
    form.save()
    qtbot.waitUntil(lambda: not form.saving.busy, timeout=10_000)
    assert form.banner.kind == "error" and form.banner.isVisible()
    form.fields.description.setPlainText("Lift out of order")
    qtbot.waitUntil(lambda: not form.banner.isVisible(), timeout=3_000)


def test_another_person_signing_in_gets_a_clean_form(
        form: IntakeForm, qtbot: Any, ctx: DeskContext, staff: dict[str, Actor]) -> None:
    """The previous clerk's "Saved as …" and half-typed complaint do not stay for the next
    person; the half-typed complaint waits in the first clerk's draft for their return."""
    fill(form)
    form.save()
    qtbot.waitUntil(lambda: bool(form.last_reference), timeout=10_000)
    assert form.banner.kind == "success"
    form.fields.customer.phone.setText("13700000000")  # the next customer, half typed
    first = form.draft_name()
    ctx.actor = staff["clerk2"]
    ctx.signals.actor_changed.emit()
    assert not form.banner.isVisible()
    assert form.is_empty() and form.draft_name() != first
    draft = load_draft(ctx.db.paths.drafts, first)
    assert draft is not None and draft.fields["customer"]["phone"] == "13700000000"
    form.fields.customer.phone.setText("13600000000")  # clerk2's own, then clerk1 is back
    ctx.actor = staff["clerk1"]
    ctx.signals.actor_changed.emit()
    assert form.fields.customer.phone.text() == "13700000000"
    assert form.banner.kind == "info" and "before another person signed in" in \
        form.banner.text.text()


def test_a_switch_during_a_save_lets_the_save_finish_for_whoever_typed_it(
        form: IntakeForm, qtbot: Any, ctx: DeskContext, db: Database,
        staff: dict[str, Actor]) -> None:
    fill(form)
    with WriteLockHolder(db) as holder:
        form.save()
        ctx.actor = staff["clerk2"]
        ctx.signals.actor_changed.emit()
        assert form.fields.customer.name.text() == "林美玲"  # still saving it
        holder.release()
        qtbot.waitUntil(lambda: not form.saving.busy, timeout=30_000)
    with db.read() as s:
        recorded = s.scalars(select(Complaint)).one().recorded_by_id
    assert recorded == staff["clerk1"].user_id
    assert form.is_empty() and not form.banner.isVisible()


def test_strip_texts_are_translated() -> None:
    from app.i18n import set_language

    strip = background_save.BusyStrip()
    set_language("zh-Hant")
    strip.show_progress(5_000)
    assert strip.text.text().startswith("仍在儲存") and strip.text.text().endswith("已等候 5 秒")
    strip.show_progress(100)
    assert strip.text.text() == "正在儲存…"


def test_a_person_signing_in_on_another_view_keeps_the_cursor_there(
        qtbot: Any, ctx: DeskContext, staff: dict[str, Actor], tmp_path: Any,
        fixed_clock: Any) -> None:
    """The intake form blanks itself for the new person without taking the cursor from the
    view on screen (it went into the hidden form's phone field: no key worked any more)."""
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from ui.main_window import MainWindow

    window = MainWindow(ctx, QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    form = window.view("intake")
    window.show_view("complaint")
    panel = window.views["complaint"]
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    assert panel.isAncestorOf(QApplication.focusWidget())
    ctx.actor = staff["clerk2"]
    ctx.signals.actor_changed.emit()
    focus = QApplication.focusWidget()
    assert focus is not None and panel.isAncestorOf(focus) and not form.isAncestorOf(focus)


def test_the_banner_follows_a_change_of_language(
        form: IntakeForm, qtbot: Any, ctx: DeskContext, db: Database) -> None:
    """The "Saved as …" notice and its button were left in the language they were shown in
    (English on a form switched to 简体中文, seen under Xvfb)."""
    from app.i18n import set_language

    fill(form)
    form.save()
    qtbot.waitUntil(lambda: bool(form.last_reference), timeout=10_000)
    ref = form.last_reference
    assert form.banner.text.text().startswith("Saved as")
    set_language("zh-Hans")
    form.retranslate()  # as the window does for each view (ui/main_window.py)
    assert form.banner.kind == "success" and form.banner.isVisible()
    assert form.banner.text.text().startswith("已受理") and ref in form.banner.text.text()
    assert form.banner.action.text() == "查看投诉"
    opened: list[str] = []
    ctx.signals.open_complaint.connect(opened.append)
    form.banner.action.click()  # still opens the complaint saved
    assert opened == [ref]
    # A notice closed by the clerk stays closed.
    form.banner.close_button.click()
    set_language("en")
    form.retranslate()
    assert not form.banner.isVisible()


def test_the_last_customers_outcome_goes_while_the_next_one_is_saved(
        form: IntakeForm, qtbot: Any, db: Database) -> None:
    """"Saved as <the customer before>. The form is ready…" stood above the strip saying the
    next complaint was still being saved (seen under Xvfb with the lock held)."""
    fill(form)
    form.save()
    qtbot.waitUntil(lambda: bool(form.last_reference), timeout=10_000)
    first = form.last_reference
    assert form.banner.isVisible() and first in form.banner.text.text()
    fill(form)
    with WriteLockHolder(db) as holder:
        form.save()
        qtbot.waitUntil(lambda: form.busy_strip.waiting, timeout=5_000)
        assert not form.banner.isVisible()
        holder.release()
        qtbot.waitUntil(lambda: not form.saving.busy, timeout=30_000)
    assert form.banner.kind == "success" and form.last_reference != first
    assert form.last_reference in form.banner.text.text()


KILLED_MID_SAVE = r"""
import sys
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from app.db import Database
from app.paths import Paths
from app.services.users import list_staff
from ui.context import DeskContext
from ui.intake.intake_form import IntakeForm

app = QApplication(sys.argv)
data_dir, url, db_file, user = sys.argv[1:5]
db = Database(Paths(Path(data_dir), url, Path(db_file) if db_file else None))
actor = next(m for m in list_staff(db) if m.username == user).as_actor()
form = IntakeForm(DeskContext(db=db, actor=actor))
form.show()
form.fields.customer.phone.setText("13912345678")
form.fields.customer.name.setText("林美玲")
form.fields.description.setPlainText("洗发后头皮发红发痒，要求退款。")
form.save()

def report():
    if form.busy_strip.waiting:  # the save waits for the lock: its draft is on disk
        print("saving", flush=True)
    else:
        QTimer.singleShot(50, report)

report()
app.exec()
"""


def test_a_program_killed_mid_save_brings_the_complaint_back_as_maybe_saved(
        qtbot: Any, db: Database, ctx: DeskContext, monkeypatch: pytest.MonkeyPatch) -> None:
    """The clerk's program is killed (Task Manager, a power cut) while its save waits for the
    write lock. Whether that save reached the database nobody can tell from the draft: the
    restarted form brings the complaint back, says it may be saved already, and asks before
    saving it again (it came back as if never saved: saving it again could record it twice)."""
    import os
    import subprocess
    import sys

    from tests.cli_process import python_env

    paths = db.paths
    with WriteLockHolder(db):
        child = subprocess.Popen(
            [sys.executable, "-c", KILLED_MID_SAVE, str(paths.data_dir), paths.db_url,
             str(paths.db_file or ""), "clerk1"],
            stdout=subprocess.PIPE, text=True,
            env=python_env(QT_QPA_PLATFORM="offscreen"), cwd=os.getcwd())
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "saving"
        child.kill()
        child.wait(timeout=30)
    assert complaints(db) == 0
    asked: list[str] = []
    monkeypatch.setattr(intake_form, "ask", lambda parent, text: asked.append(text) or False)
    form = open_form(qtbot, ctx)  # the program started again, the same clerk
    assert form.fields.customer.name.text() == "林美玲"
    assert form.banner.kind == "info"
    assert "may be saved already" in form.banner.text.text()
    assert form.save() is False  # asked first; "no": nothing saved
    assert asked and "had started when the program stopped" in asked[0]
    assert complaints(db) == 0
    # Looked in the queue, not there: saving it now records it, once, and no draft is left.
    monkeypatch.setattr(intake_form, "ask", lambda parent, text: True)
    assert form.save() is True
    qtbot.waitUntil(lambda: not form.saving.busy, timeout=15_000)
    assert complaints(db) == 1 and form.banner.kind == "success"
    assert load_draft(db.paths.drafts, form.draft_name()) is None


def test_a_draft_written_after_a_refused_save_is_not_said_to_be_maybe_saved(
        form: IntakeForm, qtbot: Any, db: Database) -> None:
    form.fields.customer.phone.setText("12ab")
    form.fields.description.setPlainText("x")
    form.save()
    qtbot.waitUntil(lambda: not form.saving.busy, timeout=10_000)
    draft = load_draft(db.paths.drafts, form.draft_name())
    assert draft is not None and not draft.fields["save_started"]


def test_a_hidden_form_checks_its_input_when_shown_again(
        form: IntakeForm, qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The inline check fired after the window had closed (and its database, on a server,
    was gone): a hidden form checks nothing; shown again, it checks what is there."""
    checks: list[object] = []
    real = intake_form.check_intake
    monkeypatch.setattr(intake_form, "check_intake",
                        lambda db, data: checks.append(data) or real(db, data))
    form.fields.customer.phone.setText("12ab")  # starts the check's timer
    form.hide()
    qtbot.wait(VALIDATE_MS * 3)
    assert checks == []
    form.show()
    qtbot.waitUntil(lambda: len(checks) == 1, timeout=3_000)
