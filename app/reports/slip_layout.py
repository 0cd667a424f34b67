"""What the complaint slip looks like: sizes per format and the flowables of its one page.

Kept apart from `slip.py` (which builds and writes the file) so the look can be adjusted
without touching how the file is made.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from unicodedata import east_asian_width

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A5
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    HRFlowable,
    Image,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from app import clock
from app.codes import field_label, label
from app.formatting import format_datetime, join_list, shorten
from app.i18n import N_, _
from app.phones import mask_phone
from app.reports.fonts import register_fonts
from app.reports.pdftext import markup
from app.reports.qr import qr_code
from app.services.complaints import ComplaintDetail

TITLE = N_("Complaint slip")
NOTE = N_("Please keep this slip and quote the reference {reference} whenever you contact us "
          "about this complaint.")


WHOLE = 10**9  # display columns: more than any description holds


@dataclass(frozen=True)
class Look:
    """Sizes of one format, in points."""

    page_width: float
    page_height: float | None  # None: as tall as the content (receipt roll)
    margin_x: float
    margin_y: float
    body: float
    small: float
    business: float
    title: float
    reference: float
    qr: float
    label_width: float
    description_width: int  # display columns kept of the description (a hanzi counts 2)
    side_by_side: bool  # reference beside its QR code, signatures side by side


LOOKS = {
    "a5": Look(A5[0], A5[1], 12 * mm, 10 * mm, body=9.5, small=7.5, business=13, title=17,
               reference=19, qr=28 * mm, label_width=27 * mm, description_width=420,
               side_by_side=True),
    # 80 mm paper, 72 mm printable: the printer's own margins are inside those 4 mm. A roll
    # is as long as its content, so the description is printed whole (never cut with "…").
    "receipt80": Look(80 * mm, None, 4 * mm, 4 * mm, body=8.5, small=7, business=11,
                      title=13, reference=15, qr=30 * mm, label_width=20 * mm,
                      description_width=WHOLE, side_by_side=False),
}



class _Styles:
    def __init__(self, look: Look) -> None:
        font = register_fonts()

        def style(name: str, size: float, **kw: Any) -> ParagraphStyle:
            kw.setdefault("leading", size * 1.35)
            return ParagraphStyle(name, fontName=font, fontSize=size, wordWrap="CJK", **kw)

        self.business = style("business", look.business, alignment=TA_CENTER)
        self.small_center = style("small_center", look.small, alignment=TA_CENTER,
                                  textColor=colors.HexColor("#444444"))
        self.title = style("title", look.title, alignment=TA_CENTER, spaceBefore=2 * mm,
                           spaceAfter=2 * mm)
        self.caption = style("caption", look.small, textColor=colors.HexColor("#555555"))
        self.reference = style("reference", look.reference, leading=look.reference * 1.2)
        self.label = style("label", look.small + 0.5, textColor=colors.HexColor("#555555"))
        # Room on the right for a comma that hangs past the line's end (Chinese line breaking).
        self.value = style("value", look.body, rightIndent=look.body / 2)
        self.note = style("note", look.small + 0.5)
        self.footer = style("footer", look.small - 0.5, alignment=TA_RIGHT,
                            textColor=colors.HexColor("#777777"))
        if not look.side_by_side:
            self.caption = style("caption_c", look.small, alignment=TA_CENTER,
                                 textColor=colors.HexColor("#555555"))
            self.reference = style("reference_c", look.reference,
                                   leading=look.reference * 1.2, alignment=TA_CENTER)


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph that wraps Chinese anywhere (with Chinese punctuation rules) and Latin-only
    text at spaces: ReportLab's CJK wrapping would cut "happened" into "happene" + "d"."""
    if not any(east_asian_width(ch) in "WF" for ch in text):
        style = _latin(style)
    return Paragraph(markup(text), style)


@lru_cache(maxsize=64)
def _latin(style: ParagraphStyle) -> ParagraphStyle:
    return ParagraphStyle(f"{style.name}_latin", parent=style, wordWrap=None)


def story(detail: ComplaintDetail, settings: dict[str, Any], look: Look) -> list[Flowable]:
    """The slip's flowables, new each call (a build consumes them)."""
    s = _Styles(look)
    width = look.page_width - 2 * look.margin_x
    return [
        *_header(settings, look, s, width),
        _p(_(TITLE), s.title),
        _rule(look),
        _reference_block(detail, look, s, width),
        Spacer(1, 2 * mm),
        _fields(detail, look, s, width, _tier_percent(detail, settings)),
        Spacer(1, 3 * mm),
        _note(detail, look, s, width),
        Spacer(1, 5 * mm if look.side_by_side else 3 * mm),
        _signatures(look, s, width),
        Spacer(1, 2 * mm),
        # When it was printed: tells a reprint from the original.
        _p(format_datetime(clock.now()), s.footer),
    ]


_ALL = ((0, 0), (-1, -1))


def _table_style(*commands: tuple[Any, ...]) -> TableStyle:
    """No cell padding unless a command sets it, and our font in every cell: a table selects
    a font per cell, Helvetica unless told, and the PDF would name a font it does not embed."""
    base = [("FONTNAME", *_ALL, register_fonts())] + [
        (side, *_ALL, 0) for side in ("LEFTPADDING", "RIGHTPADDING", "TOPPADDING",
                                      "BOTTOMPADDING")]
    return TableStyle([*base, *commands])


def _rule(look: Look) -> HRFlowable:
    if look.side_by_side:
        return HRFlowable(width="100%", thickness=0.8, color=colors.black, spaceAfter=2 * mm)
    return HRFlowable(width="100%", thickness=0.6, color=colors.black, dash=(2, 2),
                      spaceAfter=2 * mm)


def _header(settings: dict[str, Any], look: Look, s: _Styles, width: float) -> list[Flowable]:
    lines: list[Flowable] = []
    name = str(settings.get("business_name") or "").strip()
    if name:
        lines.append(_p(name, s.business))
    address = str(settings.get("business_address") or "").strip()
    phone = str(settings.get("business_phone") or "").strip()
    if address:
        lines.append(_p(address, s.small_center))
    if phone:
        lines.append(_p(_("Service phone: {phone}", phone=phone), s.small_center))
    logo = _logo(settings.get("business_logo"), look)
    if logo is None:
        return lines
    if not look.side_by_side or not lines:
        return [logo, *lines]
    # Logo at the left, the business's lines centred in the rest of the width.
    table = Table([[logo, lines]], colWidths=[logo.drawWidth + 2 * mm,
                                              width - 2 * (logo.drawWidth + 2 * mm)])
    table.hAlign = "LEFT"
    table.setStyle(_table_style(("VALIGN", *_ALL, "MIDDLE")))
    return [table]


def _logo(path: Any, look: Look) -> Image | None:
    """The business logo, at most 14 mm (A5) / 12 mm (roll) high; None if unset or unreadable."""
    if not path or not Path(str(path)).is_file():
        return None
    try:
        from reportlab.lib.utils import ImageReader

        w, h = ImageReader(str(path)).getSize()
        height = (14 if look.side_by_side else 12) * mm
        width = min(height * w / h, 40 * mm)
        image = Image(str(path), width=width, height=width * h / w)
    except Exception:  # noqa: BLE001 - a broken logo must not stop the slip being printed
        return None
    image.hAlign = "CENTER"
    return image


def _reference_block(detail: ComplaintDetail, look: Look, s: _Styles, width: float) -> Flowable:
    caption = _p(_("Reference no."), s.caption)
    ref = _p(detail.reference, s.reference)
    code = qr_code(detail.reference, look.qr)
    if look.side_by_side:
        table = Table([[[caption, ref], code]], colWidths=[width - look.qr, look.qr])
        table.setStyle(_table_style(("VALIGN", *_ALL, "MIDDLE")))
        return table
    table = Table([[caption], [ref], [code]], colWidths=[width])
    table.setStyle(_table_style(("ALIGN", *_ALL, "CENTER"), ("BOTTOMPADDING", *_ALL, 1)))
    return table


def _tier_percent(detail: ComplaintDetail, settings: dict[str, Any]) -> int:
    """The share of the usual time limits the customer's tier gets (app/sla.py)."""
    shares = settings.get("tier_due_percent") or {}
    try:
        return int(shares.get(detail.tier, 100))
    except (TypeError, ValueError):
        return 100


def _fields(detail: ComplaintDetail, look: Look, s: _Styles, width: float,
            tier_percent: int = 100) -> Table:
    dash = "—"
    category = detail.labels.get("category") or detail.labels.get("subject") or dash
    rows: list[tuple[str, str]] = [
        (field_label("received_at"), format_datetime(detail.received_at)),
    ]
    if detail.occurred_at is not None:  # the incident's own time, as the customer gave it
        rows.append((field_label("occurred_at"), format_datetime(detail.occurred_at)))
    rows += [
        (field_label("channel"), label("channel", detail.channel)),
        (field_label("customer_name"), detail.customer_name or dash),
        (field_label("phone"), mask_phone(detail.phone) or dash),
        (field_label("category"), category),
    ]
    if detail.labels.get("department"):
        rows.append((field_label("department"), detail.labels["department"]))
    if detail.location:
        rows.append((field_label("location"), detail.location))
    rows.append((_("What happened"), shorten(detail.description, look.description_width)))
    rows.append((field_label("customer_demand"),
                 join_list(label("demand", d) for d in detail.demands) or dash))
    if detail.resolved_at is not None:
        rows.append((field_label("resolved_at"), format_datetime(detail.resolved_at)))
    else:
        rows.append((_("We will contact you by"), format_datetime(detail.first_contact_due_at)))
        rows.append((_("Resolution expected by"), format_datetime(detail.due_at)))
        if tier_percent < 100:
            # The promise is shorter for this customer's tier (hotel 6.1); a longer one is
            # not announced to the customer.
            rows.append((_("Priority"), _("{tier}: within {percent}% of our usual time limits",
                                          tier=label("tier", detail.tier),
                                          percent=tier_percent)))
    rows.append((_("Handled by"), detail.recorded_by or dash))
    data = [[_p(k, s.label), _p(v, s.value)] for k, v in rows]
    table = Table(data, colWidths=[look.label_width, width - look.label_width])
    pad = 2.2 if look.side_by_side else 1.2
    style: list[tuple[Any, ...]] = [
        ("VALIGN", *_ALL, "TOP"), ("RIGHTPADDING", (0, 0), (0, -1), 2 * mm),
        ("TOPPADDING", *_ALL, pad), ("BOTTOMPADDING", *_ALL, pad)]
    if look.side_by_side:
        style.append(("LINEBELOW", *_ALL, 0.3, colors.HexColor("#BBBBBB")))
    table.setStyle(_table_style(*style))
    return table


def _note(detail: ComplaintDetail, look: Look, s: _Styles, width: float) -> Table:
    box = Table([[_p(_(NOTE, reference=detail.reference), s.note)]], colWidths=[width])
    # A thermal roll printer dithers a grey background into noise: a tint on pages only.
    tint = colors.HexColor("#F3F3F3") if look.side_by_side else colors.white
    box.setStyle(_table_style(
        ("BOX", *_ALL, 0.5, colors.HexColor("#888888")),
        ("BACKGROUND", *_ALL, tint),
        ("LEFTPADDING", *_ALL, 2 * mm), ("RIGHTPADDING", *_ALL, 2 * mm),
        ("TOPPADDING", *_ALL, 1.5 * mm), ("BOTTOMPADDING", *_ALL, 1.5 * mm)))
    return box


def _signatures(look: Look, s: _Styles, width: float) -> Table:
    """Labelled lines to sign on: room enough for a hand-written Chinese name."""
    who = [_("Customer signature"), _("Clerk signature")]
    line_height = 9 * mm if look.side_by_side else 8 * mm
    if look.side_by_side:
        gap = 8 * mm
        half = (width - gap) / 2
        data = [[_p(who[0], s.label), "", _p(who[1], s.label)], ["", "", ""]]
        table = Table(data, colWidths=[half, gap, half], rowHeights=[None, line_height])
        lines = [("LINEBELOW", (0, 1), (0, 1), 0.6, colors.black),
                 ("LINEBELOW", (2, 1), (2, 1), 0.6, colors.black)]
    else:
        # One under the other, with a gap so the 2nd label is not read as the 1st line's.
        data = [[_p(who[0], s.label)], [""], [""], [_p(who[1], s.label)], [""]]
        table = Table(data, colWidths=[width],
                      rowHeights=[None, line_height, 3 * mm, None, line_height])
        lines = [("LINEBELOW", (0, 1), (0, 1), 0.6, colors.black),
                 ("LINEBELOW", (0, 4), (0, 4), 0.6, colors.black)]
    table.setStyle(_table_style(("BOTTOMPADDING", *_ALL, 1), *lines))
    return table
