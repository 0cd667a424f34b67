"""How the detail panel changes a complaint: each change passes the version the panel read;
a refusal is shown at its field (or in a message), a conflict reloads the complaint and keeps
what the user typed, and every other screen hears of a successful change."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from app.codes import label
from app.errors import Conflict, DeskError, EditRefused, MoveRefused
from app.i18n import N_, _
from app.permissions import APPROVE_COMPENSATION, can
from app.services import moves
from app.workflow import MoveKind
from ui import messages
from ui.complaint import dialogs
from ui.complaint.move_bar import move_kind, needs_reason
from ui.complaint.section import Section

if TYPE_CHECKING:
    from ui.complaint.panel import ComplaintPanel

CONFLICT = N_("Complaint {reference} was changed elsewhere meanwhile, so your change was not "
              "saved. It has been reloaded and what you typed is kept (marked yellow): check it "
              "and save again.")


class PanelChanges:
    """Mixed into ComplaintPanel (kept apart so each module stays small)."""

    def notify(self: ComplaintPanel, kind: str, text: Callable[[], str], action: str = "",
               on_action: Callable[[], None] | None = None) -> None:
        """A notice in the banner, rendered again when the language changes."""
        self._notice = (kind, text, action, on_action)
        self.banner.show_message(kind, text(), _(action) if action else "", on_action)

    def call_service(self: ComplaintPanel, fn: Callable[[], Any], show: bool = False,
                     section: Section | None = None) -> Any:
        """Run a service call; a refusal comes back as its message (and is shown)."""
        try:
            return fn()
        except Conflict:
            raise
        except DeskError as e:
            text, error = e.message(), e
            shown_at_field = section is not None and section.show_error(e)
            self.notify("error", error.message)
            if show and not shown_at_field:
                messages.warn(self, text)
            if isinstance(e, MoveRefused) and e.missing:
                self.scroll_to(e.missing)
            elif isinstance(e, EditRefused):
                self.scroll_to(e.part)
            return text

    def save(self: ComplaintPanel, section: Section | None, call: Callable[[int | None], Any],
             versioned: bool = True) -> bool:
        """Apply one change to the open complaint with the version it was read at."""
        d = self.detail
        if d is None:
            return False
        try:
            result = self.call_service(lambda: call(d.version if versioned else None),
                                       show=True, section=section)
        except Conflict:
            self.conflict(d.reference)
            return False
        if isinstance(result, str):
            return False
        self.banner.hide()
        self.reload(saved=section)
        self.announce(d.reference)
        return True

    def conflict(self: ComplaintPanel, reference: str) -> None:
        text = _(CONFLICT, reference=reference)
        self.reload()
        self.notify("warning", lambda: _(CONFLICT, reference=reference))
        messages.warn(self, text)

    def save_other(self: ComplaintPanel, reference: str, call: Callable[[], Any]) -> bool:
        """A change to a complaint from one of the lists (it may not be the open one)."""
        try:
            result = self.call_service(call, show=True)
        except Conflict:
            messages.warn(self, _("Complaint {reference} was changed elsewhere meanwhile; the "
                                  "list has been reloaded, check it and try again.",
                                  reference=reference))
            return False
        if isinstance(result, str):
            return False
        self.changed_elsewhere(reference)
        return True

    def changed_elsewhere(self: ComplaintPanel, reference: str) -> None:
        """Tell every screen; reload here if it is the open complaint."""
        if reference == self.reference:
            self.reload()
        self.announce(reference)

    def announce(self: ComplaintPanel, reference: str) -> None:
        self._announcing = True
        try:
            self.ctx.signals.data_changed.emit(reference)
        finally:
            self._announcing = False

    def move_to(self: ComplaintPanel, stage: str) -> None:
        d = self.detail
        if d is None or stage not in d.allowed_moves:
            return
        reason = None
        # A reopen always says why (the timeline shows it), even where the rule does not ask.
        if needs_reason(d, stage, self.role) or move_kind(d, stage, self.role) is MoveKind.REOPEN:
            reason = dialogs.ask_reason(self, _("Reason"), _(
                "Why does complaint {reference} move to {stage}?", reference=d.reference,
                stage=label("stage", stage)))
            if not reason:
                return
        ctx = self.ctx
        self.save(None, lambda version: moves.move(ctx.db, d.reference, stage, ctx.actor,
                                                   reason, expected_version=version))

    # --- other screens' changes ----------------------------------------------------------
    def on_data_changed(self: ComplaintPanel, reference: str) -> None:
        if self._announcing:
            return
        if self.detail is not None and reference in ("", self.detail.reference):
            if self.unsaved():
                self.notify("warning", lambda: _(
                    "This complaint was changed elsewhere. Your unsaved edits are kept; reload "
                    "to see the changes."), N_("Reload"), self.reload)
            else:
                self.reload(keep_edits=False)
            return
        self.actions.reload()
        if can(self.ctx.actor, APPROVE_COMPENSATION):
            self.approvals.reload()
            self._tab_titles()

    def on_actor_changed(self: ComplaintPanel) -> None:
        if self.detail is not None:
            self.reload()
        else:
            self._show()
