"""Filters and search above the board: text, category, severity, owner, channel, department,
overdue only, received between dates. Debounced; the state is kept in QSettings."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QSettings, QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.codes import CHANNELS, SEVERITIES, label
from app.i18n import _
from app.services.board import CLOSED_DAYS, FilterChoices, filter_choices
from app.services.queue import QueueFilter
from ui.context import DeskContext
from ui.widgets.field_grid import ERROR_COLOUR

TYPING_DELAY_MS = 200  # wait for a pause in typing before searching
NO_DATE = QDate(2000, 1, 1)  # the date edits' "not set" value, shown as "—"
KEY = "board/filter/"
ERROR_STYLE = f"QLabel {{ color: {ERROR_COLOUR}; font-weight: bold; }}"
FILTERED_STYLE = ("QLabel { background: #fff4e0; color: #6b4300; border: 1px solid #f0b95b;"
                  " border-radius: 3px; padding: 1px 6px; font-weight: bold; }")


class OptionalDateEdit(QDateEdit):
    """A date that may be unset ("—"); its calendar then opens at this month, not in 2000.

    Tab leaves the field: QDateTimeEdit would step through its year, month and day sections
    first, and on the unset "—" it found no section to leave from, so Tab was trapped there
    (Left/Right and the mouse still pick the section)."""

    def focusNextPrevChild(self, forward: bool) -> bool:  # noqa: N802 - Qt API
        return QWidget.focusNextPrevChild(self, forward)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        super().mousePressEvent(event)
        if self.date() == NO_DATE and self.calendarWidget() is not None:
            today = QDate.currentDate()
            self.calendarWidget().setCurrentPage(today.year(), today.month())


class FilterBar(QWidget):
    changed = Signal()  # the filter changed (text: after a pause in typing)

    def __init__(self, ctx: DeskContext, settings: QSettings,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.settings = settings
        self.choices = FilterChoices([], [], [])
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(200)
        self.category, self.severity, self.owner, self.channel, self.department = (
            QComboBox() for _i in range(5))
        for combo in self.combos():
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            combo.setMinimumContentsLength(6)
        self.received_label = QLabel()
        self.date_from, self.date_to = OptionalDateEdit(), OptionalDateEdit()
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setMinimumDate(NO_DATE)
            edit.setSpecialValueText("—")
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setDate(NO_DATE)
        self.overdue = QCheckBox()
        self.show_closed = QCheckBox()
        self.clear_button = QPushButton()
        self.summary = QLabel()
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        top, bottom = QHBoxLayout(), QHBoxLayout()
        top.addWidget(self.search, 3)
        top.addWidget(self.overdue)
        top.addWidget(self.show_closed)
        top.addWidget(self.clear_button)
        top.addStretch(1)
        top.addWidget(self.summary)
        self.extra = top  # the board adds its view switch at the end of the first row
        for combo in self.combos():
            bottom.addWidget(combo)
        bottom.addSpacing(8)
        bottom.addWidget(self.received_label)
        bottom.addWidget(self.date_from)
        bottom.addWidget(QLabel("–"))
        bottom.addWidget(self.date_to)
        bottom.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 2)
        layout.setSpacing(4)
        layout.addLayout(top)
        layout.addLayout(bottom)

        self._typing = QTimer(self)
        self._typing.setSingleShot(True)
        self._typing.setInterval(TYPING_DELAY_MS)
        self._typing.timeout.connect(self._emit)
        self.search.textChanged.connect(lambda _t: self._typing.start())
        for combo in self.combos():
            combo.currentIndexChanged.connect(lambda _i: self._emit())
        for edit in (self.date_from, self.date_to):
            edit.dateChanged.connect(lambda _d: self._emit())
        self.overdue.toggled.connect(lambda _on: self._emit())
        self.show_closed.toggled.connect(lambda _on: self._emit())
        self.clear_button.clicked.connect(self.clear)

        self._ready = False  # nothing is saved or announced until the state is restored
        self.retranslate()  # fills the pick lists too
        self.restore()
        self._ready = True

    def combos(self) -> tuple[QComboBox, ...]:
        return (self.category, self.severity, self.owner, self.channel, self.department)

    # --- what the filter is ---------------------------------------------------------------
    def queue_filter(self) -> QueueFilter:
        owner = self.owner.currentData()
        owner_id: int | None = None
        if owner == "mine":
            owner_id = self.ctx.actor.user_id if self.ctx.actor.user_id is not None else -1
        elif isinstance(owner, str) and owner.startswith("user:"):
            owner_id = int(owner.removeprefix("user:"))
        return QueueFilter(
            text=self.search.text().strip(),
            category=self.category.currentData() or None,
            severity=self.severity.currentData() or None,
            owner_id=owner_id,
            channel=self.channel.currentData() or None,
            department=self.department.currentData() or None,
            overdue_only=self.overdue.isChecked(),
            received_from=_date_of(self.date_from),
            received_to=_date_of(self.date_to),
        )

    def closed_shown(self) -> bool:
        return self.show_closed.isChecked()

    def is_filtered(self) -> bool:
        f = self.queue_filter()
        return bool(f.text or f.category or f.severity or f.owner_id is not None or f.channel
                    or f.department or f.overdue_only or f.received_from or f.received_to)

    def active_names(self) -> list[str]:
        """The filters in force, as the bar names them ("Overdue only", a category...)."""
        names = []
        if self.search.text().strip():
            names.append(f"“{self.search.text().strip()}”")
        names += [combo.currentText() for combo in self.combos() if combo.currentIndex() > 0]
        if self.overdue.isChecked():
            names.append(self.overdue.text())
        for edit, tip in ((self.date_from, _("Received from")),
                          (self.date_to, _("Received until"))):
            if _date_of(edit) is not None:
                names.append(f"{tip} {edit.text()}")
        return names

    def set_text_now(self, text: str) -> None:
        """Set the search text and apply it without waiting for a pause (tests, benchmark)."""
        with QSignalBlocker(self.search):
            self.search.setText(text)
        self._typing.stop()
        self._emit()

    def apply_now(self) -> None:
        """Apply text typed during the pause wait at once (Enter in the search box)."""
        if self._typing.isActive():
            self._typing.stop()
            self._emit()

    def clear(self) -> None:
        with _Blocked(self):
            self.search.clear()
            for combo in self.combos():
                combo.setCurrentIndex(0)
            self.date_from.setDate(NO_DATE)
            self.date_to.setDate(NO_DATE)
            self.overdue.setChecked(False)
        self._emit()

    def apply_request(self, request: dict[str, object]) -> None:
        """Show what another view asked for (the dashboard's `filter_queue`): every field set."""
        def pick(combo: QComboBox, value: object) -> None:
            combo.setCurrentIndex(max(0, combo.findData(value)) if value else 0)

        owner = request.get("owner_id")
        with _Blocked(self):
            self.search.setText(str(request.get("text") or ""))
            pick(self.category, request.get("category"))
            pick(self.severity, request.get("severity"))
            pick(self.owner, "mine" if owner is not None and owner == self.ctx.actor.user_id
                 else f"user:{owner}" if owner is not None else None)
            pick(self.channel, request.get("channel"))
            pick(self.department, request.get("department"))
            for edit, key in ((self.date_from, "received_from"), (self.date_to, "received_to")):
                day = request.get(key)
                edit.setDate(QDate(day.year, day.month, day.day)
                             if isinstance(day, date) else NO_DATE)
            self.overdue.setChecked(bool(request.get("overdue_only")))
        self._typing.stop()
        self._emit()

    def _emit(self) -> None:
        if not self._ready:
            return
        self.save()
        self.changed.emit()

    # --- texts and lists ------------------------------------------------------------------
    def retranslate(self) -> None:
        self.search.setPlaceholderText(_("Search reference, customer, phone, description"))
        self.search.setToolTip(_("Words are matched anywhere; every word must match."))
        self.overdue.setText(_("Overdue only"))
        self.show_closed.setText(_("Closed ({days} days)", days=CLOSED_DAYS))
        self.show_closed.setToolTip(_("Show the complaints closed in the last {days} days",
                                      days=CLOSED_DAYS))
        self.clear_button.setText(_("Clear filters"))
        self.received_label.setText(_("Received"))
        self.date_from.setToolTip(_("Received from"))
        self.date_to.setToolTip(_("Received until"))
        self.reload_choices()

    def reload_choices(self) -> None:
        """Fill the pick lists (labels in the current language), keeping what is chosen."""
        self.choices = filter_choices(self.ctx.db)
        with _Blocked(self):
            _fill(self.category, _("All categories"), self.choices.categories)
            _fill(self.severity, _("All severities"),
                  [(s, label("severity", s)) for s in reversed(SEVERITIES)])
            _fill(self.owner, _("Anyone"), [("mine", _("Mine"))] + [
                (f"user:{uid}", name) for uid, name in self.choices.staff])
            _fill(self.channel, _("All channels"), [(c, label("channel", c)) for c in CHANNELS])
            _fill(self.department, _("All departments"), self.choices.departments)

    def problem(self) -> str | None:
        """What makes the filter match nothing whatever the data, said to the clerk."""
        start, end = _date_of(self.date_from), _date_of(self.date_to)
        if start is not None and end is not None and start > end:
            return _("Received: the first date ({start}) is after the last ({end})",
                     start=start.isoformat(), end=end.isoformat())
        return None

    def set_summary(self, text: str, filtered: bool = False, error: bool = False) -> None:
        """The count line; a filtered board says so in amber (a filter kept from the last
        session must not pass for the whole queue), a filter that cannot match in red."""
        self.summary.setText(text)
        self.summary.setStyleSheet(ERROR_STYLE if error else FILTERED_STYLE if filtered
                                   else "")
        self.clear_button.setStyleSheet("QPushButton { font-weight: bold; }" if filtered
                                        else "")

    # --- remembered state -----------------------------------------------------------------
    def save(self) -> None:
        s = self.settings
        s.setValue(KEY + "text", self.search.text())
        for name, combo in self._named_combos():
            s.setValue(KEY + name, combo.currentData() or "")
        s.setValue(KEY + "from", _iso(self.date_from))
        s.setValue(KEY + "to", _iso(self.date_to))
        s.setValue(KEY + "overdue", self.overdue.isChecked())
        s.setValue(KEY + "closed", self.show_closed.isChecked())

    def restore(self) -> None:
        s = self.settings
        with _Blocked(self):
            self.search.setText(str(s.value(KEY + "text", "") or ""))
            for name, combo in self._named_combos():
                i = combo.findData(str(s.value(KEY + name, "") or ""))
                combo.setCurrentIndex(max(0, i))
            for edit, name in ((self.date_from, "from"), (self.date_to, "to")):
                value = QDate.fromString(str(s.value(KEY + name, "") or ""), "yyyy-MM-dd")
                edit.setDate(value if value.isValid() else NO_DATE)
            self.overdue.setChecked(_bool(s.value(KEY + "overdue", False)))
            self.show_closed.setChecked(_bool(s.value(KEY + "closed", True)))

    def _named_combos(self) -> tuple[tuple[str, QComboBox], ...]:
        return (("category", self.category), ("severity", self.severity),
                ("owner", self.owner), ("channel", self.channel),
                ("department", self.department))


class _Blocked:
    """Block the bar's widgets' signals while it changes them itself."""

    def __init__(self, bar: FilterBar) -> None:
        self.widgets = [bar.search, *bar.combos(), bar.date_from, bar.date_to, bar.overdue,
                        bar.show_closed]
        self.blockers: list[QSignalBlocker] = []

    def __enter__(self) -> None:
        self.blockers = [QSignalBlocker(w) for w in self.widgets]

    def __exit__(self, *exc: object) -> None:
        for b in self.blockers:
            b.unblock()
        self.blockers = []


def _fill(combo: QComboBox, everything: str, items: list[tuple[str, str]]) -> None:
    current = combo.currentData()
    combo.clear()
    combo.addItem(everything, "")
    for code, text in items:
        combo.addItem(text, code)
    i = combo.findData(current) if current else 0
    combo.setCurrentIndex(max(0, i))


def _date_of(edit: QDateEdit) -> date | None:
    d = edit.date()
    return None if d == NO_DATE else date(d.year(), d.month(), d.day())


def _iso(edit: QDateEdit) -> str:
    d = _date_of(edit)
    return d.isoformat() if d else ""


def _bool(value: object) -> bool:
    return value is True or str(value).lower() in ("true", "1")
