"""Small dialogs of the lists and phrases pages: a list value's labels in the three languages,
and a phrase. Each hands what was typed to a `submit` function (a service call); a refusal
is shown in the dialog, which stays open so nothing typed is lost."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.codes import PHRASE_KINDS, label
from app.errors import DeskError, ValidationError
from app.i18n import LANGUAGE_NAMES, LANGUAGES, N_, _
from app.services.lists import LABEL_LEN, Labels
from app.services.phrases import PHRASE_LEN, PhraseInput

ERROR_STYLE = "color: #c62828;"
FIELD_NAMES = {  # fields of these dialogs, for refusals that name them
    "label": N_("Name"), "label_zh_hans": "zh-Hans", "label_zh_hant": "zh-Hant",
    "label_en": "en", "kind": N_("Kind"), "category": N_("Category"),
    "language": N_("Language"), "text": N_("Text"), "list": N_("List"),
    "profile": N_("Profile"),
}


def refusal_text(error: DeskError) -> str:
    """A service's refusal, naming the field as this window labels it."""
    if isinstance(error, ValidationError) and error.field in FIELD_NAMES:
        name = FIELD_NAMES[error.field]
        return _("{field}: {problem}", field=LANGUAGE_NAMES.get(name) or _(name),
                 problem=error.problem())
    return error.message()


class _SubmitDialog(QDialog):
    def __init__(self, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.form = QFormLayout()
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def attempt(self, call: Callable[[], object]) -> None:
        try:
            call()
        except DeskError as e:
            self.error.setText(refusal_text(e))
            self.error.show()
            return
        self.accept()

    def submit(self) -> None:
        raise NotImplementedError


class LabelsDialog(_SubmitDialog):
    """Add or rename a list value: its name in 简体, 繁體 and English."""

    def __init__(self, title: str, labels: Labels, submit: Callable[[Labels], object],
                 parent: QWidget | None = None, *, hint_text: str | None = None,
                 max_length: int = LABEL_LEN, width: int = 280) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self._submit = submit
        self.edits: dict[str, QLineEdit] = {}
        for lang, text in zip(LANGUAGES, (labels.zh_hans, labels.zh_hant, labels.en),
                              strict=True):
            edit = QLineEdit(text)
            edit.setMaxLength(max_length + 20)  # the service names a too long label
            edit.setMinimumWidth(width)
            self.edits[lang] = edit
            self.form.addRow(LANGUAGE_NAMES[lang], edit)
        hint = QLabel(hint_text or _("A name left empty takes the name of a neighbouring "
                                     "language."))
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555;")
        self.form.addRow(hint)

    def labels(self) -> Labels:
        return Labels(*(self.edits[lang].text() for lang in LANGUAGES))

    def submit(self) -> None:
        self.attempt(lambda: self._submit(self.labels()))


class PhraseDialog(_SubmitDialog):
    """Add or change a standard phrase."""

    def __init__(self, title: str, data: PhraseInput, categories: list[tuple[str, str]],
                 submit: Callable[[PhraseInput], object], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self._submit = submit
        self.kind = QComboBox()
        for code in PHRASE_KINDS:
            self.kind.addItem(label("phrase_kind", code), code)
        self.category = QComboBox()
        self.category.addItem(_("Any category"), None)
        for code, text in categories:
            self.category.addItem(text, code)
        self.language = QComboBox()
        for lang in LANGUAGES:
            self.language.addItem(LANGUAGE_NAMES[lang], lang)
        self.text = QPlainTextEdit(data.text)
        self.text.setMinimumSize(420, 110)
        self.text.setTabChangesFocus(True)
        for combo, value in ((self.kind, data.kind), (self.category, data.category),
                             (self.language, data.language)):
            combo.setCurrentIndex(max(combo.findData(value), 0))
        self.form.addRow(_("Kind"), self.kind)
        self.form.addRow(_("Category"), self.category)
        self.form.addRow(_("Language"), self.language)
        self.form.addRow(_("Text"), self.text)
        hint = QLabel(_("Write ____ where the clerk fills something in (a time, a reference): "
                        "it is selected after inserting. At most {count} characters.",
                        count=PHRASE_LEN))
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555;")
        self.form.addRow(hint)

    def value(self) -> PhraseInput:
        return PhraseInput(kind=str(self.kind.currentData()),
                           language=str(self.language.currentData()),
                           text=self.text.toPlainText(), category=self.category.currentData())

    def submit(self) -> None:
        self.attempt(lambda: self._submit(self.value()))
