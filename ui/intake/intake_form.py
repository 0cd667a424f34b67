"""The counter's intake form (view "intake", F2): keyboard first, checked field by field as the
clerk types, kept as a crash-safe draft, saved all or nothing with a clear confirmation.

Keys (ui/shortcuts.py, the table F1 lists): Ctrl+S / Ctrl+Enter save, Ctrl+P save
and print the slip, Ctrl+R resolve on the spot, Ctrl+L clear (Esc asks first), Ctrl+O attach a
file; pick lists take number keys. Tab walks a walk-in's fields only; the rare ones (email,
tier, received time, channel, subject) each have an Alt key shown after their label.

Saving runs off the GUI thread (ui/background_save.py): the form stays on view, takes no input
until the outcome is in, and says it: saved (with the reference), refused (at the fields),
busy or connection lost (nothing saved, or perhaps saved: the input stays, in its draft too).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QHideEvent, QShortcut, QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

from app.errors import DeskError, ValidationError, ValidationErrors
from app.i18n import N_, _
from app.services.intake import IntakeInput, IntakeResult, check_intake, log_complaint
from ui.background_save import BackgroundSave, BusyStrip, Failure, failure_kind, report_unexpected
from ui.context import DeskContext
from ui.intake.attachment_list import DropCatcher
from ui.intake.draft_keeper import DraftKeeper
from ui.intake.intake_fields import IntakeFields
from ui.intake.notices import Notice, not_saved_notice, restored_notice, saved_notice
from ui.intake.problem_marks import ProblemMarks
from ui.intake.spot_panel import SpotPanel
from ui.key_bindings import bind, key_text
from ui.messages import ask, inform, warn
from ui.widgets.banner import Banner
from ui.widgets.field_grid import INVALID_STYLE

VALIDATE_MS = 300
# Asked before saving again a complaint whose last save may have reached the database.
MAYBE_SAVED_CONNECTION = N_(
    "The last save of this complaint may have reached the server before the connection "
    "broke. Look for it in the queue first: saving again could record it twice. Save it "
    "again now?")
MAYBE_SAVED_STOPPED = N_(
    "A save of this complaint had started when the program stopped: it may be saved already. "
    "Look for it in the queue first: saving again could record it twice. Save it again now?")
CLOCK_TICK_MS = 30_000


def padded(widget: QWidget, top: int) -> QVBoxLayout:
    """A line of the form's width with the form's side margins (the banner, the busy strip)."""
    box = QVBoxLayout()
    box.setContentsMargins(12, top, 12, 0)
    box.addWidget(widget)
    return box


class IntakeForm(QWidget):
    saved = Signal(str)  # the reference of the complaint just saved

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setStyleSheet(INVALID_STYLE)
        self._loading = False
        self.last_reference = ""
        self._invalid_banner = False  # the banner asks to correct fields: gone once they are
        # The banner's notice, rendered again when the language changes (kind, text, action
        # msgid, what the action does, rich text).
        self._notice: tuple[str, Notice, str, Callable[[], None] | None, bool] | None = None
        # The last save may have reached the database (the connection broke, the program
        # stopped during it): the question asked before saving again, else "".
        self._maybe_saved = ""
        self._save_started = False  # a save is under way: its draft says so

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
        self.busy_strip = BusyStrip()
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
        layout.addLayout(padded(self.banner, top=8))
        layout.addWidget(scroll, 1)
        layout.addLayout(padded(self.busy_strip, top=0))
        layout.addLayout(bar)
        chain = [self.fields.tab_order[-1], self.spot.types, self.spot.done,
                 self.spot.verdict, self.save_button, self.print_button, self.spot_button,
                 self.clear_button]
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)
        # The amount fields (one per type ticked) come between the verdict and saving.
        self.spot.amounts.tab_before, self.spot.amounts.tab_after = (self.spot.verdict,
                                                                     self.save_button)
        self.spot.amounts.chain_tabs()

        self.saving = BackgroundSave(self, self.busy_strip)
        self.save_button.clicked.connect(lambda: self.save())
        self.print_button.clicked.connect(lambda: self.save(print_slip=True))
        self.spot_button.clicked.connect(self.toggle_spot)
        self.clear_button.clicked.connect(lambda: self.clear())
        self._shortcuts()

        self._validate_on_show = False  # a check was due when the form was hidden
        self._validate_timer = QTimer(self)
        self._validate_timer.setSingleShot(True)
        self._validate_timer.setInterval(VALIDATE_MS)
        self._validate_timer.timeout.connect(self._validate_if_shown)
        self._clock = QTimer(self)
        self._clock.setInterval(CLOCK_TICK_MS)
        self._clock.timeout.connect(self.fields.tick)
        self._clock.start()
        self.fields.changed.connect(self._changed)
        self.spot.changed.connect(self._changed)
        self.fields.attachments.problem.connect(
            lambda text: self.fields.set_error("attachment", text))
        children = [*self.fields.findChildren(QWidget), *self.spot.findChildren(QWidget)]
        self.marks = ProblemMarks(self.fields, self.spot, self.missing,
                                  (self.save_button, self.print_button), self.is_empty,
                                  self._validate_timer.start)
        for widget in children:
            widget.installEventFilter(self)
        self.drops = DropCatcher(self.add_files, self)
        self.drops.watch([self, *children])

        self.keeper = DraftKeeper(ctx.db.paths.drafts, self.draft_name(), self.snapshot, self)
        self.keeper.failed.connect(lambda msg: self.tell("warning", lambda: _(
            "The draft could not be written ({error}); save soon.", error=msg)))
        ctx.signals.actor_changed.connect(self.on_actor_changed)
        self.retranslate()
        self.restore_draft()
        self.validate_now()
        self.setFocusProxy(self.fields.customer.phone)

    # ---- keys -----------------------------------------------------------------------------------
    def _shortcuts(self) -> None:
        self.shortcuts: list[QShortcut] = [
            *bind(self, "intake.save", self.save),
            *bind(self, "intake.save_print", lambda: self.save(print_slip=True)),
            # The print dialog even where slips go straight to the printer (issue 18).
            *bind(self, "intake.save_print_dialog",
                  lambda: self.save(print_slip=True, with_dialog=True)),
            *bind(self, "intake.clear", lambda: self.clear()),
            *bind(self, "intake.spot", self.toggle_spot),
            *bind(self, "intake.attach", self.fields.attachments.pick),
            *bind(self, "intake.escape", self.escape),
        ]
        self.shortcuts += self.fields.bind_rare_keys(self)

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
        if self.banner.isVisibleTo(self) and self._notice is not None:
            self.tell(*self._notice)
        self.save_button.setText(f"{_('Save')} ({key_text('intake.save')})")
        self.print_button.setText(f"{_('Save and print slip')} ({key_text('intake.save_print')})")
        self.spot_button.setText(f"{_('Resolve on the spot')} ({key_text('intake.spot')})")
        self.clear_button.setText(f"{_('Clear')} ({key_text('intake.clear')})")
        self.clear_button.setToolTip(_("Clear the form for the next customer (Esc asks first)"))
        self.marks.show()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        # The lists may have been edited in the settings meanwhile.
        self.fields.reload_lists()
        self.spot.reload_lists(self.ctx.db)
        if self._validate_on_show:
            self._validate_on_show = False
            self._validate_timer.start()

    # ---- changes, validation --------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() in (QEvent.Type.FocusIn, QEvent.Type.FocusOut):
            self.marks.focus_event(watched, event)
        return super().eventFilter(watched, event)

    def _changed(self) -> None:
        if self._loading:
            return
        if not self.is_empty():
            self.fields.freeze_received()
        self.keeper.touch()
        self._validate_timer.start()

    def _input(self) -> IntakeInput:
        data = self.fields.to_input()
        if self.spot.isVisible():
            data.on_the_spot = self.spot.value()
        return data

    def _validate_if_shown(self) -> None:
        """The timer's check, only while the form is on screen: a check due while it is
        hidden (another view, or the window closing, when the focus leaving a field restarts
        the timer after the form was hidden, perhaps on a database already closed) runs when
        the form is shown again."""
        if self.isVisible():
            self.validate_now()
        else:
            self._validate_on_show = True

    def validate_now(self) -> list[ValidationError]:
        """Check the whole input (app.services.intake.check_intake) and show the problems."""
        self._validate_timer.stop()
        self.marks.show(check_intake(self.ctx.db, self._input()))
        if not self.marks.errors and self._invalid_banner:
            self.banner.hide()  # "correct the fields marked in red": they are corrected
            self._invalid_banner = False
        return self.marks.errors

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
    def save(self, print_slip: bool = False, with_dialog: bool | None = None) -> bool:
        """Start saving the input off the GUI thread; False when no save was started (one is
        still running, or the clerk chose not to save again after a save that may have
        reached the server). The outcome is shown when it comes (`_saved`, `_not_saved`)."""
        if self.saving.busy:
            return False
        if self._maybe_saved and not ask(self, _(self._maybe_saved)):
            return False
        self.marks.show_all = True
        self._validate_timer.stop()
        # The line by the buttons told what the last check found, perhaps before the last
        # keys typed: the outcome of this save replaces it.
        self.missing.clear()
        # Nor does the last outcome ("Saved as …" of the customer before) stand beside the
        # strip saying this one is being saved.
        self.banner.hide()
        self._notice = None
        # The draft on disk now says a save started: if the program stops before the outcome
        # is known (killed, closed, the power gone), it comes back as "may be saved already".
        self._save_started = True
        self.keeper.touch()
        self.keeper.flush()
        db, actor, data = self.ctx.db, self.ctx.actor, self._input()

        def work() -> IntakeResult:
            # Checked first with a read, which never waits for another program's write lock:
            # wrong input is told at once even while the database is busy.
            problems = check_intake(db, data)
            if problems:
                raise ValidationErrors(problems)
            return log_complaint(db, data, actor)

        return self.saving.run(work, lambda result: self._saved(result, print_slip, with_dialog),
                               self._not_saved)

    def _saved(self, result: IntakeResult, print_slip: bool, with_dialog: bool | None) -> None:
        self._save_started = False
        self._maybe_saved = ""
        ref = result.reference
        self.last_reference = ref
        self._reset()
        self.tell("success", lambda: saved_notice(result), N_("Open complaint"),
                  lambda: self.ctx.signals.open_complaint.emit(ref), rich=True)
        self.ctx.signals.data_changed.emit(ref)
        self.saved.emit(ref)
        if print_slip:
            self.deliver_slip(ref, with_dialog)  # the customer still waits for the slip

    def _not_saved(self, error: BaseException) -> None:
        kind = failure_kind(error)
        self._save_started = False
        self._maybe_saved = MAYBE_SAVED_CONNECTION if kind is Failure.MAYBE_SAVED else ""
        # The input stays on the form and its draft says how this save ended, so it survives
        # even closing the program.
        self.keeper.touch()
        self.keeper.flush()
        if isinstance(error, ValidationErrors | ValidationError):
            self.marks.show(error.errors if isinstance(error, ValidationErrors) else [error])
            self.marks.focus_first()
            self.tell("error", lambda: _("Not saved: please correct the fields marked in red."))
            self._invalid_banner = True
        else:  # the database busy, the network gone, a fault
            self.tell("warning" if kind is Failure.BUSY else "error",
                      lambda: not_saved_notice(error, kind))
            self.validate_now()  # the line by the buttons again, for the input as it is
        if kind is Failure.UNEXPECTED:
            report_unexpected(error)

    def tell(self, kind: str, text: Notice, action: str = "",
             on_action: Callable[[], None] | None = None, rich: bool = False) -> None:
        """A notice in the banner (it replaces the one before), in the language of the moment
        and again in the next one; `action` is the msgid of the banner's button."""
        self._invalid_banner = False
        self._notice = (kind, text, action, on_action, rich)
        self.banner.show_message(kind, text(), _(action) if action else "", on_action, rich=rich)

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

    # ---- clearing, drafts, who is signed in -----------------------------------------------------
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
        self._maybe_saved = ""
        return True

    def _reset(self) -> None:
        """A blank form and no draft: the complaint was saved, or cleared on purpose."""
        self._blank()
        self.keeper.discard()

    def _blank(self) -> None:
        """Every field empty and nothing marked: a new complaint begins at the phone."""
        self._loading = True
        try:
            self.fields.clear()
            self.spot.clear()
            self.spot.hide()
        finally:
            self._loading = False
        # Forget which fields were visited before the cursor moves: leaving the last field of
        # the saved complaint must not mark that field "required" on the blank form.
        self.marks.forget()
        if self.isVisible():  # not from another view (a new person signing in there)
            self.fields.customer.phone.setFocus()
        self.validate_now()

    def on_actor_changed(self) -> None:
        """Another person signed in: a save under way finishes first (for whoever typed it:
        saved, the next person starts blank; not saved, it stays the first one's draft)."""
        self.saving.when_idle(self._switch_person)

    def _switch_person(self) -> None:
        """The form becomes the new person's: what the previous one typed stays their draft
        (restored when they sign in again), their notices go, the new one's draft comes back."""
        self.keeper.touch()
        self.keeper.flush()
        self._blank()
        self.banner.hide()
        self._invalid_banner = False
        self._maybe_saved = ""
        self.keeper.name = self.draft_name()
        if self.restore_draft(after_switch=True):
            self.validate_now()

    def draft_name(self) -> str:
        user = self.ctx.actor.user_id
        return f"intake-u{user}" if user is not None else "intake"

    def snapshot(self) -> dict[str, Any] | None:
        if self.is_empty():
            return None
        data = self.fields.to_draft()
        data["spot"] = self.spot.to_draft() if self.spot.isVisible() else None
        data["save_started"] = self._save_started or bool(self._maybe_saved)
        return data

    def restore_draft(self, after_switch: bool = False) -> bool:
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
        if draft.fields.get("save_started"):
            self._maybe_saved = MAYBE_SAVED_STOPPED
        self.tell("info", lambda: restored_notice(draft, problems, after_switch))
        return True

    def flush(self) -> None:
        """Write a pending draft now (the window is closing)."""
        self.keeper.flush()

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 - Qt API
        self.keeper.flush()  # switching views or closing: the draft is on disk at once
        # No check of the input while nobody sees it (and none after the window closed, on
        # a database perhaps gone): it runs when the form is shown again.
        if self._validate_timer.isActive():
            self._validate_timer.stop()
            self._validate_on_show = True
        super().hideEvent(event)
