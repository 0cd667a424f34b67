"""The main window: a bar of views (one keystroke each), the current view, a status bar.

Start-up shows the window's frame first (menus, the bar of views, "Opening the database…"),
before SQLAlchemy, the migrations or any view is imported; `open_desk` then fills it once the
database is open and someone signed in. Views are created on first use (their modules
imported then), so the desk opens on the intake form only. Geometry, toolbar state and the
last view are remembered in QSettings.

A view that cannot be loaded (a module missing from the installed program, an error in its
constructor) is a fault, never quietly hidden: it goes to the unexpected-error path (the log
and the error dialog; in tests, a failure), the window shows what failed in its place, and
`failed_views` lists it for `selftest`. The plain placeholder is only for a view the signed-in
role may not open (ViewSpec.needs).
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QLineEdit,
    QMainWindow,
    QSizePolicy,
    QStackedWidget,
    QToolBar,
    QWidget,
)

from app import __version__
from app.codes import label
from app.formatting import set_currency_symbol
from app.i18n import LANGUAGE_NAMES, LANGUAGES, _, get_language, set_language
from app.permissions import can, required_role
from ui.context import DeskContext
from ui.shortcuts import keys
from ui.views import VIEW_BY_KEY, VIEWS, ViewSpec

if TYPE_CHECKING:
    from app.services.desk_setup import DeskInfo

GOTO_SHORTCUT = keys("window.goto")


class Placeholder(QLabel):
    """In place of a view the signed-in role may not open."""

    def __init__(self, spec: ViewSpec) -> None:
        super().__init__()
        self.spec = spec
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.retranslate()

    def retranslate(self) -> None:
        self.setText(_("{view} needs the role: {role}", view=_(self.spec.title),
                       role=label("role", required_role(self.spec.needs or ""))))


class BrokenView(QLabel):
    """In place of a view that could not be loaded: says so (the error dialog says more)."""

    def __init__(self, spec: ViewSpec, reason: str) -> None:
        super().__init__()
        self.spec = spec
        self.reason = reason
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setWordWrap(True)
        self.setStyleSheet("QLabel { color: #b3261e; }")
        self.retranslate()

    def retranslate(self) -> None:
        self.setText(_("{view} could not be loaded: {reason}. The details are in the log "
                       "file; please tell whoever looks after this computer.",
                       view=_(self.spec.title), reason=self.reason))


class MainWindow(QMainWindow):
    def __init__(self, ctx: DeskContext | None, settings: QSettings | None = None) -> None:
        """The window; with `ctx` None only its frame, until `open_desk(ctx)`."""
        super().__init__()
        self.setObjectName("mainWindow")
        self.settings = settings or QSettings()
        self.info: DeskInfo | None = None
        self.stack = QStackedWidget()
        self.setCentralWidget(self.stack)
        self.opening = QLabel()  # in the frame, until the desk is open
        self.opening.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.opening.setStyleSheet("QLabel { color: #455a64; font-size: 15px; }")
        self.stack.addWidget(self.opening)
        self.views: dict[str, QWidget] = {}
        self.failed_views: dict[str, str] = {}  # view key -> why it could not be loaded
        self.actions_by_view: dict[str, QAction] = {}
        self.toolbar = QToolBar()
        self.toolbar.setObjectName("views")
        self.toolbar.setMovable(False)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.toolbar)
        self.file_menu = self.menuBar().addMenu("")
        self.file_menu.setObjectName("menu_file")
        self.quit_action = QAction(self)
        self.quit_action.setObjectName("action_quit")
        self.quit_action.setShortcut(QKeySequence(keys("window.quit")))
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.quit_action.triggered.connect(self.close)
        self.file_menu.addAction(self.quit_action)
        self.addAction(self.quit_action)
        self.view_menu = self.menuBar().addMenu("")
        group = QActionGroup(self)
        for spec in VIEWS:
            action = QAction(self)
            action.setShortcut(QKeySequence(spec.shortcut))
            action.setCheckable(True)
            action.setActionGroup(group)
            action.setEnabled(False)  # until the desk is open
            action.triggered.connect(lambda _checked=False, k=spec.key: self.show_view(k))
            self.toolbar.addAction(action)
            self.view_menu.addAction(action)
            self.actions_by_view[spec.key] = action
        self._add_goto()
        self._add_language_menu()
        self.db_label = QLabel()
        self.user_label = QLabel()
        self.demo_label = QLabel()
        self.demo_label.setStyleSheet("QLabel { background: #fff4e0; color: #6b4300;"
                                      " border: 1px solid #f0b95b; padding: 0 6px; }")
        self.demo_label.setVisible(False)
        # Permanent, at the right: a status message (a backup done) takes the left part and
        # would run under a normal widget or hide it.
        self.statusBar().addPermanentWidget(self.demo_label)
        self.statusBar().addPermanentWidget(self.db_label)
        self.statusBar().addPermanentWidget(self.user_label)
        # The remembered size and place (a restored geometry is moved onto a screen that
        # exists); without one the window opens maximized: on 1280x720 nothing is cut off,
        # on 1920x1080 it is not lost in a corner (show_window).
        geometry = self.settings.value("window/geometry")
        self.remembered_geometry = geometry is not None and self.restoreGeometry(geometry)
        if not self.remembered_geometry:  # the size it takes when un-maximized
            room = self.screen().availableGeometry()
            self.resize(min(1280, room.width()), min(740, room.height()))
        state = self.settings.value("window/state")
        if state is not None:
            self.restoreState(state)
        self.ctx: DeskContext | None = None
        self.retranslate()
        if ctx is not None:
            self.open_desk(ctx)

    def open_desk(self, ctx: DeskContext) -> None:
        """Fill the frame: the database is open and someone signed in."""
        self.ctx = ctx
        for action in self.actions_by_view.values():
            action.setEnabled(True)
        self.goto_box.setEnabled(True)
        ctx.signals.show_view.connect(self.show_view)
        ctx.signals.open_complaint.connect(lambda ref: self._show_complaint(ref, ""))
        ctx.signals.open_complaint_at.connect(self._show_complaint)
        ctx.signals.language_changed.connect(lambda _lang: self.retranslate())
        ctx.signals.actor_changed.connect(self._actor_changed)
        self.retranslate()
        last = str(self.settings.value("window/view", "intake"))
        self.show_view(last if last in VIEW_BY_KEY else "intake")
        self.stack.removeWidget(self.opening)

    def desk(self) -> DeskContext:
        assert self.ctx is not None, "the desk is not open yet"
        return self.ctx

    def show_window(self) -> None:
        """Show at the remembered geometry (maximized if it was), else maximized."""
        if self.remembered_geometry:
            self.show()
        else:
            self.showMaximized()

    # ---- go to reference (Ctrl+G) -------------------------------------------------------------
    def _add_goto(self) -> None:
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.toolbar.addWidget(spacer)
        self.goto_box = QLineEdit()
        self.goto_box.setObjectName("gotoBox")
        self.goto_box.setClearButtonEnabled(True)
        self.goto_box.setMinimumWidth(230)
        self.goto_box.setMaximumWidth(280)
        self.goto_box.setEnabled(False)  # until the desk is open
        self.goto_box.returnPressed.connect(self.go_to_reference)
        self.goto_box.textEdited.connect(lambda _t: self.goto_box.setStyleSheet(""))
        self.toolbar.addWidget(self.goto_box)
        self.goto_action = QAction(self)
        self.goto_action.setShortcut(QKeySequence(GOTO_SHORTCUT))
        self.goto_action.triggered.connect(self.focus_goto)
        self.addAction(self.goto_action)

    def focus_goto(self) -> None:
        self.goto_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.goto_box.selectAll()

    def go_to_reference(self) -> str | None:
        """Open the complaint typed in the box (TS-20260310-0007, 20260310-7, or today's 7)."""
        from app.services.goto import find_reference

        text = self.goto_box.text().strip()
        if not text or self.ctx is None:
            return None
        ref = find_reference(self.ctx.db, text)
        if ref is None:
            self.goto_box.setStyleSheet("QLineEdit { border: 2px solid #c62828; }")
            self.statusBar().showMessage(
                _("No complaint with reference {reference}", reference=text), 6000)
            return None
        self.goto_box.clear()
        self.statusBar().clearMessage()
        self.ctx.signals.open_complaint.emit(ref)
        return ref

    # ---- language -----------------------------------------------------------------------------
    def _add_language_menu(self) -> None:
        self.language_menu = self.menuBar().addMenu("")
        group = QActionGroup(self)
        self.language_actions: dict[str, QAction] = {}
        for lang in LANGUAGES:
            action = QAction(LANGUAGE_NAMES[lang], self)
            action.setCheckable(True)
            action.setActionGroup(group)
            action.triggered.connect(lambda _checked=False, code=lang: self.set_language(code))
            self.language_menu.addAction(action)
            self.language_actions[lang] = action

    def set_language(self, lang: str) -> None:
        """Switch every view to `lang` now; this PC remembers it."""
        set_language(lang)
        self.settings.setValue("ui/language", get_language())
        if self.ctx is not None:
            self.ctx.signals.language_changed.emit(get_language())
        else:
            self.retranslate()

    # ---- views --------------------------------------------------------------------------------
    def view(self, key: str) -> QWidget:
        """The view's widget, created on first use (its module imported then)."""
        if key not in self.views:
            widget = self._make_view(VIEW_BY_KEY[key])
            self.views[key] = widget
            self.stack.addWidget(widget)
        return self.views[key]

    def _make_view(self, spec: ViewSpec) -> QWidget:
        ctx = self.desk()
        if spec.needs is not None and not can(ctx.actor, spec.needs):
            return Placeholder(spec)
        try:
            widget: QWidget = spec.load()(ctx, self)
            return widget
        except Exception as error:  # noqa: BLE001 - any failure to load is reported below
            self.failed_views[spec.key] = f"{type(error).__name__}: {error}"
            # The unexpected-error path: the log and the error dialog in the program
            # (ui/error_dialog.py), a failure under pytest-qt, a traceback on stderr otherwise.
            sys.excepthook(type(error), error, error.__traceback__)
            return BrokenView(spec, self.failed_views[spec.key])

    def _actor_changed(self) -> None:
        """Another person signed in: views their role may (no longer) open are made again."""
        current = self.current_view_key()
        for key, widget in list(self.views.items()):
            spec = VIEW_BY_KEY[key]
            allowed = spec.needs is None or can(self.desk().actor, spec.needs)
            if isinstance(widget, Placeholder) == allowed:
                self.stack.removeWidget(widget)
                widget.deleteLater()
                del self.views[key]
        self.retranslate()
        if current and current not in self.views:
            self.show_view(current)

    def _show_complaint(self, ref: str, part: str) -> None:
        # A panel created now was not connected when the signal went out: hand it the complaint.
        created = "complaint" not in self.views
        panel = self.view("complaint")
        created = created and hasattr(panel, "open_at")  # not a placeholder
        if created and part:
            panel.open_at(ref, part)  # type: ignore[attr-defined]
        elif created:
            panel.open(ref)  # type: ignore[attr-defined]
        self.show_view("complaint")

    def show_view(self, key: str) -> None:
        widget = self.view(key)
        self.stack.setCurrentWidget(widget)
        for k, action in self.actions_by_view.items():
            action.setChecked(k == key)
        self.settings.setValue("window/view", key)
        widget.setFocus()

    def current_view_key(self) -> str:
        for key, widget in self.views.items():
            if widget is self.stack.currentWidget():
                return key
        return ""

    def retranslate(self) -> None:
        title = _("Complaint Desk")
        if self.ctx is not None:
            from app.services.desk_setup import desk_info

            self.info = desk_info(self.ctx.db)
            set_currency_symbol(self.info.currency_symbol)  # before the views show amounts
            if self.info.business_name:
                title = f"{self.info.business_name} — {title}"
            if self.info.is_demo:
                title += " — " + _("demo data")
        self.setWindowTitle(f"{title} {__version__}")
        self.opening.setText(_("Opening the database…"))
        self.file_menu.setTitle(_("&File"))
        self.quit_action.setText(_("&Quit"))
        self.view_menu.setTitle(_("&View"))
        self.language_menu.setTitle(_("&Language"))
        for lang, action in self.language_actions.items():
            action.setChecked(lang == get_language())
        for spec in VIEWS:
            action = self.actions_by_view[spec.key]
            # The menu writes the shortcut beside the text itself; the toolbar's button shows
            # it in its own text (iconText), so each place names the key once.
            action.setText(_(spec.title))
            action.setIconText(f"{_(spec.title)}  {spec.shortcut}")
            action.setToolTip(f"{_(spec.title)} ({spec.shortcut})")
        self.goto_box.setPlaceholderText(
            _("Go to reference ({key})", key=GOTO_SHORTCUT))
        self.goto_box.setToolTip(_("Type a reference such as TS-20260310-0007, or just 7 for "
                                   "today's number 7, then Enter"))
        if self.ctx is None or self.info is None:
            return
        self.demo_label.setText(_("Demo data"))
        self.demo_label.setVisible(self.info.is_demo)
        self.db_label.setText(_("Database: {db}", db=self.ctx.db.paths.describe()))
        self.user_label.setText(_("Signed in: {name} ({role})", name=self.ctx.actor.name,
                                  role=label("role", self.ctx.actor.role)))
        for widget in self.views.values():
            retranslate = getattr(widget, "retranslate", None)
            if callable(retranslate):
                retranslate()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt API
        for widget in self.views.values():
            flush = getattr(widget, "flush", None)
            if callable(flush):
                flush()  # drafts reach the disk before the window goes
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        super().closeEvent(event)
