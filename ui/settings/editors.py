"""One editor per kind of setting value. An editor shows a value (`set_value`), hands back what
the user chose (`value`), and emits `committed` when an edit is finished; storing, checking and
refusing are the settings page's job (through the services). Which editor a setting gets
follows its declared type (app/settings.SPECS), with a few settings that are tables or paths.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTime, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from app.codes import label
from app.i18n import _
from app.settings import SettingSpec

Labeller = Callable[[str], str]


class SettingEditor(QWidget):
    """Base: a row's editor. Subclasses keep `_shown` (the value last set) to commit changes
    only, so focus passing through a field stores nothing."""

    committed = Signal(object)
    tall = False  # more than one line high (tables, lists): its label sits at the top

    def __init__(self, spec: SettingSpec, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec = spec
        self._shown: Any = None
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)

    def set_value(self, value: Any) -> None:
        self._shown = value
        self._show(value)

    def value(self) -> Any:
        raise NotImplementedError

    def _show(self, value: Any) -> None:
        raise NotImplementedError

    def dirty(self) -> bool:
        return bool(self.value() != self._shown)

    def commit(self) -> None:
        """Hand the value on when it differs from what is shown as stored."""
        if self.dirty():
            self.committed.emit(self.value())

    def retranslate(self) -> None:
        """Texts of the editor itself (headers, item labels)."""

    def mark_invalid(self, invalid: bool) -> None:
        self.setStyleSheet("QLineEdit, QSpinBox, QDoubleSpinBox, QComboBox, QTableWidget "
                           "{ border: 2px solid #c62828; }" if invalid else "")


class TextEditor(SettingEditor):
    def __init__(self, spec: SettingSpec, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        self.edit = QLineEdit()
        self.edit.setMaxLength(400)  # longer than allowed: the check says so, not a silent cut
        self.edit.editingFinished.connect(self.commit)
        self._layout.addWidget(self.edit)

    def _show(self, value: Any) -> None:
        self.edit.setText("" if value is None else str(value))

    def value(self) -> Any:
        return self.edit.text().strip()


class IntEditor(SettingEditor):
    def __init__(self, spec: SettingSpec, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        self.spin = QSpinBox()
        self.spin.setRange(spec.minimum if spec.minimum is not None else 0,
                           spec.maximum if spec.maximum is not None else 999_999)
        self.spin.setMinimumWidth(110)
        self.spin.editingFinished.connect(self.commit)
        self._layout.addWidget(self.spin)
        self._layout.addStretch(1)

    def _show(self, value: Any) -> None:
        self.spin.setValue(int(value))

    def value(self) -> Any:
        return self.spin.value()


class MoneyEditor(SettingEditor):
    """Yuan with two decimals on screen; cents in storage (app/money.py)."""

    def __init__(self, spec: SettingSpec, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        self.spin = QDoubleSpinBox()
        self.spin.setDecimals(2)
        self.spin.setRange((spec.minimum or 0) / 100,
                           (spec.maximum if spec.maximum is not None else 10**9) / 100)
        self.spin.setGroupSeparatorShown(True)
        self.spin.setPrefix("¥ ")
        self.spin.setMinimumWidth(160)
        self.spin.editingFinished.connect(self.commit)
        self._layout.addWidget(self.spin)
        self._layout.addStretch(1)

    def _show(self, value: Any) -> None:
        self.spin.setValue(int(value) / 100)

    def value(self) -> Any:
        return round(self.spin.value() * 100)


class BoolEditor(SettingEditor):
    def __init__(self, spec: SettingSpec, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        self.box = QCheckBox()
        self.box.toggled.connect(lambda _on: self.commit())
        self._layout.addWidget(self.box)
        self._layout.addStretch(1)

    def _show(self, value: Any) -> None:
        self.box.blockSignals(True)
        self.box.setChecked(bool(value))
        self.box.blockSignals(False)

    def value(self) -> Any:
        return self.box.isChecked()

    def retranslate(self) -> None:
        self.box.setText(_("Yes"))


class ChoiceEditor(SettingEditor):
    def __init__(self, spec: SettingSpec, labeller: Labeller,
                 parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        self.labeller = labeller
        self.combo = QComboBox()
        self.combo.setMinimumWidth(200)
        self.combo.activated.connect(lambda _i: self.commit())
        self._layout.addWidget(self.combo)
        self._layout.addStretch(1)
        self.retranslate()

    def retranslate(self) -> None:
        self.combo.blockSignals(True)
        current = self.combo.currentData()
        self.combo.clear()
        for code in self.spec.choices:
            self.combo.addItem(self.labeller(code), code)
        index = self.combo.findData(current if current is not None else self._shown)
        self.combo.setCurrentIndex(max(index, 0))
        self.combo.blockSignals(False)

    def _show(self, value: Any) -> None:
        self.combo.blockSignals(True)
        self.combo.setCurrentIndex(max(self.combo.findData(value), 0))
        self.combo.blockSignals(False)

    def value(self) -> Any:
        return self.combo.currentData()


class ReadOnlyEditor(SettingEditor):
    """Shown, not edited here (the profile: presets are applied on the Lists page)."""

    def __init__(self, spec: SettingSpec, labeller: Labeller, hint: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        self.labeller, self.hint = labeller, hint
        self.text = QLabel()
        self.text.setWordWrap(True)
        self._layout.addWidget(self.text, 1)

    def _show(self, value: Any) -> None:
        self.text.setText(f"<b>{self.labeller(str(value))}</b> — "
                          f"<span style='color:#555'>{_(self.hint)}</span>")

    def retranslate(self) -> None:
        if self._shown is not None:
            self._show(self._shown)

    def value(self) -> Any:
        return self._shown

    def commit(self) -> None:
        """Nothing to store: shown only."""


class GridEditor(SettingEditor):
    """A small fixed table (rows known in advance) edited in place; commits on each change."""

    tall = True

    def __init__(self, spec: SettingSpec, rows: tuple[str, ...], columns: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        self.row_codes = rows
        self.table = QTableWidget(len(rows), columns)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.itemChanged.connect(lambda _item: self.commit())
        self._layout.addWidget(self.table)

    def fit_height(self) -> None:
        """As tall as its rows: the page scrolls, not the table."""
        self.table.resizeRowsToContents()
        height = self.table.horizontalHeader().height() + 2 * self.table.frameWidth()
        height += sum(self.table.rowHeight(r) for r in range(self.table.rowCount()))
        self.table.setFixedHeight(height)

    def cell(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return item.text().strip() if item is not None else ""

    def set_cell(self, row: int, column: int, text: str) -> None:
        item = QTableWidgetItem(text)
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.table.setItem(row, column, item)

    def set_headers(self, columns: list[str], row_labeller: Labeller) -> None:
        self.table.setHorizontalHeaderLabels(columns)
        self.table.setVerticalHeaderLabels([row_labeller(r) for r in self.row_codes])
        self.fit_height()


def number(text: str) -> Any:
    """A typed number as int or float; the text itself when it is not one (the check in
    app/settings then refuses it with the setting's name)."""
    try:
        value = float(text)
    except ValueError:
        return text
    return int(value) if value.is_integer() else value


class SlaEditor(GridEditor):
    ORDER = ("urgent", "serious", "normal", "minor")

    def __init__(self, spec: SettingSpec, parent: QWidget | None = None) -> None:
        super().__init__(spec, self.ORDER, 3, parent)
        self.retranslate()

    def _show(self, value: Any) -> None:
        self.table.blockSignals(True)
        for r, severity in enumerate(self.ORDER):
            terms = (value or {}).get(severity, ["", "", ""])
            for c in range(3):
                self.set_cell(r, c, f"{number(str(terms[c]))}")
        self.table.blockSignals(False)
        self.fit_height()

    def value(self) -> Any:
        return {sev: [number(self.cell(r, c)) for c in range(3)]
                for r, sev in enumerate(self.ORDER)}

    def dirty(self) -> bool:
        shown = {k: [number(str(x)) for x in v] for k, v in (self._shown or {}).items()}
        return bool(self.value() != shown)

    def retranslate(self) -> None:
        self.set_headers([_("First contact within (hours)"), _("Resolve within (hours)"),
                          _("Revisit after (days)")], lambda code: label("severity", code))


class WipEditor(GridEditor):
    """A limit per open stage; an empty cell or 0 means no limit."""

    def __init__(self, spec: SettingSpec, stages: tuple[str, ...],
                 parent: QWidget | None = None) -> None:
        super().__init__(spec, stages, 1, parent)
        self.table.setMaximumWidth(460)  # one short number per row: no need for the width
        self._layout.addStretch(1)
        self.retranslate()

    def _show(self, value: Any) -> None:
        self.table.blockSignals(True)
        for r, stage in enumerate(self.row_codes):
            limit = (value or {}).get(stage)
            self.set_cell(r, 0, str(limit) if limit else "")
        self.table.blockSignals(False)
        self.fit_height()

    def value(self) -> Any:
        out: dict[str, Any] = {}
        for r, stage in enumerate(self.row_codes):
            text = self.cell(r, 0)
            if text and text != "0":
                out[stage] = number(text)
        return out

    def retranslate(self) -> None:
        self.set_headers([_("Most complaints at once (empty: no limit)")],
                         lambda code: label("stage", code))


def qtime(text: str) -> QTime:
    return QTime.fromString(text, "HH:mm")


class TierPercentEditor(GridEditor):
    """Each customer tier's share of the time limits, in percent (100: the usual)."""

    def __init__(self, spec: SettingSpec, tiers: tuple[str, ...],
                 parent: QWidget | None = None) -> None:
        super().__init__(spec, tiers, 1, parent)
        self.table.setMaximumWidth(460)
        self._layout.addStretch(1)
        self.retranslate()

    def _show(self, value: Any) -> None:
        self.table.blockSignals(True)
        for r, tier in enumerate(self.row_codes):
            self.set_cell(r, 0, str((value or {}).get(tier, 100)))
        self.table.blockSignals(False)
        self.fit_height()

    def value(self) -> Any:
        return {tier: number(self.cell(r, 0)) for r, tier in enumerate(self.row_codes)}

    def dirty(self) -> bool:
        shown = {k: number(str(v)) for k, v in (self._shown or {}).items()}
        return bool(self.value() != shown)

    def retranslate(self) -> None:
        self.set_headers([_("% of the usual time limits")], lambda code: label("tier", code))
