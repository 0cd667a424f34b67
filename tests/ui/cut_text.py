"""Find texts a screen cuts off: labels, buttons, group titles, combo boxes, tab and table
headers narrower than what they show (issue 9: no text cut off at 1366×768 in any language).

`cut_texts(root)` walks the visible widgets under `root` and returns one line per problem,
naming the widget (class, objectName, its place) and the text. Word-wrapped labels are cut
only when their text needs more height than they have at their width.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QStyle,
    QStyleOptionComboBox,
    QTabBar,
    QToolBar,
    QWidget,
)

SLACK = 1  # px: rounding of fractional font metrics


def _name(w: QWidget) -> str:
    parts = []
    node: QWidget | None = w
    while node is not None and len(parts) < 4:
        parts.append(node.objectName() or type(node).__name__)
        node = node.parentWidget()
    return "/".join(reversed(parts))


def _plain(text: str) -> str:
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def _label(w: QLabel) -> str | None:
    text = w.text()
    if not text or w.pixmap() is not None and not w.pixmap().isNull():
        return None
    if w.wordWrap():
        need = w.heightForWidth(w.width())
        if need > w.height() + SLACK:
            return f"wrapped text needs {need}px height, has {w.height()}"
        return None
    hint = w.minimumSizeHint()
    if hint.width() > w.width() + SLACK:
        return f"needs {hint.width()}px, has {w.width()}"
    if hint.height() > w.height() + SLACK:
        return f"needs {hint.height()}px height, has {w.height()}"
    return None


def _button(w: QAbstractButton) -> str | None:
    if not w.text():
        return None
    hint = w.sizeHint()
    if hint.width() > w.width() + SLACK:
        return f"needs {hint.width()}px, has {w.width()}"
    return None


def _group(w: QGroupBox) -> str | None:
    if not w.title():
        return None
    need = w.minimumSizeHint().width()
    if need > w.width() + SLACK:
        return f"title needs {need}px, has {w.width()}"
    return None


def _combo(w: QComboBox) -> list[str]:
    """Every item must fit the box's text field (choosing it would show it cut)."""
    if w.isEditable() or w.count() == 0:
        return []
    opt = QStyleOptionComboBox()
    w.initStyleOption(opt)
    field = w.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, opt,
                                     QStyle.SubControl.SC_ComboBoxEditField, w).width()
    fm = w.fontMetrics()
    icon = w.iconSize().width() + 4
    out = []
    for i in range(w.count()):
        text = w.itemText(i)
        need = fm.horizontalAdvance(text) + (icon if not w.itemIcon(i).isNull() else 0)
        if need > field + SLACK:
            out.append(f"item {text!r} needs {need}px, field has {field}")
    return out


def _header(w: QHeaderView) -> list[str]:
    model = w.model()
    if model is None:
        return []
    horizontal = w.orientation() == Qt.Orientation.Horizontal
    if not horizontal:
        return []
    fm = w.fontMetrics()
    margin = 2 * w.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, w)
    out = []
    for i in range(w.count()):
        if w.isSectionHidden(i) or w.sectionSize(i) == 0:
            continue
        text = model.headerData(i, w.orientation(), Qt.ItemDataRole.DisplayRole)
        if not text:
            continue
        # The sort arrow takes room too when the column can be sorted.
        arrow = margin + 8 if w.isSortIndicatorShown() else 0
        need = max(fm.horizontalAdvance(line) for line in str(text).split("\n"))
        need += margin + arrow
        if need > w.sectionSize(i) + SLACK:
            out.append(f"column {str(text)!r} needs {need}px, has {w.sectionSize(i)}")
    return out


def _tabs(w: QTabBar) -> list[str]:
    fm = w.fontMetrics()
    out = []
    for i in range(w.count()):
        text = _plain(w.tabText(i))
        rect = w.tabRect(i)
        if text and fm.horizontalAdvance(text) > rect.width():
            out.append(f"tab {text!r} cut to {rect.width()}px")
        elif w.isTabVisible(i) and rect.right() > w.width():
            # Tabs that do not fit hide behind the bar's scroll arrows.
            out.append(f"tab {text!r} lies beyond the bar ({rect.right()} > {w.width()}px)")
    return out


def _grid(w: QListView) -> list[str]:
    """Items of a wrapping list (a grid of choices, e.g. CheckGroup) are not elided by design."""
    model = w.model()
    if model is None or not w.isWrapping():
        return []
    fm, style = w.fontMetrics(), w.style()
    # Check box, its spacing and the item's margins, as QStyledItemDelegate lays them out.
    check = (style.pixelMetric(QStyle.PixelMetric.PM_IndicatorWidth, None, w)
             + 4 * (style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, w) + 1))
    out = []
    for row in range(model.rowCount(w.rootIndex())):
        index = model.index(row, w.modelColumn(), w.rootIndex())
        text = str(index.data() or "")
        checkable = index.data(Qt.ItemDataRole.CheckStateRole) is not None
        need = fm.horizontalAdvance(text) + (check if checkable else 4)
        has = w.visualRect(index).width()
        if text and has and need > has + SLACK:
            out.append(f"item {text!r} needs {need}px, has {has}")
    return out


def _placeholder(w: QLineEdit) -> str | None:
    text = w.placeholderText()
    if not text or w.text():
        return None
    room = w.contentsRect().width() - 8  # QLineEdit's inner margins and frame
    need = w.fontMetrics().horizontalAdvance(text)
    if need > room + SLACK:
        return f"placeholder needs {need}px, has {room}"
    return None


def _toolbar(w: QToolBar) -> str | None:
    # A toolbar too narrow for its actions hides the rest behind a "»" button.
    ext = w.findChild(QWidget, "qt_toolbar_ext_button")
    if ext is not None and ext.isVisible():
        return "actions hidden behind the extension button"
    return None


def cut_texts(root: QWidget) -> list[str]:
    """One line per text cut off among the widgets of `root` that are visible now."""
    problems: list[str] = []

    def add(w: QWidget, text: str, why: str | None) -> None:
        if why:
            problems.append(f"{_name(w)} {text!r}: {why}")

    widgets = [root, *root.findChildren(QWidget)]
    for w in widgets:
        if not w.isVisible() or w.width() <= 0 or w.window() is not root.window():
            continue
        if isinstance(w, QLabel):
            add(w, w.text(), _label(w))
        elif isinstance(w, QAbstractButton):
            # Tool buttons in a toolbar menu or a tab bar's scroll arrows have no text.
            add(w, _plain(w.text()), _button(w))
        elif isinstance(w, QGroupBox):
            add(w, w.title(), _group(w))
        elif isinstance(w, QComboBox):
            for why in _combo(w):
                add(w, w.currentText(), why)
        elif isinstance(w, QHeaderView):
            for why in _header(w):
                add(w, "", why)
        elif isinstance(w, QTabBar):
            for why in _tabs(w):
                add(w, "", why)
        elif isinstance(w, QListView):
            for why in _grid(w):
                add(w, "", why)
        elif isinstance(w, QLineEdit):
            add(w, w.placeholderText(), _placeholder(w))
        elif isinstance(w, QToolBar):
            add(w, "", _toolbar(w))
    return problems


SCREEN = QSize(1366, 768)


def too_big(w: QWidget) -> str | None:
    """A window larger than the screen cannot be seen whole."""
    size = w.frameGeometry().size()
    if size.width() > SCREEN.width() or size.height() > SCREEN.height():
        return f"{_name(w)} is {size.width()}×{size.height()}, larger than the screen"
    return None

