"""What the customer told the counter, as received; the fields a clerk may correct (each
correction is logged old → new)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLineEdit, QPushButton

from app.codes import CHANNELS, choices, label
from app.i18n import N_, _
from app.rules.edits import PART_INTAKE, can_edit
from app.services.complaints import ComplaintDetail, update_fields
from app.services.list_choices import list_choices
from ui.complaint.clock_text import short_datetime
from ui.complaint.open_complaint import OpenComplaint
from ui.complaint.section import Section, button_row, enable, text_box
from ui.widgets.check_group import CheckGroup
from ui.widgets.choice_combo import ChoiceCombo
from ui.widgets.optional_time import OptionalTimeEdit


class IntakeSection(Section):
    part = "intake"
    title_msgid = N_("Complaint as received")

    def __init__(self, complaint: OpenComplaint) -> None:
        super().__init__(complaint)
        g = self.grid
        self.channel = self.editor("channel", ChoiceCombo())
        self.tier = self.editor("tier", ChoiceCombo())
        self.subject = self.editor("subject", ChoiceCombo(optional=True))
        self.emotion = self.editor("emotion", ChoiceCombo(optional=True))
        self.location = self.editor("location", QLineEdit())
        self.occurred = self.editor("occurred_at", OptionalTimeEdit())
        self.staff = self.editor("staff_involved", QLineEdit())
        self.demands = self.editor("customer_demand", CheckGroup(columns=4))
        self.description = self.editor("description", text_box(80))
        g.add_pair(("channel", self.channel), ("tier", self.tier))
        g.add_pair(("subject", self.subject), ("emotion", self.emotion))
        g.add_pair(("occurred_at", self.occurred), ("location", self.location))
        g.add("staff_involved", self.staff)
        g.add("customer_demand", self.demands)
        g.add("description", self.description, top_label=True)
        self.save_button = QPushButton()
        self.save_button.clicked.connect(self.save)
        self.saves_with = self.save_button
        self.body.addWidget(button_row(self.save_button))

    def values_from(self, d: ComplaintDetail) -> dict[str, Any]:
        return {"channel": d.channel, "tier": d.tier, "subject": d.subject,
                "emotion": d.emotion, "location": d.location, "staff_involved": d.staff_involved,
                "occurred_at": f"{d.occurred_at:%Y-%m-%d %H:%M}" if d.occurred_at else "",
                "customer_demand": tuple(d.demands), "description": d.description}

    def fill(self, d: ComplaintDetail) -> None:
        self.subject.set_choices(list_choices(self.complaint.ctx.db, "subject", keep=d.subject))
        super().fill(d)

    def refresh(self, d: ComplaintDetail) -> None:
        editable = can_edit(d.stage, PART_INTAKE)
        self.set_editable(editable)
        enable(self.save_button, editable)
        self.set_status(_("Received {when} by {clerk}, {channel}",
                          when=short_datetime(d.received_at), clerk=d.recorded_by or "—",
                          channel=label("channel", d.channel)))

    def save(self) -> None:
        changes = {f: (list(v) if isinstance(v, tuple) else v) for f, v in self.dirty().items()}
        if not changes:
            return
        ctx = self.complaint.ctx
        actor = ctx.actor  # who asked, even if another person signs in meanwhile
        self.complaint.save(self, lambda ref, version: update_fields(
            ctx.db, ref, changes, actor=actor, expected_version=version))

    def retranslate_own(self) -> None:
        self.channel.set_choices([(c, label("channel", c)) for c in CHANNELS])
        self.tier.set_choices(choices("tier"))
        self.emotion.set_choices(choices("emotion"))
        self.demands.set_choices(choices("demand"))
        self.save_button.setText(_("Save corrections"))
