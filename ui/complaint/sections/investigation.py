"""2. Investigation: findings, the verdict (verified true, unfounded, not verifiable: needed to
leave the investigation), root cause, responsibility, evidence and the evidence files."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QStringListModel, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QListView, QPushButton

from app.codes import choices, field_label
from app.i18n import N_, _
from app.rules.edits import PART_ATTACHMENT, can_edit
from app.services import resolution
from app.services.complaints import ComplaintDetail
from app.services.evidence import add_attachment, attachment_path
from app.services.list_choices import list_choices
from app.workflow import PART_INVESTIGATION
from ui.complaint import dialogs
from ui.complaint.open_complaint import OpenComplaint
from ui.complaint.section import (
    Section,
    button_row,
    enable,
    stage_label,
    text_box,
    widget_row,
)
from ui.widgets.choice_combo import ChoiceCombo


class InvestigationSection(Section):
    part = PART_INVESTIGATION
    title_msgid = N_("2. Investigation")

    def __init__(self, complaint: OpenComplaint) -> None:
        super().__init__(complaint)
        g = self.grid
        self.findings = self.editor("findings", text_box(80))
        self.verdict = self.editor("verified", ChoiceCombo(optional=True))
        self.verdict.setObjectName("verdict")
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
        files_row = widget_row(self.files, self.add_file, self.open_button)
        g.add("findings", self.findings, top_label=True)
        g.add("verified", self.verdict)
        g.add_pair(("root_cause", self.root_cause), ("responsibility", self.responsibility))
        g.add("evidence", self.evidence, top_label=True)
        g.add("attachment", files_row)
        self.save_button = QPushButton()
        self.save_button.clicked.connect(self.save)
        self.saves_with = self.save_button
        self.body.addWidget(button_row(self.save_button))
        self._attachment_ids: list[int] = []

    def values_from(self, d: ComplaintDetail) -> dict[str, Any]:
        return {"findings": d.findings, "verified": d.verified, "root_cause": d.root_cause,
                "responsibility": d.responsibility, "evidence": d.evidence}

    def fill(self, d: ComplaintDetail) -> None:
        self.root_cause.set_choices(list_choices(self.complaint.ctx.db, "root_cause",
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
        items = [(field_label("findings"), f.findings), (field_label("verified"), bool(f.verdict)),
                 (field_label("responsibility"), f.responsibility)]
        done = f.findings and f.verdict and f.responsibility
        note = (_("Unfounded: the complaint can be closed with the explanation given to the "
                  "customer (Move: Close as unfounded).")
                if f.verdict == "unfounded" and d.stage == "investigating" else "")
        self.set_status(_("Done.") if done else
                        _("Needed for {stage}:", stage=stage_label("proposed")), items, note)

    def save(self) -> None:
        ctx = self.complaint.ctx
        actor = ctx.actor  # who asked, even if another person signs in meanwhile
        findings, evidence = self.findings.toPlainText(), self.evidence.toPlainText()
        responsibility, root_cause = self.responsibility.code(), self.root_cause.code()
        verdict = self.verdict.code() or ""
        self.complaint.save(self, lambda ref, version: resolution.record_investigation(
            ctx.db, ref, findings=findings, responsibility=responsibility,
            root_cause=root_cause, evidence=evidence, verdict=verdict, actor=actor,
            expected_version=version))

    def attach(self) -> None:
        path = dialogs.choose_file(self)
        if path:
            ctx = self.complaint.ctx
            actor = ctx.actor
            self.complaint.save(None, lambda ref, _v: add_attachment(ctx.db, ref, path, actor),
                                versioned=False)

    def open_file(self) -> None:
        row = self.files.currentIndex().row()
        if 0 <= row < len(self._attachment_ids):
            path = attachment_path(self.complaint.ctx.db, self._attachment_ids[row])
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def retranslate_own(self) -> None:
        self.responsibility.set_choices(choices("responsibility"))
        self.verdict.set_choices(choices("verification"))
        self.add_file.setText(_("Add file…"))
        self.open_button.setText(_("Open file"))
        self.save_button.setText(_("Save investigation"))
