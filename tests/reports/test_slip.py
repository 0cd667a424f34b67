"""The complaint slip PDF: contents in three languages, both formats, QR, wrapping, fonts."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from app.db import Database
from app.errors import NotFound
from app.formatting import format_datetime
from app.i18n import get_language, set_language
from app.reports.pdftext import MISSING_MARK, printable
from app.reports.slip import FORMATS, build_slip, with_promises, write_slip
from app.services.common import Actor
from app.services.complaints import get_detail
from app.services.intake import IntakeInput, log_complaint
from app.services.settings_service import read_settings, set_setting

PHONE, MASKED = "13812345678", "138****5678"
CATEGORY = {"zh-Hans": "商品质量", "zh-Hant": "商品質量", "en": "Product quality"}
TITLE = {"zh-Hans": "投诉受理单", "zh-Hant": "投訴受理單", "en": "Complaint slip"}
DESCRIPTION = "顾客在三楼家电商户购买的冰箱无法制冷，商户拒绝退换，要求商场出面协调。"
MM = 72 / 25.4

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="no poppler-utils")


def log(db: Database, actor: Actor, description: str = DESCRIPTION, **extra: Any) -> str:
    data = IntakeInput(description=description, customer_name="张伟", phone=PHONE,
                       subject="product", category="product_quality",
                       demands=["refund", "apology"], location="3F 家电区", **extra)
    return log_complaint(db, data, actor).reference


@pytest.fixture
def ref(db: Database, clerk: Actor, fixed_clock: Any) -> str:
    set_setting(db, "business_name", "万象城购物中心", Actor(None, "admin", "admin"))
    return log(db, clerk)


def slip(db: Database, ref: str, fmt: str = "a5", lang: str = "en") -> bytes:
    set_language(lang)
    return build_slip(with_promises(get_detail(db, ref)), read_settings(db), fmt)


def pypdf_text(pdf: bytes) -> str:
    return "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages)


def poppler_text(pdf: bytes, *options: str) -> str:
    return subprocess.run(["pdftotext", *options, "-", "-"], input=pdf, capture_output=True,
                          check=True).stdout.decode("utf-8")


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("lang", ["zh-Hans", "zh-Hant", "en"])
def test_slip_text_has_reference_masked_phone_and_category(db: Database, ref: str, fmt: str,
                                                           lang: str) -> None:
    pdf = slip(db, ref, fmt, lang)
    texts = [pypdf_text(pdf)]
    if shutil.which("pdftotext"):
        texts.append(poppler_text(pdf))
    for text in texts:
        assert ref in text
        assert MASKED in text
        assert PHONE not in text
        assert CATEGORY[lang] in text
        assert TITLE[lang] in text
        assert "张伟" in text
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1


@pytest.mark.parametrize("lang", ["zh-Hans", "en"])
def test_promised_times_are_printed_in_the_language(db: Database, ref: str, lang: str) -> None:
    set_language(lang)
    detail = get_detail(db, ref)
    text = pypdf_text(slip(db, ref, "a5", lang))
    assert format_datetime(detail.first_contact_due_at) in text
    assert format_datetime(detail.due_at) in text
    expected = "2026年3月10日 10:00" if lang == "zh-Hans" else "10 Mar 2026 10:00"
    assert expected in text  # received at (the fixed clock)


def test_missing_promises_are_computed_from_the_default_policy(db: Database, ref: str) -> None:
    from dataclasses import replace

    detail = replace(get_detail(db, ref), first_contact_due_at=None, due_at=None)
    filled = with_promises(detail)
    # Severity "normal": first contact within 24 h, resolution within 168 h (calendar hours).
    assert filled.first_contact_due_at == datetime(2026, 3, 11, 10, 0)
    assert filled.due_at == datetime(2026, 3, 17, 10, 0)


def test_only_the_shipped_font_is_used_and_it_is_embedded(db: Database, ref: str) -> None:
    for fmt in FORMATS:
        reader = PdfReader(io.BytesIO(slip(db, ref, fmt, "zh-Hant")))
        fonts = reader.pages[0]["/Resources"]["/Font"]
        names = []
        for font in fonts.values():
            font = font.get_object()
            names.append(str(font["/BaseFont"]))
            assert "/FontFile2" in font["/FontDescriptor"], font["/BaseFont"]
        assert names and all("WenQuanYi" in n for n in names), names


@pytest.mark.skipif(shutil.which("zbarimg") is None or shutil.which("pdftoppm") is None,
                    reason="needs zbarimg and pdftoppm")
@pytest.mark.parametrize("fmt", FORMATS)
def test_qr_code_decodes_to_the_reference(db: Database, ref: str, fmt: str,
                                          tmp_path: Path) -> None:
    pdf_file = tmp_path / "slip.pdf"
    pdf_file.write_bytes(slip(db, ref, fmt, "zh-Hans"))
    # 100 dpi: coarser than any printer, so a code that decodes here decodes on paper.
    subprocess.run(["pdftoppm", "-png", "-r", "100", str(pdf_file), str(tmp_path / "page")],
                   check=True)
    page = next(tmp_path.glob("page*.png"))
    out = subprocess.run(["zbarimg", "-q", str(page)], capture_output=True, text=True)
    assert out.stdout.strip() == f"QR-Code:{ref}"


LONG = ("顾客反映在二楼餐饮区用餐后出现腹痛，商户服务员态度恶劣，拒绝提供发票并且多次推诿责任，"
        "顾客要求商场调取监控核实情况并给予书面答复。") * 60


@pytest.mark.parametrize("fmt", FORMATS)
def test_very_long_chinese_description_fits_the_format_wrapped_inside_the_page(
        db: Database, clerk: Actor, fixed_clock: Any, fmt: str) -> None:
    ref = log(db, clerk, description=LONG)
    pdf = slip(db, ref, fmt, "zh-Hans")
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    text = pypdf_text(pdf).replace("\n", "")
    assert "顾客反映在二楼餐饮区用餐后出现腹痛" in text
    if fmt == "a5":
        assert "…" in text
        assert len(re.findall("腹痛", text)) < 10  # shortened: an A5 page holds what it holds
    else:
        # A roll is as long as its content: the customer takes the whole complaint home.
        assert "…" not in text and len(re.findall("腹痛", text)) == 60
    if shutil.which("pdftotext"):
        width = float(reader.pages[0].mediabox.width)
        words = re.findall(r'xMax="([\d.]+)"', poppler_text(pdf, "-bbox"))
        # Inside the paper's margin (a hanging full-width comma's box may reach into it).
        assert words and max(float(x) for x in words) <= width - 2 * MM
        for line in poppler_text(pdf, "-layout").splitlines():
            # Chinese punctuation never starts a line (it hangs at the end of the one before).
            assert not re.match(r"\s*[，。、；：！？]", line), line


def test_receipt_is_80mm_wide_and_as_long_as_its_content(db: Database, ref: str,
                                                         clerk: Actor) -> None:
    short = PdfReader(io.BytesIO(slip(db, ref, "receipt80"))).pages[0].mediabox
    longer_ref = log(db, clerk, description=LONG)
    long = PdfReader(io.BytesIO(slip(db, longer_ref, "receipt80"))).pages[0].mediabox
    assert float(short.width) == pytest.approx(80 * MM)
    # The whole description is printed: 3,360 hanzi make a roll about 1.2 m long.
    assert 100 * MM < float(short.height) < 300 * MM < float(long.height) < 1500 * MM


def test_a5_page_size(db: Database, ref: str) -> None:
    box = PdfReader(io.BytesIO(slip(db, ref, "a5"))).pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx((148 * MM, 210 * MM), abs=1)


@needs_poppler
def test_emoji_is_dropped_and_a_missing_glyph_is_marked(db: Database, clerk: Actor,
                                                        fixed_clock: Any) -> None:
    ref = log(db, clerk, description="冰箱坏了😡👍🏻 请尽快处理")
    text = poppler_text(slip(db, ref, "a5", "zh-Hans"))
    assert "冰箱坏了 请尽快处理" in text
    # The shipped font has no glyph for 𠮷 (CJK extension B): marked, not a silent box.
    assert printable("𠮷野家") == f"{MISSING_MARK}野家"


def test_resolved_on_the_spot_shows_the_resolution_instead_of_promises(
        db: Database, clerk: Actor, fixed_clock: Any) -> None:
    from app.services.intake import OnTheSpot

    ref = log(db, clerk, on_the_spot=OnTheSpot(["apology"], "当场致歉并更换", verdict="true"))
    text = pypdf_text(slip(db, ref, "a5", "en"))
    assert "Resolved at" in text
    assert "We will contact you by" not in text


def test_logo_is_drawn_when_set_and_a_broken_one_is_skipped(db: Database, ref: str,
                                                            tmp_path: Path) -> None:
    from PIL import Image

    logo = tmp_path / "logo.png"
    Image.new("RGB", (120, 40), (200, 30, 30)).save(logo)
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"not an image")
    detail = get_detail(db, ref)
    settings = read_settings(db)
    for fmt in FORMATS:
        with_logo = build_slip(detail, {**settings, "business_logo": str(logo)}, fmt)
        assert "/Image" in str(PdfReader(io.BytesIO(with_logo)).pages[0]["/Resources"])
        for bad in (str(broken), str(tmp_path / "missing.png")):
            pdf = build_slip(detail, {**settings, "business_logo": bad}, fmt)
            assert ref in pypdf_text(pdf)


def test_language_argument_leaves_the_current_language_alone(db: Database, ref: str) -> None:
    set_language("zh-Hans")
    detail = get_detail(db, ref)
    text = pypdf_text(build_slip(detail, read_settings(db), "a5", lang="zh-Hant"))
    assert "投訴受理單" in text
    assert get_language() == "zh-Hans"


def test_write_slip_writes_whole_files_and_nothing_for_an_unknown_reference(
        db: Database, ref: str, tmp_path: Path) -> None:
    out = tmp_path / "out" / "slip.pdf"
    assert write_slip(db, ref, out, "receipt80", lang="zh-Hans") == out
    assert out.read_bytes().startswith(b"%PDF")
    assert [p.name for p in out.parent.iterdir()] == ["slip.pdf"]  # no temporary left over
    with pytest.raises(NotFound):
        write_slip(db, "TS-20990101-0001", tmp_path / "none.pdf")
    assert not (tmp_path / "none.pdf").exists()
    with pytest.raises(ValueError):
        write_slip(db, ref, tmp_path / "bad.pdf", "a4-landscape")
