"""Issue 20 in the window: the questionnaire at the revisit (panel and revisit list), the
questionnaire's page in Settings, the typical case in the panel, the case list (F9) with its
case sheet, and the dashboard's averages."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from app.db import Database
from app.i18n import set_language
from app.services import questionnaire as qs
from app.services.common import Actor
from app.services.complaints import get_detail
from app.services.lists import Labels
from app.services.revisits import record_revisit
from app.services.typical_cases import mark_case
from tests.complaint_factory import advance, new_complaint
from tests.conftest import ControlledClock
from ui import case_sheet, messages
from ui.cases.case_list import CaseList
from ui.complaint.panel import ComplaintPanel
from ui.context import DeskContext
from ui.dashboard.dashboard_view import DashboardView
from ui.revisits import revisit_list
from ui.revisits.record_dialog import RecordRevisitDialog
from ui.revisits.revisit_list import RevisitList
from ui.settings import questionnaire_page
from ui.settings.questionnaire_page import QuestionnairePage

pytestmark = pytest.mark.usefixtures("fixed_clock")


@pytest.fixture
def warnings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []
    monkeypatch.setattr(messages, "warn", lambda _p, text, _t=None: seen.append(text))
    monkeypatch.setattr(messages, "ask", lambda _p, _text, _t=None: True)
    return seen


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Files the window asked the PDF viewer to open."""
    files: list[Path] = []

    def open_url(url: QUrl) -> bool:
        files.append(Path(url.toLocalFile()))
        return True

    monkeypatch.setattr(case_sheet.QDesktopServices, "openUrl", open_url)
    return files


def show(qtbot: QtBot, widget: QWidget) -> None:
    qtbot.addWidget(widget)
    widget.resize(1366, 700)
    widget.show()
    qtbot.waitExposed(widget)


def follow_up(db: Database, clerk: Actor, supervisor: Actor, **fields: Any) -> str:
    ref = new_complaint(db, clerk, **fields)
    advance(db, ref, "follow_up", clerk, supervisor)
    return ref


def test_the_panel_asks_the_questionnaire_at_the_revisit(
        qtbot: QtBot, ctx: DeskContext, db: Database, clerk: Actor, supervisor: Actor,
        warnings: list[str]) -> None:
    ref = follow_up(db, clerk, supervisor)
    set_language("zh-Hans")
    panel = ComplaintPanel(ctx)
    show(qtbot, panel)
    assert panel.open(ref)
    section = panel.sections["revisit"]
    box = section.questionnaire  # type: ignore[attr-defined]
    speed, attitude, outcome, again = qs.asked_questions(db)
    assert [label.text() for label in box.labels] == [
        f"{n}. {q.labels.zh_hans}" for n, q in enumerate((speed, attitude, outcome, again), 1)]
    box.combos[speed.id].select_number(2)
    box.combos[outcome.id].select_number(5)
    section.satisfaction.set_code("4")  # type: ignore[attr-defined]
    assert panel.unsaved() == {"revisit": {"satisfaction": "4", "questionnaire": (
        (speed.id, "2"), (outcome.id, "5"))}}
    with qtbot.waitSignal(ctx.signals.data_changed):
        section.record_button.click()  # type: ignore[attr-defined]
    assert not warnings
    d = get_detail(db, ref)
    assert d.stage == "closed"
    assert d.revisits[-1].answers == ((speed.labels.zh_hans, 2), (outcome.labels.zh_hans, 5))
    history = section.history_model.stringList()  # type: ignore[attr-defined]
    assert f"    {speed.labels.zh_hans} 2/5" in history


def test_the_revisit_list_records_a_revisit_with_the_questionnaire(
        qtbot: QtBot, ctx: DeskContext, db: Database, clerk: Actor, supervisor: Actor,
        monkeypatch: pytest.MonkeyPatch) -> None:
    ref = follow_up(db, clerk, supervisor, customer_name="黄先生")
    view = RevisitList(ctx)
    show(qtbot, view)
    view.select(ref)
    assert view.record_button.isEnabled()
    speed = qs.asked_questions(db)[0]
    shown: list[RecordRevisitDialog] = []

    def answer(dialog: RecordRevisitDialog) -> int:
        shown.append(dialog)
        dialog.satisfaction.set_code("5")
        dialog.questionnaire.combos[speed.id].select_number(4)
        dialog.submit()
        return int(dialog.result())

    monkeypatch.setattr(revisit_list.RecordRevisitDialog, "exec", answer)
    with qtbot.waitSignal(ctx.signals.data_changed):
        view.record_button.click()
    assert shown and ref in shown[0].windowTitle()
    d = get_detail(db, ref)
    assert d.stage == "closed" and d.revisits[-1].answers == ((speed.labels.en, 4),)
    assert ref not in view.model.references("today") + view.model.references("overdue")


def test_the_dialog_keeps_what_was_typed_when_refused(
        qtbot: QtBot, ctx: DeskContext, db: Database, clerk: Actor, supervisor: Actor) -> None:
    ref = follow_up(db, clerk, supervisor)
    extra = qs.add_question(db, Labels("新问题", "新問題", "A new question"), supervisor)
    dialog = RecordRevisitDialog(ctx, ref, "黄先生")
    qtbot.addWidget(dialog)
    # Meanwhile a supervisor deletes the unanswered question the dialog shows.
    qs.delete_question(db, extra.id, supervisor)
    dialog.satisfaction.set_code("5")
    dialog.questionnaire.combos[extra.id].select_number(3)
    dialog.submit()
    assert not dialog.result()
    assert dialog.error.text() == f'Questionnaire: has an unknown question "{extra.id}"'
    assert dialog.satisfaction.code() == "5"  # nothing typed is lost
    assert get_detail(db, ref).stage == "follow_up"
    dialog.satisfaction.set_code(None)
    dialog.questionnaire.combos[extra.id].set_code(None)
    dialog.submit()
    assert dialog.error.text() == "Satisfaction: is required"


def test_the_questionnaire_page_in_settings(
        qtbot: QtBot, supervisor_ctx: DeskContext, ctx: DeskContext, db: Database,
        clerk: Actor, supervisor: Actor, warnings: list[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    page = QuestionnairePage(supervisor_ctx)
    show(qtbot, page)
    assert [r.code for r in page.model.rows] == ["speed", "attitude", "outcome", "return_mall"]
    speed = page.model.rows[0]

    def fill(labels: Labels) -> Any:
        def exec_(dialog: Any) -> int:
            for lang, text in zip(("zh-Hans", "zh-Hant", "en"), labels.__dict__.values(),
                                  strict=True):
                dialog.edits[lang].setText(text)
            dialog.submit()
            return int(dialog.result())
        return exec_

    monkeypatch.setattr(questionnaire_page.LabelsDialog, "exec",
                        fill(Labels("环境是否整洁？", "環境是否整潔？", "Was the place tidy?")))
    page.add_button.click()
    assert page.model.rows[-1].labels.en == "Was the place tidy?"
    assert len(qs.asked_questions(db)) == 5
    # A sixth is refused, said in the dialog (which stays open: nothing typed is lost).
    monkeypatch.setattr(questionnaire_page.LabelsDialog, "exec",
                        fill(Labels("第六题", "第六題", "Sixth")))
    page.add_button.click()
    assert len(qs.asked_questions(db)) == 5
    # Rewording an answered question makes a new one in its place.
    ref = follow_up(db, clerk, supervisor)
    record_revisit(db, ref, method="phone", satisfaction=5, actor=clerk, answers={speed.id: 4})
    page.reload()
    assert page.select(speed.id)
    monkeypatch.setattr(questionnaire_page.LabelsDialog, "exec",
                        fill(Labels("处理快吗？", "處理快嗎？", "Was it quick?")))
    page.edit_button.click()
    first = page.model.rows[0]
    assert first.labels.en == "Was it quick?" and first.id != speed.id
    assert speed.id not in [r.id for r in page.model.rows]
    assert get_detail(db, ref).revisits[-1].answers == ((speed.labels.en, 4),)
    # Clerks look, they do not change.
    read_only = QuestionnairePage(ctx)
    show(qtbot, read_only)
    assert not read_only.add_button.isEnabled()


def test_a_supervisor_chooses_a_case_in_the_panel_and_opens_its_sheet(
        qtbot: QtBot, supervisor_ctx: DeskContext, db: Database, clerk: Actor,
        supervisor: Actor, warnings: list[str], opened: list[Path]) -> None:
    ref = follow_up(db, clerk, supervisor, customer_name="周丽")
    record_revisit(db, ref, method="phone", satisfaction=5, actor=clerk)
    panel = ComplaintPanel(supervisor_ctx)
    show(qtbot, panel)
    assert panel.open(ref)
    section = panel.sections["typical_case"]
    assert section.save_button.isVisible() and not section.open_button.isVisible()  # type: ignore[attr-defined]
    section.case_title.setText("染发过敏的处理")  # type: ignore[attr-defined]
    section.lesson.setPlainText("先关怀，再核实。")  # type: ignore[attr-defined]
    with qtbot.waitSignal(supervisor_ctx.signals.data_changed):
        section.save_button.click()  # type: ignore[attr-defined]
    assert not warnings
    assert get_detail(db, ref).case_title == "染发过敏的处理"
    assert section.open_button.isVisible()  # type: ignore[attr-defined]
    section.open_button.click()  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: bool(opened), timeout=20_000)
    text = "".join(PdfReader(str(opened[0])).pages[0].extract_text().split())
    assert "染发过敏的处理" in text and "周丽" not in text


def test_a_clerk_sees_the_case_but_cannot_change_it(
        qtbot: QtBot, ctx: DeskContext, db: Database, clerk: Actor, supervisor: Actor) -> None:
    ref = follow_up(db, clerk, supervisor)
    record_revisit(db, ref, method="phone", satisfaction=5, actor=clerk)
    mark_case(db, ref, title="标题", lesson="教训", actor=supervisor)
    panel = ComplaintPanel(ctx)
    show(qtbot, panel)
    assert panel.open(ref)
    section = panel.sections["typical_case"]
    assert not section.save_button.isVisible()  # type: ignore[attr-defined]
    assert section.case_title.isReadOnly()  # type: ignore[attr-defined]
    assert section.print_button.isVisible()  # type: ignore[attr-defined]


@pytest.fixture
def three_cases(db: Database, clerk: Actor, supervisor: Actor,
                fixed_clock: ControlledClock) -> list[str]:
    refs = []
    for title, lesson in (("停车收费争议", "告示要与系统一致"), ("染发过敏", "先做皮肤测试"),
                          ("Rude front desk", "Greet every guest by name")):
        ref = follow_up(db, clerk, supervisor)
        record_revisit(db, ref, method="phone", satisfaction=5, actor=clerk)
        fixed_clock.advance(hours=1)
        mark_case(db, ref, title=title, lesson=lesson, actor=supervisor)
        refs.append(ref)
    return refs


def test_the_case_list_finds_and_makes_the_sheet(
        qtbot: QtBot, ctx: DeskContext, db: Database, three_cases: list[str],
        warnings: list[str], opened: list[Path]) -> None:
    view = CaseList(ctx)
    show(qtbot, view)
    assert [r.reference for r in view.model.rows] == three_cases[::-1]  # newest first
    assert view.count.text() == "3 cases"
    view.search.setText("皮肤")
    qtbot.waitUntil(lambda: len(view.model.rows) == 1)
    assert view.model.rows[0].title == "染发过敏" and "先做皮肤测试" in view.lesson.toPlainText()
    with qtbot.waitSignal(ctx.signals.open_complaint_at) as asked:
        view.open_button.click()
    assert asked.args == [three_cases[1], "typical_case"]
    view.sheet_button.click()
    qtbot.waitUntil(lambda: bool(opened), timeout=20_000)
    assert opened[0].name == f"{three_cases[1]}-en.pdf"
    view.search.setText("no such words")
    qtbot.waitUntil(lambda: not view.model.rows)
    assert view.count.text() == "0 cases" and not view.sheet_button.isEnabled()


def test_the_dashboard_shows_each_questions_average(
        qtbot: QtBot, supervisor_ctx: DeskContext, db: Database, clerk: Actor,
        supervisor: Actor) -> None:
    speed, attitude, *_ = qs.asked_questions(db)
    for scores in ({speed.id: 5, attitude.id: 2}, {speed.id: 4}):
        ref = follow_up(db, clerk, supervisor, phone="")
        record_revisit(db, ref, method="phone", satisfaction=4, actor=clerk, answers=scores)
    view = DashboardView(supervisor_ctx)
    show(qtbot, view)
    qtbot.waitUntil(lambda: view.figures is not None, timeout=20_000)
    texts = [cell.text() for cell in view.questions.cells]
    row = texts.index(speed.labels.en)
    assert texts[row + 1:row + 3] == ["4.50 (2)", "—"]
    row = texts.index(attitude.labels.en)
    assert texts[row + 1] == "2.00 (1)"


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    yield
    set_language("en")


@pytest.mark.parametrize(("queue", "words"), [("CDT-A4", None),
                                              ("CDT-Refuse", "closed by the administrator")])
def test_the_case_list_prints_the_sheet_through_the_print_service(
        qtbot: QtBot, ctx: DeskContext, db: Database, three_cases: list[str],
        warnings: list[str], monkeypatch: pytest.MonkeyPatch, queue: str,
        words: str | None) -> None:
    from tests.printing.printed import landed, page_sizes_mm, require_queues

    require_queues()
    asked: list[str] = []

    def ask(_parent: Any, preferred: str, title: str) -> tuple[str, int]:
        asked.append(title)
        return queue, 1

    monkeypatch.setattr(case_sheet, "ask_printer", ask)
    view = CaseList(ctx)
    show(qtbot, view)
    view.print_button.click()
    if words is None:
        qtbot.waitUntil(lambda: view.status.text() == "1 page sent to CDT-A4.", timeout=20_000)
        assert not warnings and asked == [f"Print the case sheet of {three_cases[-1]}"]
        import json

        from sqlalchemy import select

        from app.models import AuditEvent

        with db.read() as s:
            data = s.scalars(select(AuditEvent.data).where(
                AuditEvent.action == "case_sheet_printed")).one()
        job = int(json.loads(data)["job"])
        assert page_sizes_mm(landed("CDT-A4", job))[0] == pytest.approx((210, 297), abs=1)
    else:
        qtbot.waitUntil(lambda: bool(warnings), timeout=20_000)
        assert queue in warnings[0] and words in warnings[0]


def test_a_second_complaint_asks_the_questions_once(
        qtbot: QtBot, ctx: DeskContext, db: Database, clerk: Actor, supervisor: Actor) -> None:
    """Seen on screen: opening another complaint left the first one's questions drawn under
    the new ones until the event loop deleted them."""
    from ui.widgets.choice_combo import ChoiceCombo

    first, second = (follow_up(db, clerk, supervisor, phone=p)
                     for p in ("13800000001", "13800000002"))
    panel = ComplaintPanel(ctx)
    show(qtbot, panel)
    assert panel.open(first) and panel.open(second)
    box = panel.sections["revisit"].questionnaire  # type: ignore[attr-defined]
    assert len(box.findChildren(ChoiceCombo)) == len(qs.asked_questions(db)) == 4


def test_f9_opens_the_case_list_for_any_role(qtbot: QtBot, ctx: DeskContext,
                                             three_cases: list[str], tmp_path: Path) -> None:
    from PySide6.QtCore import QSettings, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from ui.main_window import MainWindow

    window = MainWindow(ctx, QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat))
    show(qtbot, window)
    window.activateWindow()  # a window shortcut needs the window active
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    QTest.keyClick(window, Qt.Key.Key_F9)
    assert window.current_view_key() == "cases"  # a clerk too: nobody is named on a case
    view = window.views["cases"]
    assert isinstance(view, CaseList)
    qtbot.waitUntil(lambda: len(view.model.rows) == 3)
