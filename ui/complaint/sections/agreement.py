"""4. The customer's agreement to the proposed solution."""

from __future__ import annotations

from PySide6.QtWidgets import QPushButton

from app.i18n import N_, _
from app.rules.edits import can_edit
from app.services import resolution
from app.services.complaints import ComplaintDetail
from app.workflow import PART_AGREEMENT
from ui.complaint.clock_text import short_datetime
from ui.complaint.open_complaint import OpenComplaint
from ui.complaint.section import Section, button_row, enable, stage_label


class AgreementSection(Section):
    part = PART_AGREEMENT
    title_msgid = N_("4. Customer's agreement")

    def __init__(self, complaint: OpenComplaint) -> None:
        super().__init__(complaint)
        self.grid.hide()
        self.agree_button = QPushButton()
        self.agree_button.clicked.connect(self.agree)
        self.body.addWidget(button_row(self.agree_button))

    def refresh(self, d: ComplaintDetail) -> None:
        f = d.facts
        assert f is not None
        can = (f.solution_proposed and not f.customer_agreed and d.approval_state != "rejected"
               and can_edit(d.stage, PART_AGREEMENT))
        enable(self.agree_button, can)
        if f.customer_agreed and d.customer_agreed_at:
            self.set_status(_("Done."), note=_("The customer agreed on {when}.",
                                               when=short_datetime(d.customer_agreed_at)))
        else:
            self.set_status(_("Needed for {stage}:", stage=stage_label("in_progress")),
                            [(_("customer's agreement"), False)],
                            _("If the customer declines, go back to investigating (button "
                              "above) and propose another solution."))

    def agree(self) -> None:
        ctx = self.complaint.ctx
        actor = ctx.actor  # who asked, even if another person signs in meanwhile
        self.complaint.save(None, lambda ref, version: resolution.record_agreement(
            ctx.db, ref, actor=actor, expected_version=version))

    def retranslate_own(self) -> None:
        self.agree_button.setText(_("Customer agrees to the solution"))
