"""The keyboard shortcuts of the screens, declared once: each screen binds its keys from this
table and the shortcut list (F1) reads the same table, so the two cannot drift apart.

A screen's keys are an `Area` (a title and its `Shortcut`s); `AREAS` lists them in the order
the list shows them. A shortcut's keys are Qt's portable key text ("Ctrl+S"); the first of
`keys` is the one labels and tooltips show, `also` are further keys doing the same thing
(the keypad's Enter) that the list does not repeat.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QWidget

from app.i18n import N_


@dataclass(frozen=True)
class Shortcut:
    keys: tuple[str, ...]  # portable key text; each does the same
    what: str  # msgid: what the keys do
    also: tuple[str, ...] = ()  # bound as well, not listed (e.g. the keypad's Enter)

    def sequences(self) -> list[QKeySequence]:
        return [QKeySequence(k) for k in (*self.keys, *self.also)]

    def key(self) -> str:
        """The first key as this system writes it ("Ctrl+S"), for a button or a label."""
        return QKeySequence(self.keys[0]).toString(QKeySequence.SequenceFormat.NativeText)

    def shown(self) -> str:
        """The keys as this system writes them ("Ctrl+S / Ctrl+Return")."""
        return " / ".join(QKeySequence(k).toString(QKeySequence.SequenceFormat.NativeText)
                          for k in self.keys)


@dataclass(frozen=True)
class Area:
    title: str  # msgid: where the keys work
    shortcuts: tuple[Shortcut, ...]


def bind(widget: QWidget, shortcut: Shortcut, slot: Callable[[], object]) -> list[QShortcut]:
    """The keys of `shortcut`, working while the focus is in `widget` (or one of its children)."""
    made = []
    for sequence in shortcut.sequences():
        key = QShortcut(sequence, widget)
        key.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        key.activated.connect(slot)
        made.append(key)
    return made


# ---- the new-complaint form (F2) ----------------------------------------------------------------
INTAKE_SAVE = Shortcut(("Ctrl+S", "Ctrl+Return"), N_("Save the complaint"), also=("Ctrl+Enter",))
INTAKE_PRINT = Shortcut(("Ctrl+P",), N_("Save and print the slip (straight to the slip printer "
                                        "where this PC prints without the dialog)"))
INTAKE_PRINT_DIALOG = Shortcut(("Ctrl+Shift+P",), N_("Save and print the slip, choosing the "
                                                     "printer in the print dialog"))
INTAKE_SPOT = Shortcut(("Ctrl+R",), N_("Resolve on the spot (show or hide)"))
INTAKE_CLEAR = Shortcut(("Ctrl+L",), N_("Clear the form for the next customer"))
INTAKE_ESCAPE = Shortcut(("Esc",), N_("Clear the form (asks first), or close the on-the-spot "
                                      "part"))
INTAKE_ATTACH = Shortcut(("Ctrl+O",), N_("Attach a file"))
PHRASES = Shortcut(("Ctrl+;",), N_("Standard phrases in a text field"))
# Fields most complaints leave as they are: out of the Tab order, each reached by its key.
INTAKE_EMAIL = Shortcut(("Alt+M",), N_("Go to the customer's email"))
INTAKE_TIER = Shortcut(("Alt+K",), N_("Go to the customer tier"))
INTAKE_RECEIVED = Shortcut(("Alt+R",), N_("Go to the received time (now unless changed)"))
INTAKE_CHANNEL = Shortcut(("Alt+C",), N_("Go to the channel (walk-in unless changed)"))
INTAKE_SUBJECT = Shortcut(("Alt+S",), N_("Go to the subject"))
INTAKE_RARE_FIELDS = {"email": INTAKE_EMAIL, "tier": INTAKE_TIER, "received_at": INTAKE_RECEIVED,
                      "channel": INTAKE_CHANNEL, "subject": INTAKE_SUBJECT}

INTAKE_AREA = Area(N_("New complaint form"), (
    INTAKE_SAVE, INTAKE_PRINT, INTAKE_PRINT_DIALOG, INTAKE_SPOT, INTAKE_CLEAR, INTAKE_ESCAPE,
    INTAKE_ATTACH, PHRASES, *INTAKE_RARE_FIELDS.values()))

# ---- the complaint panel (F4) -------------------------------------------------------------------
PANEL_SAVE = Shortcut(("Ctrl+S",), N_("Save the section the cursor is in"))
PANEL_NEXT_SECTION = Shortcut(("Ctrl+PgDown",), N_("Next section"))
PANEL_PREVIOUS_SECTION = Shortcut(("Ctrl+PgUp",), N_("Previous section"))
PANEL_MOVE = Shortcut(("Ctrl+M",), N_("Move the complaint to its next stage"))
PANEL_APPROVE = Shortcut(("Ctrl+Shift+A",), N_("Approve the proposed solution (supervisors)"))
PANEL_REPRINT = Shortcut(("Ctrl+P",), N_("Print the slip again"))
PANEL_REPRINT_DIALOG = Shortcut(("Ctrl+Shift+P",), N_("Print the slip again, choosing the "
                                                      "printer in the print dialog"))

PANEL_AREA = Area(N_("Complaint panel"), (
    PANEL_SAVE, PANEL_NEXT_SECTION, PANEL_PREVIOUS_SECTION, PANEL_MOVE, PANEL_APPROVE,
    PANEL_REPRINT, PANEL_REPRINT_DIALOG, PHRASES))

AREAS: tuple[Area, ...] = (INTAKE_AREA, PANEL_AREA)
