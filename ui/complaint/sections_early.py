"""The first parts of the procedure: what was received, the assessment, the investigation."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QStringListModel, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QDateTimeEdit,
    QHBoxLayout,
    QLineEdit,
    QListView,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from app import clock
from app.codes import CHANNELS, choices, field_label, label
from app.i18n import N_, _
from app.rules.edits import PART_ATTACHMENT, PART_INTAKE, can_edit
from app.services import resolution
from app.services.attachments import limit_text
from app.services.complaints import ComplaintDetail, update_fields
from app.services.evidence import add_attachment, attachment_path
from app.services.list_choices import list_choices
from app.services.users import list_staff
from app.workflow import PART_ASSESSMENT, PART_INVESTIGATION
from ui.complaint import dialogs
from ui.complaint.clock_text import short_datetime
from ui.complaint.section import Section, enable, stage_label
from ui.widgets.check_group import CheckGroup
from ui.widgets.choice_combo import ChoiceCombo


def text_box(height: int = 64) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setTabChangesFocus(True)
    box.setFixedHeight(height)
    return box


def button_row(*buttons: QWidget) -> QWidget:
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addStretch(1)
    for b in buttons:
        layout.addWidget(b)
    return row


class IntakeSection(Section):
    """What the customer told the counter; fields a clerk may correct (old → new is logged)."""

    part = "intake"
    title_msgid = N_("Complaint as received")

    def __init__(self, panel: Any) -> None:
        super().__init__(panel)
        g = self.grid
        self.channel = self.editor("channel", ChoiceCombo())
        self.tier = self.editor("tier", ChoiceCombo())
        self.subject = self.editor("subject", ChoiceCombo(optional=True))
        self.emotion = self.editor("emotion", ChoiceCombo(optional=True))
        self.location = self.editor("location", QLineEdit())
        self.staff = self.editor("staff_involved", QLineEdit())
        self.demands = self.editor("customer_demand", CheckGroup(columns=4))
        self.description = self.editor("description", text_box(80))
        g.add_pair(("channel", self.channel), ("tier", self.tier))
        g.add_pair(("subject", self.subject), ("emotion", self.emotion))
        g.add_pair(("location", self.location), ("staff_involved", self.staff))
        g.add("customer_demand", self.demands)
        g.add("description", self.description, top_label=True)
        self.save_button = QPushButton()
        self.save_button.clicked.connect(self.save)
        self.body.addWidget(button_row(self.save_button))

    def values_from(self, d: ComplaintDetail) -> dict[str, Any]:
        return {"channel": d.channel, "tier": d.tier, "subject": d.subject,
                "emotion": d.emotion, "location": d.location, "staff_involved": d.staff_involved,
                "customer_demand": tuple(d.demands), "description": d.description}

    def fill(self, d: ComplaintDetail) -> None:
        self.subject.set_choices(list_choices(self.panel.ctx.db, "subject", keep=d.subject))
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
        ref = self.panel.reference
        self.panel.save(self, lambda version: update_fields(
            self.panel.ctx.db, ref, changes, actor=self.panel.ctx.actor,
            expected_version=version))

    def retranslate_own(self) -> None:
        self.channel.set_choices([(c, label("channel", c)) for c in CHANNELS])
        self.tier.set_choices(choices("tier"))
        self.emotion.set_choices(choices("emotion"))
        self.demands.set_choices(choices("demand"))
        self.save_button.setText(_("Save corrections"))


class AssessmentSection(Section):
    part = PART_ASSESSMENT
    title_msgid = N_("1. Assessment")

    def __init__(self, panel: Any) -> None:
        super().__init__(panel)
        g = self.grid
        self.category = self.editor("category", ChoiceCombo(optional=True))
        self.severity = self.editor("severity", ChoiceCombo())
        self.owner = self.editor("owner", ChoiceCombo(optional=True))
        self.department = self.editor("department", ChoiceCombo(optional=True))
        self.verified = self.editor("verified", ChoiceCombo(optional=True))
        self.own_due = self.editor("own_due", QCheckBox())
        self.due = self.editor("due_at", QDateTimeEdit())
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
        g.add_pair(("verified", self.verified), ("due_at", due_row))
        self.save_button = QPushButton()
        self.save_button.clicked.connect(self.save)
        self.body.addWidget(button_row(self.save_button))

    def values_from(self, d: ComplaintDetail) -> dict[str, Any]:
        due = d.due_at or clock.now()
        return {"category": d.category, "severity": d.severity,
                "owner": str(d.owner_id) if d.owner_id else None, "department": d.department,
                "verified": d.verified, "own_due": False,
                "due_at": due.strftime("%Y-%m-%d %H:%M")}

    def fill(self, d: ComplaintDetail) -> None:
        db = self.panel.ctx.db
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
        ref, ctx = self.panel.reference, self.panel.ctx
        owner = self.owner.code()
        due = self.due.dateTime().toString("yyyy-MM-dd HH:mm") if self.own_due.isChecked() \
            else None
        self.panel.save(self, lambda version: resolution.assess(
            ctx.db, ref, category=self.category.code() or "", severity=self.severity.code() or "",
            owner_id=int(owner) if owner else None, department=self.department.code(),
            verified=self.verified.code(), due_at=due, actor=ctx.actor,
            expected_version=version))

    def retranslate_own(self) -> None:
        self.severity.set_choices(choices("severity"))
        self.verified.set_choices(choices("verification"))
        self.own_due.setText(_("set by hand"))
        self.save_button.setText(_("Save assessment"))


class InvestigationSection(Section):
    part = PART_INVESTIGATION
    title_msgid = N_("2. Investigation")

    def __init__(self, panel: Any) -> None:
        super().__init__(panel)
        g = self.grid
        self.findings = self.editor("findings", text_box(80))
        self.root_cause = self.editor("root_cause", ChoiceCombo(optional=True))
        self.responsibility = self.editor("responsibility", ChoiceCombo(optional=True))
        self.evidence = self.editor("evidence", text_box(48))
        self.files = QListView()
        self.files.setFixedHeight(56)
        self.files_model = QStringListModel()
        self.files.setModel(self.files_model)
        self.files.doubleClicked.connect(lambda _i: self.open_file())
        self.add_file = QPushButton()
        self.add_file.clicked.connect(self.attach)
        self.open_button = QPushButton()
        self.open_button.clicked.connect(self.open_file)
        files_row = QWidget()
        row = QHBoxLayout(files_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.files, 1)
        row.addWidget(self.add_file)
        row.addWidget(self.open_button)
        g.add("findings", self.findings, top_label=True)
        g.add_pair(("root_cause", self.root_cause), ("responsibility", self.responsibility))
        g.add("evidence", self.evidence, top_label=True)
        g.add("attachment", files_row)
        self.save_button = QPushButton()
        self.save_button.clicked.connect(self.save)
        self.body.addWidget(button_row(self.save_button))
        self._attachment_ids: list[int] = []

    def values_from(self, d: ComplaintDetail) -> dict[str, Any]:
        return {"findings": d.findings, "root_cause": d.root_cause,
                "responsibility": d.responsibility, "evidence": d.evidence}

    def fill(self, d: ComplaintDetail) -> None:
        self.root_cause.set_choices(list_choices(self.panel.ctx.db, "root_cause",
                                                 keep=d.root_cause))
        super().fill(d)
        self.files_model.setStringList([a.name for a in d.attachments])
        self._attachment_ids = [a.id for a in d.attachments]

    def refresh(self, d: ComplaintDetail) -> None:
        editable = can_edit(d.stage, PART_INVESTIGATION)
        self.set_editable(editable)
        enable(self.save_button, editable)
        enable(self.add_file, can_edit(d.stage, PART_ATTACHMENT))
        self.open_button.setEnabled(bool(d.attachments))
        f = d.facts
        assert f is not None
        items = [(field_label("findings"), f.findings),
                 (field_label("responsibility"), f.responsibility)]
        done = f.findings and f.responsibility
        self.set_status(_("Done.") if done else
                        _("Needed for {stage}:", stage=stage_label("proposed")), items)

    def save(self) -> None:
        ref, ctx = self.panel.reference, self.panel.ctx
        self.panel.save(self, lambda version: resolution.record_investigation(
            ctx.db, ref, findings=self.findings.toPlainText(),
            responsibility=self.responsibility.code(), root_cause=self.root_cause.code(),
            evidence=self.evidence.toPlainText(), actor=ctx.actor, expected_version=version))

    def attach(self) -> None:
        path = dialogs.choose_file(self)
        if path:
            ref, ctx = self.panel.reference, self.panel.ctx
            self.panel.save(None, lambda _v: add_attachment(ctx.db, ref, path, ctx.actor),
                            versioned=False)

    def open_file(self) -> None:
        row = self.files.currentIndex().row()
        if 0 <= row < len(self._attachment_ids):
            path = attachment_path(self.panel.ctx.db, self._attachment_ids[row])
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def retranslate_own(self) -> None:
        self.responsibility.set_choices(choices("responsibility"))
        self.add_file.setText(_("Add file…"))
        self.add_file.setToolTip(limit_text())
        self.open_button.setText(_("Open file"))
        self.save_button.setText(_("Save investigation"))
