"""The contact log: every call or message with the customer; the first one that reached the
customer sets the first-response time (app/services/resolution.add_contact)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDateTimeEdit,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app import clock
from app.codes import choices, field_label, label
from app.i18n import N_, _
from app.rules.edits import PART_CONTACT, can_edit
from app.services import resolution
from app.services.complaints import ComplaintDetail, ContactEntry
from ui.complaint.clock_text import short_datetime
from ui.complaint.open_complaint import OpenComplaint
from ui.widgets.choice_combo import ChoiceCombo
from ui.widgets.phrase_picker import attach_phrase_picker
from ui.widgets.qt_dates import qdatetime, to_datetime
from ui.widgets.table_model import Column, TableModel, make_table


def summary_text(c: ContactEntry) -> str:
    return _("Unreachable: {summary}", summary=c.summary) if c.unreachable else c.summary


COLUMNS: tuple[Column[ContactEntry], ...] = (
    Column(N_("When"), lambda c: short_datetime(c.at)),
    Column(N_("How"), lambda c: label("contact_method", c.method)),
    Column(N_("Summary"), summary_text),
    Column(N_("By"), lambda c: c.by),
)


class ContactsTab(QWidget):
    def __init__(self, complaint: OpenComplaint) -> None:
        super().__init__()
        self.complaint = complaint
        self.model = TableModel(COLUMNS,
                                colour=lambda c: "#8a5a00" if c.unreachable else None)
        self.table = make_table(self.model)
        self.method = ChoiceCombo()
        # The contact happens now unless the clerk logs an earlier call.
        self.earlier = QCheckBox()
        self.at = QDateTimeEdit()
        self.at.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.at.setCalendarPopup(True)
        self.at.setEnabled(False)
        self.earlier.toggled.connect(self.at.setEnabled)
        self.summary = QLineEdit()
        # Standard phrases at Ctrl+; (issue 12): the complaint's category's phrases first.
        self.phrases = attach_phrase_picker(
            self.summary, complaint.ctx,
            lambda: complaint.detail.category if complaint.detail else None)
        self.unreachable = QCheckBox()
        self.add_button = QPushButton()
        self.add_button.clicked.connect(self.add)
        self.labels = [QLabel(), QLabel()]
        form = QGridLayout()
        form.addWidget(self.labels[0], 0, 0)
        form.addWidget(self.method, 0, 1)
        form.addWidget(self.earlier, 0, 2)
        form.addWidget(self.at, 0, 3)
        form.addWidget(self.labels[1], 1, 0)
        form.addWidget(self.summary, 1, 1, 1, 3)
        form.addWidget(self.unreachable, 2, 1, 1, 2)
        form.addWidget(self.add_button, 2, 3)
        form.setColumnStretch(1, 1)
        form.setColumnStretch(3, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.table, 1)
        layout.addLayout(form)

    def show_detail(self, d: ComplaintDetail | None) -> None:
        self.model.set_rows([] if d is None else d.contacts)
        self.table.resizeRowsToContents()
        open_ = d is not None and can_edit(d.stage, PART_CONTACT)
        for w in (self.method, self.earlier, self.summary, self.unreachable, self.add_button):
            w.setEnabled(open_)
        self.at.setEnabled(open_ and self.earlier.isChecked())
        if not self.earlier.isChecked():
            self.at.setDateTime(qdatetime(clock.now()))

    def add(self) -> None:
        ctx = self.complaint.ctx
        actor = ctx.actor  # who asked, even if another person signs in meanwhile
        at = to_datetime(self.at.dateTime()) if self.earlier.isChecked() else None
        method, summary = self.method.code() or "", self.summary.text()
        unreachable = self.unreachable.isChecked()
        self.complaint.save(None, lambda ref, _v: resolution.add_contact(
            ctx.db, ref, method=method, summary=summary, unreachable=unreachable, at=at,
            actor=actor), versioned=False, then=self._added)

    def _added(self) -> None:
        self.summary.clear()
        self.unreachable.setChecked(False)
        self.earlier.setChecked(False)

    def retranslate(self) -> None:
        self.model.retranslate()
        self.method.set_choices(choices("contact_method"))
        self.labels[0].setText(field_label("contact_method"))
        self.earlier.setText(_("Earlier, at:"))
        self.labels[1].setText(field_label("summary"))
        self.unreachable.setText(_("Customer unreachable"))
        self.add_button.setText(_("Add to contact log"))
        self.summary.setPlaceholderText(_("What was said or sent"))
