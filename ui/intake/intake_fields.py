"""The intake form's fields and their layout (two columns), the values they hold as an
IntakeInput, and the same values as a draft. No saving or validation here (intake_form.py)."""

from __future__ import annotations

from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app import clock
from app.codes import choices
from app.i18n import N_, _
from app.models import TEXT_LEN
from app.services.intake import IntakeInput
from app.services.list_choices import list_choices
from ui.context import DeskContext
from ui.intake.attachment_list import AttachmentBox
from ui.intake.customer_box import CustomerBox
from ui.key_bindings import bind, key_text
from ui.widgets.check_group import CheckGroup
from ui.widgets.choice_combo import ChoiceCombo
from ui.widgets.date_time_edit import DateTimeEdit
from ui.widgets.field_grid import FieldGrid
from ui.widgets.phrase_picker import attach_phrase_picker
from ui.widgets.qt_dates import qdatetime

DATETIME_FORMAT = "yyyy-MM-dd HH:mm"
# Fields most complaints leave as they are (out of the Tab order) and their own keys' ids in
# the table of shortcuts (ui/shortcuts.py).
RARE_FIELDS = {"email": "intake.email", "tier": "intake.tier", "received_at": "intake.received_at",
               "occurred_at": "intake.occurred_at", "channel": "intake.channel",
               "subject": "intake.subject"}


class IntakeFields(QWidget):
    """Every field of DESIGN.md §2 "Intake", in tab order left column then right column
    (the rare fields out of the Tab chain)."""

    changed = Signal()

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.received_auto = True  # follows the clock until the clerk starts typing
        self._received_typed = False  # the clerk typed the time: it has no seconds
        self.occurred_auto = True  # follows the received time until the clerk changes it
        self.customer = CustomerBox(ctx, self)
        self.received = DateTimeEdit()
        self.received.setDisplayFormat(DATETIME_FORMAT)
        self.received.setCalendarPopup(True)
        # When the incident happened (mall procedure 时间), often before it is reported.
        self.occurred = DateTimeEdit()
        self.occurred.setDisplayFormat(DATETIME_FORMAT)
        self.occurred.setCalendarPopup(True)
        self.channel = ChoiceCombo()
        self.subject = ChoiceCombo(optional=True)
        self.category = ChoiceCombo(optional=True)
        self.department = ChoiceCombo(optional=True)
        self.location = QLineEdit()
        self.staff = QLineEdit()
        self.description = QPlainTextEdit()
        self.description.setTabChangesFocus(True)
        self.description.setMinimumHeight(140)
        # Standard phrases at Ctrl+; (issue 12), the chosen category's phrases first.
        self.phrases = attach_phrase_picker(self.description, ctx, lambda: self.category.code())
        self.counter = QLabel()
        self.counter.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.counter.setStyleSheet("color: #666;")
        self.emotion = ChoiceCombo(optional=True)
        self.severity = ChoiceCombo()
        self.demands = CheckGroup(columns=4)
        self.attachments = AttachmentBox()

        self.left = FieldGrid()
        self.left.add_heading(N_("Customer"))
        self.left.add("phone", self.customer.phone)
        self.left.add("customer_name", self.customer.name)
        self.left.add("email", self.customer.email)
        self.left.add("tier", self.customer.tier)
        self.left.add_widget(self.customer.badge)
        self.left.add_heading(N_("The complaint"))
        self.left.add_pair(("received_at", self.received), ("occurred_at", self.occurred))
        self.left.add("channel", self.channel)
        self.left.add("subject", self.subject)
        self.left.add("category", self.category)
        self.left.add("department", self.department)
        self.left.add("location", self.location)
        self.left.add("staff_involved", self.staff)
        self.left.add("attachment", self.attachments, N_("Attachments"), top_label=True)
        self.left.grid.setRowStretch(self.left.grid.rowCount(), 1)

        self.right = FieldGrid()
        self.right.add_heading(N_("What happened and what the customer asks for"))
        self.right.add("description", self.description, top_label=True)
        self.right.add_widget(self.counter)
        self.right.add("customer_demand", self.demands, top_label=True)
        self.right.add_pair(("emotion", self.emotion), ("severity", self.severity))
        self.right.grid.setRowStretch(1, 1)

        columns = QHBoxLayout()
        columns.setSpacing(24)
        columns.addWidget(self.left, 5)
        columns.addWidget(self.right, 6)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addLayout(columns)
        # Tab walks the fields of a walk-in complaint; the rare ones (RARE_FIELDS) keep their
        # place in the order but Tab passes them: each is reached by its own key (shown after
        # its label), or by a click.
        order = [self.customer.phone, self.customer.name, self.customer.email,
                 self.customer.tier, self.received, self.occurred, self.channel, self.subject,
                 self.category, self.department, self.location, self.staff, self.description,
                 self.demands, self.emotion, self.severity, self.attachments.list,
                 self.attachments.add_button, self.attachments.remove_button]
        for first, second in zip(order, order[1:], strict=False):
            QWidget.setTabOrder(first, second)
        self.tab_order = order
        self.rare: dict[str, QWidget] = {
            "email": self.customer.email, "tier": self.customer.tier,
            "received_at": self.received, "occurred_at": self.occurred, "channel": self.channel,
            "subject": self.subject}
        for field, widget in self.rare.items():
            widget.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
            self.left.set_key(field, key_text(RARE_FIELDS[field]))

        self.customer.changed.connect(self.changed)
        self.received.dateTimeChanged.connect(self._received_edited)
        self.occurred.dateTimeChanged.connect(self._occurred_edited)
        for combo in (self.channel, self.subject, self.category, self.department,
                      self.emotion, self.severity):
            combo.code_changed.connect(lambda _c: self.changed.emit())
        for edit in (self.location, self.staff):
            edit.textChanged.connect(lambda _t: self.changed.emit())
        self.description.textChanged.connect(self._description_changed)
        self.demands.changed.connect(self.changed)
        self.attachments.changed.connect(self.changed)
        self._setting_time = False
        self.reset_received()
        self.retranslate()

    def bind_rare_keys(self, form: QWidget) -> list[QShortcut]:
        """Each rare field's own key, working anywhere on `form`: the cursor goes there."""
        return [shortcut for field, shortcut_id in RARE_FIELDS.items()
                for shortcut in bind(form, shortcut_id, partial(
                    self.rare[field].setFocus, Qt.FocusReason.ShortcutFocusReason))]

    # ---- widgets by field code (errors are shown next to these) -------------------------------
    def widget_for(self, field: str) -> QWidget | None:
        for grid in (self.left, self.right):
            if field in grid.rows:
                return grid.rows[field].widget
        return None

    def set_error(self, field: str, text: str | None) -> bool:
        for grid in (self.left, self.right):
            if field in grid.rows:
                grid.set_error(field, text)
                return True
        return False

    def fields(self) -> list[str]:
        return [*self.left.rows, *self.right.rows]

    # ---- texts and lists ----------------------------------------------------------------------
    def retranslate(self) -> None:
        self.reload_lists()
        self.channel.set_choices(choices("channel"))
        self.emotion.set_choices(choices("emotion"))
        self.severity.set_choices(choices("severity"), keep=self.severity.code() or "normal")
        self.demands.set_choices(choices("demand"))
        self.location.setPlaceholderText(_("e.g. 2F near the lifts, room 1208"))
        self.staff.setPlaceholderText(_("Name or staff number, if known"))
        self.description.setPlaceholderText(
            _("What happened, in the customer's words (Enter for a new line)"))
        self.customer.retranslate()
        self.attachments.retranslate()
        self.left.retranslate()
        self.right.retranslate()
        self._description_changed(emit=False)

    def reload_lists(self) -> None:
        """The editable lists as they are now: active values, current language."""
        db = self.ctx.db
        self.subject.set_choices(list_choices(db, "subject"))
        self.category.set_choices(list_choices(db, "category"))
        self.department.set_choices(list_choices(db, "department"))

    # ---- received time ------------------------------------------------------------------------
    def reset_received(self) -> None:
        self.received_auto = True
        self._received_typed = False
        self.tick()

    def tick(self) -> None:
        """Keep an untouched received time at "now"."""
        if self.received_auto:
            self._set_received(clock.now())

    def freeze_received(self) -> None:
        """The clerk started on a complaint: its received time stays the time they began."""
        if self.received_auto:
            self.tick()
            self.received_auto = False

    def _set_received(self, when: datetime) -> None:
        self._setting_time = True
        self.received.setDateTime(qdatetime(when))
        if self.occurred_auto:
            self.occurred.setDateTime(qdatetime(when))
        self._setting_time = False

    def _received_edited(self) -> None:
        if not self._setting_time:
            self.received_auto = False
            self._received_typed = True
            if self.occurred_auto:
                self._set_occurred(self.received_value())
            self.changed.emit()

    # ---- incident time: the received time unless the clerk says otherwise ---------------------
    def _set_occurred(self, when: datetime) -> None:
        setting, self._setting_time = self._setting_time, True
        self.occurred.setDateTime(qdatetime(when))
        self._setting_time = setting

    def _occurred_edited(self) -> None:
        if not self._setting_time:
            self.occurred_auto = False
            self.changed.emit()

    def occurred_value(self) -> datetime:
        if self.occurred_auto:  # the same instant, to the second
            return self.received_value()
        value = self.occurred.dateTime().toPython()
        assert isinstance(value, datetime)
        return value.replace(second=0, microsecond=0)

    def _description_changed(self, emit: bool = True) -> None:
        n = len(self.description.toPlainText())
        self.counter.setText(_("{count} of {limit} characters", count=f"{n:,}",
                               limit=f"{TEXT_LEN:,}"))
        self.counter.setStyleSheet("color: #c62828;" if n > TEXT_LEN else "color: #666;")
        if emit:
            self.changed.emit()

    # ---- values -------------------------------------------------------------------------------
    def received_value(self) -> datetime:
        value = self.received.dateTime().toPython()
        assert isinstance(value, datetime)
        # "19:45" typed is 19:45:00, not 19:45 and the seconds of the clock when the form
        # was opened.
        return value.replace(second=0 if self._received_typed else value.second,
                             microsecond=0)

    def to_input(self) -> IntakeInput:
        c = self.customer
        return IntakeInput(
            description=self.description.toPlainText(),
            customer_name=c.name.text(), phone=c.phone_value(), email=c.email.text(),
            tier=c.tier.code() or "", channel=self.channel.code() or "counter",
            received_at=self.received_value(), occurred_at=self.occurred_value(),
            subject=self.subject.code(),
            category=self.category.code(), department=self.department.code(),
            location=self.location.text(), staff_involved=self.staff.text(),
            emotion=self.emotion.code(), demands=self.demands.codes(),
            severity=self.severity.code(), attachments=self.attachments.paths(),
        )

    def is_empty(self) -> bool:
        return (self.customer.is_empty() and not self.description.toPlainText().strip()
                and not (self.location.text().strip() or self.staff.text().strip())
                and not any(c.code() for c in (self.subject, self.category, self.department,
                                               self.emotion))
                and not self.demands.codes() and not self.attachments.paths())

    def to_draft(self) -> dict[str, Any]:
        return {
            "received_at": self.received_value().isoformat(),
            "received_auto": self.received_auto,
            "occurred_at": self.occurred_value().isoformat(),
            "occurred_auto": self.occurred_auto,
            "channel": self.channel.code(), "customer": self.customer.to_draft(),
            "subject": self.subject.code(), "category": self.category.code(),
            "department": self.department.code(), "location": self.location.text(),
            "staff_involved": self.staff.text(), "description": self.description.toPlainText(),
            "emotion": self.emotion.code(), "severity": self.severity.code(),
            "demands": self.demands.codes(),
            "attachments": [str(p) for p in self.attachments.paths()],
        }

    def from_draft(self, d: dict[str, Any]) -> list[str]:
        """Fill the fields from a draft; returns the problems (files gone since)."""
        try:
            self._set_received(datetime.fromisoformat(str(d.get("received_at"))))
            self.received_auto = False
        except ValueError:
            self.reset_received()
        # Drafts from before the incident time: it follows the received time.
        self.occurred_auto = bool(d.get("occurred_auto", True))
        if self.occurred_auto:
            self._set_occurred(self.received_value())
        else:
            try:
                self._set_occurred(datetime.fromisoformat(str(d.get("occurred_at"))))
            except ValueError:
                self.occurred_auto = True
                self._set_occurred(self.received_value())
        self.channel.set_code(d.get("channel") or "counter")
        self.customer.from_draft(d.get("customer") or {})
        self.subject.set_code(d.get("subject"))
        self.category.set_code(d.get("category"))
        self.department.set_code(d.get("department"))
        self.location.setText(str(d.get("location") or ""))
        self.staff.setText(str(d.get("staff_involved") or ""))
        self.description.setPlainText(str(d.get("description") or ""))
        self.emotion.set_code(d.get("emotion"))
        self.severity.set_code(d.get("severity") or "normal")
        self.demands.set_codes([str(x) for x in d.get("demands") or []])
        self.attachments.clear()
        return self.attachments.add_paths([Path(p) for p in d.get("attachments") or []])

    def clear(self) -> None:
        self.customer.clear()
        self.channel.set_code("counter")
        for combo in (self.subject, self.category, self.department, self.emotion):
            combo.set_code(None)
        self.severity.set_code("normal")
        for edit in (self.location, self.staff):
            edit.clear()
        self.description.clear()
        self.demands.set_codes([])
        self.demands.setCurrentRow(-1)  # no item left highlighted as if it were chosen
        self.attachments.clear()
        for field in self.fields():
            self.set_error(field, None)
        self.occurred_auto = True
        self.reset_received()
