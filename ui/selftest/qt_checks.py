"""The self-test's checks of the Qt side: the font, the plugins, every module of the program,
the main window with every view, the three languages, and every dialog its menus open."""

from __future__ import annotations

import importlib
import pkgutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QLibraryInfo, QPluginLoader, QTimer
from PySide6.QtGui import QAction, QFontDatabase, QFontMetrics, QGuiApplication, QImage
from PySide6.QtWidgets import QApplication, QDialog, QMenu, QWidget

from app.i18n import LANGUAGES, _, ngettext
from ui.selftest.desk import SelfTestDesk
from ui.selftest.outcomes import CheckFailed

Check = tuple[str, Callable[[], str]]
# Hanzi the window and the pages must draw: Simplified and Traditional forms of the same words.
SAMPLE = "投诉受理单投訴受理單顾客顧客"
# Image formats the program reads: photos attached from phones (JPEG, WebP), screenshots
# (PNG, GIF), its own icon (SVG) and the Windows icon (ICO).
IMAGE_FORMATS = ("jpeg", "png", "gif", "webp", "svg", "ico")
# The platform plugin a counter PC's window needs, by operating system.
NATIVE_PLATFORM = {"linux": "xcb", "win32": "windows", "darwin": "cocoa"}
# Menu actions a check must not trigger: signing out ends the session when the sign-in dialog
# is dismissed (its dialog is the one "Switch user…" opens, which is checked).
SKIPPED_ACTIONS = frozenset({"action_sign_out", "action_quit"})  # they end the session
MODAL_POLL_MS = 50


def start_qt() -> QApplication:
    from ui.application import make_qapp

    return make_qapp()


def font_check() -> str:
    from reportlab.pdfbase import pdfmetrics

    from app.reports.fonts import register_fonts
    from ui.fonts import FONT_FILE, install_font

    if not FONT_FILE.is_file():
        raise CheckFailed(_("the font file is missing: {path}", path=str(FONT_FILE)))
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    family = install_font(app)
    if family is None or family not in QFontDatabase.families():
        raise CheckFailed(_("Qt cannot load the font {path}", path=str(FONT_FILE)))
    metrics = QFontMetrics(app.font())
    missing_qt = [ch for ch in SAMPLE if not metrics.inFontUcs4(ord(ch))]
    face = pdfmetrics.getFont(register_fonts()).face
    missing_pdf = [ch for ch in SAMPLE if ord(ch) not in face.charToGlyph]
    if missing_qt or missing_pdf:
        raise CheckFailed(_("the font lacks: {chars}",
                            chars="".join(dict.fromkeys(missing_qt + missing_pdf))))
    return _("{family} ({path}) in the window and in PDFs", family=family,
             path=FONT_FILE.name)


def _plugin_dir(kind: str) -> Path:
    return Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)) / kind


def _plugin(kind: str, name: str) -> Path:
    """The plugin file `name` of `kind`, loaded to see that its libraries are there too."""
    folder = _plugin_dir(kind)
    found = sorted(folder.glob(f"*q{name}.*")) + sorted(folder.glob(f"*{name}*.*"))
    if not found:
        raise CheckFailed(_("Qt plugin {kind}/{name} is missing in {folder}", kind=kind,
                            name=name, folder=str(folder)))
    loader = QPluginLoader(str(found[0]))
    if not loader.load():
        raise CheckFailed(_("Qt plugin {file} cannot be loaded: {reason}",
                            file=found[0].name, reason=loader.errorString()))
    return found[0]


def platform_check() -> str:
    native = NATIVE_PLATFORM.get(sys.platform)
    shown = QGuiApplication.platformName()
    if native is None:
        return _("{running} in use; no native plugin known for {system}", running=shown,
                 system=sys.platform)
    path = _plugin("platforms", native)
    return _("{native} ({file}) for the window; {running} in use now", native=native,
             file=path.name, running=shown)


def print_check() -> str:
    """The print system's plugin (CUPS on Linux; built into Qt on Windows and macOS) and a
    page painted through QPrinter."""
    from PySide6.QtGui import QPainter
    from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

    plugin = _plugin("printsupport", "cups").name if sys.platform == "linux" else "—"
    printers = len(QPrinterInfo.availablePrinterNames())
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "page.pdf"
        printer.setOutputFileName(str(out))
        painter = QPainter()
        if not painter.begin(printer):
            raise CheckFailed(_("QPrinter cannot start a page"))
        painter.drawText(100, 100, SAMPLE)
        painter.end()
        if not out.is_file() or not out.read_bytes().startswith(b"%PDF"):
            raise CheckFailed(_("QPrinter wrote no page"))
    return ngettext("plugin {plugin}; {count} printer known; a page painted",
                    "plugin {plugin}; {count} printers known; a page painted", printers,
                    plugin=plugin, count=printers)


def image_check() -> str:
    from PySide6.QtGui import QImageReader, QImageWriter

    known = {bytes(f.data()).decode() for f in QImageReader.supportedImageFormats()}
    missing = [f for f in IMAGE_FORMATS if f not in known]
    if missing:
        raise CheckFailed(_("Qt cannot read: {formats} (plugins in {folder})",
                            formats=", ".join(missing), folder=str(_plugin_dir("imageformats"))))
    image = QImage(32, 32, QImage.Format.Format_RGB32)
    image.fill(0x2E86C1)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QBuffer.OpenModeFlag.WriteOnly)
    if not QImageWriter(buffer, QByteArray(b"jpeg")).write(image):
        raise CheckFailed(_("Qt cannot write a JPEG image"))
    buffer.close()
    if not bytes(data.data()).startswith(b"\xff\xd8"):  # a JPEG's start of image
        raise CheckFailed(_("Qt cannot write a JPEG image"))
    back = QImage.fromData(data)
    if back.isNull() or back.size() != image.size():
        raise CheckFailed(_("Qt cannot read back a JPEG image"))
    return ", ".join(IMAGE_FORMATS)


def plugin_checks() -> Iterator[Check]:
    yield _("Qt platform plugin"), platform_check
    yield _("Qt print support"), print_check
    yield _("Qt image formats"), image_check


def program_modules() -> list[str]:
    """Every module of app/ and ui/, found by walking the packages (in the bundle too):
    screens added later are imported without being listed here. Alembic's version scripts
    are data files run by Alembic, not modules."""
    import app
    import ui

    names: list[str] = []
    for package in (app, ui):
        for info in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
            if not info.name.startswith("app.migrations"):
                names.append(info.name)
    return names


def modules_check() -> str:
    names = program_modules()
    failed: list[str] = []
    for name in names:
        try:
            importlib.import_module(name)
        except Exception as e:  # noqa: BLE001 - each failure is listed
            failed.append(f"{name} ({type(e).__name__}: {e})")
    if failed:
        raise CheckFailed(ngettext("{count} module cannot be imported: {modules}",
                                   "{count} modules cannot be imported: {modules}",
                                   len(failed), count=len(failed), modules="; ".join(failed)))
    if len(names) < 20:  # a frozen program whose modules cannot be listed checks nothing
        raise CheckFailed(_("only {count} modules found", count=len(names)))
    return _("{count} modules of app/ and ui/ imported", count=len(names))


def _plain(text: str) -> str:
    return text.replace("&", "").split("\t")[0].strip()


class WindowChecks:
    """The window as run_gui makes it, on the self-test's desk, signed in as administrator."""

    def __init__(self, app: QApplication, desk: SelfTestDesk, shots: Path) -> None:
        self.app, self.desk, self.shots = app, desk, shots
        self.window: QWidget | None = None
        shots.mkdir(parents=True, exist_ok=True)

    @property
    def main(self):  # type: ignore[no-untyped-def]  # MainWindow, imported late
        if self.window is None:
            raise CheckFailed(_("the window did not open"))
        return self.window

    def _settle(self) -> None:
        for _round in range(3):
            self.app.processEvents()

    def _shot(self, widget: QWidget, name: str) -> None:
        pixmap = widget.grab()
        if pixmap.isNull() or pixmap.width() < 10:
            raise CheckFailed(_("{name} draws nothing", name=name))
        pixmap.save(str(self.shots / f"{name}.png"))

    def open(self) -> str:
        from ui.application import open_window
        from ui.context import DeskContext
        from ui.safety_start import SafeStart

        ctx = DeskContext(db=self.desk.database, actor=self.desk.admin)
        window = open_window(self.app, ctx, SafeStart(self.desk.database, None))
        window.resize(1366, 768)
        self.window = window
        self._settle()
        self._shot(window, "window")
        return _("{width}×{height}, signed in as {name}", width=window.width(),
                 height=window.height(), name=ctx.actor.name)

    def view_checks(self) -> Iterator[Check]:
        from ui.views import VIEWS

        for spec in VIEWS:
            yield (_("view {title} ({key})", title=_(spec.title), key=spec.shortcut),
                   self._view_check(spec.key))

    def _view_check(self, key: str) -> Callable[[], str]:
        def check() -> str:
            from ui.main_window import BrokenView, Placeholder

            window = self.main
            window.show_view(key)
            widget = window.views[key]
            opener = getattr(widget, "open", None)
            if callable(opener):  # a view of one complaint: show the desk's own
                opener(self.desk.reference)
            self._settle()
            if key in window.failed_views or isinstance(widget, BrokenView):
                raise CheckFailed(window.failed_views.get(key, _("could not be loaded")))
            if isinstance(widget, Placeholder):
                raise CheckFailed(_("not opened for an administrator"))
            self._shot(window, f"view-{key}")
            return type(widget).__name__

        return check

    def languages(self) -> str:
        from app.i18n import get_language

        window = self.main
        first = get_language()
        for lang in (*[x for x in LANGUAGES if x != first], first):
            window.set_language(lang)
            self._settle()
            self._shot(window, f"language-{lang}")
        return _("every open view shown in {languages}", languages=", ".join(LANGUAGES))

    # ---- dialogs behind the menus ------------------------------------------------------------
    def menu_actions(self) -> list[tuple[str, QAction]]:
        """(menu ▸ action, action) for every action of the menu bar that opens something:
        checkable ones (views, languages) are covered by the checks above."""
        found: list[tuple[str, QAction]] = []

        def walk(menu: QMenu, path: str) -> None:
            for action in menu.actions():
                if action.menu() is not None:
                    sub = action.menu()
                    assert isinstance(sub, QMenu)
                    walk(sub, f"{path} ▸ {_plain(sub.title())}")
                elif (not action.isSeparator() and not action.isCheckable()
                      and action.isVisible() and action.isEnabled()
                      and action.objectName() not in SKIPPED_ACTIONS):
                    found.append((f"{path} ▸ {_plain(action.text())}", action))

        for top in self.main.menuBar().actions():
            menu = top.menu()
            if isinstance(menu, QMenu):
                walk(menu, _plain(menu.title()))
        return found

    def dialog_checks(self) -> Iterator[Check]:
        for n, (name, action) in enumerate(self.menu_actions()):
            yield _("menu {item}", item=name), self._dialog_check(action, n)

    def _dialog_check(self, action: QAction, n: int) -> Callable[[], str]:
        def check() -> str:
            seen: list[str] = []

            def close_modal() -> None:
                modal = QApplication.activeModalWidget()
                if modal is None:
                    return
                seen.append(type(modal).__name__)
                self._shot(modal, f"dialog-{n}-{type(modal).__name__}")
                if isinstance(modal, QDialog):
                    modal.reject()
                else:
                    modal.close()

            before = {id(w) for w in QApplication.topLevelWidgets() if w.isVisible()}
            timer = QTimer()
            timer.setInterval(MODAL_POLL_MS)
            timer.timeout.connect(close_modal)
            timer.start()
            try:
                action.trigger()
                self._settle()
                close_modal()
            finally:
                timer.stop()
            for widget in QApplication.topLevelWidgets():
                if widget.isVisible() and id(widget) not in before:
                    seen.append(type(widget).__name__)
                    self._shot(widget, f"window-{n}-{type(widget).__name__}")
                    widget.close()
            if "ErrorDialog" in seen:
                raise CheckFailed(_("the error dialog appeared"))
            if not self.main.isVisible():
                raise CheckFailed(_("the window closed"))
            return ", ".join(seen) if seen else _("no dialog (an action)")

        return check

    def close(self) -> None:
        if self.window is not None:
            self.window.close()
            self._settle()
