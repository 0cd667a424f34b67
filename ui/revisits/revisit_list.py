"""Revisits due (F5): the clerk's call list, overdue first, then today, then upcoming.
Enter or double-click opens the complaint at its revisit section. Where phone numbers are
masked for clerks, "Show number" reveals the one about to be called (audited)."""

from __future__ import annotations

from datetime import date

from PySide6.QtGui import QGuiApplication, QShowEvent, QStandardItem
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from app.errors import DeskError
from app.i18n import _
from app.services import revisits
from app.services.privacy import reveal_phone
from app.services.revisit_calls import revisit_groups
from app.workflow import PART_REVISIT
from ui import messages
from ui.change_poller import ChangePoller
from ui.context import DeskContext
from ui.revisits.record_dialog import RecordRevisitDialog
from ui.revisits.revisit_model import (
    CUSTOMER_COLUMN,
    DATE_ROLE,
    MASKED_ROLE,
    PHONE_COLUMN,
    REF_ROLE,
    RevisitModel,
)


class RevisitList(QWidget):
    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.title = QLabel()
        self.title.setStyleSheet("font-size: 14pt; font-weight: 600;")
        self.summary = QLabel()
        self.model = RevisitModel()
        self.view = QTreeView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.setUniformRowHeights(True)
        self.view.activated.connect(lambda _i: self.open_selected())
        self.open_button = QPushButton()
        self.open_button.clicked.connect(self.open_selected)
        self.date_button = QPushButton()
        self.date_button.clicked.connect(self.reschedule)
        self.refresh_button = QPushButton()
        self.refresh_button.clicked.connect(self.reload)
        self.phone_button = QPushButton()
        self.phone_button.clicked.connect(self.show_phone)
        self.record_button = QPushButton()
        self.record_button.clicked.connect(self.record_selected)
        self.view.selectionModel().currentChanged.connect(lambda *_a: self._enable())
        buttons = QHBoxLayout()
        buttons.addWidget(self.summary, 1)
        buttons.addWidget(self.refresh_button)
        buttons.addWidget(self.phone_button)
        buttons.addWidget(self.date_button)
        buttons.addWidget(self.record_button)
        buttons.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        ctx.signals.data_changed.connect(lambda _ref: self.reload())
        ctx.signals.actor_changed.connect(self.reload)
        # Revisits done or scheduled at another counter show within seconds.
        self.poller = ChangePoller(ctx.db, self)
        self.poller.changed.connect(self.reload)
        self.retranslate()

    def reload(self) -> None:
        current = self.selected()
        self.model.set_groups(revisit_groups(self.ctx.db, self.ctx.actor.role))
        self.view.expandAll()
        for column in range(self.model.columnCount() - 1):
            self.view.resizeColumnToContents(column)
        g = self.model.groups
        self.summary.setText(_("Overdue: {overdue} · today: {today} · upcoming: {upcoming}",
                               overdue=len(g.overdue), today=len(g.today),
                               upcoming=len(g.upcoming)))
        if current:
            self.select(current)
        self._enable()

    def _phone_item(self) -> QStandardItem | None:
        index = self.view.currentIndex()
        if not index.isValid() or not index.data(REF_ROLE):
            return None
        return self.model.itemFromIndex(index.siblingAtColumn(PHONE_COLUMN))

    def _enable(self) -> None:
        item = self._phone_item()
        self.phone_button.setEnabled(item is not None and bool(item.data(MASKED_ROLE)))
        self.record_button.setEnabled(self.selected() is not None)

    def show_phone(self) -> None:
        """The whole number of the selected customer, for the call: shown in the list and
        copied for the phone; the audit trail records who saw it."""
        ref, item = self.selected(), self._phone_item()
        if not ref or item is None:
            return
        try:
            phone = reveal_phone(self.ctx.db, ref, self.ctx.actor)
        except DeskError as e:
            messages.warn(self, e.message())
            return
        item.setText(phone)
        item.setData(False, MASKED_ROLE)
        QGuiApplication.clipboard().setText(phone)
        self.summary.setText(_("{reference}: number shown and copied (recorded in the audit "
                               "trail)", reference=ref))
        self._enable()

    def select(self, reference: str) -> None:
        for group in range(self.model.rowCount()):
            head = self.model.item(group, 0)
            for row in range(head.rowCount()):
                if head.child(row, 1).text() == reference:
                    self.view.setCurrentIndex(head.child(row, 0).index())
                    return

    def selected(self) -> str | None:
        ref = self.view.currentIndex().data(REF_ROLE)
        return str(ref) if ref else None

    def open_selected(self) -> None:
        ref = self.selected()
        if ref:
            self.ctx.signals.open_complaint_at.emit(ref, PART_REVISIT)

    def record_selected(self) -> None:
        """The revisit done on the call: recorded here, questionnaire included."""
        ref = self.selected()
        if not ref:
            return
        customer = self.model.itemFromIndex(
            self.view.currentIndex().siblingAtColumn(CUSTOMER_COLUMN)).text()
        dialog = RecordRevisitDialog(self.ctx, ref, customer, self)
        if dialog.exec():
            self.summary.setText(_("{reference}: revisit recorded", reference=ref))
            self.ctx.signals.data_changed.emit(ref)
        dialog.deleteLater()

    def reschedule(self) -> None:
        ref = self.selected()
        if not ref:
            return
        index = self.view.currentIndex()
        current = self.model.itemFromIndex(index.siblingAtColumn(0)).data(DATE_ROLE)
        day = messages.ask_date(self, _("Change the revisit date"), date.fromisoformat(current))
        if day is None:
            return
        try:
            revisits.reschedule(self.ctx.db, ref, day, self.ctx.actor)
        except DeskError as e:
            messages.warn(self, e.message())
            return
        self.ctx.signals.data_changed.emit(ref)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        self.reload()

    def retranslate(self) -> None:
        self.title.setText(_("Revisits due"))
        self.open_button.setText(_("Open complaint"))
        self.date_button.setText(_("Change date…"))
        self.refresh_button.setText(_("Refresh"))
        self.phone_button.setText(_("Show number"))
        self.record_button.setText(_("Record revisit…"))
        self.phone_button.setToolTip(_("The whole phone number of the selected customer, for "
                                       "the call; each number shown is recorded"))
        self.reload()
