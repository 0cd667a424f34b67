"""The revisit questionnaire as asked on the phone: each question in the window's language with
its 1-5 answer beside it ("—" while not answered; a customer may skip any question). Used by
the panel's revisit section and the revisit list's "Record revisit" dialog."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QWidget

from app.i18n import _
from ui.widgets.choice_combo import ChoiceCombo


class AskedQuestion(Protocol):
    @property
    def id(self) -> int: ...

    def label(self, lang: str | None = None) -> str: ...


Answers = tuple[tuple[int, str], ...]  # (question id, "1".."5"), answered ones only


class QuestionnaireBox(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(8)
        self.grid.setVerticalSpacing(2)
        self.grid.setColumnStretch(0, 1)
        self.questions: list[AskedQuestion] = []
        self.labels: list[QLabel] = []
        self.combos: dict[int, ChoiceCombo] = {}
        self.empty = QLabel()
        self.empty.setStyleSheet("color: #666;")
        self.grid.addWidget(self.empty, 0, 0, 1, 2)

    def set_questions(self, questions: Sequence[AskedQuestion]) -> None:
        """Ask these questions (answers given so far to questions still asked are kept)."""
        kept = dict(self.value())
        for widget in (*self.labels, *self.combos.values()):
            self.grid.removeWidget(widget)
            widget.hide()  # at once: deleteLater waits for the event loop
            widget.setParent(None)
            widget.deleteLater()
        self.questions, self.labels, self.combos = list(questions), [], {}
        for row, q in enumerate(self.questions, start=1):
            label = QLabel()
            label.setWordWrap(True)
            combo = ChoiceCombo(optional=True)
            combo.setMinimumWidth(130)
            label.setBuddy(combo)
            combo.code_changed.connect(lambda _c: self.changed.emit())
            self.grid.addWidget(label, row, 0, Qt.AlignmentFlag.AlignVCenter)
            self.grid.addWidget(combo, row, 1)
            self.labels.append(label)
            self.combos[q.id] = combo
        self.empty.setVisible(not self.questions)
        self.retranslate()
        self.set_value(tuple((k, v) for k, v in kept.items() if k in self.combos))

    def value(self) -> Answers:
        return tuple((qid, code) for qid, combo in self.combos.items()
                     if (code := combo.code()))

    def set_value(self, value: Answers | None) -> None:
        given = dict(value or ())
        for qid, combo in self.combos.items():
            combo.set_code(given.get(qid), emit=False)

    def answers(self) -> dict[int, str]:
        """What record_revisit takes: question id -> "1".."5" (unanswered ones left out)."""
        return dict(self.value())

    def retranslate(self) -> None:
        self.empty.setText(_("No questionnaire is asked at revisits (Settings → Questionnaire)."))
        # The combo numbers its items: 1 … 5 are the scores, the ends say which is which.
        scores = [(str(n), "") for n in range(1, 6)]
        scores[0] = ("1", _("lowest"))
        scores[-1] = ("5", _("highest"))
        for number, (q, label) in enumerate(zip(self.questions, self.labels, strict=True), 1):
            label.setText(f"{number}. {q.label()}")
            self.combos[q.id].set_choices(scores, keep=self.combos[q.id].code())
