"""The complaint detail panel (F4): header, the procedure's sections, the stage moves the
workflow allows, and on the right the timeline, contact log, improvement actions and (for
supervisors) pending approvals.

The panel lays these out, opens and reloads the complaint, and follows other screens'
changes; how a change is applied (versions, refusals, conflicts, off the GUI thread) is
ui/complaint/open_complaint.py, and each part of the procedure is its own module in
ui/complaint/sections/. Its keys (ui/shortcuts.py, listed by F1): Ctrl+S saves the section
the cursor is in, Ctrl+PgDown / Ctrl+PgUp go to the next / previous section, Ctrl+M moves the
complaint to its next stage (through the guards), Ctrl+Shift+A approves (supervisors), Ctrl+P
prints the slip again. After a change the cursor stays in the panel.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.errors import DeskError, NotFound
from app.i18n import N_, _
from app.permissions import APPROVE_COMPENSATION, can
from app.services.complaints import ComplaintDetail, get_detail
from app.services.customer_history import CustomerHistory, customer_history
from app.services.goto import find_reference
from app.workflow import PART_APPROVAL, PART_REASON
from ui import messages
from ui.background_save import BackgroundSave, BusyStrip
from ui.complaint.actions_list import ActionsTab
from ui.complaint.approvals_list import ApprovalsTab
from ui.complaint.contacts_tab import ContactsTab
from ui.complaint.header import HeaderBar
from ui.complaint.history_dialog import HistoryDialog
from ui.complaint.move_bar import MoveBar
from ui.complaint.open_complaint import FieldErrors, Notice, OpenComplaint
from ui.complaint.panel_keys import PanelKeys, work_part
from ui.complaint.section import Section
from ui.complaint.sections import SECTIONS
from ui.complaint.timeline_view import TimelineView
from ui.context import DeskContext
from ui.widgets.banner import Banner
from ui.widgets.field_grid import INVALID_STYLE

STYLE = INVALID_STYLE + """
QGroupBox { border: 1px solid #cfd6df; border-radius: 4px; margin-top: 1.3em; padding-top: 4px; }
QGroupBox::title { subcontrol-origin: margin; left: 8px; padding: 0 4px; font-weight: 600; }
QGroupBox[current="true"] { border: 2px solid #0b57d0; }
"""


class ComplaintPanel(QWidget):
    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.detail: ComplaintDetail | None = None
        self.busy_strip = BusyStrip()
        self.saving = BackgroundSave(self, self.busy_strip)
        self.complaint = OpenComplaint(ctx, self, self, self.saving)
        self.current_part: str | None = None
        self.history: HistoryDialog | None = None
        self._notice: tuple[str, Notice, str, Callable[[], None] | None] | None = None
        self.setStyleSheet(STYLE)

        self.goto_label = QLabel()
        self.goto = QLineEdit()
        self.goto.setFixedWidth(260)
        self.goto.returnPressed.connect(self.go_to)
        self.goto_button = QPushButton()
        self.goto_button.clicked.connect(self.go_to)
        self.banner = Banner()
        top = QHBoxLayout()
        top.addWidget(self.goto_label)
        top.addWidget(self.goto)
        top.addWidget(self.goto_button)
        top.addStretch(1)
        # Print the open complaint's slip again: Ctrl+P, or Ctrl+Shift+P for the print dialog.
        self.print_button = QPushButton()
        self.print_button.clicked.connect(lambda: self.reprint())
        top.addWidget(self.print_button)

        self.header = HeaderBar()
        self.header.history_requested.connect(self.open_history)
        self.move_bar = MoveBar()
        self.move_bar.move_requested.connect(self.complaint.move_to)
        self.move_bar.part_requested.connect(self.scroll_to)

        self.sections: dict[str, Section] = {}
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 6, 0)
        self.empty = QLabel()
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        column.addWidget(self.empty, 10)  # centred in the empty column
        for cls in SECTIONS:
            section = cls(self.complaint)
            section.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # the cursor can rest on it
            self.sections[section.part] = section
            column.addWidget(section)
        column.addStretch(1)
        self.sections_scroll = QScrollArea()
        self.sections_scroll.setWidgetResizable(True)
        self.sections_scroll.setWidget(holder)

        self.timeline = TimelineView()
        self.contacts = ContactsTab(self.complaint)
        self.actions_tab = ActionsTab(self.complaint)
        self.approvals = ApprovalsTab(self.complaint)
        self.tabs = QTabWidget()
        for w in (self.timeline, self.contacts, self.actions_tab, self.approvals):
            self.tabs.addTab(w, "")
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.sections_scroll)
        splitter.addWidget(self.tabs)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([780, 520])
        splitter.setChildrenCollapsible(False)
        self.splitter = splitter

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addLayout(top)
        layout.addWidget(self.banner)
        layout.addWidget(self.busy_strip)
        layout.addWidget(self.header)
        layout.addWidget(self.move_bar)
        layout.addWidget(splitter, 1)

        signals = ctx.signals
        signals.open_complaint.connect(self.open)
        signals.open_complaint_at.connect(self.open_at)
        signals.data_changed.connect(self.on_data_changed)
        signals.actor_changed.connect(self.on_actor_changed)
        self.keys = PanelKeys(self, self)
        self.retranslate()
        self._show()

    # --- opening -------------------------------------------------------------------------
    @property
    def reference(self) -> str | None:
        return self.detail.reference if self.detail else None

    @property
    def role(self) -> str:
        return self.ctx.actor.role

    def unsaved(self) -> dict[str, dict[str, Any]]:
        return {p: e for p, s in self.sections.items() if (e := s.dirty())}

    def open(self, reference: str) -> bool:
        """Show a complaint; the current one's unsaved edits are kept if it is the same."""
        if self.saving.busy:  # shown once the change being saved is in
            self.saving.when_idle(lambda: self.open_at(reference, ""))
            return True
        if reference == self.reference:
            self.reload()
            return True
        if self.detail is not None and self.unsaved() and not messages.ask(self, _(
                "Complaint {reference} has edits that are not saved. Leave them?",
                reference=self.detail.reference)):
            return False
        try:
            detail = get_detail(self.ctx.db, reference, self.role)
        except NotFound as e:
            messages.warn(self, e.message())
            return False
        self.banner.hide()
        self.detail = detail
        for section in self.sections.values():
            section.fill(detail)
        self._show()
        self.sections_scroll.verticalScrollBar().setValue(0)
        self.scroll_to(work_part(detail))
        return True

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt API
        super().focusInEvent(event)
        self.keys.restore_focus()  # the view was shown: the cursor goes where it was

    def open_at(self, reference: str, part: str) -> None:
        if self.saving.busy:
            self.saving.when_idle(lambda: self.open_at(reference, part))
        elif self.open(reference) and part:
            self.scroll_to(part)

    def after_save(self, moved: bool) -> None:
        self.keys.after_change(moved)

    def go_to(self) -> None:
        """A reference typed into the box (or a customer's phone: their history)."""
        text = self.goto.text().strip()
        if not text:
            return
        ref = find_reference(self.ctx.db, text)
        if ref is not None:
            if self.open(ref):
                self.goto.clear()
            return
        if any(ch.isdigit() for ch in text) and not text.upper().startswith("TS"):
            try:
                history = customer_history(self.ctx.db, text, self.role)
            except DeskError:
                pass
            else:
                self.show_history(history)
                return
        messages.warn(self, _("No complaint with reference {reference}", reference=text))

    def reload(self, keep_edits: bool = True, saved: FieldErrors | None = None) -> None:
        """Read the complaint again; unsaved edits (except the just-saved section) stay."""
        if self.detail is None:
            return
        edits = {p: s.dirty() for p, s in self.sections.items()
                 if keep_edits and s is not saved}
        try:
            self.detail = get_detail(self.ctx.db, self.detail.reference, self.role)
        except NotFound as e:  # deleted elsewhere (e.g. a restore)
            messages.warn(self, e.message())
            self.detail = None
            self._show()
            return
        had_cursor = self.keys.has_cursor()
        for part, section in self.sections.items():
            section.fill(self.detail)
            section.restore(edits.get(part, {}))
        self._show()
        if had_cursor and not self.keys.has_cursor():
            # What had the cursor can no longer be edited (a new stage, another role's view),
            # and Qt passed it on, maybe out of the panel: it stays in the current section.
            self.scroll_to(self.current_part or work_part(self.detail))
        elif self.current_part in self.sections:
            self.mark_current(self.sections[self.current_part])  # its border drawn again

    def reprint(self, with_dialog: bool | None = None) -> None:
        if self.detail is not None:
            from ui.slip_reprint import reprint_slip

            reprint_slip(self.ctx, self.detail.reference, self, with_dialog)

    def _show(self) -> None:
        d = self.detail
        self.print_button.setVisible(d is not None)
        self.empty.setVisible(d is None)
        for section in self.sections.values():
            section.setVisible(d is not None)
            if d is not None:
                section.refresh(d)
        self.header.show_detail(d, self.role, self.ctx.db)
        self.move_bar.show_detail(d, self.role)
        self.timeline.show_detail(d)
        self.contacts.show_detail(d)
        self.actions_tab.reload()
        supervisor = can(self.ctx.actor, APPROVE_COMPENSATION)
        self.tabs.setTabVisible(self.tabs.indexOf(self.approvals), supervisor)
        if supervisor:
            self.approvals.reload()
        self._tab_titles()

    def scroll_to(self, part: str) -> None:
        """Bring a part of the procedure into view and put the cursor in it (on the section
        itself where nothing in it can be edited now)."""
        if part == PART_REASON:
            self.move_bar.setFocus()
            return
        key = "solution" if part == PART_APPROVAL else part
        section = self.sections.get(key)
        if section is None or self.detail is None:
            return
        self.mark_current(section)
        target = (section.decides_with if part == PART_APPROVAL else None) \
            or section.first_focus()
        if target is None or not target.isEnabled() or not target.isVisibleTo(self):
            target = section
        target.setFocus(Qt.FocusReason.OtherFocusReason)
        self.keys.last_focus = target  # also where it goes when the panel's view is shown
        # The section at the top of the view; again once the layout has settled, so the
        # section's position is final.
        def to_top() -> None:
            self.sections_scroll.verticalScrollBar().setValue(max(0, section.y() - 4))

        to_top()
        QTimer.singleShot(0, to_top)

    def mark_current(self, section: Section) -> None:
        self.current_part = section.part
        for s in self.sections.values():
            s.setProperty("current", s is section)
            s.style().unpolish(s)
            s.style().polish(s)
            # Drawn again whole: a scroll that follows moves the part already on screen as
            # it was painted (the border in its old colour) and paints only what comes in.
            s.update()

    # --- customer history ----------------------------------------------------------------
    def open_history(self) -> None:
        d = self.detail
        if d is None or d.customer_id is None:
            return
        self.show_history(customer_history(self.ctx.db, d.customer_id, self.role))

    def show_history(self, history: CustomerHistory) -> None:
        self.history = HistoryDialog(self, history, self.reference, self.open)
        self.history.show()

    # --- notices -------------------------------------------------------------------------
    def notify(self, kind: str, text: Notice, action: str = "",
               on_action: Callable[[], None] | None = None) -> None:
        """A notice in the banner, rendered again when the language changes; `action` is the
        msgid of the banner's button."""
        self._notice = (kind, text, action, on_action)
        self.banner.show_message(kind, text(), _(action) if action else "", on_action)

    def clear_notice(self) -> None:
        self.banner.hide()
        self._notice = None

    # --- other screens' changes ----------------------------------------------------------
    def on_data_changed(self, reference: str) -> None:
        if self.complaint.announcing or self.saving.busy:
            return  # a change of ours being saved: the panel reloads once it is in
        if self.detail is not None and reference in ("", self.detail.reference):
            if self.unsaved():
                self.notify("warning", lambda: _(
                    "This complaint was changed elsewhere. Your unsaved edits are kept; reload "
                    "to see the changes."), N_("Reload"), self.reload)
            else:
                self.reload(keep_edits=False)
            return
        self.actions_tab.reload()
        if can(self.ctx.actor, APPROVE_COMPENSATION):
            self.approvals.reload()
            self._tab_titles()

    def on_actor_changed(self) -> None:
        """Another person signed in: a change being saved finishes first, for whoever made it."""
        self.saving.when_idle(self._switch_person)

    def _switch_person(self) -> None:
        """The panel becomes the new person's: the previous one's notices go, and so do their
        unsaved edits (saved, they would carry the new person's name). What is shown follows
        the new role (masking, approvals)."""
        self.clear_notice()
        if self.detail is not None:
            self.reload(keep_edits=False)
        else:
            self._show()

    # --- language ------------------------------------------------------------------------
    def _tab_titles(self) -> None:
        d = self.detail
        self.tabs.setTabText(0, _("Timeline ({count})", count=len(d.timeline) if d else 0))
        self.tabs.setTabText(1, _("Contacts ({count})", count=len(d.contacts) if d else 0))
        self.tabs.setTabText(2, _("Improvement actions ({count})",
                                  count=len(self.actions_tab.items)))
        self.tabs.setTabText(3, _("Approvals ({count})", count=len(self.approvals.items)))
        # Every tab title in view (none hidden behind the scroll arrows), in every language;
        # an explicit minimum replaces the pages' own, so it must cover those too.
        self.tabs.setMinimumWidth(max(self.tabs.tabBar().sizeHint().width() + 4,
                                      self.tabs.minimumSizeHint().width()))

    def retranslate(self) -> None:
        self.goto_label.setText(_("Go to:"))
        self.goto.setPlaceholderText(_("Reference or customer phone"))
        self.goto_button.setText(_("Open complaint"))
        self.print_button.setText(_("Print slip…") + "  Ctrl+P")
        self.empty.setText(_("No complaint open. Type a reference above, or open one from the "
                             "queue, the search or the revisits list."))
        self.banner.retranslate()
        if self.banner.isVisibleTo(self) and self._notice is not None:
            self.notify(*self._notice)
        for section in self.sections.values():
            section.retranslate()
        for tab in (self.timeline, self.contacts, self.actions_tab, self.approvals):
            tab.retranslate()
        if self.detail is not None:
            self.reload()  # the timeline and list labels are read in the new language
        else:
            self._show()
