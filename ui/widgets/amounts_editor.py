"""The amount of each type of a solution: one small field per type chosen beside it (the
compensation ledger keeps an amount per type, app/rules/compensation.py)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QWidget

from app.i18n import _


class AmountsEditor(QWidget):
    """`set_types` names the chosen types (code, label) in order; `amounts` is what was
    typed for each of them (blank fields left out). The fields come and go with the types:
    `tab_before` / `tab_after` (when set) keep Tab going through them in order."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.row = QHBoxLayout(self)
        self.row.setContentsMargins(0, 0, 0, 0)
        self.row.setSpacing(6)
        self.hint = QLabel()
        self.hint.setEnabled(False)
        self.row.addWidget(self.hint)
        self.row.addStretch(1)
        self.fields: dict[str, QLineEdit] = {}
        self._labels: dict[str, QLabel] = {}
        self._texts: dict[str, str] = {}  # typed amounts, kept while a type is unticked
        self.tab_before: QWidget | None = None
        self.tab_after: QWidget | None = None
        self.retranslate()

    def set_types(self, pairs: list[tuple[str, str]]) -> None:
        """Show a field for each of these types (in this order), keeping what was typed."""
        self._remember()
        for code in list(self.fields):
            field, label = self.fields.pop(code), self._labels.pop(code)
            for widget in (field, label):
                self.row.removeWidget(widget)
                # Hidden first: a field added moments ago has a show pending (Qt shows a
                # widget added to a visible layout later); without a parent it would then
                # open as a window of its own, and take the keyboard focus from the window.
                widget.hide()
                widget.setParent(None)  # gone from the window at once (a label in the
                widget.deleteLater()  # language before must not linger until deleted)
        for n, (code, text) in enumerate(pairs):
            label = QLabel(text)
            field = QLineEdit(self._texts.get(code, ""))
            field.setPlaceholderText("0.00")
            field.setMaximumWidth(110)
            label.setBuddy(field)
            field.textChanged.connect(lambda _t: self.changed.emit())
            self.row.insertWidget(2 * n, label)
            self.row.insertWidget(2 * n + 1, field)
            self.fields[code], self._labels[code] = field, label
        self.hint.setVisible(not pairs)
        self.chain_tabs()
        self.changed.emit()

    def chain_tabs(self) -> None:
        chain = [w for w in (self.tab_before, *self.fields.values(), self.tab_after)
                 if w is not None]
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)

    def _remember(self) -> None:
        for code, field in self.fields.items():
            self._texts[code] = field.text()

    def amounts(self) -> dict[str, str]:
        """type code -> amount text, for the chosen types with something typed."""
        return {code: f.text().strip() for code, f in self.fields.items() if f.text().strip()}

    def set_amounts(self, amounts: dict[str, str]) -> None:
        self._texts = dict(amounts)
        for code, field in self.fields.items():
            field.blockSignals(True)
            field.setText(amounts.get(code, ""))
            field.blockSignals(False)
        self.changed.emit()

    def setReadOnly(self, read_only: bool) -> None:  # noqa: N802 - as QLineEdit's
        for field in self.fields.values():
            field.setReadOnly(read_only)

    def retranslate(self) -> None:
        self.hint.setText(_("Tick the solution's types: each gets its own amount here."))
