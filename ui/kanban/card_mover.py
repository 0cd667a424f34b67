"""Moving a card: every move goes through the workflow service (guards live in app/).

A refusal says why and leaves the card where it was; where a guard names a missing part the
detail panel opens there; a move that needs a reason asks for one and tries again.
"""

from __future__ import annotations

from typing import Any

import shiboken6
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from app.codes import label
from app.errors import Conflict, DeskError, MoveRefused
from app.i18n import _
from app.services.common import Saved
from app.services.moves import move
from app.services.queue import Card
from app.workflow import PART_REASON
from ui import messages
from ui.context import DeskContext
from ui.tasks import run_task


class CardMover(QObject):
    moved = Signal(object, object)  # the card as it was (Card), the service's result (Saved)
    finished = Signal(str, bool)  # reference, whether it moved

    def __init__(self, ctx: DeskContext, widget: QWidget) -> None:
        super().__init__(widget)
        self.ctx = ctx
        self.widget = widget
        self._pending: set[str] = set()

    def busy(self, reference: str) -> bool:
        return reference in self._pending

    def request(self, card: Card, to_stage: str, reason: str | None = None) -> bool:
        """Start moving `card` to `to_stage` (off the GUI thread); False if not started."""
        if card.reference in self._pending or to_stage == card.stage:
            return False
        self._pending.add(card.reference)
        db, actor = self.ctx.db, self.ctx.actor

        def work() -> Saved:
            return move(db, card.reference, to_stage, actor, reason,
                        expected_version=card.version)

        run_task(work, lambda saved: self._done(card, saved),
                 lambda exc: self._failed(card, to_stage, reason, exc), write=True)
        return True

    def _done(self, card: Card, saved: Any) -> None:
        self._pending.discard(card.reference)
        if not shiboken6.isValid(self):
            return
        self.moved.emit(card, saved)
        self.ctx.signals.data_changed.emit(card.reference)
        self.finished.emit(card.reference, True)

    def _failed(self, card: Card, to_stage: str, reason: str | None,
                exc: BaseException) -> None:
        self._pending.discard(card.reference)
        if not shiboken6.isValid(self):
            return
        ref, stage = card.reference, label("stage", to_stage)
        if isinstance(exc, MoveRefused) and exc.missing == PART_REASON and reason is None:
            given = messages.ask_reason(self.widget, _(
                "{reference} → {stage}: {reason}", reference=ref, stage=stage,
                reason=exc.message()))
            if given and self.request(card, to_stage, given):
                return
        elif isinstance(exc, MoveRefused):
            messages.warn(self.widget, _("{reference} cannot move to {stage}: {reason}",
                                         reference=ref, stage=stage, reason=exc.message()))
            if exc.missing and exc.missing != PART_REASON:
                # The guard needs information: open the detail panel where it is entered.
                self.ctx.signals.open_complaint_at.emit(ref, exc.missing)
        elif isinstance(exc, Conflict):
            messages.warn(self.widget, exc.message())
            self.ctx.signals.data_changed.emit(ref)  # show what changed meanwhile
        elif isinstance(exc, DeskError):
            messages.warn(self.widget, exc.message())
        else:
            messages.warn(self.widget, _("{reference} could not be moved: {error}",
                                         reference=ref, error=str(exc)))
        self.finished.emit(ref, False)
