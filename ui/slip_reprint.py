"""Printing a complaint's slip again (panel, card menu, Ctrl+P): a lost slip, a jammed
printer, a customer who reads Traditional Chinese. The clerk picks the language and the
format; the print goes through the same path as at intake and onto the timeline."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from app.codes import choices
from app.i18n import LANGUAGES, _, get_language
from ui.context import DeskContext
from ui.printing import deliver_slip, slip_format


class ReprintDialog(QDialog):
    """Which language and format to print the slip of `reference` in."""

    def __init__(self, reference: str, fmt: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Print slip {reference}", reference=reference))
        self.language = QComboBox()
        for code, name in choices("language"):
            self.language.addItem(name, code)
        self.language.setCurrentIndex(LANGUAGES.index(get_language())
                                      if get_language() in LANGUAGES else 0)
        self.format = QComboBox()
        for code, name in choices("slip_format"):
            self.format.addItem(name, code)
        self.format.setCurrentIndex(max(0, self.format.findData(fmt)))
        form = QFormLayout()
        form.addRow(_("Language of the slip"), self.language)
        form.addRow(_("Slip format"), self.format)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        assert ok is not None
        ok.setText(_("Print"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("The slip shows when it was printed, so a reprint can be "
                                  "told from the first one.")))
        layout.addLayout(form)
        layout.addWidget(buttons)

    def choice(self) -> tuple[str, str]:
        """(format, language) chosen."""
        return str(self.format.currentData()), str(self.language.currentData())


def reprint_slip(ctx: DeskContext, reference: str, parent: QWidget | None,
                 with_dialog: bool | None = None) -> None:
    """Ask for language and format, then print the slip of `reference` again."""
    dialog = ReprintDialog(reference, slip_format(ctx.db), parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return
    fmt, lang = dialog.choice()
    deliver_slip(ctx, reference, parent, fmt=fmt, lang=lang, with_dialog=with_dialog,
                 action="print")
