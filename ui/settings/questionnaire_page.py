"""The Questionnaire page: the questions a revisit asks besides the overall satisfaction (at
most five, each answered 1-5), each worded in 简体, 繁體 and English. Supervisors add, reword,
reorder, stop asking and delete (only what was never answered). A question with answers is
never reworded in place: its new words become a new question and the answers keep the words
they were given to (app/services/questionnaire.py). The table and its buttons are the shared
list editor (ui/settings/list_editor.py)."""

from __future__ import annotations

from PySide6.QtWidgets import QHeaderView, QWidget

from app.i18n import LANGUAGE_NAMES, LANGUAGES, N_, NC_, _, get_language, ngettext
from app.permissions import EDIT_QUESTIONNAIRE, can
from app.services import questionnaire as qs
from app.services.lists import Labels
from app.services.questionnaire import QUESTION_LEN, Question
from app.survey_defaults import MAX_ASKED
from ui import messages
from ui.context import DeskContext
from ui.settings.edit_dialogs import LabelsDialog
from ui.settings.list_editor import ListEditorPage
from ui.widgets.table_model import Column


def _column(lang: str) -> Column[Question]:
    return Column(LANGUAGE_NAMES[lang], lambda q: q.label(lang), tooltip=lambda q: q.label(lang))


class QuestionnairePage(ListEditorPage[Question]):
    edit_msgid = N_("Change wording…")

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        columns = [_column(lang) for lang in LANGUAGES] + [
            Column(NC_("how many answers a question has", "Answers"), lambda q: str(q.answers),
                   sort_key=lambda q: q.answers, align_right=True),
            Column(N_("Status"), lambda q: _("Asked") if q.active else _("Not asked")),
        ]
        super().__init__(ctx, columns, Question, parent)
        self.editable = can(ctx.actor, EDIT_QUESTIONNAIRE)
        header = self.view.horizontalHeader()
        for column in range(len(LANGUAGES)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        for column in (3, 4):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        # A question is a sentence: wrapped in its column, each row as tall as it needs.
        self.view.setWordWrap(True)
        header.sectionResized.connect(lambda *_a: self.view.resizeRowsToContents())
        self.view.doubleClicked.connect(lambda _i: self.edit() if self.editable else None)
        self.retranslate()

    def rows_loaded(self) -> None:
        self.view.resizeRowsToContents()

    # ---- the list editor's questions ----------------------------------------------------------
    def load(self) -> list[Question]:
        return qs.list_questions(self.ctx.db)

    def can_delete(self, row: Question) -> bool:
        return row.answers == 0

    def delete_tooltip(self, row: Question | None) -> str:
        return _("Answered at revisits: stop asking it instead") if row and row.answers else ""

    def delete_question(self, row: Question) -> str:
        return _("Delete the question \"{question}\"? It was never answered.",
                 question=row.label(get_language()))

    def move_row(self, row: Question, steps: int) -> None:
        qs.move_question(self.ctx.db, row.id, steps, self.ctx.actor)

    def set_row_active(self, row: Question, active: bool) -> object:
        return qs.set_question_active(self.ctx.db, row.id, active, self.ctx.actor)

    def delete_row(self, row: Question) -> None:
        qs.delete_question(self.ctx.db, row.id, self.ctx.actor)

    def after_change(self) -> None:
        self.ctx.signals.data_changed.emit("")  # the revisit forms ask the questions anew

    def enable_buttons(self) -> None:
        super().enable_buttons()
        row = self.selected()
        self.active_button.setText(_("Ask again") if row is not None and not row.active
                                   else _("Stop asking"))

    # ---- changing -----------------------------------------------------------------------------
    def _hint(self) -> str:
        return _("Each question in all three languages: the customer is asked in theirs. At "
                 "most {count} characters.", count=QUESTION_LEN)

    def add(self) -> None:
        saved: dict[str, Question] = {}

        def submit(labels: Labels) -> object:
            saved["q"] = qs.add_question(self.ctx.db, labels, self.ctx.actor)
            return saved["q"]

        dialog = LabelsDialog(_("Add a question"), Labels(), submit, self, hint_text=self._hint(),
                              max_length=QUESTION_LEN, width=460)
        if dialog.exec() and "q" in saved:
            self.stored(_("Added"), saved["q"].id)

    def edit(self) -> None:
        row = self.selected()
        if row is None:
            return
        if row.answers and not messages.ask(self, ngettext(
                "This question has {count} answer. New words make it a new question from now "
                "on; the answer keeps the words it was given to. Go on?",
                "This question has {count} answers. New words make it a new question from now "
                "on; the answers keep the words they were given to. Go on?",
                row.answers, count=row.answers)):
            return
        saved: dict[str, Question] = {}

        def submit(labels: Labels) -> object:
            saved["q"] = qs.edit_question(self.ctx.db, row.id, labels, self.ctx.actor)
            return saved["q"]

        dialog = LabelsDialog(_("Change the wording"), row.labels, submit, self,
                              hint_text=self._hint(), max_length=QUESTION_LEN, width=460)
        if dialog.exec() and "q" in saved:
            new = saved["q"]
            self.stored(_("Reworded: a new question from now on") if new.id != row.id
                        else _("Changed"), new.id)

    # ---- texts --------------------------------------------------------------------------------
    def retranslate_own(self) -> None:
        self.hint.setText(_(
            "Asked at every revisit after the overall satisfaction, in this order; each "
            "answered 1 (lowest) to 5 (highest), or skipped. At most {count} are asked. The "
            "monthly report and the dashboard show each question's average.", count=MAX_ASKED))
