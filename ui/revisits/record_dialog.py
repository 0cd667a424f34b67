"""Recording a revisit straight from the call list (F5): method, the overall satisfaction, the
questionnaire and a comment, without opening the complaint. The service decides as in the
panel (satisfied closes, not satisfied reopens); a refusal is shown in the dialog, which
stays open so nothing typed is lost."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.codes import choices, field_label
from app.errors import DeskError, ValidationError
from app.i18n import N_, _
from app.services.questionnaire import asked_questions
from app.services.revisits import record_revisit
from ui.context import DeskContext
from ui.widgets.choice_combo import ChoiceCombo
from ui.widgets.questionnaire_box import QuestionnaireBox

SATISFACTION = (N_("Very dissatisfied"), N_("Dissatisfied"), N_("Acceptable"), N_("Satisfied"),
                N_("Very satisfied"))


class RecordRevisitDialog(QDialog):
    def __init__(self, ctx: DeskContext, reference: str, customer: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.reference = ctx, reference
        self.setWindowTitle(_("Revisit of {reference}", reference=reference))
        who = QLabel(_("Complaint {reference} · {customer}", reference=reference,
                       customer=customer or "—"))
        who.setStyleSheet("font-weight: 600;")
        self.method = ChoiceCombo()
        self.method.set_choices(choices("revisit_method"), keep="phone")
        self.satisfaction = ChoiceCombo(optional=True)
        self.satisfaction.set_choices([(str(n), _(text))
                                       for n, text in enumerate(SATISFACTION, start=1)])
        self.questionnaire = QuestionnaireBox()
        self.questionnaire.set_questions(asked_questions(ctx.db))
        self.comment = QPlainTextEdit()
        self.comment.setTabChangesFocus(True)
        self.comment.setFixedHeight(64)
        form = QFormLayout()
        form.addRow(field_label("revisit_method"), self.method)
        form.addRow(field_label("satisfaction"), self.satisfaction)
        # The questions take the whole width: a question is a sentence, read out on the call.
        asked = QLabel(field_label("questionnaire"))
        asked.setStyleSheet("font-weight: 600;")
        after = QFormLayout()
        after.addRow(field_label("comment"), self.comment)
        hint = QLabel(_("3 or more: satisfied, the complaint closes. Less: it is reopened for "
                        "investigation."))
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555;")
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #c62828;")
        self.error.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Record revisit"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(who)
        layout.addLayout(form)
        layout.addWidget(asked)
        layout.addWidget(self.questionnaire)
        layout.addLayout(after)
        layout.addWidget(hint)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.setMinimumWidth(640)

    def submit(self) -> None:
        try:
            record_revisit(self.ctx.db, self.reference, method=self.method.code() or "",
                           satisfaction=self.satisfaction.code() or "",
                           comment=self.comment.toPlainText(), actor=self.ctx.actor,
                           answers=self.questionnaire.answers())
        except DeskError as e:
            self.error.setText(e.message())
            self.error.show()
            widget = {"satisfaction": self.satisfaction, "comment": self.comment,
                      "revisit_method": self.method,
                      "questionnaire": self.questionnaire}.get(
                e.field if isinstance(e, ValidationError) else "")
            if widget is not None:
                widget.setFocus()
            return
        self.accept()
