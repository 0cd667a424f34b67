"""The complaint open in the detail panel, and how a change to it is applied.

Each change passes the version the panel read; a refusal is shown at its field (or in a
message), a conflict reloads the complaint and keeps what the user typed, and every other
screen hears of a successful change. Sections and side tabs hold this object, not the panel:
it is all they need of it (the panel's layout stays the panel's own).

Changes run off the GUI thread, one at a time (ui/background_save.py): the panel stays on
view but takes no input meanwhile, says when the database makes it wait, and then tells the
outcome: saved, refused (at the field), busy or connection lost (nothing saved, or perhaps
saved: the edits stay in their editors), changed elsewhere.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtWidgets import QWidget

from app.codes import label
from app.errors import Conflict, DeskError, EditRefused, MoveRefused
from app.i18n import N_, _
from app.services import moves
from app.services.complaints import ComplaintDetail
from app.workflow import MoveKind
from ui import messages
from ui.background_save import BackgroundSave, Failure, failure_kind, report_unexpected
from ui.complaint.move_bar import move_kind, needs_reason
from ui.context import DeskContext

CONFLICT = N_("Complaint {reference} was changed elsewhere meanwhile, so your change was not "
              "saved. It has been reloaded and what you typed is kept (marked yellow): check it "
              "and save again.")
UNEXPECTED = N_("Not saved: an unexpected error. What you entered is kept; you can try again.")

Notice = Callable[[], str]  # a notice's text, rendered again when the language changes


class PanelHost(Protocol):
    """What applying a change needs of the panel that shows the complaint."""

    @property
    def detail(self) -> ComplaintDetail | None: ...

    def reload(self, keep_edits: bool = True, saved: FieldErrors | None = None) -> None: ...

    def notify(self, kind: str, text: Notice, action: str = "",
               on_action: Callable[[], None] | None = None) -> None: ...

    def clear_notice(self) -> None: ...

    def scroll_to(self, part: str) -> None: ...

    def after_save(self, moved: bool) -> None: ...


class FieldErrors(Protocol):
    """A part of the panel that can show a refusal under the field it names."""

    def show_error(self, error: DeskError) -> bool: ...


class OpenComplaint:
    def __init__(self, ctx: DeskContext, host: PanelHost, widget: QWidget,
                 saving: BackgroundSave) -> None:
        self.ctx = ctx
        self.host = host
        self.widget = widget  # parent of the message boxes
        self.saving = saving
        self.announcing = False  # our own data_changed: the panel does not reload for it

    @property
    def detail(self) -> ComplaintDetail | None:
        return self.host.detail

    @property
    def reference(self) -> str | None:
        d = self.host.detail
        return d.reference if d else None

    def show_refusal(self, e: DeskError, show: bool = False,
                     section: FieldErrors | None = None) -> str:
        """Show a service's refusal: at its field where the section has it, in the banner, in a
        message when asked (and not shown at a field); the cursor to the part a guard names."""
        shown_at_field = section is not None and section.show_error(e)
        self.host.notify("error", e.message)
        if show and not shown_at_field:
            messages.warn(self.widget, e.message())
        if isinstance(e, MoveRefused) and e.missing:
            self.host.scroll_to(e.missing)
        elif isinstance(e, EditRefused):
            self.host.scroll_to(e.part)
        return e.message()

    def call_service(self, fn: Callable[[], Any], show: bool = False,
                     section: FieldErrors | None = None) -> Any:
        """Run a read-and-refuse call now; a refusal comes back as its message (and is shown)."""
        try:
            return fn()
        except Conflict:
            raise
        except DeskError as e:
            return self.show_refusal(e, show, section)

    def save(self, section: FieldErrors | None, call: Callable[[str, int | None], Any],
             versioned: bool = True, then: Callable[[], None] | None = None,
             moved: bool = False) -> bool:
        """Apply one change to the open complaint off the GUI thread: `call(reference,
        version)`, the version it was read at (None when the change does not depend on it).
        `then` runs once it is saved. False when nothing was started (no complaint open, or a
        change of this panel still running)."""
        d = self.host.detail
        if d is None:
            return False
        reference, version = d.reference, (d.version if versioned else None)

        def saved(_result: Any) -> None:
            self.host.clear_notice()
            if reference == self.reference:
                self.host.reload(saved=section)
            self.announce(reference)
            if then is not None:
                then()
            self.host.after_save(moved)

        return self.saving.run(lambda: call(reference, version), saved,
                               lambda error: self.failed(reference, section, error))

    def failed(self, reference: str, section: FieldErrors | None,
               error: BaseException) -> None:
        """A change that was not saved: say so in the way that fits; the edits stay."""
        kind = failure_kind(error)
        if kind is Failure.CONFLICT:
            self.conflict(reference)
        elif kind is Failure.UNEXPECTED:
            self.host.notify("error", lambda: _(UNEXPECTED))
            report_unexpected(error)
        elif isinstance(error, DeskError):
            if kind is Failure.REFUSED:
                self.show_refusal(error, show=True, section=section)
            else:  # busy, connection lost: the message says whether it may have been saved
                self.host.notify("warning" if kind is Failure.BUSY else "error",
                                 lambda: _("Not saved: {problems}", problems=error.message()))
                messages.warn(self.widget, _("Not saved: {problems}",
                                             problems=error.message()))
        self.host.after_save(False)

    def move_to(self, stage: str) -> bool:
        """Move the open complaint to `stage`, asking the reason where one is needed."""
        d = self.host.detail
        if d is None or stage not in d.allowed_moves:
            return False
        role = self.ctx.actor.role
        reason = None
        # A reopen always says why (the timeline shows it), even where the rule does not ask.
        kind = move_kind(d, stage, role)
        if needs_reason(d, stage, role) or kind is MoveKind.REOPEN:
            prompt = (_("Complaint {reference} is unfounded: what was explained to the "
                        "customer?", reference=d.reference) if kind is MoveKind.CLOSE_UNFOUNDED
                      else _("Why does complaint {reference} move to {stage}?",
                             reference=d.reference, stage=label("stage", stage)))
            reason = messages.ask_reason(self.widget, prompt)
            if not reason:
                return False
        return self.request_move(stage, reason)

    def request_move(self, stage: str, reason: str | None = None) -> bool:
        """Ask the workflow service to move the open complaint: its guards decide, and a
        refusal is shown as any other (the cursor to what is missing)."""
        db, actor = self.ctx.db, self.ctx.actor  # who asked, even if another signs in meanwhile
        return self.save(None, lambda ref, version: moves.move(
            db, ref, stage, actor, reason, expected_version=version), moved=True)

    def conflict(self, reference: str) -> None:
        text = _(CONFLICT, reference=reference)
        self.host.reload()
        self.host.notify("warning", lambda: _(CONFLICT, reference=reference))
        messages.warn(self.widget, text)

    def save_other(self, reference: str, call: Callable[[], Any],
                   then: Callable[[bool], None] | None = None) -> bool:
        """A change to a complaint from one of the lists (it may not be the open one), off the
        GUI thread; `then(saved)` runs with the outcome."""
        def saved(_result: Any) -> None:
            self.changed_elsewhere(reference)
            if then is not None:
                then(True)

        def failed(error: BaseException) -> None:
            if isinstance(error, Conflict):
                messages.warn(self.widget, _("Complaint {reference} was changed elsewhere "
                                             "meanwhile; the list has been reloaded, check it "
                                             "and try again.", reference=reference))
            else:
                self.failed(reference, None, error)
            if then is not None:
                then(False)

        return self.saving.run(call, saved, failed)

    def changed_elsewhere(self, reference: str) -> None:
        """Tell every screen; reload here if it is the open complaint."""
        if reference == self.reference:
            self.host.reload()
        self.announce(reference)

    def announce(self, reference: str) -> None:
        self.announcing = True
        try:
            self.ctx.signals.data_changed.emit(reference)
        finally:
            self.announcing = False
