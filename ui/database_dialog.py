"""Which database this PC uses: a SQLite file here, or a shared PostgreSQL server.

The choice is remembered in QSettings (`database/location`) and used from the next start:
`--db` and $COMPLAINT_DESK_DB still win over it. "Test connection" asks
app/services/connection_test.probe off the UI thread, so a server that does not answer never
freezes the window. At start, a remembered server that cannot be reached opens this dialog
with the reason, instead of a crash (`location_at_start`).

The server account's password is not kept in QSettings: it goes to the system's credential
store (Windows Credential Manager, the Secret Service) or, where there is none, to a file only
this user can read (app/credentials.py); the dialog says which. QSettings keeps the address
without it; a value remembered by an older version with its password in it is moved to the
store at the next start. The desk's own accounts and passwords live in the database.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from app.credentials import (
    Stored,
    save_password,
    where_it_would_go,
    with_password,
    without_password,
)
from app.i18n import _
from app.network_drive import NetworkDatabase, require_local_disk
from app.paths import ENV_DB, Paths, is_url, resolve
from app.services.connection_test import ProbeResult, probe
from ui import file_dialogs, messages
from ui.tasks import run_task

SETTINGS_KEY = "database/location"
DEFAULT_PORT = 5432
DRIVER = "postgresql+psycopg"
OK_COLOUR, BAD_COLOUR = "#1b7f3b", "#b3261e"


def _is_server(value: str) -> bool:
    return is_url(value) and not value.startswith("sqlite")


def remembered_location() -> str | None:
    """This PC's choice, without the password (moved out of QSettings if an older version
    left it there)."""
    value = QSettings().value(SETTINGS_KEY)
    if not value:
        return None
    text = str(value)
    if _is_server(text) and without_password(text)[1] is not None:
        remember_location(text)
        return without_password(text)[0]
    return text


def remember_location(value: str | None) -> Stored | None:
    """Remember the choice for the next start; a server password goes to the credential store
    (returns where), never into QSettings."""
    settings = QSettings()
    stored = None
    if value:
        address, password = without_password(value) if _is_server(value) else (value, None)
        if password is not None:
            stored = save_password(address, password)
        settings.setValue(SETTINGS_KEY, address)
    else:
        settings.remove(SETTINGS_KEY)
    settings.sync()
    return stored


def chosen_location(db_arg: str | None) -> str | None:
    """--db, else $COMPLAINT_DESK_DB, else this PC's remembered choice, else None (default);
    a server address gets its kept password back."""
    value = db_arg or os.environ.get(ENV_DB) or remembered_location()
    return with_password(value) if value and _is_server(value) else value


class DatabaseDialog(QDialog):
    def __init__(self, current: str | None = None, parent: QWidget | None = None,
                 problem: str = "", open_now: str | None = None) -> None:
        """`current` fills the fields; `open_now` (the database the window works with, as
        Paths.describe() gives it) is named at the top, whatever was remembered."""
        super().__init__(parent)
        self.setObjectName("database_dialog")
        self.open_now = open_now
        self.last_result: ProbeResult | None = None
        self.stored: Stored | None = None  # where the password went (accept)
        self._testing = False
        self._build()
        self.set_location(current or str(resolve(None).db_file or ""))
        self.retranslate()
        if problem:
            self._show_result(problem, ok=False)

    # --- building ------------------------------------------------------------------------

    def _build(self) -> None:
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.open_label = QLabel()
        self.open_label.setObjectName("open_label")
        self.open_label.setWordWrap(True)
        self.open_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.open_label.setStyleSheet("QLabel { background: #eef4fb; border: 1px solid #c9d4e5;"
                                      " padding: 6px; }")

        self.file_radio = QRadioButton()
        self.file_radio.setObjectName("file_radio")
        self.file_edit = QLineEdit()
        self.file_edit.setObjectName("file_edit")
        self.browse_button = QPushButton()
        self.browse_button.clicked.connect(self._browse)
        file_row = QHBoxLayout()
        file_row.addWidget(self.file_edit, 1)
        file_row.addWidget(self.browse_button)
        self.file_box = QGroupBox()
        self.file_box.setLayout(file_row)

        self.server_radio = QRadioButton()
        self.server_radio.setObjectName("server_radio")
        self.host_edit = QLineEdit()
        self.host_edit.setObjectName("host_edit")
        self.port_spin = QSpinBox()
        self.port_spin.setRange(1, 65535)
        self.port_spin.setValue(DEFAULT_PORT)
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("name_edit")
        self.user_edit = QLineEdit()
        self.user_edit.setObjectName("user_edit")
        self.password_edit = QLineEdit()
        self.password_edit.setObjectName("password_edit")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.server_form = QFormLayout()
        self.server_labels = [QLabel() for _i in range(5)]
        for label, widget in zip(self.server_labels, (self.host_edit, self.port_spin,
                                                      self.name_edit, self.user_edit,
                                                      self.password_edit), strict=True):
            label.setBuddy(widget)
            self.server_form.addRow(label, widget)
        self.password_note = QLabel()
        self.password_note.setObjectName("password_note")
        self.password_note.setWordWrap(True)
        self.password_note.setStyleSheet("color: #555;")
        self.server_form.addRow(self.password_note)
        self.server_box = QGroupBox()
        self.server_box.setLayout(self.server_form)

        self.test_button = QPushButton()
        self.test_button.setObjectName("test_button")
        self.test_button.clicked.connect(self.test_connection)
        self.result_label = QLabel()
        self.result_label.setObjectName("result_label")
        self.result_label.setWordWrap(True)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result_label.setMinimumHeight(48)
        self.note = QLabel()
        self.note.setWordWrap(True)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        test_row = QHBoxLayout()
        test_row.addWidget(self.test_button)
        test_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.open_label)
        layout.addWidget(self.intro)
        layout.addWidget(self.file_radio)
        layout.addWidget(self.file_box)
        layout.addWidget(self.server_radio)
        layout.addWidget(self.server_box)
        layout.addLayout(test_row)
        layout.addWidget(self.result_label)
        layout.addWidget(self.note)
        layout.addWidget(self.buttons)
        self.file_radio.toggled.connect(self._kind_changed)
        for edit in (self.file_edit, self.host_edit, self.name_edit, self.user_edit,
                     self.password_edit):
            edit.textEdited.connect(self._clear_result)
        self.port_spin.valueChanged.connect(self._clear_result)
        self.setMinimumWidth(560)

    def retranslate(self) -> None:
        self.setWindowTitle(_("Database"))
        self.intro.setText(_("Choose the database this computer works with. Several counters "
                             "share one database on a PostgreSQL server."))
        self.open_label.setVisible(bool(self.open_now))
        if self.open_now:
            self.open_label.setText(_("Open now: {database}", database=self.open_now))
        self.file_radio.setText(_("A database file on this computer (SQLite)"))
        self.browse_button.setText(_("Browse…"))
        self.server_radio.setText(_("A shared database on a server (PostgreSQL)"))
        texts = (_("Server"), _("Port"), _("Database name"), _("User name"), _("Password"))
        for label, text in zip(self.server_labels, texts, strict=True):
            label.setText(text)
        self.host_edit.setPlaceholderText(_("e.g. 192.168.1.10 or desk-server"))
        self.name_edit.setPlaceholderText(_("e.g. complaints"))
        self.test_button.setText(_("Test connection"))
        self.note.setText(_("The program uses the chosen database from its next start."))
        self.password_note.setText(where_it_would_go().describe())
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("OK"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        if self.last_result is not None:
            self._show_result(self.last_result.message(), self.last_result.ok)

    # --- the value -----------------------------------------------------------------------

    def set_location(self, value: str) -> None:
        url = None
        if is_url(value) and not value.startswith("sqlite"):
            try:
                url = make_url(value)
            except ArgumentError:
                url = None
        if url is not None:
            self.server_radio.setChecked(True)
            self.host_edit.setText(url.host or "")
            self.port_spin.setValue(url.port or DEFAULT_PORT)
            self.name_edit.setText(url.database or "")
            self.user_edit.setText(url.username or "")
            self.password_edit.setText(url.password or "")
        else:
            self.file_radio.setChecked(True)
            self.file_edit.setText(value.removeprefix("sqlite:///"))
        self._kind_changed()

    def location(self) -> str:
        """What `--db` would take for the choice: the file path or the server's URL."""
        if self.file_radio.isChecked():
            return self.file_edit.text().strip()
        url = URL.create(DRIVER, username=self.user_edit.text().strip() or None,
                         password=self.password_edit.text() or None,
                         host=self.host_edit.text().strip() or None,
                         port=self.port_spin.value(),
                         database=self.name_edit.text().strip() or None)
        return url.render_as_string(hide_password=False)

    def missing_field(self) -> QLineEdit | None:
        """The first empty field the choice needs, or None."""
        needed = ([self.file_edit] if self.file_radio.isChecked()
                  else [self.host_edit, self.name_edit, self.user_edit])
        return next((w for w in needed if not w.text().strip()), None)

    def _field_name(self, widget: QLineEdit) -> str:
        names: dict[QLineEdit, str] = {
            self.file_edit: _("Database file"), self.host_edit: _("Server"),
            self.name_edit: _("Database name"), self.user_edit: _("User name")}
        return names.get(widget, "")

    # --- actions -------------------------------------------------------------------------

    def _kind_changed(self, *_args: object) -> None:
        on_file = self.file_radio.isChecked()
        self.file_box.setEnabled(on_file)
        self.server_box.setEnabled(not on_file)
        self._clear_result()

    def _browse(self) -> None:
        path, _filter = file_dialogs.get_save_file_name(
            self, _("Database file"), self.file_edit.text(), "SQLite (*.db);;* (*)",
            options=file_dialogs.Option.DontConfirmOverwrite)
        if path:
            self.file_edit.setText(path)
            self._clear_result()

    def _clear_result(self, *_args: object) -> None:
        self.last_result = None
        self.result_label.clear()

    def _show_result(self, text: str, ok: bool) -> None:
        self.result_label.setStyleSheet(f"color: {OK_COLOUR if ok else BAD_COLOUR};")
        self.result_label.setText(text)

    def test_connection(self) -> None:
        missing = self.missing_field()
        if missing is not None:
            self._show_result(_("{field} is required", field=self._field_name(missing)), False)
            missing.setFocus()
            return
        if self._testing:
            return
        self._testing = True
        self.test_button.setEnabled(False)
        self._show_result(_("Connecting…"), True)
        value = self.location()

        def done(result: ProbeResult) -> None:
            self._testing = False
            self.test_button.setEnabled(True)
            if value != self.location():
                return  # the fields changed meanwhile: this answer is for another database
            self.last_result = result
            self._show_result(result.message(), result.ok)

        def failed(error: BaseException) -> None:
            self._testing = False
            self.test_button.setEnabled(True)
            self._show_result(str(error), False)

        run_task(lambda: probe(value), done, failed)

    def accept(self) -> None:
        missing = self.missing_field()
        if missing is not None:
            messages.warn(self, _("{field} is required", field=self._field_name(missing)))
            missing.setFocus()
            return
        if self.last_result is not None and not self.last_result.ok and not messages.ask(
                self, _("The last test could not use this database. Keep it anyway?")):
            return
        self.stored = remember_location(self.location())
        super().accept()


def open_database_dialog(parent: QWidget | None = None,
                         language_changed: object | None = None,
                         open_now: Paths | None = None) -> bool:
    """The dialog from the menu; True when a new choice was remembered. It shows and starts
    from the database open now (`open_now`), which --db or $COMPLAINT_DESK_DB may have chosen
    over the remembered one; without it, from the choice the next start would make."""
    if open_now is not None:
        current = str(open_now.db_file) if open_now.db_file is not None else open_now.db_url
        dialog = DatabaseDialog(current, parent, open_now=open_now.describe())
    else:
        dialog = DatabaseDialog(chosen_location(None), parent)
    if language_changed is not None:
        language_changed.connect(lambda _lang: dialog.retranslate())  # type: ignore[attr-defined]
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    text = _("The program uses {database} from its next start.",
             database=resolve(dialog.location()).describe())
    if dialog.stored is not None:
        text += "\n" + dialog.stored.describe()
    messages.inform(parent, text)
    return True


def _problem_at_start(value: str, check: Callable[[str], ProbeResult]) -> str | None:
    if is_url(value) and not value.startswith("sqlite"):
        result = check(value)
        return None if result.ok else result.message()
    file = resolve(value).db_file
    try:
        if file is not None:
            require_local_disk(file)
    except NetworkDatabase as e:
        return e.message()
    return None


def location_at_start(db_arg: str | None,
                      check: Callable[[str], ProbeResult] = probe) -> tuple[bool, str | None]:
    """The database to open at start: (False, None) when the user gave up.

    A server that cannot be used, or a file on a network drive, opens the dialog with the
    reason, as many times as needed; a file's damage is left to the start-up checks
    (app/damage.py's recovery dialog)."""
    value = chosen_location(db_arg)
    while value and (problem := _problem_at_start(value, check)) is not None:
        dialog = DatabaseDialog(value, None, problem=problem)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False, None
        value = dialog.location()
    return True, value


def install_action(window: QMainWindow, language_changed: object,
                   open_now: Paths | None = None) -> QAction:
    """"Database…" in the window's Data menu (made by ui/safety_start.py), else its own."""
    menu = window.findChild(QMenu, "menu_data")
    if menu is None:
        menu = window.menuBar().addMenu("")
        menu.setObjectName("menu_database")
    action = QAction(window)
    action.setObjectName("action_database")
    action.triggered.connect(lambda: open_database_dialog(window, language_changed, open_now))
    menu.addAction(action)

    def retranslate(_lang: str = "") -> None:
        action.setText(_("Database connection…"))
        if menu.objectName() == "menu_database":
            menu.setTitle(_("&Data"))

    retranslate()
    language_changed.connect(retranslate)  # type: ignore[attr-defined]
    return action
