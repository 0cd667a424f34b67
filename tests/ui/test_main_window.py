"""The main window: views one key away, status bar, remembered layout, go-to-reference,
and the real program starting on a database (`python main.py`)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest

from app.i18n import get_language, translate
from app.services.intake import IntakeInput, log_complaint
from app.settings import put
from ui.context import DeskContext
from ui.intake import intake_form
from ui.main_window import MainWindow
from ui.shown_marker import ENV_EXIT_AFTER_SHOW, SHOWN_MARKER

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def settings(tmp_path) -> QSettings:  # type: ignore[no-untyped-def]
    return QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def window(qtbot, ctx: DeskContext, settings) -> MainWindow:  # type: ignore[no-untyped-def]
    w = MainWindow(ctx, settings)
    qtbot.addWidget(w)
    w.resize(1280, 740)  # wider than the offscreen screen, as the tests always had it
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    return w


def test_opens_on_the_intake_form_with_status(window, ctx):
    assert window.current_view_key() == "intake"
    assert list(window.views) == ["intake"]  # the other views are made on first use
    assert ctx.db.paths.describe() in window.db_label.text()
    assert "李小红" in window.user_label.text() and "Clerk" in window.user_label.text()
    assert "demo" not in window.windowTitle().lower()


def test_every_view_is_one_key_away(window, qtbot):
    for key, name in [(Qt.Key.Key_F3, "board"), (Qt.Key.Key_F7, "reports"),
                      (Qt.Key.Key_F5, "revisits"), (Qt.Key.Key_F8, "alerts"),
                      (Qt.Key.Key_F2, "intake")]:
        QTest.keyClick(window, key)
        assert window.current_view_key() == name
        assert window.actions_by_view[name].isChecked()


def test_geometry_and_last_view_are_remembered(qtbot, ctx, settings):
    first = MainWindow(ctx, settings)
    qtbot.addWidget(first)
    first.show()
    first.resize(760, 560)  # the offscreen screen is 800 x 600
    first.show_view("revisits")
    first.close()
    second = MainWindow(ctx, settings)
    qtbot.addWidget(second)
    assert second.current_view_key() == "revisits"
    assert (second.width(), second.height()) == (760, 560)


def test_opens_maximized_first_then_as_it_was_left(qtbot, ctx, settings):
    """No remembered geometry: maximized (fits 1280×720, not lost on 1920×1080); a window left
    at a size comes back at it, and one left maximized comes back maximized."""
    first = MainWindow(ctx, settings)
    qtbot.addWidget(first)
    assert not first.remembered_geometry
    first.show_window()
    qtbot.waitUntil(first.isMaximized, timeout=3000)
    first.close()  # remembered: maximized
    second = MainWindow(ctx, settings)
    qtbot.addWidget(second)
    assert second.remembered_geometry
    second.show_window()
    qtbot.waitUntil(second.isMaximized, timeout=3000)
    second.showNormal()
    second.resize(700, 500)
    qtbot.waitUntil(lambda: not second.isMaximized(), timeout=3000)
    second.close()
    third = MainWindow(ctx, settings)
    qtbot.addWidget(third)
    third.show_window()
    assert not third.isMaximized() and (third.width(), third.height()) == (700, 500)


def test_the_frame_shows_before_the_desk_and_fills_when_it_opens(qtbot, ctx, settings):
    """Start-up shows the window's frame first (no database read); open_desk fills it."""
    frame = MainWindow(None, settings)
    qtbot.addWidget(frame)
    frame.show()
    assert frame.stack.currentWidget() is frame.opening
    assert frame.opening.text() == "Opening the database…"
    assert not frame.actions_by_view["board"].isEnabled() and not frame.goto_box.isEnabled()
    assert frame.quit_action.isEnabled()  # the frame can be closed
    frame.open_desk(ctx)
    assert frame.current_view_key() == "intake"
    assert frame.actions_by_view["board"].isEnabled() and frame.goto_box.isEnabled()
    assert "李小红" in frame.user_label.text()


def test_title_says_demo_for_a_demo_database(qtbot, ctx, settings, db):
    with db.write() as s:
        put(s, "is_demo", True)
        put(s, "business_name", "海港城")
    w = MainWindow(ctx, settings)
    qtbot.addWidget(w)
    assert "demo" in w.windowTitle() and "海港城" in w.windowTitle()
    assert w.demo_label.isVisibleTo(w)
    # A status message (a backup done, a restore) never hides nor runs under the badge.
    w.resize(1280, 720)
    w.show()
    qtbot.waitExposed(w)
    message = "每日备份已完成：海港城-20261207-105539-daily.zip"
    w.statusBar().showMessage(message)
    assert w.demo_label.isVisible()
    assert w.demo_label.geometry().left() > w.statusBar().fontMetrics().horizontalAdvance(message)


def test_go_to_reference_with_ctrl_g(window, ctx, qtbot, fixed_clock):
    ref = log_complaint(ctx.db, IntakeInput(description="x", phone="13800000001")).reference
    QTest.keyClick(window, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    assert window.goto_box.hasFocus()
    QTest.keyClicks(window.goto_box, "nope")
    with qtbot.assertNotEmitted(ctx.signals.open_complaint):
        QTest.keyClick(window.goto_box, Qt.Key.Key_Return)
    assert "No complaint with reference nope" in window.statusBar().currentMessage()
    window.goto_box.clear()
    QTest.keyClicks(window.goto_box, "1")  # today's number 1
    with qtbot.waitSignal(ctx.signals.open_complaint) as opened:
        QTest.keyClick(window.goto_box, Qt.Key.Key_Return)
    assert opened.args == [ref]
    assert window.current_view_key() == "complaint"


def test_saving_an_intake_announces_the_change(window, ctx, qtbot):
    form = window.view("intake")
    form.fields.customer.phone.setText("13800000002")
    form.fields.description.setPlainText("Noise from the escalator")
    with qtbot.waitSignal(ctx.signals.data_changed) as changed:
        form.save()
    assert changed.args == [form.last_reference]


def test_language_switch_retranslates_the_window(window, settings):
    window.language_actions["zh-Hant"].trigger()
    assert get_language() == "zh-Hant" and settings.value("ui/language") == "zh-Hant"
    form = window.view("intake")
    assert form.save_button.text().startswith(translate("Save", "zh-Hant"))
    assert window.actions_by_view["intake"].text().startswith(
        translate("New complaint", "zh-Hant"))
    assert translate("New complaint", "zh-Hant") != "New complaint"


def test_closing_writes_a_pending_draft(window, ctx, qtbot, monkeypatch):
    checks: list[object] = []
    monkeypatch.setattr(intake_form, "check_intake", lambda db, data: checks.append(data) or [])
    form = window.view("intake")
    form.fields.customer.phone.setText("13800000003")
    assert form.keeper.pending()
    window.close()
    assert not form.keeper.pending()
    assert (ctx.db.paths.drafts / f"{form.draft_name()}.json").exists()
    # Nothing reads the database after closing: not the pending check, nor one the focus
    # leaving a field starts as the window closes (the database may be gone by then).
    form.fields.customer.name.setText("王先生")  # restarts the check's timer, form hidden
    qtbot.wait(intake_form.VALIDATE_MS * 3)
    assert checks == []


def _run_main(db_path: Path, tmp_path: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path),
               XDG_CONFIG_HOME=str(tmp_path / "config"), **{ENV_EXIT_AFTER_SHOW: "1"})
    return subprocess.run([sys.executable, str(ROOT / "main.py"), "--db", str(db_path),
                           *extra], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=60)


def _probe_main(probe: str, db_path: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """`probe` (Python that patches the program, then runs main.py) on `db_path`, signed in
    as the supervisor, ending once the window shows."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path),
               XDG_CONFIG_HOME=str(tmp_path / "config"), COMPLAINT_DESK_USER="supervisor",
               COMPLAINT_DESK_PASSWORD="demo1234", **{ENV_EXIT_AFTER_SHOW: "1"})
    return subprocess.run([sys.executable, "-c", probe, str(db_path)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)


@pytest.mark.slow
def test_main_py_opens_the_window_without_heavy_modules(db_path, tmp_path):
    probe = (
        "import sys, runpy; sys.argv = ['main.py', '--db', sys.argv[1]];\n"
        "import ui.shown_marker as a; real = a.report_shown\n"
        "heavy = ('reportlab', 'openpyxl', 'PySide6.QtCharts', 'app.services.stats')\n"
        "def report(app, what='window'):\n"
        "    if what == 'frame':  # issue 18: the window shows before the database is touched\n"
        "        print('FRAME', [m for m in ('sqlalchemy', 'alembic') if m in sys.modules])\n"
        "    else:\n"
        "        print('HEAVY', [m for m in heavy if m in sys.modules], flush=True)\n"
        "    real(app, what)\n"
        "a.report_shown = report\n"
        "runpy.run_path('main.py', run_name='__main__')\n"
    )
    done = _probe_main(probe, db_path, tmp_path)
    assert done.returncode == 0, done.stderr
    assert f"{SHOWN_MARKER} frame" in done.stdout and f"{SHOWN_MARKER} window" in done.stdout
    assert done.stdout.index("FRAME") < done.stdout.index("HEAVY")
    assert "FRAME []" in done.stdout, done.stdout
    assert "HEAVY []" in done.stdout, done.stdout


@pytest.mark.slow
def test_a_frame_closed_before_sign_in_ends_the_program(db_path, tmp_path):
    """The frame shows before the database opens and can be closed meanwhile (Ctrl+Q): the
    desk is then not opened into a hidden window; the program ends."""
    probe = (
        "import sys, runpy; sys.argv = ['main.py', '--db', sys.argv[1]];\n"
        "from PySide6.QtWidgets import QApplication\n"
        "import ui.application as application, ui.sign_in as s\n"
        "from ui.main_window import MainWindow\n"
        "real = s.sign_in_at_start\n"
        "def closing(db, user=None):\n"
        "    for w in QApplication.topLevelWidgets():\n"
        "        if isinstance(w, MainWindow): w.close()\n"
        "    return real(db, user)\n"
        "s.sign_in_at_start = closing\n"
        "real_open = application.open_window\n"
        "def opened(*a, **k):\n"
        "    print('OPENED', flush=True); return real_open(*a, **k)\n"
        "application.open_window = opened\n"
        "runpy.run_path('main.py', run_name='__main__')\n"
    )
    done = _probe_main(probe, db_path, tmp_path)
    assert done.returncode == 0, done.stderr
    assert f"{SHOWN_MARKER} frame" in done.stdout
    assert "OPENED" not in done.stdout and f"{SHOWN_MARKER} window" not in done.stdout


@pytest.mark.slow
def test_main_py_on_a_new_database_welcomes_first(tmp_path):
    done = _run_main(tmp_path / "brand-new.db", tmp_path)
    assert done.returncode == 0, done.stderr
    assert f"{SHOWN_MARKER} first-start" in done.stdout
    assert f"{SHOWN_MARKER} window" not in done.stdout  # cancelled: no window, no accounts


@pytest.mark.slow
def test_the_frame_speaks_the_language_the_window_last_showed(db_path, tmp_path):
    """A 繁體 desk on an English Windows: the first start's frame can only be in the system's
    language (the desk's is in the database); from the next start on it is in 繁體 at once."""
    from app.db import Database
    from app.paths import resolve

    database = Database(resolve(str(db_path)))
    with database.write() as s:
        put(s, "language", "zh-Hant")
    database.dispose()
    env = {k: v for k, v in os.environ.items() if k != "COMPLAINT_DESK_LANG"}
    env.update(LANG="en_US.UTF-8", LC_ALL="en_US.UTF-8")
    shown = []
    for _run in range(2):
        done = subprocess.run([sys.executable, str(ROOT / "main.py"), "--db", str(db_path)],
                              cwd=ROOT, capture_output=True, text=True, timeout=60,
                              env=dict(env, QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path),
                                       **{ENV_EXIT_AFTER_SHOW: "1"}))
        assert done.returncode == 0, done.stderr
        shown.append([(line.split()[1], line.split()[-1]) for line in done.stdout.splitlines()
                      if line.startswith(SHOWN_MARKER)])
    # (what was shown, in which language): the frame, then the sign-in dialog
    assert shown == [[("frame", "en"), ("sign-in", "zh-Hant")],
                     [("frame", "zh-Hant"), ("sign-in", "zh-Hant")]]
