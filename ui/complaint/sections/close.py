"""7. Close: how the complaint closed, or how it can."""

from __future__ import annotations

from html import escape

from app.i18n import N_, _
from app.services.complaints import ComplaintDetail
from ui.complaint.clock_text import short_datetime
from ui.complaint.open_complaint import OpenComplaint
from ui.complaint.section import Section


class CloseSection(Section):
    part = "close"
    title_msgid = N_("7. Close")

    def __init__(self, complaint: OpenComplaint) -> None:
        super().__init__(complaint)
        self.grid.hide()

    def refresh(self, d: ComplaintDetail) -> None:
        if d.stage == "closed":
            if d.close_reason:
                note = _("Closed on {when}. Reason: {reason}",
                         when=short_datetime(d.closed_at), reason=escape(d.close_reason))
            else:
                note = _("Closed on {when} after a satisfied revisit ({score}/5).",
                         when=short_datetime(d.closed_at), score=d.satisfaction or "—")
            self.set_status(_("Done."), note=note)
        else:
            self.set_status(_("Open."), note=_(
                "It closes after a satisfied revisit. A supervisor can close it without a "
                "revisit, or reopen it once closed, giving a reason."))
