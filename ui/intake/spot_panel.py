""""Resolve on the spot" (Ctrl+R): what the clerk did at the counter, asked inline under the
form; saving then logs the complaint and takes it straight to follow-up."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QFrame, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from app.codes import choices
from app.db import Database
from app.i18n import _
from app.services.intake import OnTheSpot
from app.services.list_choices import list_choices
from ui.widgets.amounts_editor import AmountsEditor
from ui.widgets.check_group import CheckGroup
from ui.widgets.choice_combo import ChoiceCombo
from ui.widgets.field_grid import FieldGrid


class SpotPanel(QFrame):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("spotPanel")
        self.setStyleSheet("QFrame#spotPanel { border: 1px solid #81c995; border-radius: 4px;"
                           " background: #f3faf5; }")
        self.title = QLabel()
        font = QFont(self.title.font())
        font.setBold(True)
        self.title.setFont(font)
        self.types = CheckGroup(columns=6)
        self.done = QPlainTextEdit()
        self.done.setTabChangesFocus(True)
        self.done.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 12)
        # What the clerk found (the verdict, app/workflow.py): asked, never assumed.
        self.verdict = ChoiceCombo(optional=True)
        self.verdict.setObjectName("spotVerdict")
        # The ledger keeps an amount per type: a field for each type ticked.
        self.amounts = AmountsEditor()
        self._type_labels: dict[str, str] = {}
        self.types.changed.connect(lambda: self.amounts.set_types(
            [(c, self._type_labels.get(c, c)) for c in self.types.codes()]))
        self.grid = FieldGrid()
        self.grid.add("solution_types", self.types)
        self.grid.add("implementation", self.done, top_label=True)
        self.grid.add("verified", self.verdict)
        self.grid.add("amount", self.amounts)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.addWidget(self.title)
        layout.addWidget(self.grid)
        self.types.changed.connect(self.changed)
        self.done.textChanged.connect(self.changed)
        self.amounts.changed.connect(self.changed)
        self.verdict.code_changed.connect(lambda _c: self.changed.emit())
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(_("Resolved on the spot (Ctrl+R to cancel): what was done for the "
                             "customer"))
        self.amounts.retranslate()
        self.verdict.set_choices(choices("verification"))
        self.done.setPlaceholderText(_("What was done at the counter"))
        self.grid.retranslate()

    def reload_lists(self, db: Database) -> None:
        """The solution types as the supervisor keeps them (active ones, current language)."""
        pairs = list_choices(db, "solution_type")
        self._type_labels = dict(pairs)
        self.types.set_choices(pairs)
        self.amounts.set_types([(c, self._type_labels.get(c, c)) for c in self.types.codes()])

    def value(self) -> OnTheSpot:
        return OnTheSpot(self.types.codes(), self.done.toPlainText(), self.amounts.amounts(),
                         self.verdict.code() or "")

    def to_draft(self) -> dict[str, Any]:
        return {"types": self.types.codes(), "done": self.done.toPlainText(),
                "amounts": self.amounts.amounts(), "verdict": self.verdict.code() or ""}

    def from_draft(self, data: dict[str, Any]) -> None:
        types = [str(c) for c in data.get("types") or []]
        self.types.set_codes(types)
        self.done.setPlainText(str(data.get("done") or ""))
        amounts = data.get("amounts")
        if not isinstance(amounts, dict):
            # A draft kept before amounts per type: its one amount is the one type's.
            old = str(data.get("amount") or "")
            amounts = {types[0]: old} if old and len(types) == 1 else {}
        self.amounts.set_amounts({str(k): str(v) for k, v in amounts.items()})
        self.verdict.set_code(str(data.get("verdict") or "") or None, emit=False)

    def is_empty(self) -> bool:
        return not (self.types.codes() or self.done.toPlainText().strip()
                    or self.amounts.amounts() or self.verdict.code())

    def clear(self) -> None:
        self.types.set_codes([])
        self.done.clear()
        self.amounts.set_amounts({})
        self.verdict.set_code(None, emit=False)
        for field in self.grid.rows:
            self.grid.set_error(field, None)
