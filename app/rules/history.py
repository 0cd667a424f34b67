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
    """The stage (from the file, else what the times say) and the times, checked against
    each other.

    Times the file lacks are not made up (issue 17): a closed complaint without `closed_at`
    has an unknown close time, one in follow-up without `resolved_at` an unknown resolve
    time. Statistics leave unknown times out of durations, and count the stage at a month's
    end from the timeline (the import's event), so such a complaint is neither open nor
    overdue there.
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
    return stage, resolved, closed
