"""Every keyboard shortcut of the program, declared once: the screen it works on, its keys and
what it does. The window's actions take their keys from here (`keys(id)`), and the F1 list
(ui/shortcuts_dialog.py) shows this table, so what is listed is what works.

A screen that adds a shortcut adds its row here; tests/ui/test_shortcuts.py walks every action
and shortcut object of the window and its views and fails on keys missing from this table.
Keys are written as QKeySequence's portable text ("Ctrl+Shift+B"); the list shows them in
the platform's native form.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.i18n import N_

# The screens, in the order the F1 list shows them (msgids).
EVERYWHERE = N_("Everywhere")
INTAKE = N_("New complaint")
BOARD = N_("Queue")
COMPLAINT = N_("Complaint")
TEXT_FIELDS = N_("Text fields")
AREAS = (EVERYWHERE, INTAKE, BOARD, COMPLAINT, TEXT_FIELDS)


@dataclass(frozen=True)
class Shortcut:
    id: str  # how code asks for it: keys("board.next_stage")
    area: str  # msgid of the screen (AREAS)
    keys: str  # portable QKeySequence text; several alternatives separated by "; "
    what: str  # msgid: what it does


SHORTCUTS: tuple[Shortcut, ...] = (
    # The window (ui/main_window.py, ui/views.py and the menus attached to the window).
    Shortcut("view.intake", EVERYWHERE, "F2", N_("New complaint")),
    Shortcut("view.board", EVERYWHERE, "F3", N_("Queue")),
    Shortcut("view.complaint", EVERYWHERE, "F4", N_("Complaint")),
    Shortcut("view.revisits", EVERYWHERE, "F5", N_("Revisits due")),
    Shortcut("view.dashboard", EVERYWHERE, "F6", N_("Dashboard")),
    Shortcut("view.reports", EVERYWHERE, "F7", N_("Reports")),
    Shortcut("view.alerts", EVERYWHERE, "F8", N_("Alerts")),
    Shortcut("view.cases", EVERYWHERE, "F9", N_("Typical cases")),
    Shortcut("window.goto", EVERYWHERE, "Ctrl+G", N_("Go to a complaint by its reference")),
    Shortcut("window.shortcuts", EVERYWHERE, "F1", N_("This list of keyboard shortcuts")),
    Shortcut("window.quit", EVERYWHERE, "Ctrl+Q", N_("Quit")),
    Shortcut("window.settings", EVERYWHERE, "Ctrl+,", N_("Settings…")),
    Shortcut("window.backup", EVERYWHERE, "Ctrl+Shift+B", N_("Backup and restore…")),
    Shortcut("window.handover", EVERYWHERE, "Ctrl+Shift+H", N_("Shift hand-over sheet…")),
    Shortcut("window.switch_user", EVERYWHERE, "Ctrl+Shift+U", N_("Switch user…")),
    Shortcut("window.sign_out", EVERYWHERE, "Ctrl+Shift+L", N_("Sign out")),
    # The intake form (ui/intake/intake_form.py).
    Shortcut("intake.save", INTAKE, "Ctrl+S; Ctrl+Return; Ctrl+Enter", N_("Save the complaint")),
    Shortcut("intake.save_print", INTAKE, "Ctrl+P", N_("Save and print the slip")),
    Shortcut("intake.save_print_dialog", INTAKE, "Ctrl+Shift+P",
             N_("Save and print the slip, choosing the printer")),
    Shortcut("intake.clear", INTAKE, "Ctrl+L", N_("Clear the form")),
    Shortcut("intake.spot", INTAKE, "Ctrl+R", N_("Resolve on the spot")),
    Shortcut("intake.attach", INTAKE, "Ctrl+O", N_("Attach a file")),
    Shortcut("intake.escape", INTAKE, "Esc",
             N_("Clear the form (asks first), or close the on-the-spot part")),
    # Fields most complaints leave as they are: out of the Tab order, each reached by its key
    # (written after the field's label).
    Shortcut("intake.email", INTAKE, "Alt+M", N_("Go to the customer's email")),
    Shortcut("intake.tier", INTAKE, "Alt+K", N_("Go to the customer tier")),
    Shortcut("intake.received_at", INTAKE, "Alt+R",
             N_("Go to the received time (now unless changed)")),
    Shortcut("intake.occurred_at", INTAKE, "Alt+I",
             N_("Go to the time it occurred (the received time unless changed)")),
    Shortcut("intake.channel", INTAKE, "Alt+C",
             N_("Go to the channel (walk-in unless changed)")),
    Shortcut("intake.subject", INTAKE, "Alt+S", N_("Go to the subject")),
    # The board (ui/kanban/board_view.py, ui/kanban/stage_column.py).
    Shortcut("board.search", BOARD, "Ctrl+F", N_("Search the queue")),
    Shortcut("board.cards", BOARD, "Down; Return", N_("In the search box: go to the cards")),
    Shortcut("board.arrows", BOARD, "Up; Down; Left; Right",
             N_("Move between cards and columns")),
    Shortcut("board.open", BOARD, "Return", N_("Open the selected complaint")),
    Shortcut("board.next_stage", BOARD, "Ctrl+Right",
             N_("Move the selected complaint to the next stage")),
    Shortcut("board.previous_stage", BOARD, "Ctrl+Left",
             N_("Move the selected complaint to the previous stage")),
    Shortcut("board.table", BOARD, "Ctrl+T", N_("Switch between board and table")),
    Shortcut("board.refresh", BOARD, "Ctrl+R", N_("Refresh")),
    Shortcut("board.clear_filters", BOARD, "Ctrl+Shift+X", N_("Clear filters")),
    # The complaint panel (ui/complaint/panel.py, ui/complaint/panel_keys.py).
    Shortcut("complaint.save", COMPLAINT, "Ctrl+S", N_("Save the section the cursor is in")),
    Shortcut("complaint.next_section", COMPLAINT, "Ctrl+PgDown", N_("Next section")),
    Shortcut("complaint.previous_section", COMPLAINT, "Ctrl+PgUp", N_("Previous section")),
    Shortcut("complaint.next_stage", COMPLAINT, "Ctrl+M",
             N_("Move the complaint to its next stage")),
    Shortcut("complaint.approve", COMPLAINT, "Ctrl+Shift+A",
             N_("Approve the proposed solution (supervisors)")),
    Shortcut("complaint.reprint", COMPLAINT, "Ctrl+P", N_("Print the slip again")),
    Shortcut("complaint.reprint_dialog", COMPLAINT, "Ctrl+Shift+P",
             N_("Print the slip again, choosing the printer")),
    # Text fields with standard phrases (ui/widgets/phrase_picker.py).
    Shortcut("text.phrases", TEXT_FIELDS, "Ctrl+;", N_("Insert a standard phrase")),
)
BY_ID = {s.id: s for s in SHORTCUTS}


def keys(shortcut_id: str) -> str:
    """The keys of one shortcut (the first alternative when there are several)."""
    return BY_ID[shortcut_id].keys.split("; ")[0]


def all_keys(shortcut_id: str) -> list[str]:
    return BY_ID[shortcut_id].keys.split("; ")
