"""Standard phrases (话术) at a keystroke: Ctrl+; in a text field opens a small list of the
desk's phrases; typing filters it, Up/Down choose, Enter inserts the phrase at the cursor (any
QLineEdit, QPlainTextEdit or QTextEdit), Esc closes. A blank (____) in the phrase is selected
after inserting, so the clerk types the time or reference straight over it.

Hook a field up with `attach_phrase_picker(field, ctx, category=...)`; `category` returns the
complaint's category code (its phrases come first) or None.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import (
    QAbstractListModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QSize,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QKeyEvent, QKeySequence, QPainter, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPlainTextEdit,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.codes import label
from app.i18n import LANGUAGES, _, get_language
from app.services.list_choices import list_choices
from app.services.phrases import PhraseItem, picker_phrases
from ui.context import DeskContext
from ui.shortcuts import keys

SHORTCUT = keys("text.phrases")
BLANK = "____"
TextField = QLineEdit | QPlainTextEdit | QTextEdit
Index = QModelIndex | QPersistentModelIndex
LANGUAGE_NAMES = {"zh-Hans": "简体", "zh-Hant": "繁體", "en": "EN"}
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 1
HEAD_ROLE = Qt.ItemDataRole.UserRole + 2


def _utf16(text: str) -> int:
    """Length in Qt's units (UTF-16 code units): positions in Qt text count these."""
    return len(text.encode("utf-16-le")) // 2


def insert_text(field: TextField, text: str) -> None:
    """Insert at the cursor (replacing a selection); then select the first blank, if any."""
    blank = text.find(BLANK)
    if isinstance(field, QLineEdit):
        start = field.selectionStart() if field.hasSelectedText() else field.cursorPosition()
        field.insert(text)
        if blank >= 0:
            field.setSelection(start + _utf16(text[:blank]), _utf16(BLANK))
        return
    cursor = field.textCursor()
    start = cursor.selectionStart()
    cursor.insertText(text)
    if blank >= 0:
        cursor.setPosition(start + _utf16(text[:blank]))
        cursor.setPosition(start + _utf16(text[:blank + len(BLANK)]),
                           cursor.MoveMode.KeepAnchor)
    field.setTextCursor(cursor)


class PhraseListModel(QAbstractListModel):
    def __init__(self) -> None:
        super().__init__()
        self.items: list[PhraseItem] = []
        self.categories: dict[str, str] = {}

    def set_items(self, items: list[PhraseItem], categories: dict[str, str]) -> None:
        self.beginResetModel()
        self.items, self.categories = items, categories
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else len(self.items)

    def head(self, item: PhraseItem) -> str:
        kind = label("phrase_kind", item.kind)
        if item.category:
            return f"{kind} · {self.categories.get(item.category, item.category)}"
        return kind

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        item = self.items[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return item.text
        if role == HEAD_ROLE:
            return self.head(item)
        if role == SEARCH_ROLE:
            return f"{self.head(item)} {item.text}".casefold()
        if role == Qt.ItemDataRole.ToolTipRole:
            return item.text
        return None


class PhraseDelegate(QStyledItemDelegate):
    """Two lines: the kind (and category) small and grey, then the phrase itself."""

    PAD = 6

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:  # noqa: N802
        metrics = QFontMetrics(option.font)
        return QSize(300, 2 * metrics.height() + 2 * self.PAD)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        painter.save()
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        if selected:
            painter.fillRect(option.rect, option.palette.highlight())
        rect: QRect = option.rect.adjusted(self.PAD + 2, self.PAD, -self.PAD, -self.PAD)
        metrics = QFontMetrics(option.font)
        small = QFont(option.font)
        small.setPointSizeF(max(small.pointSizeF() - 1, 7))
        painter.setFont(small)
        painter.setPen(option.palette.highlightedText().color() if selected
                       else QColor("#6b6b6b"))
        painter.drawText(rect.x(), rect.y() + metrics.ascent(), str(index.data(HEAD_ROLE)))
        painter.setFont(option.font)
        painter.setPen(option.palette.highlightedText().color() if selected
                       else option.palette.text().color())
        text = metrics.elidedText(str(index.data()), Qt.TextElideMode.ElideRight, rect.width())
        painter.drawText(rect.x(), rect.y() + metrics.height() + metrics.ascent(), text)
        painter.restore()


class PhrasePopup(QFrame):
    """The list itself: a filter line, the phrases, and the language to pick from."""

    chosen = Signal(str)

    def __init__(self, load: Callable[[str], tuple[list[PhraseItem], dict[str, str]]],
                 language: str, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setObjectName("phrasePopup")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.load = load
        self.filter = QLineEdit()
        self.filter.setClearButtonEnabled(True)
        self.filter.installEventFilter(self)
        self.language = QComboBox()
        for lang in LANGUAGES:
            self.language.addItem(LANGUAGE_NAMES[lang], lang)
        self.language.setCurrentIndex(max(self.language.findData(language), 0))
        self.language.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.language.currentIndexChanged.connect(lambda _i: self.reload())
        self.model = PhraseListModel()
        self.proxy = QSortFilterProxyModel()
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterRole(SEARCH_ROLE)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.list = QListView()
        self.list.setModel(self.proxy)
        self.list.setItemDelegate(PhraseDelegate(self.list))
        self.list.setUniformItemSizes(True)
        self.list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.list.clicked.connect(lambda _i: self.accept_current())
        self.empty = QLabel()
        self.empty.setStyleSheet("color: #666; padding: 8px;")
        self.empty.hide()
        self.hint = QLabel()
        self.hint.setStyleSheet("color: #666;")
        self.filter.textChanged.connect(self._filter)
        top = QHBoxLayout()
        top.addWidget(self.filter, 1)
        top.addWidget(self.language)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(top)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty)
        layout.addWidget(self.hint)
        self.resize(620, 380)
        self.retranslate()
        self.reload()

    def retranslate(self) -> None:
        self.filter.setPlaceholderText(_("Type to find a phrase"))
        self.hint.setText(_("Enter inserts · Esc closes"))
        self.empty.setText(_("No phrase matches."))

    def reload(self) -> None:
        items, categories = self.load(str(self.language.currentData()))
        self.model.set_items(items, categories)
        self._filter()

    def _filter(self) -> None:
        self.proxy.setFilterFixedString(self.filter.text().strip().casefold())
        found = self.proxy.rowCount() > 0
        self.empty.setVisible(not found)
        self.list.setVisible(found)
        if found:
            self.list.setCurrentIndex(self.proxy.index(0, 0))

    def current_text(self) -> str | None:
        index = self.list.currentIndex()
        return str(index.data()) if index.isValid() else None

    def accept_current(self) -> None:
        text = self.current_text()
        if text is not None:
            self.close()
            self.chosen.emit(text)

    def _step(self, rows: int) -> None:
        count = self.proxy.rowCount()
        if count:
            row = min(max(self.list.currentIndex().row() + rows, 0), count - 1)
            self.list.setCurrentIndex(self.proxy.index(row, 0))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if watched is self.filter and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = Qt.Key(event.key())
            steps = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1, Qt.Key.Key_PageDown: 5,
                     Qt.Key.Key_PageUp: -5}
            if key in steps:
                self._step(steps[key])
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.accept_current()
                return True
            if key == Qt.Key.Key_Escape:
                self.close()
                return True
        return super().eventFilter(watched, event)


class PhrasePicker(QObject):
    """Ctrl+; on one text field opens the phrases; the chosen one goes in at its cursor."""

    inserted = Signal(str)

    def __init__(self, field: TextField, ctx: DeskContext,
                 category: Callable[[], str | None] | None = None) -> None:
        super().__init__(field)
        self.field, self.ctx = field, ctx
        self.category = category or (lambda: None)
        self.popup: PhrasePopup | None = None
        self.shortcut = QShortcut(QKeySequence(SHORTCUT), field)
        self.shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
        self.shortcut.activated.connect(self.open)
        ctx.signals.language_changed.connect(self.retranslate)
        self.retranslate()

    def retranslate(self, _lang: str = "") -> None:
        tip = _("Standard phrases: {key}", key=SHORTCUT)
        if not self.field.toolTip() or self.field.property("phraseTip"):
            self.field.setToolTip(tip)
            self.field.setProperty("phraseTip", True)

    def _load(self, language: str) -> tuple[list[PhraseItem], dict[str, str]]:
        return (picker_phrases(self.ctx.db, language, self.category()),
                dict(list_choices(self.ctx.db, "category")))

    def open(self) -> PhrasePopup:
        """Show the phrases under the field's cursor (the popup is returned for tests)."""
        if self.popup is not None:
            self.popup.deleteLater()
        self.popup = PhrasePopup(self._load, get_language(), self.field)
        self.popup.chosen.connect(self._insert)
        self.popup.move(self._anchor())
        self.popup.show()
        self.popup.filter.setFocus(Qt.FocusReason.PopupFocusReason)
        return self.popup

    def _anchor(self) -> QPoint:
        field = self.field
        if isinstance(field, QLineEdit):
            return field.mapToGlobal(QPoint(0, field.height()))
        rect = field.cursorRect()
        return field.viewport().mapToGlobal(QPoint(rect.left(), rect.bottom() + 4))

    def _insert(self, text: str) -> None:
        self.field.setFocus(Qt.FocusReason.PopupFocusReason)
        insert_text(self.field, text)
        self.inserted.emit(text)


def attach_phrase_picker(field: TextField, ctx: DeskContext,
                         category: Callable[[], str | None] | None = None) -> PhrasePicker:
    """Give a text field the Ctrl+; phrase picker (kept alive as the field's child)."""
    return PhrasePicker(field, ctx, category)
