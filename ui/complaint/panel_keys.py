"""The complaint panel's keyboard: save the section the cursor is in, go from section to section,
move the complaint to its next stage, approve, print the slip again. The keys are the panel's
entries of ui/shortcuts.py (the list F1 shows); what each does is here, in terms of what the
panel already offers (its sections' buttons, the workflow's moves), so a key and a click never
differ. The section the cursor goes into becomes the panel's current one (its blue border),
and after a change the cursor stays in the panel: after a move, at the next thing to do
(`work_part`, where the panel also opens a complaint).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

import shiboken6
from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget

from app.codes import STAGES
from app.errors import PermissionDenied
from app.formatting import format_money
from app.i18n import _
from app.permissions import APPROVE_COMPENSATION, can, required_role
from app.services.complaints import ComplaintDetail
from app.workflow import PART_APPROVAL
from ui import messages
from ui.complaint.open_complaint import Notice, OpenComplaint
from ui.complaint.section import Section
from ui.key_bindings import bind


def work_part(d: ComplaintDetail) -> str:
    """The section to work on next in this stage (the panel opens there)."""
    f = d.facts
    if d.stage == "investigating" and f is not None and f.findings and f.responsibility:
        return "solution"
    if d.stage == "proposed":
        return "solution" if d.approval_state in ("pending", "rejected") else "agreement"
    return {"new": "assessment", "assessed": "investigation", "investigating": "investigation",
            "in_progress": "implementation", "follow_up": "revisit"}.get(d.stage, "close")


class KeyedPanel(Protocol):
    """What the keys need of the panel (ui/complaint/panel.py)."""

    detail: ComplaintDetail | None
    sections: dict[str, Section]
    current_part: str | None
    complaint: OpenComplaint
    goto: QLineEdit

    def notify(self, kind: str, text: Notice, action: str = "",
               on_action: Callable[[], None] | None = None) -> None: ...

    def scroll_to(self, part: str) -> None: ...

    def mark_current(self, section: Section) -> None: ...

    def reprint(self, with_dialog: bool | None = None) -> None: ...


class PanelKeys(QObject):
    def __init__(self, panel: KeyedPanel, widget: QWidget) -> None:
        """`panel` is the complaint panel, `widget` the same panel as the widget whose keys
        these are."""
        super().__init__(widget)
        self.panel, self.widget = panel, widget
        self.shortcuts = [
            *bind(widget, "complaint.save", self.save_current),
            *bind(widget, "complaint.next_section", lambda: self.step_section(1)),
            *bind(widget, "complaint.previous_section", lambda: self.step_section(-1)),
            *bind(widget, "complaint.next_stage", self.move_next),
            *bind(widget, "complaint.approve", self.approve),
            *bind(widget, "complaint.reprint", lambda: panel.reprint()),
            *bind(widget, "complaint.reprint_dialog", lambda: panel.reprint(True)),
        ]
        self.last_focus: QWidget | None = None  # where the cursor was last in the panel
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_moved)

    def section_at_cursor(self) -> Section | None:
        """The section the keyboard focus is in, else the one last brought into view."""
        focus = QApplication.focusWidget()
        for section in self.panel.sections.values():
            if focus is not None and (focus is section or section.isAncestorOf(focus)):
                return section
        return self.panel.sections.get(self.panel.current_part or "")

    def save_current(self) -> None:
        """Ctrl+S: what the section's own save button does (nothing where it has none)."""
        section = self.section_at_cursor()
        if self.panel.detail is None or section is None:
            return
        button = section.saves_with
        if button is None or not button.isVisibleTo(self.widget) or not button.isEnabled():
            title = section.title_msgid
            self.panel.notify("info", lambda: _("“{section}” has nothing to save now.",
                                                section=_(title)))
            return
        button.click()

    def step_section(self, step: int) -> None:
        """Ctrl+PgDown / Ctrl+PgUp: the next / previous section, its first field."""
        if self.panel.detail is None:
            return
        order = [s for s in self.panel.sections.values() if s.isVisibleTo(self.widget)]
        if not order:
            return
        current = self.section_at_cursor()
        at = order.index(current) if current in order else (-1 if step > 0 else len(order))
        self.panel.scroll_to(order[max(0, min(len(order) - 1, at + step))].part)

    def move_next(self) -> None:
        """Ctrl+M: ask the workflow to move the complaint to its next stage. Its guards decide;
        a refusal is shown as any other, the cursor taken to what is missing."""
        d = self.panel.detail
        if d is None:
            return
        if d.stage == "closed":
            self.panel.notify("info", lambda: _("Closed. Only a supervisor can reopen it."))
            return
        following = STAGES[STAGES.index(d.stage) + 1]
        if following in d.allowed_moves:
            self.panel.complaint.move_to(following)  # asks the reason where one is needed
        else:
            self.panel.complaint.request_move(following)

    def approve(self) -> None:
        """Ctrl+Shift+A: approve the solution waiting for a supervisor, after a question that
        says what is approved."""
        d = self.panel.detail
        if d is None:
            return
        actor = self.panel.complaint.ctx.actor
        if not can(actor, APPROVE_COMPENSATION):
            refusal = PermissionDenied(APPROVE_COMPENSATION, required_role(APPROVE_COMPENSATION))
            self.panel.notify("error", refusal.message)
            return
        button = self.panel.sections["solution"].decides_with
        if d.approval_state != "pending" or button is None or not button.isEnabled():
            self.panel.notify("info", lambda: _("Nothing on this complaint waits for your "
                                                "approval."))
            return
        self.panel.scroll_to(PART_APPROVAL)
        if messages.ask(self.widget, _("Approve the solution of {reference}: {amount}?",
                                       reference=d.reference,
                                       amount=format_money(d.amount_cents))):
            button.click()

    def has_cursor(self) -> bool:
        """The keyboard focus is on something of the panel that takes input now."""
        focus = QApplication.focusWidget()
        return focus is not None and self.widget.isAncestorOf(focus) and focus.isEnabled()

    def after_change(self, moved: bool) -> None:
        """A change is saved or refused: the cursor stays in the panel (after a move, at the
        next thing to do; it used to land in the window's go-to box)."""
        d = self.panel.detail
        if d is None:
            return
        if moved:
            self.panel.scroll_to(work_part(d))
        elif not self.has_cursor():
            section = self.section_at_cursor()
            self.panel.scroll_to(section.part if section is not None else work_part(d))

    def restore_focus(self) -> None:
        """The panel itself was given the focus (its view shown): the cursor goes back where it
        was in the panel, else into the current section, else to the go-to box."""
        last = self.last_focus
        if last is not None and shiboken6.isValid(last) and last.isVisibleTo(self.widget) \
                and last.isEnabled():
            last.setFocus(Qt.FocusReason.OtherFocusReason)
        elif self.panel.detail is not None:
            self.panel.scroll_to(self.panel.current_part or "assessment")
        else:
            self.panel.goto.setFocus(Qt.FocusReason.OtherFocusReason)

    def _focus_moved(self, _old: QWidget | None, new: QWidget | None) -> None:
        # Also called while the panel's widgets are being destroyed (the program ending).
        if new is None or not shiboken6.isValid(self.widget) or new is self.widget \
                or not self.widget.isAncestorOf(new):
            return
        self.last_focus = new
        if self.panel.detail is None:
            return
        for part, section in self.panel.sections.items():
            if new is section or section.isAncestorOf(new):
                if part != self.panel.current_part:
                    self.panel.mark_current(section)
                return
