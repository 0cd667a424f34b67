"""The complaint open in the detail panel, and how a change to it is applied.

Each change passes the version the panel read; a refusal is shown at its field (or in a
message), a conflict reloads the complaint and keeps what the user typed, and every other
screen hears of a successful change. Sections and side tabs hold this object, not the panel:
it is all they need of it (the panel's layout stays the panel's own).
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
from ui.complaint.move_bar import move_kind, needs_reason
from ui.context import DeskContext

CONFLICT = N_("Complaint {reference} was changed elsewhere meanwhile, so your change was not "
              "saved. It has been reloaded and what you typed is kept (marked yellow): check it "
              "and save again.")

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


class FieldErrors(Protocol):
    """A part of the panel that can show a refusal under the field it names."""

    def show_error(self, error: DeskError) -> bool: ...


class OpenComplaint:
    def __init__(self, ctx: DeskContext, host: PanelHost, widget: QWidget) -> None:
        self.ctx = ctx
        self.host = host
        self.widget = widget  # parent of the message boxes
        self.announcing = False  # our own data_changed: the panel does not reload for it

    @property
    def detail(self) -> ComplaintDetail | None:
        return self.host.detail

    @property
    def reference(self) -> str | None:
        d = self.host.detail
        return d.reference if d else None

    def call_service(self, fn: Callable[[], Any], show: bool = False,
                     section: FieldErrors | None = None) -> Any:
        """Run a service call; a refusal comes back as its message (and is shown)."""
        try:
            return fn()
        except Conflict:
            raise
        except DeskError as e:
            text, error = e.message(), e
            shown_at_field = section is not None and section.show_error(e)
            self.host.notify("error", error.message)
            if show and not shown_at_field:
                messages.warn(self.widget, text)
            if isinstance(e, MoveRefused) and e.missing:
                self.host.scroll_to(e.missing)
            elif isinstance(e, EditRefused):
                self.host.scroll_to(e.part)
            return text

    def save(self, section: FieldErrors | None, call: Callable[[str, int | None], Any],
             versioned: bool = True) -> bool:
        """Apply one change to the open complaint: `call(reference, version)`, the version it
        was read at (None when the change does not depend on it)."""
        d = self.host.detail
        if d is None:
            return False
        try:
            result = self.call_service(
                lambda: call(d.reference, d.version if versioned else None),
                show=True, section=section)
        except Conflict:
            self.conflict(d.reference)
            return False
        if isinstance(result, str):
            return False
        self.host.clear_notice()
        self.host.reload(saved=section)
        self.announce(d.reference)
        return True

    def move_to(self, stage: str) -> None:
        """Move the open complaint to `stage`, asking the reason where one is needed."""
        d = self.host.detail
        if d is None or stage not in d.allowed_moves:
            return
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
                return
        ctx = self.ctx
        self.save(None, lambda ref, version: moves.move(ctx.db, ref, stage, ctx.actor, reason,
                                                        expected_version=version))

    def conflict(self, reference: str) -> None:
        text = _(CONFLICT, reference=reference)
        self.host.reload()
        self.host.notify("warning", lambda: _(CONFLICT, reference=reference))
        messages.warn(self.widget, text)

    def save_other(self, reference: str, call: Callable[[], Any]) -> bool:
        """A change to a complaint from one of the lists (it may not be the open one)."""
        try:
            result = self.call_service(call, show=True)
        except Conflict:
            messages.warn(self.widget, _("Complaint {reference} was changed elsewhere "
                                         "meanwhile; the list has been reloaded, check it and "
                                         "try again.", reference=reference))
            return False
        if isinstance(result, str):
            return False
        self.changed_elsewhere(reference)
        return True

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
