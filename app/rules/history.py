"""The state an imported history row may take. Imports bypass the stage guards (DESIGN.md
§5: history takes its stage as it was), so this is the one rule that keeps such a row's stage
and times consistent with each other; the import engine (app/services/import_rows.py) calls
it for every row.
"""

from __future__ import annotations

from datetime import datetime

from app.errors import ValidationError
from app.i18n import N_
from app.rules.stages import RESOLVED_STAGES


def history_state(stage: str | None, received: datetime, resolved: datetime | None,
                  closed: datetime | None) -> tuple[str, datetime | None, datetime | None]:
    """The stage (from the file, else what the times say) and the times it implies.

    Statistics count a complaint without a closed time as open, and one in follow-up
    without a resolved time as overdue; so when the file lacks them, a closed complaint is
    taken as closed when resolved (else when received) and one in follow-up as resolved when
    received. A closed complaint keeps an empty resolved time (it may have been withdrawn).
    """
    if stage is None:
        stage = "closed" if closed else "follow_up" if resolved else "new"
    if stage not in RESOLVED_STAGES and resolved is not None:
        raise ValidationError("resolved_at", N_("is set but the stage is still open"))
    if stage != "closed" and closed is not None:
        raise ValidationError("closed_at", N_("is set but the stage is not closed"))
    if resolved is not None and resolved < received:
        raise ValidationError("resolved_at", N_("is before the received time"))
    if closed is not None and closed < received:
        raise ValidationError("closed_at", N_("is before the received time"))
    if closed is not None and resolved is not None and closed < resolved:
        raise ValidationError("closed_at", N_("is before the resolved time"))
    if stage == "follow_up" and resolved is None:
        resolved = received
    if stage == "closed" and closed is None:
        closed = resolved or received
    return stage, resolved, closed
