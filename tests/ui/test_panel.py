"""The detail panel (issue 5): one complaint carried from intake to close without leaving the
panel, checked in the database and on the timeline after every step; approvals, conflicts,
the contact log, improvement actions, customer history, language switching."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent, QTextCursor
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QWidget
from pytestqt.qtbot import QtBot

from app.db import Database
from app.i18n import set_language
from app.services.common import Actor
from app.services.complaints import ComplaintDetail, get_detail, update_fields
from app.services.improvements import list_actions
from tests.complaint_factory import advance, new_complaint
from tests.conftest import ControlledClock
from ui import messages, tasks
from ui.complaint import dialogs
from ui.complaint.panel import ComplaintPanel
from ui.context import DeskContext


def type_text(widget: QWidget, text: str) -> None:
    """Type like a Chinese input method does: one committed string (keyClicks aborts on hanzi)."""
    widget.setFocus()
    if isinstance(widget, QPlainTextEdit):
        widget.moveCursor(QTextCursor.MoveOperation.End)  # as if clicked after the text
    event = QInputMethodEvent("", [])
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


class Recorder:
    def __init__(self) -> None:
        self.warnings: list[str] = []
        self.changed: list[str] = []


@pytest.fixture
def seen(monkeypatch: pytest.MonkeyPatch, ctx: DeskContext) -> Recorder:
    rec = Recorder()
    monkeypatch.setattr(messages, "warn", lambda parent, text, title=None:
                        rec.warnings.append(text))
    monkeypatch.setattr(messages, "ask", lambda parent, text, title=None: True)
    ctx.signals.data_changed.connect(rec.changed.append)
    return rec


@pytest.fixture
def panel(qtbot: QtBot, ctx: DeskContext, seen: Recorder) -> Iterator[ComplaintPanel]:
    widget = ComplaintPanel(ctx)
    qtbot.addWidget(widget)
    widget.resize(1366, 700)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget


def click(qtbot: QtBot, button: QWidget) -> None:
    """Click, then wait for what it started (saves run off the GUI thread) to be shown."""
    assert button.isVisibleTo(button.window()) and button.isEnabled(), button
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    done(qtbot)


def done(qtbot: QtBot) -> None:
    qtbot.waitUntil(tasks.idle, timeout=15_000)


def settled(panel: ComplaintPanel, db: Database, ref: str, stage: str) -> ComplaintDetail:
    """The database and the panel agree: stage, version, and the move buttons are exactly the
    moves the workflow allows now."""
    d = get_detail(db, ref, panel.role)
    assert d.stage == stage
    assert panel.detail is not None and panel.detail.version == d.version
    assert set(panel.move_bar.buttons) == set(d.allowed_moves)
    assert panel.timeline.texts() == [e.text for e in d.timeline]
    return d


def as_actor(ctx: DeskContext, actor: Actor) -> None:
    ctx.actor = actor
    ctx.signals.actor_changed.emit()


def test_one_complaint_from_intake_to_close_in_the_panel(
        qtbot: QtBot, panel: ComplaintPanel, ctx: DeskContext, db: Database, clerk: Actor,
        supervisor: Actor, seen: Recorder, fixed_clock: ControlledClock) -> None:
    ref = new_complaint(db, clerk)
    ctx.signals.open_complaint.emit(ref)
    settled(panel, db, ref, "new")
    assert panel.current_part == "assessment"  # opens where the work is

    # Assess
    a = panel.sections["assessment"]
    a.category.set_code("product_quality")  # type: ignore[attr-defined]
    a.severity.set_code("serious")  # type: ignore[attr-defined]
    a.owner.set_code(str(clerk.user_id))  # type: ignore[attr-defined]
    click(qtbot, a.save_button)  # type: ignore[attr-defined]
    d = settled(panel, db, ref, "assessed")
    assert (d.severity, d.owner_name) == ("serious", "李小红")
    assert panel.timeline.texts()[-3:] == ["Assessed: Serious, owner 李小红",
                                          "Moved New → Assessed",
                                          "Escalated to the supervisors: severity Serious"]
    assert seen.changed[-1] == ref

    # Investigate (typed the way a Chinese input method types)
    inv = panel.sections["investigation"]
    type_text(inv.findings, "同批次洗发水有三起过敏反馈")  # type: ignore[attr-defined]
    inv.responsibility.set_code("supplier")  # type: ignore[attr-defined]
    inv.root_cause.set_code("product_defect")  # type: ignore[attr-defined]
    inv.verdict.set_code("true")  # type: ignore[attr-defined]
    click(qtbot, inv.save_button)  # type: ignore[attr-defined]
    d = settled(panel, db, ref, "investigating")
    assert (d.findings, d.responsibility, d.root_cause) == (
        "同批次洗发水有三起过敏反馈", "supplier", "product_defect")
    assert ("Investigation recorded: Verified true, responsibility Supplier / manufacturer, "
            "root cause Product defect") in panel.timeline.texts()

    # Propose over the threshold (500.00): it waits for a supervisor
    sol = panel.sections["solution"]
    sol.types.set_codes(["refund", "cash"])  # type: ignore[attr-defined]
    # One amount per type ticked (the compensation ledger keeps them apart).
    assert list(sol.amounts.fields) == ["refund", "cash"]  # type: ignore[attr-defined]
    qtbot.keyClicks(sol.amounts.fields["refund"], "500")  # type: ignore[attr-defined]
    qtbot.keyClicks(sol.amounts.fields["cash"], "300")  # type: ignore[attr-defined]
    type_text(sol.description, "退款并补偿医药费")  # type: ignore[attr-defined]
    click(qtbot, sol.save_button)  # type: ignore[attr-defined]
    d = settled(panel, db, ref, "investigating")
    assert (d.approval_state, d.amount_cents) == ("pending", 80000)
    assert d.solution_amounts == {"refund": 50000, "cash": 30000}
    assert panel.timeline.texts()[-1] == "Approval requested (amount ¥800.00 over ¥500.00)"
    assert not sol.approve_button.isVisibleTo(panel)  # type: ignore[attr-defined]
    assert not panel.tabs.isTabVisible(panel.tabs.indexOf(panel.approvals))
    click(qtbot, panel.move_bar.buttons["proposed"])
    d = settled(panel, db, ref, "proposed")
    assert "in_progress" not in panel.move_bar.buttons
    assert "supervisor" in panel.move_bar.hint.text()

    # Approve as the supervisor, from the list of pending approvals
    as_actor(ctx, supervisor)
    assert panel.tabs.isTabVisible(panel.tabs.indexOf(panel.approvals))
    assert [p.reference for p in panel.approvals.items] == [ref]
    panel.tabs.setCurrentWidget(panel.approvals)
    assert sol.approve_button.isVisibleTo(panel)  # type: ignore[attr-defined]
    type_text(panel.approvals.comment, "金额合理，同意")
    click(qtbot, panel.approvals.approve_button)
    d = settled(panel, db, ref, "proposed")
    assert (d.approval_state, d.approval_comment) == ("approved", "金额合理，同意")
    assert panel.timeline.texts()[-1] == "Solution approved: 金额合理，同意"
    assert panel.timeline.model.rows[-1].actor == "王主管"
    assert panel.approvals.items == []
    as_actor(ctx, clerk)

    # The customer agrees; in progress
    click(qtbot, panel.sections["agreement"].agree_button)  # type: ignore[attr-defined]
    d = settled(panel, db, ref, "proposed")
    assert d.customer_agreed_at is not None
    click(qtbot, panel.move_bar.buttons["in_progress"])
    settled(panel, db, ref, "in_progress")

    # Implement; follow-up schedules the revisit by severity (serious: 3 days)
    impl = panel.sections["implementation"]
    type_text(impl.done_text, "已退款 800 元并致歉")  # type: ignore[attr-defined]
    click(qtbot, impl.save_button)  # type: ignore[attr-defined]
    d = settled(panel, db, ref, "in_progress")
    assert d.implementation == "已退款 800 元并致歉"
    click(qtbot, panel.move_bar.buttons["follow_up"])
    d = settled(panel, db, ref, "follow_up")
    assert [v.scheduled_for for v in d.revisits] == [date(2026, 3, 13)]
    assert panel.timeline.texts()[-1] == "Revisit scheduled for 13 Mar 2026"
    assert panel.current_part is not None

    # Revisit: not satisfied → reopened to investigating (counted)
    fixed_clock.advance(days=3)
    rv = panel.sections["revisit"]
    rv.method.set_code("phone")  # type: ignore[attr-defined]
    rv.satisfaction.set_code("2")  # type: ignore[attr-defined]
    type_text(rv.comment, "皮肤仍有红肿")  # type: ignore[attr-defined]
    click(qtbot, rv.record_button)  # type: ignore[attr-defined]
    d = settled(panel, db, ref, "investigating")
    assert (d.reopen_count, d.satisfaction) == (1, None)
    assert panel.timeline.texts()[-2:] == [
        "Revisit by Phone: satisfaction 2/5, not satisfied — 皮肤仍有红肿",
        "Reopened Follow-up → Investigating: 皮肤仍有红肿"]
    assert "Reopened 1×" in panel.header.title.text()

    # Again: a new solution under the threshold, agreed, carried out, revisited satisfied;
    # the one carried out before stays on record, shown under the new one.
    assert sol.types.codes() == []  # type: ignore[attr-defined]
    assert "¥500.00" in sol.earlier.text() and "carried out" in sol.earlier.text()  # type: ignore[attr-defined]
    sol.types.set_codes(["cash"])  # type: ignore[attr-defined]
    sol.amounts.fields["cash"].setText("300")  # type: ignore[attr-defined]
    click(qtbot, sol.save_button)  # type: ignore[attr-defined]
    d = settled(panel, db, ref, "investigating")
    assert (d.approval_state, d.customer_agreed_at) == ("not_needed", None)
    click(qtbot, panel.move_bar.buttons["proposed"])
    click(qtbot, panel.sections["agreement"].agree_button)  # type: ignore[attr-defined]
    click(qtbot, panel.move_bar.buttons["in_progress"])
    type_text(impl.done_text, "另补偿 300 元")  # type: ignore[attr-defined]
    click(qtbot, impl.save_button)  # type: ignore[attr-defined]
    click(qtbot, panel.move_bar.buttons["follow_up"])
    d = settled(panel, db, ref, "follow_up")
    assert d.implementation == "另补偿 300 元"
    assert [(e.round, e.amounts) for e in d.ledger] == [
        (0, {"refund": 50000, "cash": 30000}), (1, {"cash": 30000})]
    rv.satisfaction.set_code("5")  # type: ignore[attr-defined]
    type_text(rv.comment, "已痊愈，满意")  # type: ignore[attr-defined]
    click(qtbot, rv.record_button)  # type: ignore[attr-defined]
    d = settled(panel, db, ref, "closed")
    assert (d.satisfaction, d.reopen_count) == (5, 1)
    assert panel.timeline.texts()[-2:] == [
        "Revisit by Phone: satisfaction 5/5, satisfied — 已痊愈，满意",
        "Moved Follow-up → Closed"]
    assert panel.move_bar.buttons == {}  # a clerk cannot reopen a closed complaint
    assert seen.warnings == []


def test_clerk_cannot_approve(qtbot: QtBot, panel: ComplaintPanel, ctx: DeskContext,
                              db: Database, clerk: Actor, supervisor: Actor, seen: Recorder,
                              fixed_clock: ControlledClock) -> None:
    ref = new_complaint(db, clerk)
    advance(db, ref, "proposed", clerk, supervisor, amount="900")
    panel.open(ref)
    sol = panel.sections["solution"]
    assert not sol.approve_button.isVisibleTo(panel)  # type: ignore[attr-defined]
    version = get_detail(db, ref).version
    sol.decide(True)  # type: ignore[attr-defined]  # as if the button were reached anyway
    done(qtbot)
    assert seen.warnings == ["This needs the role: Supervisor"]
    d = get_detail(db, ref)
    assert (d.approval_state, d.version) == ("pending", version)
    assert not panel.tabs.isTabVisible(panel.tabs.indexOf(panel.approvals))


def test_supervisor_rejects_with_comment_only(qtbot: QtBot, panel: ComplaintPanel,
                                              ctx: DeskContext, db: Database, clerk: Actor,
                                              supervisor: Actor, seen: Recorder,
                                              fixed_clock: ControlledClock) -> None:
    ref = new_complaint(db, clerk)
    advance(db, ref, "proposed", clerk, supervisor, amount="900")
    as_actor(ctx, supervisor)
    panel.open(ref)
    sol = panel.sections["solution"]
    click(qtbot, sol.reject_button)  # type: ignore[attr-defined]
    assert seen.warnings and "Comment" in seen.warnings[-1]
    assert get_detail(db, ref).approval_state == "pending"
    type_text(sol.approval_comment, "金额过高，请改为赠券")  # type: ignore[attr-defined]
    click(qtbot, sol.reject_button)  # type: ignore[attr-defined]
    d = settled(panel, db, ref, "proposed")
    assert d.approval_state == "rejected"
    assert "in_progress" not in panel.move_bar.buttons
    assert "金额过高" in sol.approval.text()  # type: ignore[attr-defined]


def test_conflict_is_reported_reloaded_and_typed_text_kept(
        qtbot: QtBot, panel: ComplaintPanel, db: Database, clerk: Actor, supervisor: Actor,
        seen: Recorder, fixed_clock: ControlledClock) -> None:
    ref = new_complaint(db, clerk)
    advance(db, ref, "assessed", clerk, supervisor)
    panel.open(ref)
    inv = panel.sections["investigation"]
    type_text(inv.findings, "面板里写的调查结果")  # type: ignore[attr-defined]
    inv.responsibility.set_code("our_staff")  # type: ignore[attr-defined]
    # Another counter changes the complaint meanwhile (no signal reaches this panel).
    update_fields(db, ref, {"location": "三楼服务台"}, actor=supervisor)
    before = get_detail(db, ref)
    click(qtbot, inv.save_button)  # type: ignore[attr-defined]
    assert len(seen.warnings) == 1 and "changed elsewhere" in seen.warnings[0]
    after = get_detail(db, ref)
    assert (after.version, after.findings, after.stage) == (before.version, None, "assessed")
    # Reloaded: the other change is shown, the typed text is still there and marked.
    assert panel.detail is not None and panel.detail.version == after.version
    assert panel.sections["intake"].location.text() == "三楼服务台"  # type: ignore[attr-defined]
    assert inv.findings.toPlainText() == "面板里写的调查结果"  # type: ignore[attr-defined]
    assert inv.responsibility.code() == "our_staff"  # type: ignore[attr-defined]
    assert inv.findings.styleSheet()  # type: ignore[attr-defined]
    assert panel.banner.isVisible()
    # Saving again now succeeds with what was typed.
    click(qtbot, inv.save_button)  # type: ignore[attr-defined]
    d = settled(panel, db, ref, "investigating")
    assert d.findings == "面板里写的调查结果"
    assert len(seen.warnings) == 1


def test_change_elsewhere_in_this_program(panel: ComplaintPanel, ctx: DeskContext,
                                          db: Database, clerk: Actor, seen: Recorder,
                                          fixed_clock: ControlledClock) -> None:
    ref = new_complaint(db, clerk)
    panel.open(ref)
    update_fields(db, ref, {"location": "B1 停车场"}, actor=clerk)
    ctx.signals.data_changed.emit(ref)  # e.g. the board moved it: no edits, so just reload
    assert panel.sections["intake"].location.text() == "B1 停车场"  # type: ignore[attr-defined]
    type_text(panel.sections["intake"].description, "（补充）")  # type: ignore[attr-defined]
    update_fields(db, ref, {"location": "B2"}, actor=clerk)
    ctx.signals.data_changed.emit(ref)  # with unsaved edits: say so, do not reload
    assert panel.banner.isVisible() and panel.banner.action.isVisible()
    assert panel.sections["intake"].location.text() == "B1 停车场"  # type: ignore[attr-defined]
    panel.banner.action.click()
    assert panel.sections["intake"].location.text() == "B2"  # type: ignore[attr-defined]
    assert panel.sections["intake"].description.toPlainText().endswith("（补充）")  # type: ignore[attr-defined]


def test_moves_that_need_a_reason_ask_for_it(
        qtbot: QtBot, panel: ComplaintPanel, ctx: DeskContext, db: Database, clerk: Actor,
        supervisor: Actor, seen: Recorder, monkeypatch: pytest.MonkeyPatch,
        fixed_clock: ControlledClock) -> None:
    reasons: list[str | None] = [None, "顾客已出国，无法回访", "顾客回国后再次投诉"]
    asked: list[str] = []

    def answer(parent: Any, prompt: str) -> str | None:
        asked.append(prompt)
        return reasons.pop(0)

    monkeypatch.setattr(messages, "ask_reason", answer)
    ref = new_complaint(db, clerk)
    advance(db, ref, "follow_up", clerk, supervisor)
    panel.open(ref)
    assert set(panel.move_bar.buttons) == {"investigating"}  # a clerk: only reopen
    as_actor(ctx, supervisor)
    assert set(panel.move_bar.buttons) == {"investigating", "closed"}
    assert panel.move_bar.buttons["closed"].text() == "Close without revisit…"
    click(qtbot, panel.move_bar.buttons["closed"])  # cancelled: nothing happens
    settled(panel, db, ref, "follow_up")
    click(qtbot, panel.move_bar.buttons["closed"])
    d = settled(panel, db, ref, "closed")
    assert d.close_reason == "顾客已出国，无法回访"
    assert panel.timeline.texts()[-1] == "Closed without a satisfied revisit: 顾客已出国，无法回访"
    click(qtbot, panel.move_bar.buttons["investigating"])
    d = settled(panel, db, ref, "investigating")
    assert d.reopen_count == 1 and ref in asked[-1]


def test_contact_log_sets_first_contact(qtbot: QtBot, panel: ComplaintPanel, db: Database,
                                        clerk: Actor, seen: Recorder,
                                        fixed_clock: ControlledClock) -> None:
    ref = new_complaint(db, clerk)
    panel.open(ref)
    tab = panel.contacts
    panel.tabs.setCurrentWidget(tab)
    tab.method.set_code("phone")
    type_text(tab.summary, "电话无人接听")
    tab.unreachable.setChecked(True)
    click(qtbot, tab.add_button)
    assert get_detail(db, ref).first_contact_at is None
    fixed_clock.advance(minutes=30)
    type_text(tab.summary, "已联系顾客，约定明天回复")
    click(qtbot, tab.add_button)
    d = get_detail(db, ref)
    assert d.first_contact_at == fixed_clock.now
    assert [c.unreachable for c in d.contacts] == [True, False]
    assert tab.model.rowCount() == 2 and tab.summary.text() == ""
    assert "First contact: 10 Mar 10:30" in panel.header.first_contact.text()
    assert panel.timeline.texts()[-2].startswith("Tried to reach the customer by Phone")


def test_open_at_part_goto_box_and_customer_history(
        qtbot: QtBot, panel: ComplaintPanel, ctx: DeskContext, db: Database, clerk: Actor,
        supervisor: Actor, seen: Recorder, fixed_clock: ControlledClock) -> None:
    first = new_complaint(db, clerk)
    advance(db, first, "closed", clerk, supervisor)
    second = new_complaint(db, clerk, phone="138-0013-8000", description="又一次投诉")
    ctx.signals.open_complaint_at.emit(first, "revisit")
    assert panel.reference == first and panel.current_part == "revisit"
    assert panel.sections["revisit"].property("current") is True
    panel.goto.setText(second.lower())
    panel.goto.returnPressed.emit()
    assert panel.reference == second and panel.goto.text() == ""
    click(qtbot, panel.header.history_button)
    assert panel.history is not None
    model = panel.history.model
    assert [r.reference for r in model.rows] == [second, first]
    assert model.texts(1)[4:6] == ["Closed, customer satisfied", "5/5"]
    panel.history.open_row(panel.history.model.index(1, 0))
    assert panel.reference == first
    panel.goto.setText("+86 138 0013 8000")  # a phone: that customer's history
    panel.goto.returnPressed.emit()
    assert [r.reference for r in panel.history.model.rows] == [second, first]
    panel.goto.setText("TS-20200101-0001")
    panel.goto.returnPressed.emit()
    assert seen.warnings == ["No complaint with reference TS-20200101-0001"]


def test_improvement_action_from_two_complaints(
        qtbot: QtBot, panel: ComplaintPanel, db: Database, clerk: Actor, seen: Recorder,
        monkeypatch: pytest.MonkeyPatch, fixed_clock: ControlledClock) -> None:
    a = new_complaint(db, clerk)
    b = new_complaint(db, clerk, phone="13900139000", description="同一商户再次售出过期商品")
    panel.open(a)
    panel.tabs.setCurrentWidget(panel.actions_tab)
    problems: list[str | None] = []

    def fill(parent: Any, refs: list[str], submit: Any) -> bool:
        assert refs == [a]
        submit(dialogs.NewAction(refs + [b.lower()], "进货查验", "", "2026-03-31", "open"),
               problems.append)
        qtbot.waitUntil(lambda: len(problems) == 1)
        submit(dialogs.NewAction(dialogs.split_references(f"{a}，{b}"), "商户进货查验流程整改",
                                 "营运部 张经理", "2026-03-31", "open"), problems.append)
        qtbot.waitUntil(lambda: len(problems) == 2)
        return True

    monkeypatch.setattr(dialogs, "ask_new_action", fill)
    click(qtbot, panel.actions_tab.new_button)
    assert problems[0] is not None and "Owner" in problems[0]
    assert problems[1] is None
    [action] = list_actions(db)
    assert action.references == sorted([a, b]) and action.owner == "营运部 张经理"
    assert [a.action for a in panel.actions_tab.model.rows] == ["商户进货查验流程整改"]
    assert panel.timeline.texts()[-1] == "Improvement action: 商户进货查验流程整改"
    assert get_detail(db, b).timeline[-1].kind == "action_linked"
    panel.actions_tab.table.selectRow(0)
    panel.actions_tab.status.set_code("done")
    click(qtbot, panel.actions_tab.status_button)
    assert list_actions(db) == [] and panel.actions_tab.model.rowCount() == 0


def test_language_switch_rereads_and_keeps_edits(
        qtbot: QtBot, panel: ComplaintPanel, db: Database, clerk: Actor, supervisor: Actor,
        seen: Recorder, fixed_clock: ControlledClock) -> None:
    ref = new_complaint(db, clerk)
    advance(db, ref, "assessed", clerk, supervisor)
    panel.open(ref)
    type_text(panel.sections["investigation"].findings, "还没保存")  # type: ignore[attr-defined]
    set_language("zh-Hans")
    panel.retranslate()
    texts = panel.timeline.texts()
    assert texts == [e.text for e in get_detail(db, ref).timeline]
    assert any("已登记" in t and "已评估" in t for t in texts)
    assert panel.sections["assessment"].title() == "1. 评估"
    assert panel.sections["investigation"].findings.toPlainText() == "还没保存"  # type: ignore[attr-defined]
    assert panel.sections["assessment"].category.label().endswith("商品质量")  # type: ignore[attr-defined]


def test_refused_move_points_at_the_missing_part(
        qtbot: QtBot, panel: ComplaintPanel, db: Database, clerk: Actor, supervisor: Actor,
        seen: Recorder, fixed_clock: ControlledClock) -> None:
    ref = new_complaint(db, clerk)
    advance(db, ref, "investigating", clerk, supervisor)
    panel.open(ref)
    # The hint names the next stage's missing part and the link goes there.
    assert "Propose a solution first." in panel.move_bar.hint.text()
    click(qtbot, panel.move_bar.go_button)
    assert panel.current_part == "solution"
    # Bad input: the field's own error line, nothing saved.
    sol = panel.sections["solution"]
    sol.types.set_codes(["refund"])  # type: ignore[attr-defined]
    sol.amounts.fields["refund"].setText("-5")  # type: ignore[attr-defined]
    version = get_detail(db, ref).version
    click(qtbot, sol.save_button)  # type: ignore[attr-defined]
    assert sol.grid.rows["amount"].error.text() == "Refund: cannot be negative"
    assert get_detail(db, ref).version == version
    assert sol.amounts.fields["refund"].text() == "-5"  # type: ignore[attr-defined]


def test_first_open_from_another_view_shows_the_complaint(
        qtbot: QtBot, ctx: DeskContext, db: Database, clerk: Actor, supervisor: Actor,
        seen: Recorder, fixed_clock: ControlledClock) -> None:
    from PySide6.QtCore import QSettings

    from ui.main_window import MainWindow

    ref = new_complaint(db, clerk)
    advance(db, ref, "follow_up", clerk, supervisor)
    window = MainWindow(ctx, QSettings())
    qtbot.addWidget(window)
    window.show_view("revisits")
    assert "complaint" not in window.views  # the panel is made on first use
    ctx.signals.open_complaint_at.emit(ref, "revisit")
    panel = window.views["complaint"]
    assert isinstance(panel, ComplaintPanel)
    assert (panel.reference, panel.current_part) == (ref, "revisit")
    assert window.current_view_key() == "complaint"
