"""6. Revisit (回访): the scheduled date, method, satisfaction and comment; satisfied closes,
not satisfied reopens."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QStringListModel
from PySide6.QtWidgets import QLabel, QListView, QPushButton

from app.codes import choices, label
from app.i18n import N_, _
from app.rules.edits import can_edit
from app.services import revisits
from app.services.complaints import ComplaintDetail
from app.services.questionnaire import asked_questions
from app.workflow import PART_REVISIT
from ui import messages
from ui.complaint.clock_text import short_date
from ui.complaint.open_complaint import OpenComplaint
from ui.complaint.section import Section, enable, stage_label, text_box, widget_row
from ui.widgets.choice_combo import ChoiceCombo
from ui.widgets.questionnaire_box import QuestionnaireBox

SATISFACTION = (N_("Very dissatisfied"), N_("Dissatisfied"), N_("Acceptable"), N_("Satisfied"),
                N_("Very satisfied"))


class RevisitSection(Section):
    part = PART_REVISIT
    title_msgid = N_("6. Revisit")

    def __init__(self, complaint: OpenComplaint) -> None:
        super().__init__(complaint)
        self.history = QListView()
        self.history.setFixedHeight(68)
        self.history_model = QStringListModel()
        self.history.setModel(self.history_model)
        self.reschedule_button = QPushButton()
        self.reschedule_button.clicked.connect(self.reschedule)
        self.method = self.editor("revisit_method", ChoiceCombo())
        self.satisfaction = self.editor("satisfaction", ChoiceCombo(optional=True))
        self.comment = self.editor("comment", text_box(48))
        self.questionnaire = self.editor("questionnaire", QuestionnaireBox())
        g = self.grid
        g.add("revisit_date", widget_row(self.history, self.reschedule_button))
        g.add_pair(("revisit_method", self.method), ("satisfaction", self.satisfaction))
        g.add("questionnaire", self.questionnaire, top_label=True)
        g.add("comment", self.comment, top_label=True)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.record_button = QPushButton()
        self.record_button.clicked.connect(self.record)
        self.saves_with = self.record_button
        self.body.addWidget(widget_row(self.hint, self.record_button))

    def values_from(self, d: ComplaintDetail) -> dict[str, Any]:
        return {"revisit_method": "phone", "satisfaction": None, "comment": "",
                "questionnaire": ()}

    def fill(self, d: ComplaintDetail) -> None:
        # The questions asked now (Settings may have changed them since the last complaint).
        self.questionnaire.set_questions(asked_questions(self.complaint.ctx.db))
        super().fill(d)
        lines = []
        for v in d.revisits:
            if v.done_at is None:
                lines.append(_("{date}: scheduled", date=short_date(v.scheduled_for)))
            else:
                verdict = _("satisfied") if v.satisfied else _("not satisfied")
                lines.append(_("{date}: {method}, {score}/5, {verdict} {comment}",
                               date=short_date(v.done_at.date()),
                               method=label("revisit_method", v.method),
                               score=v.satisfaction, verdict=verdict,
                               comment=v.comment or "").strip())
                lines += [f"    {question} {score}/5" for question, score in v.answers]
        self.history_model.setStringList(lines or [_("No revisit scheduled yet.")])

    def refresh(self, d: ComplaintDetail) -> None:
        editable = can_edit(d.stage, PART_REVISIT)
        self.set_editable(editable)
        enable(self.record_button, editable)
        pending = [v for v in d.revisits if v.done_at is None]
        enable(self.reschedule_button, editable and bool(pending))
        if editable and pending:
            self.set_status(_("Needed for {stage}:", stage=stage_label("closed")),
                            [(_("a satisfied revisit"), False)],
                            _("Revisit due on {date}.", date=short_date(pending[0].scheduled_for)))
        elif d.stage == "closed":
            self.set_status(_("Done."))
        else:
            self.set_status(_("Scheduled when the solution is carried out (stage {stage}).",
                              stage=stage_label("follow_up")))

    def record(self) -> None:
        ctx = self.complaint.ctx
        actor = ctx.actor  # who asked, even if another person signs in meanwhile
        method, satisfaction = self.method.code() or "", self.satisfaction.code() or ""
        comment = self.comment.toPlainText()
        answers = self.questionnaire.answers()
        self.complaint.save(self, lambda ref, version: revisits.record_revisit(
            ctx.db, ref, method=method, satisfaction=satisfaction, comment=comment,
            actor=actor, expected_version=version, answers=answers))

    def reschedule(self) -> None:
        d = self.complaint.detail
        pending = [v for v in d.revisits if v.done_at is None] if d else []
        if not pending:
            return
        day = messages.ask_date(self, _("Change the revisit date"), pending[0].scheduled_for)
        if day is not None:
            ctx = self.complaint.ctx
            actor = ctx.actor
            self.complaint.save(None, lambda ref, _v: revisits.reschedule(
                ctx.db, ref, day, actor), versioned=False)

    def retranslate_own(self) -> None:
        self.method.set_choices(choices("revisit_method"))
        self.satisfaction.set_choices([(str(n), f"{_(text)}")
                                       for n, text in enumerate(SATISFACTION, start=1)])
        self.reschedule_button.setText(_("Change date…"))
        self.hint.setText(_("3 or more: satisfied, the complaint closes. Less: it is reopened "
                            "for investigation."))
        self.record_button.setText(_("Record revisit"))
        self.questionnaire.retranslate()
