"""First start: a welcome dialog for a database without staff accounts. Asks the business
name, profile, opening hours and language, offers demo data, and creates the first supervisor
(app.services.desk_setup.first_start does the work, all checked before anything is written).

The opening hours are what the SLA clock counts, so what the slips promise: they start at the
profile's (mall and salon in the day, hotel around the clock) and follow a change of profile.
"""

from __future__ import annotations

import importlib.util

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from app.codes import choices
from app.db import Database
from app.errors import ValidationError, ValidationErrors
from app.i18n import LANGUAGE_NAMES, N_, _, get_language, set_language
from app.services.desk_setup import FirstStartInput, first_start
from app.services.users import StaffMember
from app.settings import SPEC_BY_KEY
from app.sla import profile_hours_setting
from ui.messages import warn
from ui.qt_translations import follow_language
from ui.settings.special_editors import HoursEditor
from ui.widgets.choice_combo import ChoiceCombo
from ui.widgets.field_grid import INVALID_STYLE, FieldGrid

# Each language is offered in its own script, whatever the current language is.
DEMO_COUNT, DEMO_MONTHS = 2000, 12


def demo_available() -> bool:
    return importlib.util.find_spec("app.services.demo") is not None


class FirstStartDialog(QDialog):
    language_changed = Signal(str)

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.member: StaffMember | None = None
        self.setStyleSheet(INVALID_STYLE)
        self.setMinimumWidth(560)
        self.title = QLabel()
        font = QFont(self.title.font())
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.title.setFont(font)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.business = QLineEdit()
        self.profile = ChoiceCombo()
        self.language = ChoiceCombo()
        self.language.set_choices(list(LANGUAGE_NAMES.items()))
        self.language.set_code(get_language())
        self.demo = QCheckBox()
        self.username = QLineEdit()
        self.display_name = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_again = QLineEdit()
        self.password_again.setEchoMode(QLineEdit.EchoMode.Password)
        self.grid = FieldGrid()
        self.grid.add_heading(N_("Your business"))
        self.grid.add("business_name", self.business, N_("Business name"))
        self.grid.add("profile", self.profile, N_("Kind of business"))
        self.grid.add("language", self.language, N_("Language"))
        self.grid.add("demo", self.demo, N_("Demo data"))
        self.grid.add_heading(N_("First supervisor account"))
        self.grid.add("username", self.username)
        self.grid.add("display_name", self.display_name, N_("Name shown"))
        self.grid.add("password", self.password)
        self.grid.add("password_again", self.password_again, N_("Password again"))
        self.hours = HoursEditor(SPEC_BY_KEY["opening_hours"])
        self.hours_note = QLabel()
        self.hours_note.setWordWrap(True)
        self.hours_note.setStyleSheet("color: #555555;")
        self.hours_error = QLabel()
        self.hours_error.setWordWrap(True)
        self.hours_error.setStyleSheet("color: #c62828;")
        self.hours_error.hide()
        self.hours_box = QGroupBox()
        hours_layout = QVBoxLayout(self.hours_box)
        hours_layout.addWidget(self.hours_note)
        hours_layout.addWidget(self.hours)
        hours_layout.addWidget(self.hours_error)
        hours_layout.addStretch(1)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.intro)
        columns = QHBoxLayout()
        columns.addWidget(self.grid, 3)
        columns.addWidget(self.hours_box, 2)
        layout.addLayout(columns)
        layout.addWidget(self.progress)
        layout.addWidget(self.buttons)
        self.language.code_changed.connect(self._language_picked)
        self.profile.code_changed.connect(self._profile_picked)
        if not demo_available():
            self.demo.setEnabled(False)
        self.retranslate()
        self.business.setFocus()

    def _profile_picked(self, code: object) -> None:
        """The profile's opening hours, to be confirmed or changed."""
        if code:
            self.hours.set_value(profile_hours_setting(str(code)))

    def _language_picked(self, code: object) -> None:
        if code:
            set_language(str(code))
            follow_language(str(code))  # Qt's own texts and date forms too
            self.retranslate()
            self.language_changed.emit(str(code))

    def retranslate(self) -> None:
        self.setWindowTitle(_("Welcome to Complaint Desk"))
        self.title.setText(_("Welcome to Complaint Desk"))
        self.intro.setText(_("Set up this desk once: your business, its kind (for the starting "
                             "lists of categories and departments) and the first supervisor. "
                             "Everything can be changed later in the settings."))
        # Labels in the new language, the same profile chosen, the hours as they were edited.
        profile = self.profile.code()
        with QSignalBlocker(self.profile):
            self.profile.set_choices(choices("profile"))
            if profile:
                self.profile.set_code(profile, emit=False)
        if not profile and self.profile.code():
            self._profile_picked(self.profile.code())
        self.hours_box.setTitle(_("Opening hours"))
        self.hours_note.setText(_("Due times count only these hours, so a slip never promises "
                                  "a time when the desk is closed. Holidays and other changes "
                                  "can be made later in the settings."))
        self.hours.retranslate()
        self.demo.setText(_("Fill with demo complaints to try the program ({count})",
                            count=DEMO_COUNT))
        if not self.demo.isEnabled():
            self.demo.setToolTip(_("Demo data is not available in this version"))
        self.username.setPlaceholderText(_("For signing in, e.g. wang"))
        self.display_name.setPlaceholderText(_("As shown on slips and in the timeline"))
        self.password.setPlaceholderText(_("At least 4 characters"))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Start"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        self.grid.retranslate()
        # An explicit minimum width overrides the layout's: keep it at least what the texts
        # of this language need.
        layout = self.layout()
        assert layout is not None
        layout.activate()
        self.setMinimumWidth(max(560, layout.minimumSize().width()))

    def value(self) -> FirstStartInput:
        return FirstStartInput(
            business_name=self.business.text(), profile=self.profile.code() or "mall",
            language=self.language.code() or get_language(), username=self.username.text(),
            display_name=self.display_name.text(), password=self.password.text(),
            password_again=self.password_again.text(), demo=self.demo.isChecked(),
            opening_hours=self.hours.value(),
        )

    def submit(self) -> None:
        for field in self.grid.rows:
            self.grid.set_error(field, None)
        self.hours_error.hide()
        data = self.value()
        try:
            self.member = first_start(self.db, data)
        except ValidationErrors as e:
            self._show(e.errors)
            return
        if data.demo and demo_available():
            self._make_demo(data.profile)
        else:
            self.accept()

    def _show(self, errors: list[ValidationError]) -> None:
        first = None
        for e in errors:
            # create_user checks the display name under the "customer_name" rule (a name).
            field = {"customer_name": "display_name", "is_demo": "demo"}.get(e.field, e.field)
            if field in self.grid.rows:
                self.grid.set_error(field, e.problem())
                first = first or self.grid.rows[field].widget
            elif field == "opening_hours":
                self.hours_error.setText(e.message())
                self.hours_error.show()
                first = first or self.hours
            else:
                warn(self, e.message())
        if first is not None:
            first.setFocus()

    def _make_demo(self, profile: str) -> None:
        from app.services.demo import DemoOptions, make_demo
        from ui.tasks import run_task

        self.progress.show()
        self.buttons.setEnabled(False)
        self.grid.setEnabled(False)
        options = DemoOptions(count=DEMO_COUNT, seed=1, profile=profile, months=DEMO_MONTHS)
        run_task(lambda: make_demo(self.db, options), lambda _r: self.accept(),
                 self._demo_failed, write=True)

    def _demo_failed(self, error: BaseException) -> None:
        self.progress.hide()
        warn(self, _("The demo data could not be made: {error}", error=str(error)))
        self.accept()  # the desk itself is set up; it simply has no demo complaints

    def keyPressEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        # Enter in a field moves on instead of submitting a half-filled dialog.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.modifiers():
            focused = self.focusWidget()
            if isinstance(focused, QLineEdit) and focused is not self.password_again:
                self.focusNextChild()
                return
        super().keyPressEvent(event)
