"""Editors for settings with a shape of their own: opening hours per weekday, holidays, and
paths chosen with a picker (the business logo, the backup folder)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QGridLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from app import clock
from app.i18n import N_, _
from app.settings import SettingSpec
from ui import file_dialogs
from ui.settings.editors import SettingEditor, qtime

WEEKDAYS = (N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"), N_("Friday"),
            N_("Saturday"), N_("Sunday"))
DEFAULT_DAY = ["10:00", "22:00"]


class HoursEditor(SettingEditor):
    """Around the clock (every hour counts: hotels), or opening hours per weekday."""

    tall = True

    def __init__(self, spec: SettingSpec, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        box = QWidget()
        outer = QVBoxLayout(box)
        outer.setContentsMargins(0, 0, 0, 0)
        self.always = QCheckBox()
        self.always.toggled.connect(self._always_toggled)
        outer.addWidget(self.always)
        grid = QGridLayout()
        grid.setContentsMargins(18, 0, 0, 0)
        grid.setHorizontalSpacing(10)
        self.days: list[tuple[QCheckBox, QTimeEdit, QTimeEdit]] = []
        self.dash: list[QLabel] = []
        for row in range(7):
            open_box, opens, closes = QCheckBox(), QTimeEdit(), QTimeEdit()
            for edit in (opens, closes):
                edit.setDisplayFormat("HH:mm")
                edit.editingFinished.connect(self.commit)
            open_box.toggled.connect(lambda _on, r=row: self._day_toggled(r))
            dash = QLabel("–")
            grid.addWidget(open_box, row, 0)
            grid.addWidget(opens, row, 1)
            grid.addWidget(dash, row, 2)
            grid.addWidget(closes, row, 3)
            self.days.append((open_box, opens, closes))
            self.dash.append(dash)
        grid.setColumnStretch(4, 1)
        outer.addLayout(grid)
        self._layout.addWidget(box)
        self.retranslate()

    def _always_toggled(self, on: bool) -> None:
        self._enable()
        self.commit()

    def _day_toggled(self, row: int) -> None:
        self._enable()
        self.commit()

    def _enable(self) -> None:
        hours = not self.always.isChecked()
        for open_box, opens, closes in self.days:
            open_box.setEnabled(hours and self.isEnabled())
            opens.setEnabled(hours and open_box.isChecked())
            closes.setEnabled(hours and open_box.isChecked())

    def _show(self, value: Any) -> None:
        widgets = [self.always, *(w for day in self.days for w in day)]
        for w in widgets:
            w.blockSignals(True)
        self.always.setChecked(value is None)
        for (open_box, opens, closes), day in zip(self.days, value or [DEFAULT_DAY] * 7,
                                                  strict=True):
            open_box.setChecked(day is not None)
            opens.setTime(qtime((day or DEFAULT_DAY)[0]))
            closes.setTime(qtime((day or DEFAULT_DAY)[1]))
        for w in widgets:
            w.blockSignals(False)
        self._enable()

    def value(self) -> Any:
        if self.always.isChecked():
            return None
        return [[opens.time().toString("HH:mm"), closes.time().toString("HH:mm")]
                if open_box.isChecked() else None for open_box, opens, closes in self.days]

    def retranslate(self) -> None:
        self.always.setText(_("Open around the clock: every hour counts (hotels)"))
        for (open_box, _opens, _closes), name in zip(self.days, WEEKDAYS, strict=True):
            open_box.setText(_(name))


class HolidaysEditor(SettingEditor):
    """Dates the desk is closed: the SLA clock does not run on them."""

    tall = True

    def __init__(self, spec: SettingSpec, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        self.list = QListWidget()
        self.list.setFixedHeight(120)
        self.list.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
        self.date = QDateEdit()
        self.date.setDisplayFormat("yyyy-MM-dd")
        self.date.setCalendarPopup(True)
        today = clock.now().date()
        self.date.setDate(QDate(today.year, today.month, today.day))
        self.add_button, self.remove_button = QPushButton(), QPushButton()
        self.add_button.clicked.connect(self.add_date)
        self.remove_button.clicked.connect(self.remove_selected)
        side = QVBoxLayout()
        side.addWidget(self.date)
        side.addWidget(self.add_button)
        side.addWidget(self.remove_button)
        side.addStretch(1)
        self._layout.addWidget(self.list, 1)
        self._layout.addLayout(side)
        self.retranslate()

    def add_date(self) -> None:
        text = self.date.date().toString("yyyy-MM-dd")
        if text not in self._dates():
            self.list.addItem(text)
            self.list.sortItems()
        self.commit()

    def remove_selected(self) -> None:
        for item in self.list.selectedItems():
            self.list.takeItem(self.list.row(item))
        self.commit()

    def _dates(self) -> list[str]:
        return [self.list.item(i).text() for i in range(self.list.count())]

    def _show(self, value: Any) -> None:
        self.list.clear()
        self.list.addItems([str(d) for d in value or []])

    def value(self) -> Any:
        return sorted(self._dates())

    def retranslate(self) -> None:
        self.add_button.setText(_("Add date"))
        self.remove_button.setText(_("Remove selected"))


class PathEditor(SettingEditor):
    """A file or folder chosen with the system's picker (or typed); empty = the default."""

    def __init__(self, spec: SettingSpec, folder: bool, default_text: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        self.folder = folder
        self.default_text = default_text  # msgid: what an empty value means
        self.edit = QLineEdit()
        self.edit.editingFinished.connect(self.commit)
        self.preview = QLabel()
        self.preview.setFixedSize(48, 48)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setVisible(not folder)
        self.choose, self.clear = QPushButton(), QPushButton()
        self.choose.clicked.connect(self.pick)
        self.clear.clicked.connect(self.reset)
        self._layout.addWidget(self.preview)
        self._layout.addWidget(self.edit, 1)
        self._layout.addWidget(self.choose)
        self._layout.addWidget(self.clear)
        self.retranslate()

    def pick(self) -> None:
        start = self.edit.text() or str(Path.home())
        if self.folder:
            chosen = file_dialogs.get_existing_directory(self, _("Choose the backup folder"), start)
        else:
            chosen, _filter = file_dialogs.get_open_file_name(
                self, _("Choose the logo"), start,
                _("Pictures") + " (*.png *.jpg *.jpeg *.gif *.bmp)")
        if chosen:
            self.edit.setText(chosen)
            self.commit()

    def reset(self) -> None:
        self.edit.clear()
        self.commit()

    def _show(self, value: Any) -> None:
        self.edit.setText(str(value or ""))
        if not self.folder:
            pixmap = QPixmap(str(value)) if value else QPixmap()
            self.preview.setPixmap(pixmap.scaled(
                48, 48, Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation) if not pixmap.isNull() else pixmap)
            self.preview.setStyleSheet("" if not pixmap.isNull()
                                       else "border: 1px dashed #aaa; color: #888;")

    def value(self) -> Any:
        return self.edit.text().strip()

    def retranslate(self) -> None:
        self.choose.setText(_("Choose folder…") if self.folder else _("Choose picture…"))
        self.clear.setText(_("Use the default") if self.folder else _("No logo"))
        if self.default_text:
            self.edit.setPlaceholderText(_(self.default_text))
