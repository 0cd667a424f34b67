"""Which of the intake input's problems the form shows, and where.

A field's problem shows under it (red) once the clerk has been in that field and left it, or
has tried to save; the line beside the buttons says what is still missing. A blank form marks
nothing: the fields visited for the complaint just saved are forgotten before the cursor goes
back to the phone, so leaving the last field of a saved complaint marks nothing on the next.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QLabel, QPushButton, QWidget

from app.codes import field_label
from app.errors import ValidationError
from app.i18n import _
from ui.intake.intake_fields import IntakeFields
from ui.intake.spot_panel import SpotPanel

SPOT_FIELDS = ("solution_types", "implementation", "verified", "amount")


class ProblemMarks:
    """The form passes its fields' focus events to `focus_event` (its own event filter: a
    filter object of its own would still be called while the form's widgets are destroyed);
    `touched_more` is called when a field is left for the first time."""

    def __init__(self, fields: IntakeFields, spot: SpotPanel, missing: QLabel,
                 buttons: Iterable[QPushButton], is_empty: Callable[[], bool],
                 touched_more: Callable[[], None]) -> None:
        self.fields, self.spot, self.missing = fields, spot, missing
        self.touched_more = touched_more
        self.buttons = list(buttons)
        self.is_empty = is_empty
        self.errors: list[ValidationError] = []
        self.touched: set[str] = set()
        self.entered: set[str] = set()  # fields the cursor went into since the form was blank
        self.show_all = False  # after a save attempt every problem is shown

    def focus_event(self, watched: QObject, event: QEvent) -> None:
        if event.type() == QEvent.Type.FocusIn:
            field = self.field_of(watched)
            if field:
                self.entered.add(field)
        elif event.type() == QEvent.Type.FocusOut:
            field = self.field_of(watched)
            if field and field in self.entered and field not in self.touched:
                self.touched.add(field)
                self.touched_more()

    def field_of(self, widget: QObject) -> str | None:
        for grid in (self.fields.left, self.fields.right, self.spot.grid):
            for field, row in grid.rows.items():
                if widget is row.widget or (isinstance(widget, QWidget)
                                            and row.widget.isAncestorOf(widget)):
                    return field
        return None

    def forget(self) -> None:
        """A blank form: nothing visited, nothing marked (before the cursor moves)."""
        self.entered.clear()
        self.touched.clear()
        self.show_all = False

    def show(self, errors: list[ValidationError] | None = None) -> None:
        """Mark `errors` (or the last ones again, in the current language)."""
        if errors is not None:
            self.errors = errors
        by_field: dict[str, str] = {}
        for e in self.errors:
            by_field.setdefault(e.field, e.problem())  # next to its labelled field
        for field in self.fields.fields():
            shown = self.show_all or field in self.touched
            if field == "attachment" and field not in by_field:
                continue  # a refused file stays reported until the next change of the list
            self.fields.set_error(field, by_field.get(field) if shown else None)
        for field in SPOT_FIELDS:
            shown = self.show_all or field in self.touched
            self.spot.grid.set_error(field, by_field.get(field) if shown else None)
        if self.errors:
            names = list(dict.fromkeys(field_label(e.field) for e in self.errors))
            self.missing.setText(_("To save: {fields}", fields=_(", ").join(names)))
            # An empty form is not an error yet: neutral until the clerk starts or saves.
            calm = not self.show_all and self.is_empty()
            self.missing.setStyleSheet("color: #555;" if calm else "color: #8b1a1a;")
            tip = "\n".join(e.message() for e in self.errors)
        else:
            self.missing.setText(_("Ready to save"))
            self.missing.setStyleSheet("color: #0d5223;")
            tip = _("Save the complaint (Ctrl+S or Ctrl+Enter)")
        for button in self.buttons:
            button.setToolTip(tip)

    def focus_first(self) -> None:
        """The cursor to the first field with a problem (in the form's order)."""
        fields = {e.field for e in self.errors}
        for field in (*self.fields.fields(), *SPOT_FIELDS):
            if field in fields:
                widget = self.fields.widget_for(field) or (
                    self.spot.grid.rows[field].widget if field in self.spot.grid.rows else None)
                if widget is not None and widget.isVisibleTo(self.fields.window()):
                    widget.setFocus()
                    return
