"""The counter's intake form (view "intake", F2): keyboard first, checked field by field as the
clerk types, kept as a crash-safe draft, saved all or nothing with a clear confirmation.

Keys: Ctrl+S / Ctrl+Enter save, Ctrl+P save and print the slip, Ctrl+R resolve on the spot,
Ctrl+L clear (Esc asks first), Ctrl+O attach a file; pick lists take number keys.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import (
    QHideEvent,
    QKeySequence,
    QShortcut,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.codes import field_label
from app.errors import DeskError, ValidationError, ValidationErrors
from app.formatting import short_datetime
from app.i18n import _
from app.services.intake import check_intake, log_complaint
from ui.context import DeskContext
from ui.intake.attachment_list import DropCatcher
from ui.intake.draft_keeper import DraftKeeper
from ui.intake.intake_fields import IntakeFields
from ui.intake.spot_panel import SpotPanel
from ui.messages import ask, inform, warn
from ui.widgets.banner import Banner
from ui.widgets.field_grid import INVALID_STYLE

VALIDATE_MS = 300
CLOCK_TICK_MS = 30_000
SPOT_FIELDS = ("solution_types", "implementation", "amount")


def problem_text(e: ValidationError) -> str:
    """The problem without the field name (shown next to the field, which is labelled)."""
    return e.problem()


class IntakeForm(QWidget):
    saved = Signal(str)  # the reference of the complaint just saved

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setStyleSheet(INVALID_STYLE)
        self.errors: list[ValidationError] = []
        self.touched: set[str] = set()
        self.show_all = False  # after a save attempt every problem is shown
        self._loading = False
        self.last_reference = ""

        self.banner = Banner()
        self.fields = IntakeFields(ctx)
        self.spot = SpotPanel()
        self.spot.hide()
        self.save_button = QPushButton()
        self.save_button.setDefault(True)
        self.print_button = QPushButton()
        self.spot_button = QPushButton()
        self.clear_button = QPushButton()
        self.missing = QLabel()
        self.missing.setWordWrap(True)
        for button in (self.save_button, self.print_button, self.spot_button, self.clear_button):
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)

        content = QWidget()
        body = QVBoxLayout(content)
        body.setContentsMargins(12, 8, 12, 8)
        body.addWidget(self.fields, 1)
        body.addWidget(self.spot)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(content)
        bar = QHBoxLayout()
        bar.setContentsMargins(12, 4, 12, 8)
        bar.addWidget(self.missing, 1)
        for button in (self.clear_button, self.spot_button, self.print_button, self.save_button):
            bar.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        banner_box = QVBoxLayout()
        banner_box.setContentsMargins(12, 8, 12, 0)
        banner_box.addWidget(self.banner)
        layout.addLayout(banner_box)
        layout.addWidget(scroll, 1)
        layout.addLayout(bar)
        chain = [self.fields.tab_order[-1], self.spot.types, self.spot.done,
                 self.save_button, self.print_button, self.spot_button, self.clear_button]
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)
        # The amount fields (one per type ticked) come between what was done and saving.
        self.spot.amounts.tab_before, self.spot.amounts.tab_after = (self.spot.done,
                                                                     self.save_button)
        self.spot.amounts.chain_tabs()

        self.save_button.clicked.connect(lambda: self.save())
        self.print_button.clicked.connect(lambda: self.save(print_slip=True))
        self.spot_button.clicked.connect(self.toggle_spot)
        self.clear_button.clicked.connect(lambda: self.clear())
        self._shortcuts()

        self._validate_timer = QTimer(self)
        self._validate_timer.setSingleShot(True)
        self._validate_timer.setInterval(VALIDATE_MS)
        self._validate_timer.timeout.connect(self._validate_if_shown)
        self._check_when_shown = False
        self._clock = QTimer(self)
        self._clock.setInterval(CLOCK_TICK_MS)
        self._clock.timeout.connect(self.fields.tick)
        self._clock.start()
        self.fields.changed.connect(self._changed)
        self.spot.changed.connect(self._changed)
        self.fields.attachments.problem.connect(
            lambda text: self.fields.set_error("attachment", text))
        children = [*self.fields.findChildren(QWidget), *self.spot.findChildren(QWidget)]
        for widget in children:
            widget.installEventFilter(self)
        self.drops = DropCatcher(self.add_files, self)
        self.drops.watch([self, *children])

        self.keeper = DraftKeeper(ctx.db.paths.drafts, self.draft_name(), self.snapshot, self)
        self.keeper.failed.connect(lambda msg: self.banner.show_message(
            "warning", _("The draft could not be written ({error}); save soon.", error=msg)))
        self.retranslate()
        self.restore_draft()
        self.validate_now()
        self.setFocusProxy(self.fields.customer.phone)

    # ---- keys -----------------------------------------------------------------------------------
    def _shortcuts(self) -> None:
        ctx = Qt.ShortcutContext.WidgetWithChildrenShortcut
        keys: list[tuple[Any, Any]] = [
            (QKeySequence.StandardKey.Save, self.save),
            (QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_Return), self.save),
            (QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_Enter), self.save),
            (QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_P), lambda: self.save(print_slip=True)),
            # The print dialog even where slips go straight to the printer (issue 18).
            (QKeySequence(Qt.Modifier.CTRL | Qt.Modifier.SHIFT | Qt.Key.Key_P),
             lambda: self.save(print_slip=True, with_dialog=True)),
            (QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_L), lambda: self.clear()),
            (QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_R), self.toggle_spot),
            (QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_O), self.fields.attachments.pick),
            (QKeySequence(Qt.Key.Key_Escape), self.escape),
        ]
        self.shortcuts = []
        for key, slot in keys:
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(ctx)
            shortcut.activated.connect(slot)
            self.shortcuts.append(shortcut)

    def escape(self) -> None:
        if self.spot.isVisible():
            self.toggle_spot()
        else:
            self.clear(confirm=True)

    # ---- texts ----------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.fields.retranslate()
        self.spot.retranslate()
        self.spot.reload_lists(self.ctx.db)
        self.banner.retranslate()
        self.save_button.setText(f"{_('Save')} (Ctrl+S)")
        self.print_button.setText(f"{_('Save and print slip')} (Ctrl+P)")
        self.spot_button.setText(f"{_('Resolve on the spot')} (Ctrl+R)")
        self.clear_button.setText(f"{_('Clear')} (Ctrl+L)")
        self.clear_button.setToolTip(_("Clear the form for the next customer (Esc asks first)"))
        self._show_errors()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        # The lists may have been edited in the settings meanwhile.
        self.fields.reload_lists()
        self.spot.reload_lists(self.ctx.db)
        if self._check_when_shown:
            self._check_when_shown = False
            self._validate_timer.start()

    # ---- changes, validation --------------------------------------------------------------------
    def _changed(self) -> None:
        if self._loading:
            return
        if not self.is_empty():
            self.fields.freeze_received()
        self.keeper.touch()
        self._validate_timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.FocusOut:
            field = self._field_of(watched)
            if field and field not in self.touched:
                self.touched.add(field)
                self._validate_timer.start()
        return super().eventFilter(watched, event)

    def _field_of(self, widget: QObject) -> str | None:
        for grid in (self.fields.left, self.fields.right, self.spot.grid):
            for field, row in grid.rows.items():
                if widget is row.widget or (isinstance(widget, QWidget)
                                            and row.widget.isAncestorOf(widget)):
                    return field
        return None

    def _validate_if_shown(self) -> None:
        """The inline check is for the clerk's eyes: a hidden form (another view, the window
        closing, a test's window already gone with its database) checks when shown again."""
        if self.isVisible():
            self.validate_now()
        else:
            self._check_when_shown = True

    def validate_now(self) -> list[ValidationError]:
        """Check the whole input (app.services.intake.check_intake) and show the problems."""
        self._validate_timer.stop()
        data = self.fields.to_input()
        if self.spot.isVisible():
            data.on_the_spot = self.spot.value()
        self.errors = check_intake(self.ctx.db, data)
        self._show_errors()
        return self.errors

    def _show_errors(self) -> None:
        by_field: dict[str, str] = {}
        for e in self.errors:
            by_field.setdefault(e.field, problem_text(e))
        for field in self.fields.fields():
            shown = self.show_all or field in self.touched
            if field == "attachment" and field not in by_field:
                continue  # a refused file stays reported until the next change of the list
            self.fields.set_error(field, by_field.get(field) if shown else None)
        for field in SPOT_FIELDS:
            shown = self.show_all or field in self.touched
            self.spot.grid.set_error(field, by_field.get(field) if shown else None)
        if self.errors:
            names = list(dict.fromkeys(field_label(e.field) for e in self.errors))
            self.missing.setText(_("To save: {fields}", fields=_(", ").join(names)))
            # An empty form is not an error yet: neutral until the clerk starts or saves.
            calm = not self.show_all and self.is_empty()
            self.missing.setStyleSheet("color: #555;" if calm else "color: #8b1a1a;")
            tip = "\n".join(e.message() for e in self.errors)
        else:
            self.missing.setText(_("Ready to save"))
            self.missing.setStyleSheet("color: #0d5223;")
            tip = _("Save the complaint (Ctrl+S or Ctrl+Enter)")
        self.save_button.setToolTip(tip)
        self.print_button.setToolTip(tip)

    # ---- resolve on the spot --------------------------------------------------------------------
    def toggle_spot(self) -> None:
        self.spot.setVisible(not self.spot.isVisible())
        if self.spot.isVisible():
            self.spot.types.setFocus()
        else:
            self.spot.clear()
            self.fields.description.setFocus()
        self._changed()

    def add_files(self, paths: list[Path]) -> None:
        """Files picked or dropped anywhere on the form become attachments."""
        self.fields.set_error("attachment", None)
        self.fields.attachments.add_paths(paths)

    # ---- saving ---------------------------------------------------------------------------------
    def save(self, print_slip: bool = False, with_dialog: bool | None = None) -> str | None:
        """Save when everything is valid; otherwise show every problem and save nothing."""
        self.show_all = True
        if self.validate_now():
            self._focus_first_error()
            self.banner.show_message(
                "error", _("Not saved: please correct the fields marked in red."))
            return None
        data = self.fields.to_input()
        if self.spot.isVisible():
            data.on_the_spot = self.spot.value()
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            result = log_complaint(self.ctx.db, data, self.ctx.actor)
        except (ValidationErrors, ValidationError) as e:
            self.errors = e.errors if isinstance(e, ValidationErrors) else [e]
            self._show_errors()
            self._focus_first_error()
            self.banner.show_message("error", _("Not saved: {problems}", problems=e.message()))
            return None
        except DeskError as e:
            # Not saved (the network gone, the database busy or newer): the input stays on the
            # form and reaches its draft now, so it survives even closing the program.
            self.keeper.touch()
            self.keeper.flush()
            self.banner.show_message("error", _("Not saved: {problems}", problems=e.message()))
            return None
        finally:
            QApplication.restoreOverrideCursor()
        ref = result.reference
        self.last_reference = ref
        self._reset()
        text = _("Saved as {reference}. The form is ready for the next customer.",
                 reference=f"<b>{ref}</b>")
        if result.stage == "follow_up":
            text += "<br>" + _("Resolved on the spot; a revisit follows.")
        if result.is_repeat:
            text += "<br>" + _("This customer complained before: marked as a repeat complaint.")
        self.banner.show_message("success", text, _("Open complaint"),
                                 lambda: self.ctx.signals.open_complaint.emit(ref), rich=True)
        self.ctx.signals.data_changed.emit(ref)
        self.saved.emit(ref)
        if print_slip:
            self.deliver_slip(ref, with_dialog)
        return ref

    def deliver_slip(self, ref: str, with_dialog: bool | None = None) -> None:
        try:
            from ui.printing import deliver_slip
        except ImportError:
            inform(self, _("{reference} is saved. Printing the slip is not available yet.",
                           reference=ref))
            return
        try:
            deliver_slip(self.ctx, ref, self, with_dialog=with_dialog)
        except DeskError as e:
            warn(self, e.message())

    def _focus_first_error(self) -> None:
        fields = set(e.field for e in self.errors)
        for field in (*self.fields.fields(), *SPOT_FIELDS):
            if field in fields:
                widget = self.fields.widget_for(field) or (
                    self.spot.grid.rows[field].widget if field in self.spot.grid.rows else None)
                if widget is not None and widget.isVisibleTo(self):
                    widget.setFocus()
                    return

    # ---- clearing, drafts -----------------------------------------------------------------------
    def is_empty(self) -> bool:
        return self.fields.is_empty() and (not self.spot.isVisible() or self.spot.is_empty())

    def clear(self, confirm: bool = False) -> bool:
        """Empty the form for the next customer; Esc asks first, Ctrl+L does not."""
        if self.is_empty() and not self.spot.isVisible():
            self._reset()
            return True
        if confirm and not ask(self, _("Clear the form? What you typed will be lost.")):
            return False
        self._reset()
        self.banner.hide()
        return True

    def _reset(self) -> None:
        self._loading = True
        try:
            self.fields.clear()
            self.spot.clear()
            self.spot.hide()
        finally:
            self._loading = False
        self.keeper.discard()
        self.touched.clear()
        self.show_all = False
        self.validate_now()
        self.fields.customer.phone.setFocus()

    def draft_name(self) -> str:
        user = self.ctx.actor.user_id
        return f"intake-u{user}" if user is not None else "intake"

    def snapshot(self) -> dict[str, Any] | None:
        if self.is_empty():
            return None
        data = self.fields.to_draft()
        data["spot"] = self.spot.to_draft() if self.spot.isVisible() else None
        return data

    def restore_draft(self) -> bool:
        draft = self.keeper.load()
        if draft is None:
            return False
        self._loading = True
        try:
            problems = self.fields.from_draft(draft.fields)
            spot = draft.fields.get("spot")
            if isinstance(spot, dict):
                self.spot.show()
                self.spot.from_draft(spot)
        finally:
            self._loading = False
        text = _("Restored the complaint you were typing when the program stopped (draft of "
                 "{time}). Save it, or clear it with Ctrl+L.",
                 time=short_datetime(draft.saved_at))
        if problems:
            text += "\n" + _("Not restored: {problems}", problems="; ".join(problems))
        self.banner.show_message("info", text)
        return True

    def flush(self) -> None:
        """Write a pending draft now (the window is closing)."""
        self.keeper.flush()

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 - Qt API
        self.keeper.flush()  # switching views or closing: the draft is on disk at once
        super().hideEvent(event)
