"""The self-test's checks of what the program makes: the catalogs, the slip in both formats,
the monthly report (their text read back from the PDF by QtPdf, the same engine that prints
them) and the Excel export (read back with openpyxl)."""

from __future__ import annotations

import importlib.metadata
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path

from app.i18n import LANGUAGES, _, catalog_files, catalog_size, ngettext, translate
from ui.selftest.desk import CUSTOMER, MASKED_PHONE, SelfTestDesk
from ui.selftest.outcomes import CheckFailed

Check = tuple[str, Callable[[], str]]
# A text every catalog must translate (the program's name, in the title bar and on pages).
PROGRAM_NAME = "Complaint Desk"


def _has_hanzi(text: str) -> bool:
    return any(unicodedata.name(ch, "").startswith("CJK UNIFIED") for ch in text)


def catalogs_check() -> str:
    """Both Chinese catalogs are there, as complete as each other, and in Chinese; English
    needs none. Qt's own dialog texts (qtbase) are found for both as well."""
    from PySide6.QtCore import QLibraryInfo, QTranslator

    sizes: dict[str, int] = {}
    areas: dict[str, set[str]] = {}
    for lang in LANGUAGES:
        if lang == "en":
            continue
        files = catalog_files(lang)
        if not files:
            raise CheckFailed(_("no catalog files for {language}", language=lang))
        areas[lang] = {f.name for f in files}
        sizes[lang] = catalog_size(lang)
        name = translate(PROGRAM_NAME, lang)
        if name == PROGRAM_NAME or not _has_hanzi(name):
            raise CheckFailed(_("the {language} catalog does not translate the program's "
                                "name", language=lang))
    everywhere = set.intersection(*areas.values())
    lacking = {lang: sorted(names - everywhere) for lang, names in areas.items()}
    if any(lacking.values()):  # one language's file of an area shipped, the other's not
        raise CheckFailed(_("catalog files are not in every language: {files}",
                            files="; ".join(f"{k} {', '.join(v)}" for k, v in lacking.items()
                                            if v)))
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for locale in ("zh_CN", "zh_TW"):
        if not QTranslator().load(f"qtbase_{locale}", folder):
            raise CheckFailed(_("Qt's own texts for {locale} are missing in {folder}",
                                locale=locale, folder=folder))
    return _("{sizes} texts in {files} files each; English; Qt's own zh_CN and zh_TW",
             sizes=", ".join(f"{k} {v}" for k, v in sizes.items()), files=len(everywhere))


def credentials_check() -> str:
    """The credential store's library and its backends load (in the bundle too), and say
    where a server password would be kept on this PC."""
    import keyring
    from keyring.backend import get_all_keyring

    from app.credentials import where_it_would_go

    backends = sorted({type(b).__module__.rsplit(".", 1)[-1] for b in get_all_keyring()})
    if not backends:
        raise CheckFailed(_("keyring {version} found no backends",
                            version=importlib.metadata.version(keyring.__name__)))
    return _("{where} (backends: {backends})", where=where_it_would_go().describe(),
             backends=", ".join(backends))


def pdf_text(path: Path) -> tuple[int, str]:
    """Page count and the text of every page, extracted by QtPdf (PDFium)."""
    from PySide6.QtPdf import QPdfDocument

    document = QPdfDocument()
    error = document.load(str(path))
    if error != QPdfDocument.Error.None_:
        raise CheckFailed(_("QtPdf cannot read {file}: {error}", file=path.name,
                            error=error.name))
    pages = document.pageCount()
    text = "\n".join(document.getAllText(i).text() for i in range(pages))
    document.close()
    return pages, text


def _expect(text: str, wanted: list[str], what: str) -> None:
    missing = [w for w in wanted if w not in text]
    if missing:
        raise CheckFailed(_("{what} lacks: {texts}", what=what, texts=", ".join(missing)))


def slip_check(desk: SelfTestDesk, fmt: str, lang: str) -> Callable[[], str]:
    def check() -> str:
        from app.reports.slip import write_slip
        from app.reports.slip_layout import TITLE

        out = write_slip(desk.database, desk.reference, desk.folder / f"slip-{fmt}.pdf", fmt,
                         lang=lang)
        pages, text = pdf_text(out)
        _expect(text, [translate(TITLE, lang), desk.reference, CUSTOMER, MASKED_PHONE],
                out.name)
        return ngettext("{pages} page, {chars} characters read back, {language}",
                        "{pages} pages, {chars} characters read back, {language}", pages,
                        pages=pages, chars=len(text), language=lang)

    return check


def report_check(desk: SelfTestDesk, lang: str) -> Callable[[], str]:
    def check() -> str:
        from app.reports.monthly import TITLE, write_monthly_report
        from app.reports.texts import ReportTexts

        out = desk.folder / f"report-{desk.month}.pdf"
        report = write_monthly_report(desk.database, desk.month, out, lang, actor=desk.admin)
        pages, text = pdf_text(out)
        tx = ReportTexts(lang)
        _expect(text, [tx._(TITLE), tx.month(desk.month)], out.name)
        if pages != report.pages or report.received <= 0:
            raise CheckFailed(_("{file}: {pages} pages read back, {made} made, {count} "
                                "complaints", file=out.name, pages=pages, made=report.pages,
                                count=report.received))
        return _("{month}: {pages} pages, {count} complaints, {language}",
                 month=desk.month, pages=pages, count=report.received, language=lang)

    return check


def excel_check(desk: SelfTestDesk, lang: str) -> Callable[[], str]:
    def check() -> str:
        from openpyxl import load_workbook

        from app.reports.month_export import COLUMNS, export_month_xlsx
        from app.reports.texts import ReportTexts
        from app.services.stats import month_stats

        out = desk.folder / f"complaints-{desk.month}.xlsx"
        count = export_month_xlsx(desk.database, desk.month, out, lang, actor=desk.admin)
        book = load_workbook(out, read_only=True)
        try:
            sheet = book.worksheets[0]
            rows = list(sheet.iter_rows(values_only=True))
        finally:
            book.close()
        tx = ReportTexts(lang)
        header = [tx._(h) for h, _width in COLUMNS]
        received = month_stats(desk.database, desk.month)["received"]
        if list(rows[0][:len(header)]) != header:
            raise CheckFailed(_("{file}: the header row is not the expected one",
                                file=out.name))
        if not count or len(rows) - 1 != count or count != received:
            raise CheckFailed(_("{file}: {rows} rows, {count} exported, {received} received "
                                "that month", file=out.name, rows=len(rows) - 1, count=count,
                                received=received))
        return _("{file}: {count} complaints, {language}", file=out.name, count=count,
                 language=lang)

    return check


def document_checks(desk: SelfTestDesk) -> Iterator[Check]:
    yield _("slip A5"), slip_check(desk, "a5", "zh-Hans")
    yield _("slip 80 mm"), slip_check(desk, "receipt80", "zh-Hant")
    yield _("monthly report"), report_check(desk, "zh-Hans")
    yield _("Excel export"), excel_check(desk, "zh-Hant")
