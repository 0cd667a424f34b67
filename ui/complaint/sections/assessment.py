"""1. Assessment: category, severity, owner, department and the due time (from the service
levels for the customer's tier, unless set by hand). The verdict is the investigation's."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QPushButton, QWidget

from app import clock
from app.codes import choices, field_label
from app.i18n import N_, _
from app.rules.edits import can_edit
from app.services import resolution
from app.services.complaints import ComplaintDetail
from app.services.list_choices import list_choices
from app.services.users import list_staff
from app.workflow import PART_ASSESSMENT
from ui.complaint.open_complaint import OpenComplaint
from ui.complaint.section import Section, button_row, enable, stage_label
from ui.widgets.choice_combo import ChoiceCombo
from ui.widgets.date_time_edit import DateTimeEdit


class AssessmentSection(Section):
    part = PART_ASSESSMENT
    title_msgid = N_("1. Assessment")

    def __init__(self, complaint: OpenComplaint) -> None:
        super().__init__(complaint)
        g = self.grid
        self.category = self.editor("category", ChoiceCombo(optional=True))
        self.severity = self.editor("severity", ChoiceCombo())
        self.owner = self.editor("owner", ChoiceCombo(optional=True))
        self.department = self.editor("department", ChoiceCombo(optional=True))
        self.own_due = self.editor("own_due", QCheckBox())
        self.due = self.editor("due_at", DateTimeEdit())
        self.due.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.due.setCalendarPopup(True)
        self.own_due.toggled.connect(self.due.setEnabled)
        due_row = QWidget()
        row = QHBoxLayout(due_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.own_due)
        row.addWidget(self.due, 1)
        g.add_pair(("category", self.category), ("severity", self.severity))
        g.add_pair(("owner", self.owner), ("department", self.department))
        g.add("due_at", due_row)
        self.save_button = QPushButton()
        self.save_button.clicked.connect(self.save)
        self.saves_with = self.save_button
        self.body.addWidget(button_row(self.save_button))

    def values_from(self, d: ComplaintDetail) -> dict[str, Any]:
        due = d.due_at or clock.now()
        return {"category": d.category, "severity": d.severity,
                "owner": str(d.owner_id) if d.owner_id else None, "department": d.department,
                "own_due": False,
                "due_at": due.strftime("%Y-%m-%d %H:%M")}

    def fill(self, d: ComplaintDetail) -> None:
        db = self.complaint.ctx.db
        self.category.set_choices(list_choices(db, "category", keep=d.category))
        self.department.set_choices(list_choices(db, "department", keep=d.department))
        self.owner.set_choices([(str(m.id), m.display_name) for m in list_staff(db)])
        super().fill(d)
        self.due.setEnabled(self.own_due.isChecked() and self.own_due.isEnabled())

    def refresh(self, d: ComplaintDetail) -> None:
        editable = can_edit(d.stage, PART_ASSESSMENT)
        self.set_editable(editable)
        self.due.setEnabled(editable and self.own_due.isChecked())
        enable(self.save_button, editable)
        f = d.facts
        assert f is not None
        items = [(field_label("category"), f.category_set),
                 (field_label("severity"), f.severity_set),
                 (field_label("owner"), f.owner_set), (field_label("due_at"), f.due_set)]
        done = d.stage != "new"
        heading = (_("Done.") if done else
                   _("Needed for {stage}:", stage=stage_label("assessed")))
        self.set_status(heading, items, _("Saving the assessment sets the due time from the "
                                          "service levels unless you set your own."))

    def save(self) -> None:
        ctx = self.complaint.ctx
        actor = ctx.actor  # who asked, even if another person signs in meanwhile
        owner = self.owner.code()
        due = self.due.dateTime().toString("yyyy-MM-dd HH:mm") if self.own_due.isChecked() \
            else None
        # The values are read here, on the GUI thread; the service runs on the database thread.
        category, severity = self.category.code() or "", self.severity.code() or ""
        department = self.department.code()
        self.complaint.save(self, lambda ref, version: resolution.assess(
            ctx.db, ref, category=category, severity=severity,
            owner_id=int(owner) if owner else None, department=department,
            due_at=due, actor=actor, expected_version=version))

    def retranslate_own(self) -> None:
        self.severity.set_choices(choices("severity"))
        self.own_due.setText(_("set by hand"))
        self.save_button.setText(_("Save assessment"))
