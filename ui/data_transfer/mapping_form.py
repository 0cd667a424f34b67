"""The mapping part of the import screen: a drop-down of the file's columns for each of our
fields, and a table mapping a coded field's file values to our codes.

It holds no rule of its own: it reads and writes the mapping JSON of app/services/csv_mapping
(what the command line takes), so saving and loading a mapping is that JSON.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from app.codes import field_label, label
from app.i18n import _
from app.services.csv_mapping import DATE_FIELDS, IMPORT_FIELDS, REQUIRED_FIELDS
from app.services.import_preview import CODED, FilePreview, suggest_values, value_list

NO_COLUMN = ""  # item data of the "not in the file" entry


class MappingForm(QWidget):
    """Field → column drop-downs; `changed` when the person picks another column."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.preview: FilePreview | None = None
        self.combos: dict[str, QComboBox] = {}
        self.time_combo = QComboBox()
        self.time_combo.setObjectName("import_time_column")
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.labels: dict[str, QLabel] = {}
        for key in IMPORT_FIELDS:
            combo = QComboBox()
            combo.setObjectName(f"import_map_{key}")
            combo.currentIndexChanged.connect(lambda _i: self.changed.emit())
            self.combos[key] = combo
            self.labels[key] = QLabel()
            form.addRow(self.labels[key], combo)
            if key == "received_at":
                self.labels["time"] = QLabel()
                form.addRow(self.labels["time"], self.time_combo)
        self.time_combo.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self.retranslate()

    def retranslate(self) -> None:
        for key, widget in self.labels.items():
            if key == "time":
                widget.setText(_("Time (own column)"))
            else:
                star = " *" if key in REQUIRED_FIELDS else ""
                widget.setText(field_label(key) + star)
        for combo in (*self.combos.values(), self.time_combo):
            if combo.count():
                combo.setItemText(0, _("— not in the file —"))

    def set_columns(self, preview: FilePreview) -> None:
        self.preview = preview
        for combo in (*self.combos.values(), self.time_combo):
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(_("— not in the file —"), NO_COLUMN)
            for name in preview.header:
                if name:
                    combo.addItem(name, name)
            combo.blockSignals(False)

    def column_of(self, key: str) -> str:
        return str(self.combos[key].currentData() or "")

    def set_column(self, key: str, column: str) -> None:
        combo = self.combos[key]
        index = combo.findData(column)
        combo.setCurrentIndex(max(0, index))

    def time_column(self) -> str:
        return str(self.time_combo.currentData() or "")

    def set_time_column(self, column: str) -> None:
        self.time_combo.setCurrentIndex(max(0, self.time_combo.findData(column)))

    def apply(self, data: dict[str, Any]) -> None:
        """Show a mapping (suggested or loaded): columns; value maps go to the ValueTable."""
        for key in IMPORT_FIELDS:
            spec = data.get(key)
            column = spec.get("column", "") if isinstance(spec, dict) else (spec or "")
            self.set_column(key, str(column))
            if key == "received_at":
                self.set_time_column(str(spec.get("time_column", "")) if isinstance(spec, dict)
                                     else "")


class ValueTable(QTableWidget):
    """File value → our code, for channel, stage, severity and tier (at most 40 values each,
    so a table widget is enough)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 3, parent)
        self.setObjectName("import_values")
        self.verticalHeader().setVisible(False)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.rows: list[tuple[str, str]] = []  # (field, file value)
        self.retranslate()

    def retranslate(self) -> None:
        self.setHorizontalHeaderLabels([_("Field"), _("Value in the file"), _("Our value")])

    def fill(self, preview: FilePreview, columns: dict[str, str],
             chosen: dict[str, dict[str, str]]) -> None:
        """Rows for each coded field mapped to a column; `chosen` keeps earlier choices."""
        self.setRowCount(0)
        self.rows = []
        for key, (kind, codes) in CODED.items():
            column = columns.get(key)
            if not column:
                continue
            values = value_list(preview, column)
            guess = {**suggest_values(key, values), **chosen.get(key, {})}
            for value in values:
                row = self.rowCount()
                self.insertRow(row)
                self.rows.append((key, value))
                for col, text in ((0, field_label(key)), (1, value)):
                    item = QTableWidgetItem(text)
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                    self.setItem(row, col, item)
                combo = QComboBox()
                combo.addItem(_("— as in the file —"), "")
                for code in codes:
                    combo.addItem(f"{label(kind, code)} ({code})", code)
                combo.setCurrentIndex(max(0, combo.findData(guess.get(value, ""))))
                self.setCellWidget(row, 2, combo)

    def value_maps(self) -> dict[str, dict[str, str]]:
        maps: dict[str, dict[str, str]] = {}
        for row, (key, value) in enumerate(self.rows):
            combo = self.cellWidget(row, 2)
            code = combo.currentData() if isinstance(combo, QComboBox) else ""
            if code and code != value:
                maps.setdefault(key, {})[value] = str(code)
        return maps

    def set_code(self, key: str, value: str, code: str) -> None:
        for row, (k, v) in enumerate(self.rows):
            combo = self.cellWidget(row, 2)
            if (k, v) == (key, value) and isinstance(combo, QComboBox):
                combo.setCurrentIndex(max(0, combo.findData(code)))


def mapping_data(form: MappingForm, values: ValueTable, date_order: str,
                 encoding: str) -> dict[str, Any]:
    """The mapping JSON of what the screen shows (the command line's MAP.json)."""
    data: dict[str, Any] = {}
    maps = values.value_maps()
    for key in IMPORT_FIELDS:
        column = form.column_of(key)
        if not column:
            continue
        if key == "received_at" and form.time_column():
            data[key] = {"column": column, "time_column": form.time_column()}
        elif key in maps and key not in DATE_FIELDS:
            data[key] = {"column": column, "values": maps[key]}
        else:
            data[key] = column
    if date_order:
        data["date_order"] = date_order
    if encoding:
        data["encoding"] = encoding
    return data
