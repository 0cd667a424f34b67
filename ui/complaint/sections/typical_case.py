"""8. Typical case (典型案例): a supervisor chooses a closed complaint as a case for training,
with a title and the lesson learned; anyone opens or prints its one-page case sheet."""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton

from app.i18n import N_, _
from app.permissions import MARK_TYPICAL_CASE, can
from app.rules.edits import PART_CASE, can_be_case
from app.services import typical_cases
from app.services.complaints import ComplaintDetail
from app.services.typical_cases import LESSON_LEN, TITLE_LEN
from ui import messages
from ui.case_sheet import deliver_case_sheet
from ui.complaint.clock_text import short_date
from ui.complaint.open_complaint import OpenComplaint
from ui.complaint.section import Section, enable, stage_label, text_box, widget_row


class TypicalCaseSection(Section):
    part = PART_CASE
    title_msgid = N_("8. Typical case")

    def __init__(self, complaint: OpenComplaint) -> None:
        super().__init__(complaint)
        self.case_title = self.editor("case_title", QLineEdit())
        self.case_title.setMaxLength(TITLE_LEN + 20)  # the service names a too long title
        self.lesson = self.editor("lesson", text_box(90))
        self.grid.add("case_title", self.case_title)
        self.grid.add("lesson", self.lesson, top_label=True)
        self.save_button = QPushButton()
        self.save_button.clicked.connect(self.save)
        self.saves_with = self.save_button  # Ctrl+S (ui/complaint/panel_keys.py)
        self.drop_button = QPushButton()
        self.drop_button.clicked.connect(self.drop)
        self.open_button = QPushButton()
        self.open_button.clicked.connect(lambda: self.sheet(print_it=False))
        self.print_button = QPushButton()
        self.print_button.clicked.connect(lambda: self.sheet(print_it=True))
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #555;")
        self.body.addWidget(widget_row(self.hint, self.open_button, self.print_button,
                                       self.drop_button, self.save_button))

    def values_from(self, d: ComplaintDetail) -> dict[str, Any]:
        return {"case_title": d.case_title or "", "lesson": d.case_lesson or ""}

    def refresh(self, d: ComplaintDetail) -> None:
        may = can(self.complaint.ctx.actor, MARK_TYPICAL_CASE)
        closed = can_be_case(d.stage)
        is_case = d.case_title is not None
        self.set_editable(may and closed)
        self.grid.setVisible(is_case or (may and closed))
        enable(self.save_button, may and closed, visible=may)
        enable(self.drop_button, may and is_case, visible=may and is_case)
        enable(self.open_button, is_case, visible=is_case)
        enable(self.print_button, is_case, visible=is_case)
        self.save_button.setText(_("Save changes") if is_case else _("Choose as typical case"))
        if is_case:
            note = _("Chosen by {name} on {date}.", name=escape(d.case_marked_by or "—"),
                     date=short_date(d.case_marked_at.date() if d.case_marked_at else None))
            if not closed:
                note += " " + _("The complaint was reopened since; the case can be changed "
                                "again once it is closed.")
            self.set_status(_("A typical case for training."), note=note)
        elif closed:
            self.set_status(_("Not a typical case."), note=_(
                "A supervisor can choose this complaint as a typical case for training: a "
                "title and the lesson learned; its case sheet leaves the customer's data out.")
                if may else "")
        else:
            self.set_status(_("Once the complaint is {stage}, a supervisor can choose it as a "
                              "typical case for training.", stage=stage_label("closed")))

    def save(self) -> None:
        ctx = self.complaint.ctx
        actor = ctx.actor  # who asked, even if another person signs in meanwhile
        title, lesson = self.case_title.text(), self.lesson.toPlainText()
        self.complaint.save(self, lambda ref, version: typical_cases.mark_case(
            ctx.db, ref, title=title, lesson=lesson, actor=actor, expected_version=version))

    def drop(self) -> None:
        d = self.complaint.detail
        if d is None:
            return
        reason = messages.ask_reason(self, _("Why is complaint {reference} no longer a typical "
                                             "case?", reference=d.reference))
        if not reason:
            return
        ctx = self.complaint.ctx
        actor = ctx.actor  # who asked, even if another person signs in meanwhile
        self.complaint.save(self, lambda ref, version: typical_cases.unmark_case(
            ctx.db, ref, reason=reason, actor=actor, expected_version=version))

    def sheet(self, print_it: bool) -> None:
        d = self.complaint.detail
        if d is not None:
            deliver_case_sheet(self.complaint.ctx, d.reference, self, print_it=print_it,
                               done=self._delivered)

    def _delivered(self, text: str | None) -> None:
        if text is not None:
            self.hint.setText(text)

    def retranslate_own(self) -> None:
        self.case_title.setPlaceholderText(_("What the case is about, in a few words"))
        self.lesson.setPlaceholderText(_("What the desk learned: what to do, what to avoid "
                                         "(at most {count} characters)", count=LESSON_LEN))
        self.drop_button.setText(_("No longer a typical case…"))
        self.open_button.setText(_("Open case sheet"))
        self.print_button.setText(_("Print case sheet…"))
        d = self.complaint.detail
        self.save_button.setText(_("Save changes") if d and d.case_title is not None
                                 else _("Choose as typical case"))
