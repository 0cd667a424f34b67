"""Reading a PDF's page sizes and putting its pages on a bigger paper at 1:1 (pypdf).

The composed file keeps the pages as they are (vector text, the embedded CJK font): each is
only moved to its place on a blank sheet of the paper's size.
"""

from __future__ import annotations

import io
from pathlib import Path

from app.printing.placement import Placement


def page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    """(width, height) in points of each page, as displayed (rotation applied)."""
    from pypdf import PdfReader  # on first print: ~0.3 s the window's start need not wait

    reader = PdfReader(io.BytesIO(pdf))
    sizes = []
    for page in reader.pages:
        box = page.mediabox
        w, h = float(box.width), float(box.height)
        if (page.get("/Rotate") or 0) % 180:
            w, h = h, w
        sizes.append((w, h))
    return sizes


def on_sheets(pdf: bytes, placement: Placement) -> bytes:
    """The document with every page placed on a sheet of the placement's paper."""
    if placement.exact:
        return pdf
    from pypdf import PageObject, PdfReader, PdfWriter, Transformation

    reader = PdfReader(io.BytesIO(pdf))
    writer = PdfWriter()
    for page in reader.pages:
        sheet = PageObject.create_blank_page(width=placement.sheet_width,
                                             height=placement.sheet_height)
        box = page.mediabox
        move = Transformation().translate(placement.offset_x - float(box.left),
                                          placement.offset_y - float(box.bottom))
        sheet.merge_transformed_page(page, move)
        writer.add_page(sheet)
    for key, value in (reader.metadata or {}).items():
        writer.add_metadata({key: value})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def write_temporary(pdf: bytes, folder: Path, stem: str) -> Path:
    """The print job's file (removed by the caller once the print system has it)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{stem}.pdf"
    from app.atomic_files import write_bytes

    write_bytes(path, pdf)
    return path
