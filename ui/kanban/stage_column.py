"""One column of the board: a header (stage, count, work-in-progress limit) over a list view
of cards that takes drops from the other columns."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import (
    QDragEnterEvent,
    QDragLeaveEvent,
    QDragMoveEvent,
    QDropEvent,
    QFocusEvent,
    QKeyEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QResizeEvent,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QLabel,
    QListView,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.codes import label
from app.i18n import _
from app.services.board import CLOSED_DAYS
from ui.kanban.card_delegate import CardDelegate
from ui.kanban.card_model import CardListModel
from ui.kanban.card_text import CLOSED_ORDER_EXPLAINED, ORDER_EXPLAINED

OVER_LIMIT = "#c62828"
COLUMN_MIN_WIDTH = 206  # six open columns fit 1366 px; the closed one scrolls into view
COLUMN_MAX_WIDTH = 560  # a 4K screen at 100 % still fills its width


class CardListView(QListView):
    """Cards of one stage: drag source and drop target; Left/Right step to other columns."""

    step_column = Signal(int)  # -1 / +1: plain Left / Right pressed

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(False)  # the column's priority order decides the place
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setUniformItemSizes(True)  # thousands of cards: no per-row size queries
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self._drop_hover = False

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt API
        """Arriving by Tab selects a card (the current one, else the first): what the keys
        then do (Enter, Ctrl+Right) acts on the card that shows as selected."""
        super().focusInEvent(event)
        model = self.model()
        if model is None or model.rowCount() == 0 or self.selectionModel().hasSelection():
            return
        index = self.currentIndex() if self.currentIndex().isValid() else model.index(0, 0)
        self.selectionModel().setCurrentIndex(
            index, self.selectionModel().SelectionFlag.ClearAndSelect)
        self.scrollTo(index)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        if event.modifiers() == Qt.KeyboardModifier.NoModifier and event.key() in (
                Qt.Key.Key_Left, Qt.Key.Key_Right):
            self.step_column.emit(-1 if event.key() == Qt.Key.Key_Left else 1)
            return
        super().keyPressEvent(event)

    def _acceptable(self, event: QDragMoveEvent | QDragEnterEvent | QDropEvent) -> bool:
        model = self.model()
        return (event.source() is not self and isinstance(model, CardListModel)
                and model.canDropMimeData(event.mimeData(), Qt.DropAction.MoveAction, -1, -1,
                                          QModelIndex()))

    def _hover(self, on: bool) -> None:
        if self._drop_hover != on:
            self._drop_hover = on
            self.viewport().update()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt API
        if self._acceptable(event):
            event.setDropAction(Qt.DropAction.MoveAction)
            event.accept()
            self._hover(True)
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:  # noqa: N802 - Qt API
        super().dragMoveEvent(event)  # auto-scroll near the edges
        if self._acceptable(event):
            event.setDropAction(Qt.DropAction.MoveAction)
            event.accept()
        else:
            event.ignore()

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:  # noqa: N802 - Qt API
        self._hover(False)
        super().dragLeaveEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt API
        self._hover(False)
        if not self._acceptable(event):
            event.ignore()
            return
        event.setDropAction(Qt.DropAction.MoveAction)
        super().dropEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        super().paintEvent(event)
        if self._drop_hover:  # show where the card will land
            painter = QPainter(self.viewport())
            painter.setPen(QPen(self.palette().highlight().color(), 3, Qt.PenStyle.DashLine))
            painter.drawRect(self.viewport().rect().adjusted(2, 2, -2, -2))
            painter.end()


class StageColumn(QFrame):
    """Header and card list for one stage."""

    def __init__(self, stage: str, delegate: CardDelegate, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.stage = stage
        self.setObjectName(f"column_{stage}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setMinimumWidth(COLUMN_MIN_WIDTH)
        self.setMaximumWidth(COLUMN_MAX_WIDTH)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.header = QLabel()
        self.header.setTextFormat(Qt.TextFormat.RichText)
        self.header.setContentsMargins(8, 6, 8, 6)
        self.header.setWordWrap(False)
        self.header.setObjectName("columnHeader")
        # The header follows the column's width, never the other way round.
        self.header.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.model = CardListModel(stage, self)
        self.view = CardListView(self)
        self.view.setModel(self.model)
        self.view.setItemDelegate(delegate)
        self.view.setAccessibleName(label("stage", stage))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.header)
        layout.addWidget(self.view, 1)
        self.over_limit = False
        self._counts: tuple[int, int, int | None, bool] = (0, 0, None, False)
        self.retranslate()

    def set_counts(self, shown: int, total: int, limit: int | None, filtered: bool) -> None:
        """`shown` cards on the board of `total` in the stage; `limit` the WIP limit, if any."""
        self._counts = (shown, total, limit, filtered)
        self.retranslate()

    def retranslate(self) -> None:
        shown, total, limit, filtered = self._counts
        self.over_limit = limit is not None and total > limit
        self._fit_header()
        tips = [_(CLOSED_ORDER_EXPLAINED, days=CLOSED_DAYS) if self.stage == "closed"
                else _(ORDER_EXPLAINED)]
        if limit is not None:
            tips.append(_("Work-in-progress limit: {limit}; now {total}.", limit=limit,
                          total=total))
        self.header.setToolTip("\n".join(tips))
        self.header.setStyleSheet(
            f"#columnHeader {{ border-bottom: 3px solid {OVER_LIMIT}; }}" if self.over_limit
            else "#columnHeader { border-bottom: 1px solid #cfd8dc; }")
        self.view.setAccessibleName(label("stage", self.stage))

    def _header_html(self, detail: int) -> str:
        """The header at a level of detail: 2 everything, 1 the limit as a number, 0 none."""
        shown, total, limit, filtered = self._counts
        name = escape(label("stage", self.stage))
        if self.stage == "closed":
            count = _("{count} in {days} days", count=f"{shown:,}", days=CLOSED_DAYS)
        elif filtered:
            count = _("{shown} of {total}", shown=f"{shown:,}", total=f"{total:,}")
        else:
            count = f"{total:,}"
        wip = ""
        if limit is not None and (detail or self.over_limit):
            text = _("limit {limit}", limit=limit) if detail == 2 else str(limit)
            if self.over_limit:
                shown_text = _("over {text}", text=text) if detail == 2 else text
                wip = (f" &nbsp;<span style='color:{OVER_LIMIT}; font-weight:bold'>⚠ "
                       f"{escape(shown_text if detail else '')}</span>")
            else:
                wip = f" &nbsp;<span style='color:#616161'>({escape(text)})</span>"
        return f"<b>{name}</b> &nbsp;<span>{escape(count)}</span>{wip}"

    def _fit_header(self) -> None:
        """The most detailed header that fits the column (a narrow column drops words)."""
        room = self.width() - 18
        doc = QTextDocument()
        doc.setDefaultFont(self.header.font())
        for detail in (2, 1, 0):
            html = self._header_html(detail)
            doc.setHtml(html)
            if doc.idealWidth() <= room:
                break
        self.header.setText(html)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self._fit_header()

    def header_text(self) -> str:
        """The header as plain text (tests, accessibility)."""
        doc = QTextDocument()
        doc.setHtml(self.header.text())
        return doc.toPlainText()
