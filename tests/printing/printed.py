"""The test print server's queues and the PDFs its jobs land as (scripts/cups_test_server.sh),
and comparing a printed page with the page the program made, by size and by rendered image."""

from __future__ import annotations

import io
import os
import re
import subprocess
import time
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageFilter
from pypdf import PdfReader

OUT = Path(os.environ.get("CUPS_TEST_OUT", "/var/spool/cups-pdf-desk-tests"))
QUEUES = ("CDT-A4", "CDT-A5", "CDT-A4only", "CDT-Roll80", "CDT-Refuse", "CDT-Paused")
MM = 72 / 25.4
BLUR = ImageFilter.GaussianBlur(1)
DPI = 60  # enough to see a wrong scale or a missing line, quick to compare


def require_queues() -> None:
    """Skip where no test print server runs; fail in CI, which must have started it.

    Skip too in a run beside another that owns the server (scripts/test.sh runs SQLite and
    PostgreSQL side by side): tests find their job as the one that appeared meanwhile."""
    if os.environ.get("DESK_TESTS_PRINT_SERVER") == "elsewhere":
        pytest.skip("the test print server is the other test run's (side by side)")
    try:
        import cups

        known = set(cups.Connection().getPrinters())
    except Exception as e:  # noqa: BLE001 - no pycups, no server: the same answer
        known, why = set(), str(e)
    else:
        why = "queues missing"
    if not set(QUEUES) <= known:
        message = f"no test print server ({why}): run scripts/cups_test_server.sh as root"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def landed(queue: str, job: int, timeout: float = 30.0) -> Path:
    """The PDF that job `job` of `queue` became, once cups-pdf has written it whole."""
    import cups

    pattern = re.compile(rf"job_{job}(?!\d)")
    deadline = time.monotonic() + timeout
    connection = cups.Connection()
    while time.monotonic() < deadline:
        state = connection.getJobAttributes(job).get("job-state")
        if state in (7, 8):
            raise AssertionError(f"job {job} on {queue} ended in state {state}")
        files = [p for p in (OUT / queue).glob("*.pdf") if pattern.search(p.name)]
        if files and state == 9:
            return files[0]
        time.sleep(0.1)
    raise AssertionError(f"job {job} on {queue} did not land in {OUT / queue}")


def page_sizes_mm(pdf: bytes | Path) -> list[tuple[float, float]]:
    data = pdf.read_bytes() if isinstance(pdf, Path) else pdf
    return [(round(float(p.mediabox.width) / MM, 1), round(float(p.mediabox.height) / MM, 1))
            for p in PdfReader(io.BytesIO(data)).pages]


def render(pdf: bytes | Path, page: int, folder: Path, name: str) -> Image.Image:
    """One page as a grey image at DPI (poppler's pdftoppm), also kept as PNG to look at."""
    path = pdf if isinstance(pdf, Path) else folder / f"{name}.pdf"
    if not isinstance(pdf, Path):
        path.write_bytes(pdf)
    stem = folder / name
    subprocess.run(["pdftoppm", "-gray", "-r", str(DPI), "-f", str(page), "-l", str(page),
                    "-singlefile", "-png", str(path), str(stem)], check=True, timeout=60)
    return Image.open(f"{stem}.png").convert("L")


def difference(printed: Image.Image, original: Image.Image,
               at: tuple[int, int] = (0, 0)) -> float:
    """Share of the original's pixels that differ visibly (by more than 64 of 255) from the
    printed page at the same place (the original's top-left at `at`), at the best shift of
    up to 2 pixels: the print path rounds a page's size to whole points (548.85 → 548), which
    moves the content by a fraction of a millimetre, not the scale or the content."""
    pad = 4
    canvas = Image.new("L", (printed.width + 2 * pad, printed.height + 2 * pad), 255)
    canvas.paste(printed, (pad, pad))
    # A sub-pixel shift changes the anti-aliased edge of every glyph: compare shapes, blurred
    # by one pixel, not edges.
    canvas, original = canvas.filter(BLUR), original.filter(BLUR)
    best = 1.0
    for dx in range(-2, 3):
        for dy in range(-2, 3):
            x, y = pad + at[0] + dx, pad + at[1] + dy
            region = canvas.crop((x, y, x + original.width, y + original.height))
            diff = ImageChops.difference(region, original).point(lambda v: 255 if v > 64 else 0)
            best = min(best, diff.histogram()[255] / (original.width * original.height))
    return best


def blank_outside(printed: Image.Image, original: Image.Image, at: tuple[int, int]) -> bool:
    """Nothing printed outside the original's place (1:1 centred, nothing else)."""
    mask = Image.new("L", printed.size, 0)
    mask.paste(255, (at[0] - 2, at[1] - 2, at[0] + original.width + 2,
                     at[1] + original.height + 2))
    outside = Image.composite(Image.new("L", printed.size, 255), printed, mask)
    return outside.getextrema()[0] > 200
