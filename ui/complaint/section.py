"""One part of the procedure in the detail panel: its editors, what is done and what is
missing, and the edits the user has not saved yet (kept across a reload after a conflict)."""

from __future__ import annotations

from typing import Any, TypeVar

from PySide6.QtCore import QDate, QDateTime, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QDateEdit,
    QDateTimeEdit,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.codes import label
from app.errors import DeskError, ValidationError
from app.i18n import _
from app.services.complaints import ComplaintDetail
from ui.complaint.open_complaint import OpenComplaint
from ui.widgets.amounts_editor import AmountsEditor
from ui.widgets.check_group import CheckGroup
from ui.widgets.choice_combo import ChoiceCombo
from ui.widgets.field_grid import FieldGrid
from ui.widgets.optional_time import OptionalTimeEdit
from ui.widgets.questionnaire_box import QuestionnaireBox

W = TypeVar("W", bound=QWidget)

DONE_COLOUR, MISSING_COLOUR, WAIT_COLOUR = "#1b7f3b", "#b3261e", "#8a5a00"
KEPT_STYLE = "background: #fff8d6;"  # an unsaved edit that differs from the saved value


def value_of(widget: QWidget) -> Any:
    """The editor's current value in a comparable plain form."""
    if isinstance(widget, ChoiceCombo):
        return widget.code()
    if isinstance(widget, CheckGroup):
        return tuple(widget.codes())
    if isinstance(widget, AmountsEditor):
        return tuple(widget.amounts().items())
    if isinstance(widget, QuestionnaireBox):
        return widget.value()
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText()
    if isinstance(widget, QLineEdit):
        return widget.text()
    if isinstance(widget, QCheckBox):
        return widget.isChecked()
    if isinstance(widget, QDateEdit):
        return widget.date().toString("yyyy-MM-dd")
    if isinstance(widget, OptionalTimeEdit):
        return widget.text_value()
    if isinstance(widget, QDateTimeEdit):
        return widget.dateTime().toString("yyyy-MM-dd HH:mm")
    raise TypeError(type(widget).__name__)


def set_value(widget: QWidget, value: Any) -> None:
    if isinstance(widget, ChoiceCombo):
        widget.set_code(value, emit=False)
    elif isinstance(widget, CheckGroup):
        widget.set_codes(list(value or ()))
    elif isinstance(widget, AmountsEditor):
        widget.set_amounts(dict(value or ()))
    elif isinstance(widget, QuestionnaireBox):
        widget.set_value(value)
    elif isinstance(widget, QPlainTextEdit):
        if widget.toPlainText() != (value or ""):
            widget.setPlainText(value or "")
    elif isinstance(widget, QLineEdit):
        widget.setText(value or "")
    elif isinstance(widget, QCheckBox):
        widget.setChecked(bool(value))
    elif isinstance(widget, QDateEdit):
        widget.setDate(QDate.fromString(value, "yyyy-MM-dd"))
    elif isinstance(widget, OptionalTimeEdit):
        widget.set_text_value(value or "")
    elif isinstance(widget, QDateTimeEdit):
        widget.setDateTime(QDateTime.fromString(value, "yyyy-MM-dd HH:mm"))
    else:
        raise TypeError(type(widget).__name__)


def checklist_html(heading: str, items: list[tuple[str, bool]]) -> str:
    marks = " · ".join(
        f'<span style="color:{DONE_COLOUR if ok else MISSING_COLOUR}">{"✓" if ok else "✗"} '
        f"{text}</span>" for text, ok in items)
    return f"<b>{heading}</b> {marks}" if items else f"<b>{heading}</b>"


class Section(QGroupBox):
    """Subclasses set `part`, `title_msgid`, build editors into `self.grid`, and implement
    `values_from`, `refresh` and `retranslate_own`; they change the complaint through
    `self.complaint.save(...)`, whose call runs on the database thread: it reads the editors'
    values before (a widget is never touched off the GUI thread). A new section is a module in ui/complaint/sections/ and its
    line in SECTIONS there."""

    part = ""
    title_msgid = ""
    # The button Ctrl+S presses in this section (its save), and the approval Ctrl+Shift+A
    # presses; None where the section has none.
    saves_with: QPushButton | None = None
    decides_with: QPushButton | None = None

    def __init__(self, complaint: OpenComplaint) -> None:
        super().__init__()
        self.complaint = complaint
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.RichText)
        self.grid = FieldGrid()
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(10, 8, 10, 8)
        self.body.addWidget(self.status)
        self.body.addWidget(self.grid)
        self.editors: dict[str, QWidget] = {}
        self._baseline: dict[str, Any] = {}

    # --- editors and unsaved edits -------------------------------------------------------
    def editor(self, field: str, widget: W) -> W:
        self.editors[field] = widget
        return widget

    def values_from(self, d: ComplaintDetail) -> dict[str, Any]:
        """The saved value of each editor (same keys as `editors`)."""
        return {}

    def fill(self, d: ComplaintDetail) -> None:
        for field, value in self.values_from(d).items():
            widget = self.editors[field]
            set_value(widget, value)
            widget.setStyleSheet("")
            widget.setToolTip("")
            self._baseline[field] = value_of(widget)
            self.grid.set_error(field, None)

    def dirty(self) -> dict[str, Any]:
        """Edits not saved yet: editor values that differ from what was loaded."""
        return {f: value_of(w) for f, w in self.editors.items()
                if f in self._baseline and value_of(w) != self._baseline[f]}

    def restore(self, edits: dict[str, Any]) -> None:
        """Put the user's unsaved edits back after a reload, marked so they are checked."""
        for field, value in edits.items():
            widget = self.editors.get(field)
            if widget is None:
                continue
            saved = self._baseline.get(field)
            set_value(widget, value)
            if value_of(widget) != saved:
                widget.setStyleSheet(KEPT_STYLE)
                widget.setToolTip(_("Your unsaved edit. Saved value: {value}",
                                    value=self.shown(field, saved)))

    def shown(self, field: str, value: Any) -> str:
        """A saved value as text for the tooltip of a kept edit."""
        if isinstance(value, tuple):
            return ", ".join(str(v) for v in value) or "—"
        return str(value) if value not in (None, "") else "—"

    # --- state ---------------------------------------------------------------------------
    def refresh(self, d: ComplaintDetail) -> None:
        """Enable what can be done now and say what is done / missing."""

    def set_editable(self, editable: bool) -> None:
        for widget in self.editors.values():
            if isinstance(widget, QLineEdit | QPlainTextEdit):
                widget.setReadOnly(not editable)
            else:
                widget.setEnabled(editable)

    def set_status(self, heading: str, items: list[tuple[str, bool]] | None = None,
                   note: str = "") -> None:
        html = checklist_html(heading, items or [])
        if note:
            html += f"<br>{note}"
        self.status.setText(html)

    def show_error(self, error: DeskError) -> bool:
        """Show a field's problem under it; True when the section has that field."""
        if isinstance(error, ValidationError) and error.field in self.grid.rows:
            self.grid.set_error(error.field, error.problem())
            widget = self.editors.get(error.field)
            if widget is not None:
                widget.setFocus()
            return True
        return False

    def first_editor(self) -> QWidget | None:
        for widget in self.editors.values():
            read_only = isinstance(widget, QLineEdit | QPlainTextEdit) and widget.isReadOnly()
            if widget.isEnabled() and not read_only:
                return widget
        return None

    def first_focus(self) -> QWidget | None:
        """Where the cursor goes in this section: its first editable field, else its first
        button that can be pressed now (the customer's agreement), else None."""
        editor = self.first_editor()
        if editor is not None:
            return editor
        for button in self.findChildren(QPushButton):
            if button.isEnabled() and button.isVisibleTo(self):
                return button
        return None

    def retranslate(self) -> None:
        self.setTitle(_(self.title_msgid))
        self.grid.retranslate()
        self.retranslate_own()

    def retranslate_own(self) -> None:
        pass


def stage_label(stage: str) -> str:
    """The stage's name set off in a rich-text sentence."""
    return f"<i>{label('stage', stage)}</i>"


def enable(button: QAbstractButton, on: bool, visible: bool = True) -> None:
    button.setVisible(visible)
    button.setEnabled(on and visible)


def text_box(height: int = 64) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setTabChangesFocus(True)
    box.setFixedHeight(height)
    return box


def button_row(*buttons: QWidget) -> QWidget:
    """Buttons at the right of a line."""
    return widget_row(None, *buttons)


def widget_row(wide: QWidget | None, *rest: QWidget) -> QWidget:
    """One line: `wide` takes the room left by the others (or empty room, when None)."""
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    if wide is None:
        layout.addStretch(1)
    else:
        layout.addWidget(wide, 1)
    for w in rest:
        layout.addWidget(w)
    return row
