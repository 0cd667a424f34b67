"""Typical cases (F9): the closed complaints chosen for training, newest first, searchable by
words of the title, the lesson, the reference, the category or the department; the selected
case's lesson in full below; its one-page case sheet opened or printed. Nothing personal is
listed (app/services/typical_cases.py)."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.codes import label
from app.errors import DeskError
from app.formatting import short_date, shorten
from app.i18n import N_, _, ngettext
from app.rules.edits import PART_CASE
from app.services.list_choices import list_choices
from app.services.typical_cases import CaseRow, list_cases
from ui import messages
from ui.case_sheet import deliver_case_sheet
from ui.change_poller import ChangePoller
from ui.context import DeskContext
from ui.widgets.table_model import ITEM_ROLE, Column, TableModel, make_table

SEARCH_DELAY_MS = 250
LESSON_COLUMNS = 80  # display columns of the lesson in the list; whole below it


def _category(row: CaseRow) -> str:
    return " / ".join(x for x in (row.labels.get("category"), row.labels.get("department"))
                      if x) or "—"


def _chosen(row: CaseRow) -> str:
    text = short_date(row.marked_at.date())
    return text if row.stage == "closed" else _("{date} (reopened since)", date=text)


COLUMNS: tuple[Column[CaseRow], ...] = (
    Column(N_("Chosen"), _chosen, sort_key=lambda r: r.marked_at),
    Column(N_("Reference"), lambda r: r.reference),
    Column(N_("Category / department"), _category),
    Column(N_("Case"), lambda r: r.title),
    Column(N_("Lesson learned"), lambda r: shorten(" ".join(r.lesson.split()),
                                                   LESSON_COLUMNS)),
)


class CaseList(QWidget):
    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.title = QLabel()
        self.title.setStyleSheet("font-size: 14pt; font-weight: 600;")
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.category = QComboBox()
        self.count = QLabel()
        self.model: TableModel[CaseRow] = TableModel(
            COLUMNS, key=lambda r: r.reference,
            colour=lambda r: None if r.stage == "closed" else "#8a5a00")
        self.view = make_table(self.model, wrap=False)
        self.view.setSortingEnabled(False)
        self.view.activated.connect(lambda _i: self.open_complaint())
        self.view.selectionModel().selectionChanged.connect(lambda *_a: self._selected())
        self.lesson = QTextBrowser()
        self.lesson.setMaximumHeight(130)
        self.open_button, self.sheet_button, self.print_button = (QPushButton(), QPushButton(),
                                                                  QPushButton())
        self.open_button.clicked.connect(self.open_complaint)
        self.sheet_button.clicked.connect(lambda: self.case_sheet(print_it=False))
        self.print_button.clicked.connect(lambda: self.case_sheet(print_it=True))
        self.search_label, self.category_label = QLabel(), QLabel()
        self.search_label.setBuddy(self.search)
        self.category_label.setBuddy(self.category)
        filters = QHBoxLayout()
        filters.addWidget(self.search_label)
        filters.addWidget(self.search, 2)
        filters.addWidget(self.category_label)
        filters.addWidget(self.category, 1)
        filters.addWidget(self.count)
        self.status = QLabel()
        self.status.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        for button in (self.sheet_button, self.print_button, self.open_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(filters)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.lesson)
        layout.addLayout(buttons)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(SEARCH_DELAY_MS)
        self.timer.timeout.connect(self.reload)
        self.search.textChanged.connect(lambda _t: self.timer.start())
        self.category.currentIndexChanged.connect(lambda _i: self.reload())
        ctx.signals.data_changed.connect(lambda _ref: self.reload_if_shown())
        ctx.signals.actor_changed.connect(self.reload_if_shown)
        # Cases chosen at another counter show within seconds.
        self.poller = ChangePoller(ctx.db, self)
        self.poller.changed.connect(self.reload_if_shown)
        self.retranslate()

    # ---- reading -------------------------------------------------------------------------
    def reload_if_shown(self) -> None:
        if self.isVisible():
            self.reload()

    def reload(self) -> None:
        keep = self.selected()
        try:
            rows = list_cases(self.ctx.db, self.search.text(), self.category.currentData(),
                              actor=self.ctx.actor)
        except DeskError as e:
            self.count.setText(e.message())
            rows = []
        self.model.set_rows(rows)
        self.view.resizeColumnsToContents()
        self.count.setText(ngettext("{count} case", "{count} cases", len(rows), count=len(rows)))
        row = self.model.row_of(keep.reference) if keep else -1
        self.view.selectRow(max(row, 0))
        self._selected()

    def selected(self) -> CaseRow | None:
        rows = self.view.selectionModel().selectedRows()
        item = rows[0].data(ITEM_ROLE) if rows else None
        return item if isinstance(item, CaseRow) else None

    def _selected(self) -> None:
        row = self.selected()
        for button in (self.open_button, self.sheet_button, self.print_button):
            button.setEnabled(row is not None)
        if row is None:
            self.lesson.setPlainText("")
            return
        self.lesson.setHtml(
            f"<b>{escape(row.title)}</b> · {escape(row.reference)} · "
            f"{escape(label('severity', row.severity))}<br>"
            + escape(_("Chosen by {name} on {date}", name=row.marked_by or "—",
                       date=short_date(row.marked_at.date())))
            + f"<p style='white-space: pre-wrap'>{escape(row.lesson)}</p>")

    # ---- actions -------------------------------------------------------------------------
    def open_complaint(self) -> None:
        row = self.selected()
        if row is not None:
            self.ctx.signals.open_complaint_at.emit(row.reference, PART_CASE)

    def case_sheet(self, print_it: bool) -> None:
        row = self.selected()
        if row is None:
            return

        def done(text: str | None) -> None:
            if text is not None:
                self.status.setText(text)

        try:
            deliver_case_sheet(self.ctx, row.reference, self, print_it=print_it, done=done)
        except DeskError as e:
            messages.warn(self, e.message())

    def fill_categories(self) -> None:
        """The categories in use (a case under a retired one is still found by its words)."""
        keep = self.category.currentData()
        self.category.blockSignals(True)
        self.category.clear()
        self.category.addItem(_("All categories"), None)
        for code, text in list_choices(self.ctx.db, "category"):
            self.category.addItem(text, code)
        self.category.setCurrentIndex(max(self.category.findData(keep), 0))
        self.category.blockSignals(False)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        self.fill_categories()
        self.reload()

    def retranslate(self) -> None:
        self.title.setText(_("Typical cases"))
        self.search_label.setText(_("&Find:"))
        self.search.setPlaceholderText(_("Words of the title or lesson, a reference, a "
                                         "category"))
        self.category_label.setText(_("&Category:"))
        self.open_button.setText(_("Open complaint"))
        self.sheet_button.setText(_("Open case sheet"))
        self.print_button.setText(_("Print case sheet…"))
        self.fill_categories()
        self.model.retranslate()
        self.lesson.setToolTip(_("The selected case's lesson, whole"))
        self.lesson.setAlignment(Qt.AlignmentFlag.AlignLeft)
        if self.isVisible():
            self.reload()

