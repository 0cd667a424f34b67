"""What every screen is given: the database, the signed-in person, and shared signals."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:  # the window's frame shows before SQLAlchemy is imported (start-up time)
    from app.db import Database
    from app.services.common import Actor


class DeskSignals(QObject):
    """Application-wide notifications (screens never call each other directly)."""

    data_changed = Signal(str)  # a complaint reference ("" = many / unknown) changed
    open_complaint = Signal(str)  # show this reference in the detail panel
    open_complaint_at = Signal(str, str)  # reference, part (workflow PART_* code)
    show_view = Signal(str)  # switch the main window to a view key
    # Ask the queue to show a filter: keys are QueueFilter field names (e.g. "stages",
    # "overdue_only", "received_from"); fields not given are reset. Emit after show_view.
    filter_queue = Signal(dict)
    language_changed = Signal(str)
    actor_changed = Signal()


@dataclass
class DeskContext:
    db: Database
    actor: Actor
    signals: DeskSignals = field(default_factory=DeskSignals)
