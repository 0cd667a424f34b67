"""Alerts (F8): the complaints escalated to the supervisors, newest first, until one of them
marks each handled (with a note of what was done). The handled ones can be looked up too.

Escalations come from the rules (app/rules/escalation.py: overdue, serious or urgent, a
customer's repeated complaints) and from clerks escalating by hand. Everyone may look; marking
handled needs a supervisor (app/permissions.py HANDLE_ESCALATIONS). Enter or a double-click
opens the complaint. Lists load and alerts are marked off the UI thread; another counter's
changes show within seconds (ui/change_poller.py).
"""

from __future__ import annotations

import shiboken6
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.codes import label
from app.errors import DeskError
from app.i18n import N_, _, ngettext
from app.permissions import HANDLE_ESCALATIONS, can
from app.services.escalations import Alert, AlertList, list_alerts, mark_handled
from ui import messages
from ui.change_poller import ChangePoller
from ui.context import DeskContext
from ui.tasks import run_task
from ui.widgets.alert_text import handled, handled_question, short_datetime, why
from ui.widgets.table_model import Column, TableModel, make_table

COLUMNS: tuple[Column[Alert], ...] = (
    Column(N_("Escalated"), lambda a: short_datetime(a.at), sort_key=lambda a: a.at),
    Column(N_("Reference"), lambda a: a.reference),
    Column(N_("Why"), why),
    Column(N_("Severity"), lambda a: label("severity", a.severity)),
    Column(N_("Stage"), lambda a: label("stage", a.stage)
           + (" · " + _("overdue") if a.overdue else "")),
    Column(N_("Owner"), lambda a: a.owner or _("(unassigned)")),
    Column(N_("Customer"), lambda a: a.customer_name),
    Column(N_("Handled"), handled),
)


class AlertsView(QWidget):
    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("alertsView")
        self.ctx = ctx
        self.loading = False
        self.title = QLabel()
        self.title.setStyleSheet("font-size: 14pt; font-weight: 600;")
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.show_handled = QCheckBox()
        self.show_handled.toggled.connect(lambda _on: self.reload())
        self.model: TableModel[Alert] = TableModel(
            COLUMNS, key=lambda a: a.id,
            colour=lambda a: "#b3261e" if a.handled_at is None and a.overdue else None,
            bold=lambda a: a.handled_at is None and a.severity == "urgent")
        self.table = make_table(self.model)
        self.table.setObjectName("alertsTable")
        self.table.activated.connect(lambda _i: self.open_selected())
        self.table.selectionModel().currentChanged.connect(lambda *_a: self._enable())
        self.summary = QLabel()
        self.summary.setObjectName("alertsSummary")
        self.refresh_button = QPushButton()
        self.refresh_button.clicked.connect(self.reload)
        self.open_button = QPushButton()
        self.open_button.clicked.connect(self.open_selected)
        self.handle_button = QPushButton()
        self.handle_button.setObjectName("markHandled")
        self.handle_button.clicked.connect(self.mark_selected)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.show_handled)
        buttons = QHBoxLayout()
        buttons.addWidget(self.summary, 1)
        buttons.addWidget(self.refresh_button)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.handle_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        ctx.signals.data_changed.connect(lambda _ref: self.reload())
        ctx.signals.actor_changed.connect(self.reload)
        self.poller = ChangePoller(ctx.db, self)
        self.poller.changed.connect(self.reload)
        self.retranslate()

    # ---- data ---------------------------------------------------------------------------
    def reload(self) -> None:
        if self.loading:
            return
        self.loading = True
        db, handled_too = self.ctx.db, self.show_handled.isChecked()
        run_task(lambda: list_alerts(db, handled=handled_too), self._loaded, self._failed)

    def _loaded(self, alerts: AlertList) -> None:
        if not shiboken6.isValid(self):
            return
        self.loading = False
        current = self.selected()
        self.model.set_rows(alerts.alerts)
        self.table.resizeColumnsToContents()
        self.summary.setText(ngettext("{count} alert open", "{count} alerts open",
                                      alerts.open_count, count=alerts.open_count))
        if current is not None:
            row = self.model.row_of(current.id)
            if row >= 0:
                self.table.selectRow(row)
        self._enable()

    def _failed(self, error: BaseException) -> None:
        if not shiboken6.isValid(self):
            return
        self.loading = False
        text = error.message() if isinstance(error, DeskError) else str(error)
        self.summary.setText(_("The alerts could not be read: {reason}", reason=text))

    def selected(self) -> Alert | None:
        return self.model.item(self.table.currentIndex().row())

    def _enable(self) -> None:
        alert = self.selected()
        self.open_button.setEnabled(alert is not None)
        allowed = can(self.ctx.actor, HANDLE_ESCALATIONS)
        self.handle_button.setVisible(allowed)
        self.handle_button.setEnabled(allowed and alert is not None
                                      and alert.handled_at is None)

    # ---- actions ------------------------------------------------------------------------
    def open_selected(self) -> None:
        alert = self.selected()
        if alert is not None:
            self.ctx.signals.open_complaint_at.emit(alert.reference, "escalation")

    def mark_selected(self) -> None:
        alert = self.selected()
        if alert is None or alert.handled_at is not None:
            return
        note = messages.ask_text(self, _("Mark handled"), handled_question(alert))
        if note is None:
            return
        db, actor = self.ctx.db, self.ctx.actor

        def done(_result: object) -> None:
            if shiboken6.isValid(self):
                self.ctx.signals.data_changed.emit(alert.reference)

        def failed(error: BaseException) -> None:
            if not shiboken6.isValid(self):
                return
            text = error.message() if isinstance(error, DeskError) else str(error)
            messages.warn(self, text)
            self.reload()

        run_task(lambda: mark_handled(db, alert.id, note, actor), done, failed, write=True)

    # ---- view ---------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        self.reload()

    def retranslate(self) -> None:
        self.title.setText(_("Alerts: complaints escalated to the supervisors"))
        self.intro.setText(_("Overdue, serious or urgent complaints and repeat customers are "
                             "escalated by the rules in the settings; clerks escalate by hand "
                             "with a reason. Each alert stays open until a supervisor marks it "
                             "handled."))
        self.show_handled.setText(_("Show handled alerts instead"))
        self.refresh_button.setText(_("Refresh"))
        self.open_button.setText(_("Open complaint"))
        self.handle_button.setText(_("Mark handled…"))
        self.model.retranslate()
        self._enable()
