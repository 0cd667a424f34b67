"""Paints a complaint card (one delegate for thousands of cards; no widget per card).

    ▌TS-20260310-0001                     ⎘ ↻2
    ▌王芳 [Core] [Repeat]            ‼ Urgent
    ▌Parking  停车场收费与公示不符，多收…
    ▌李小红                        ⚠ Overdue 3h

Severity is a colour stripe and a sign + word; overdue is red and says so in words.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QRectF,
    QSize,
    Qt,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPainterPath, QPen, QPixmap
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from app import clock
from app.i18n import _, get_language
from app.services.queue import Card
from ui.kanban.card_model import CARD_ROLE
from ui.kanban.card_text import severity_text, sla_clock, tier_badge

SEVERITY_COLOURS = {
    "urgent": QColor("#c62828"),
    "serious": QColor("#e65100"),
    "normal": QColor("#1565c0"),
    "minor": QColor("#78909c"),
}
CLOCK_COLOURS = {
    "overdue": QColor("#c62828"),
    "soon": QColor("#a15c00"),
    "ok": QColor("#37474f"),
    "paused": QColor("#5c6bc0"),
    "done": QColor("#2e7d32"),
    "none": QColor("#757575"),
}
# Signs the shipped font draws (⏱ and ⏸ come out as boxes there).
CLOCK_SIGNS = {"overdue": "⚠", "soon": "◷", "ok": "◷", "paused": "‖", "done": "✓", "none": ""}
TIER_COLOURS = {"core": QColor("#8d6e00"), "key": QColor("#00695c")}
MUTED = QColor("#616161")
CARD_BG = QColor("#ffffff")
CARD_BORDER = QColor("#cfd8dc")

MARGIN_X, MARGIN_Y = 4, 3  # around the card inside its row
PAD = 7  # inside the card
STRIPE = 5
LINE_GAP = 3
LINES = 4
MIN_NAME = 48  # px of the customer's name kept before badges are left out
MIN_OWNER = 36  # px left for the owner beside a long SLA clock

Index = QModelIndex | QPersistentModelIndex


def _bold(font: QFont) -> QFont:
    f = QFont(font)
    f.setBold(True)
    return f


def _small(font: QFont) -> QFont:
    f = QFont(font)
    if f.pointSizeF() > 0:
        f.setPointSizeF(f.pointSizeF() * 0.88)
    else:
        f.setPixelSize(max(8, int(f.pixelSize() * 0.88)))
    return f


class Fonts:
    """The card's fonts and their metrics, made once per base font (a paint made them for
    every card: a sixth of a keystroke's filtering at 100,000 complaints)."""

    def __init__(self, base: QFont) -> None:
        self.base, self.bold, self.small = base, _bold(base), _small(base)
        self.bold_small = _bold(self.small)
        self.fm, self.fm_bold = QFontMetrics(self.base), QFontMetrics(self.bold)
        self.fm_small, self.fm_bold_small = QFontMetrics(self.small), QFontMetrics(self.bold_small)


_FONTS: dict[str, Fonts] = {}


def fonts(base: QFont) -> Fonts:
    key = base.key()
    found = _FONTS.get(key)
    if found is None:
        found = _FONTS[key] = Fonts(QFont(base))
    return found


def card_height(fm: QFontMetrics) -> int:
    return 2 * (MARGIN_Y + PAD) + LINES * fm.height() + (LINES - 1) * LINE_GAP


CACHED_CARDS = 300  # painted cards kept (a screen shows 50-100; ~25 MB at most)


class CardDelegate(QStyledItemDelegate):
    """Paints each card once into a pixmap kept for what it shows (the card, its size and
    selection, the minute of its clock, the language and font): a keystroke in the search
    shows mostly the same cards again, and drawing them anew was a third of its time."""

    last_clock = ""  # the clock text of the card painted last, and whether it was cut
    last_clock_cut = False

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._painted: dict[tuple[object, ...], tuple[QPixmap, str, bool]] = {}

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:  # noqa: N802
        fm = QFontMetrics(option.font)
        return QSize(max(160, option.rect.width()), card_height(fm))

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        card = index.data(CARD_ROLE)
        if not isinstance(card, Card):
            super().paint(painter, option, index)
            return
        rect = option.rect
        ratio = painter.device().devicePixelRatioF() if painter.device() else 1.0
        key = (card, rect.width(), rect.height(),
               bool(option.state & QStyle.StateFlag.State_Selected),
               option.palette.highlight().color().rgba(), option.font.key(), ratio,
               get_language(), clock.now().replace(second=0, microsecond=0))
        found = self._painted.get(key)
        if found is None:
            pixmap = QPixmap(QSize(round(rect.width() * ratio), round(rect.height() * ratio)))
            pixmap.setDevicePixelRatio(ratio)
            pixmap.fill(Qt.GlobalColor.transparent)
            local = QStyleOptionViewItem(option)
            local.rect = QRect(0, 0, rect.width(), rect.height())
            on_pixmap = QPainter(pixmap)
            try:
                self._paint_card(on_pixmap, local, card)
            finally:
                on_pixmap.end()
            if len(self._painted) >= CACHED_CARDS:
                self._painted.clear()  # old minutes and cards no longer shown
            found = self._painted[key] = (pixmap, self.last_clock, self.last_clock_cut)
        painter.drawPixmap(rect.topLeft(), found[0])
        self.last_clock, self.last_clock_cut = found[1], found[2]

    def _paint_card(self, p: QPainter, option: QStyleOptionViewItem, card: Card) -> None:
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        now = clock.now()
        outer = QRectF(option.rect.adjusted(MARGIN_X, MARGIN_Y, -MARGIN_X, -MARGIN_Y))
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        highlight = option.palette.highlight().color()

        path = QPainterPath()
        path.addRoundedRect(outer, 5, 5)
        p.fillPath(path, CARD_BG if not selected else QColor(highlight).lighter(185))
        p.setPen(QPen(highlight, 2) if selected else QPen(CARD_BORDER, 1))
        p.drawPath(path)
        # Severity stripe on the left edge, clipped to the card's rounded shape.
        p.save()
        p.setClipPath(path)
        p.fillRect(QRectF(outer.left(), outer.top(), STRIPE, outer.height()),
                   SEVERITY_COLOURS.get(card.severity, MUTED))
        p.restore()

        base = option.font
        f = fonts(base)
        lh = f.fm.height()
        left = int(outer.left()) + STRIPE + PAD
        right = int(outer.right()) - PAD
        top = int(outer.top()) + PAD
        rows = [QRect(left, top + i * (lh + LINE_GAP), right - left, lh) for i in range(LINES)]

        # 1: reference (bold), never shortened for anything else ... attachment, reopen
        markers_w = self._markers(p, rows[0], card, f)
        p.setFont(f.bold)
        self._text(p, rows[0].adjusted(0, 0, -markers_w - 6, 0), card.reference,
                   QColor("#212121"))

        # 2: customer with tier / repeat badges ... severity badge (sign and word)
        badge_w = self._badge(p, rows[1], severity_text(card), f, card.severity)
        room = rows[1].adjusted(0, 0, -badge_w - 6, 0)
        pills = [(text, colour) for text, colour in (
            (tier_badge(card), TIER_COLOURS.get(card.tier, MUTED)),
            (_("Repeat") if card.is_repeat else "", QColor("#6a1b9a"))) if text]
        small = f.fm_small
        while pills and room.width() - sum(small.horizontalAdvance(t) + 12
                                           for t, _c in pills) < MIN_NAME:
            pills.pop()  # a long name keeps its first characters; the repeat badge goes first
        p.setFont(base)
        pills_w = sum(small.horizontalAdvance(t) + 12 for t, _c in pills)
        used = self._text(p, room.adjusted(0, 0, -pills_w, 0), card.customer_name or "—",
                          QColor("#212121"))
        x = room.left() + used + 6
        for text, colour in pills:
            x += self._pill(p, x, rows[1], text, f, colour, room.right()) + 4

        # 4: owner ... SLA clock. The clock is what the desk has promised: never cut. When it
        # needs the row, the owner moves up beside the category and the description yields.
        sla = sla_clock(card, now)
        sign = CLOCK_SIGNS.get(sla.state, "")
        clock_text = f"{sign} {sla.text}".strip()
        clock_font, clock_fm = (f.bold, f.fm_bold) if sla.state == "overdue" else (f.base, f.fm)
        # +2: advances are rounded; an exact fit would be elided.
        clock_w = clock_fm.horizontalAdvance(clock_text) + 2
        if clock_w > rows[3].width() and sla.short_text:
            clock_text = f"{sign} {sla.short_text}".strip()  # a narrow column: coarser units
            clock_w = clock_fm.horizontalAdvance(clock_text) + 2
        clock_w = min(clock_w, rows[3].width())
        owner_up = rows[3].width() - clock_w - 8 < MIN_OWNER
        p.setFont(clock_font)
        self._text(p, QRect(rows[3].right() - clock_w, rows[3].top(), clock_w, lh),
                   clock_text, CLOCK_COLOURS[sla.state], Qt.AlignmentFlag.AlignRight)
        owner = card.owner or _("Not assigned")
        p.setFont(f.small)
        if not owner_up:
            self._text(p, rows[3].adjusted(0, 0, -clock_w - 8, 0), owner, MUTED)

        # 3: category · description (· owner at the right end when the clock took row 4)
        row3 = rows[2]
        if owner_up:
            owner_w = min(p.fontMetrics().horizontalAdvance(owner) + 2, row3.width() // 3)
            self._text(p, QRect(row3.right() - owner_w, row3.top(), owner_w, lh), owner, MUTED,
                       Qt.AlignmentFlag.AlignRight)
            row3 = row3.adjusted(0, 0, -owner_w - 8, 0)
        p.setFont(f.bold_small)
        cat = card.category or _("No category")
        cat_w = self._text(p, row3, cat, MUTED)
        p.setFont(f.small)
        self._text(p, row3.adjusted(cat_w + 6, 0, 0, 0), " ".join(card.description.split()),
                   QColor("#424242"))
        self.last_clock = clock_text  # what the card showed, for tests
        self.last_clock_cut = clock_w < clock_fm.horizontalAdvance(clock_text) + 2

    @staticmethod
    def _text(p: QPainter, rect: QRect, text: str, colour: QColor,
              align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft) -> int:
        """Draw one elided line; returns the width used."""
        if rect.width() <= 0:
            return 0
        fm = p.fontMetrics()
        shown = fm.elidedText(text, Qt.TextElideMode.ElideRight, rect.width())
        p.setPen(colour)
        p.drawText(rect, int(align | Qt.AlignmentFlag.AlignVCenter), shown)
        return min(rect.width(), fm.horizontalAdvance(shown))

    @staticmethod
    def _badge(p: QPainter, row: QRect, text: str, f: Fonts, severity: str) -> int:
        """Severity badge at the row's right end: filled for urgent/serious, outlined else."""
        font, fm = f.bold_small, f.fm_bold_small
        w = fm.horizontalAdvance(text) + 10
        rect = QRectF(row.right() - w, row.top() + 1, w, row.height() - 2)
        colour = SEVERITY_COLOURS.get(severity, MUTED)
        filled = severity in ("urgent", "serious")
        path = QPainterPath()
        path.addRoundedRect(rect, 3, 3)
        if filled:
            p.fillPath(path, colour)
        else:
            p.setPen(QPen(colour, 1))
            p.drawPath(path)
        p.setFont(font)
        p.setPen(QColor("#ffffff") if filled else colour)
        p.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), text)
        return w

    @staticmethod
    def _pill(p: QPainter, x: int, row: QRect, text: str, f: Fonts, colour: QColor,
              limit: int) -> int:
        font, fm = f.small, f.fm_small
        w = fm.horizontalAdvance(text) + 8
        if x + w > limit:
            return 0
        rect = QRectF(x, row.top() + 2, w, row.height() - 4)
        path = QPainterPath()
        path.addRoundedRect(rect, 3, 3)
        p.fillPath(path, _tint(colour, 0.12))
        p.setPen(QPen(colour, 1))
        p.drawPath(path)
        p.setFont(font)
        p.setPen(colour.darker(130))
        p.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), text)
        return w

    @staticmethod
    def _markers(p: QPainter, row: QRect, card: Card, f: Fonts) -> int:
        """Attachment clip and reopen count at the row's right end; returns their width."""
        x = row.right()
        font, fm = f.small, f.fm_small
        if card.reopen_count:
            text = f"↻{card.reopen_count}"
            w = fm.horizontalAdvance(text)
            p.setFont(font)
            p.setPen(QColor("#6a1b9a"))
            p.drawText(QRect(x - w, row.top(), w, row.height()),
                       int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), text)
            x -= w + 6
        if card.has_attachments:
            h = row.height() * 0.75
            _paperclip(p, QRectF(x - h * 0.45, row.top() + (row.height() - h) / 2,
                                 h * 0.45, h), MUTED)
            x -= int(h * 0.45) + 6
        return row.right() - x


def _tint(colour: QColor, amount: float) -> QColor:
    """`colour` mixed into white: a light background that keeps dark text readable."""
    return QColor(int(255 - (255 - colour.red()) * amount),
                  int(255 - (255 - colour.green()) * amount),
                  int(255 - (255 - colour.blue()) * amount))


def _paperclip(p: QPainter, r: QRectF, colour: QColor) -> None:
    """A small paperclip: an outer loop open at the top right and an inner loop."""
    w, top, bottom, x0 = r.width(), r.top(), r.bottom(), r.left()
    r_out, r_in = w / 2, w * 0.3
    path = QPainterPath()
    path.moveTo(x0 + w, top + r.height() * 0.3)
    path.lineTo(x0 + w, bottom - r_out)
    path.arcTo(QRectF(x0, bottom - 2 * r_out, 2 * r_out, 2 * r_out), 0, -180)
    path.lineTo(x0, top + r_in)
    path.arcTo(QRectF(x0, top, 2 * r_in, 2 * r_in), 180, -180)
    path.lineTo(x0 + 2 * r_in, bottom - r.height() * 0.3)
    p.save()
    p.setPen(QPen(colour, 1.3))
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawPath(path)
    p.restore()
