"""5. Implementation: what was done to carry the solution out."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QPushButton

from app.codes import field_label
from app.i18n import N_, _
from app.rules.edits import can_edit
from app.services import resolution
from app.services.complaints import ComplaintDetail
from app.workflow import PART_IMPLEMENTATION
from ui.complaint.clock_text import short_datetime
from ui.complaint.open_complaint import OpenComplaint
from ui.complaint.section import Section, button_row, enable, stage_label, text_box


class ImplementationSection(Section):
    part = PART_IMPLEMENTATION
    title_msgid = N_("5. Implementation")

    def __init__(self, complaint: OpenComplaint) -> None:
        super().__init__(complaint)
        self.done_text = self.editor("implementation", text_box(56))
        self.grid.add("implementation", self.done_text, top_label=True)
        self.save_button = QPushButton()
        self.save_button.clicked.connect(self.save)
        self.saves_with = self.save_button
        self.body.addWidget(button_row(self.save_button))

    def values_from(self, d: ComplaintDetail) -> dict[str, Any]:
        return {"implementation": d.implementation}

    def refresh(self, d: ComplaintDetail) -> None:
        editable = can_edit(d.stage, PART_IMPLEMENTATION)
        self.set_editable(editable)
        enable(self.save_button, editable)
        f = d.facts
        assert f is not None
        if f.implemented and d.implemented_at:
            self.set_status(_("Done."), note=_("Carried out on {when}.",
                                               when=short_datetime(d.implemented_at)))
        else:
            self.set_status(_("Needed for {stage}:", stage=stage_label("follow_up")),
                            [(field_label("implementation"), False)])

    def save(self) -> None:
        ctx = self.complaint.ctx
        actor = ctx.actor  # who asked, even if another person signs in meanwhile
        done = self.done_text.toPlainText()
        self.complaint.save(self, lambda ref, version: resolution.record_implementation(
            ctx.db, ref, what_was_done=done, actor=actor, expected_version=version))

    def retranslate_own(self) -> None:
        self.save_button.setText(_("Record what was done"))
