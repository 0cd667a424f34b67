"""A pick list chosen with the keyboard: number keys (1-9, several digits in a row for longer
lists), type-ahead on the label or the code, Backspace/Delete for "none" when optional."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QComboBox, QStyle, QStyleOptionComboBox, QWidget

from app.i18n import _

TYPE_AHEAD_MS = 900  # keys typed within this pause form one search
# The box asks for room for its longest item up to this width (a longer one, e.g. a long
# list entry typed in the settings, is shown cut rather than stretching the form).
MAX_ITEM_WIDTH = 320


class ChoiceCombo(QComboBox):
    """Items are (code, label); `code()` is None for the "none" item of an optional list."""

    code_changed = Signal(object)

    def __init__(self, parent: QWidget | None = None, optional: bool = False) -> None:
        super().__init__(parent)
        self.optional = optional
        self._pairs: list[tuple[str, str]] = []
        self._typed = ""
        self._reset = QTimer(self)
        self._reset.setSingleShot(True)
        self._reset.setInterval(TYPE_AHEAD_MS)
        self._reset.timeout.connect(self._clear_typed)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(10)
        self.setMaxVisibleItems(20)
        self._widest = 0
        self.currentIndexChanged.connect(lambda _i: self.code_changed.emit(self.code()))

    def set_choices(self, pairs: list[tuple[str, str]], keep: str | None = None) -> None:
        """Fill the list (numbered labels); keeps the current code (or `keep`) if offered."""
        current = keep if keep is not None else self.code()
        self._pairs = list(pairs)
        self.blockSignals(True)
        self.clear()
        if self.optional:
            self.addItem(_("— none —"), None)
        for n, (code, text) in enumerate(self._pairs, start=1):
            self.addItem(f"{n}  {text}", code)
        self.blockSignals(False)
        self.set_code(current, emit=False)
        self._measure()

    def _measure(self) -> None:
        fm = self.fontMetrics()
        self._widest = min(MAX_ITEM_WIDTH, max(
            (fm.horizontalAdvance(self.itemText(i)) for i in range(self.count())), default=0))
        self.updateGeometry()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt API
        """Room for the longest item: whichever is chosen shows whole, in every language."""
        hint = super().minimumSizeHint()
        opt = QStyleOptionComboBox()
        self.initStyleOption(opt)
        need = self.style().sizeFromContents(QStyle.ContentsType.CT_ComboBox, opt,
                                             QSize(self._widest, hint.height()), self)
        return QSize(max(hint.width(), need.width()), hint.height())

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._measure()

    def code(self) -> str | None:
        data = self.currentData()
        return str(data) if data else None

    def label(self) -> str:
        code = self.code()
        return next((text for c, text in self._pairs if c == code), "")

    def set_code(self, code: str | None, emit: bool = True) -> bool:
        """Select the item with this code (None/unknown: "none", or the first item)."""
        index = self.findData(code) if code else -1
        found = index >= 0
        if not found:
            index = 0
        if emit:
            self.setCurrentIndex(index)
        else:
            self.blockSignals(True)
            self.setCurrentIndex(index)
            self.blockSignals(False)
        return found

    def select_number(self, n: int) -> bool:
        """Choose the n-th item of the list (1-based); 0 chooses "none" when optional."""
        if n == 0:
            if self.optional:
                self.setCurrentIndex(0)
                return True
            return False
        if not 1 <= n <= len(self._pairs):
            return False
        self.setCurrentIndex(n if self.optional else n - 1)
        return True

    def _clear_typed(self) -> None:
        self._typed = ""

    def _search(self, typed: str) -> int:
        """Index of the first label (or code) starting with, then containing, the text."""
        needle = typed.casefold()
        offset = 1 if self.optional else 0
        for test in (lambda t, c: t.startswith(needle) or c.startswith(needle),
                     lambda t, c: needle in t):
            for i, (code, text) in enumerate(self._pairs):
                if test(text.casefold(), code.casefold()):
                    return i + offset
        return -1

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        text = event.text()
        if mods not in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.ShiftModifier):
            super().keyPressEvent(event)
            return
        if event.key() in (Qt.Key.Key_Backspace, Qt.Key.Key_Delete) and self.optional:
            self.setCurrentIndex(0)
            self._typed = ""
            return
        if text and text.isprintable() and not text.isspace():
            self._reset.start()
            if text.isdigit() and (not self._typed or self._typed.isdigit()):
                # "1" then "2" quickly: item 12 if the list is that long, else item 2.
                typed = self._typed + text
                if int(typed) > len(self._pairs):
                    typed = text
                self._typed = typed
                self.select_number(int(typed))
                return
            self._typed += text
            index = self._search(self._typed)
            if index < 0:
                self._typed = text
                index = self._search(text)
            if index >= 0:
                self.setCurrentIndex(index)
            return
        super().keyPressEvent(event)
