"""What the import screen shows before anything is imported: the file as read (encoding,
delimiter, sheet, first rows), each column's distinct values and date order, and mappings
suggested from the header's names and the values' labels. Reads the file, never the
database."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from app.codes import CHANNELS, SEVERITIES, STAGES, TIERS, msgids
from app.errors import DeskError
from app.i18n import LANGUAGES, translate
from app.services.csv_mapping import IMPORT_FIELDS
from app.services.import_dates import DateColumn
from app.services.import_source import as_text, open_source

SAMPLE_ROWS = 20
MAX_VALUES = 40  # distinct values offered for a value map
# Fields whose file values are mapped to our codes on the screen.
CODED = {"channel": ("channel", CHANNELS), "stage": ("stage", STAGES),
         "severity": ("severity", SEVERITIES), "tier": ("tier", TIERS)}

# Header names (casefolded) that suggest a field: Chinese (both scripts) and English, as
# complaint exports from hotlines, WeChat forms and CFPB-style datasets name them.
_HEADER_NAMES: dict[str, tuple[str, ...]] = {
    "received_at": ("投诉时间", "投訴時間", "受理日期", "受理时间", "受理時間", "登记时间",
                    "登記時間", "提交时间", "提交時間", "日期", "date received", "received",
                    "received at", "received_at", "date", "created", "created at"),
    "description": ("投诉内容", "投訴內容", "内容", "內容", "问题描述", "問題描述", "描述",
                    "issue", "description", "complaint", "details", "narrative",
                    "consumer complaint narrative"),
    "customer_name": ("客户姓名", "客戶姓名", "姓名", "顾客姓名", "顧客姓名", "customer name",
                      "consumer name", "name", "customer", "customer_name"),
    "phone": ("电话", "電話", "手机", "手機", "联系电话", "聯絡電話", "phone", "telephone",
              "mobile", "tel"),
    "email": ("邮箱", "電郵", "电子邮件", "電子郵件", "email", "e-mail"),
    "channel": ("渠道", "来源", "來源", "投诉渠道", "投訴渠道", "submitted via", "channel",
                "source"),
    "category": ("类别", "類別", "分类", "分類", "投诉类别", "投訴類別", "product",
                 "category"),
    "subject": ("投诉对象", "投訴對象", "对象", "對象", "sub-product", "subject"),
    "severity": ("严重程度", "嚴重程度", "级别", "級別", "priority", "severity"),
    "department": ("部门", "部門", "店铺", "店鋪", "商户", "商戶", "company", "department",
                   "shop"),
    "location": ("地点", "地點", "位置", "location", "state", "place"),
    "external_id": ("编号", "編號", "投诉编号", "投訴編號", "工单号", "工單號", "complaint id", "id", "ticket",
                    "external_id"),
    "stage": ("状态", "狀態", "处理状态", "處理狀態", "status", "stage",
              "company response to consumer"),
    "resolved_at": ("解决时间", "解決時間", "处理完成时间", "date resolved", "resolved",
                    "resolved at", "resolved_at"),
    "closed_at": ("关闭时间", "關閉時間", "结案时间", "結案時間", "date closed", "closed",
                  "closed at", "closed_at"),
    "satisfaction": ("满意度", "滿意度", "评分", "評分", "satisfaction", "rating"),
    "occurred_at": ("发生时间", "發生時間", "事发时间", "事發時間", "occurred", "occurred at",
                    "incident date", "occurred_at"),
    "tier": ("客户等级", "客戶等級", "会员等级", "會員等級", "tier", "customer tier"),
    "customer_demand": ("诉求", "訴求", "客户诉求", "客戶訴求", "wants", "demand",
                        "customer demand", "customer_demand"),
}
# Common file values of coded fields that no label of ours says.
_VALUE_WORDS = {
    "channel": {"web": "online", "referral": "transferred", "postal mail": "letter",
                "fax": "other", "微信": "online", "网上": "online", "網上": "online",
                "来电": "phone", "來電": "phone", "现场": "counter", "現場": "counter",
                "walk-in": "counter", "in person": "counter", "信件": "letter"},
    "stage": {"closed": "closed", "solved": "closed", "resolved": "follow_up", "open": "new",
              "in progress": "in_progress", "已解决": "closed", "已解決": "closed",
              "已结案": "closed", "已結案": "closed", "处理中": "in_progress",
              "新登记": "new", "新登記": "new", "新建": "new", "已受理": "new",
              "待回访": "follow_up", "待回訪": "follow_up",
              "處理中": "in_progress", "待处理": "new", "待處理": "new"},
    "severity": {"high": "serious", "low": "minor", "medium": "normal", "critical": "urgent",
                 "高": "serious", "中": "normal", "低": "minor", "紧急": "urgent", "緊急": "urgent"},
}


@dataclass
class ColumnFacts:
    name: str
    values: list[tuple[str, int]]  # distinct values (as text) with counts, most frequent first
    distinct: int
    date_order: str | None = None  # "dmy" / "mdy" when its values settle it
    date_question: str | None = None  # why its numeric dates cannot be read without date_order


@dataclass
class FilePreview:
    name: str
    kind: str
    header: list[str]
    rows: list[list[str]]  # the first rows as read, as text
    row_count: int
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    sheets: list[str] = field(default_factory=list)
    columns: list[ColumnFacts] = field(default_factory=list)


def preview_file(path: str | Path, sheet: str | None = None, encoding: str | None = None,
                 ) -> FilePreview:
    """The file as the import would read it. Raises DeskError when it cannot be read."""
    source = open_source(Path(path), sheet=sheet, encoding=encoding)
    width = len(source.header)
    counters: list[Counter[str]] = [Counter() for _ in range(width)]
    dates = [DateColumn("", name) for name in source.header]
    rows: list[list[str]] = []
    count = 0
    for line, cells in source.walk(None):
        count += 1
        texts = [as_text(cells[i]) if i < len(cells) else "" for i in range(width)]
        if len(rows) < SAMPLE_ROWS:
            rows.append(texts)
        for i, text in enumerate(texts):
            counter = counters[i]
            if text and (text in counter or len(counter) < 2000):
                counter[text] += 1
            dates[i].observe(line, cells[i] if i < len(cells) else None)
    columns = []
    for name, counter, date in zip(source.header, counters, dates, strict=True):
        facts = ColumnFacts(name, counter.most_common(MAX_VALUES), len(counter))
        try:
            date.settle()
            facts.date_order = date.settled
        except DeskError as e:
            facts.date_question = e.message()
        columns.append(facts)
    return FilePreview(source.name, source.kind, source.header, rows, count, source.encoding,
                       source.delimiter, source.sheet, source.sheets, columns)


def _fold(text: str) -> str:
    return " ".join(text.replace("_", " ").split()).casefold()


def suggest_mapping(header: list[str]) -> dict[str, str]:
    """field -> column, from header names in Chinese or English (each column used once)."""
    folded = {_fold(h): h for h in header if h}
    taken: set[str] = set()
    result: dict[str, str] = {}
    for key in IMPORT_FIELDS:
        for name in _HEADER_NAMES.get(key, ()):
            column = folded.get(_fold(name))
            if column is not None and column not in taken:
                result[key] = column
                taken.add(column)
                break
    return result


_TIME_NAMES = ("时间", "時間", "受理时间", "受理時間", "time", "time received")


def suggest_time_column(header: list[str], date_column: str) -> str:
    """A column of its own for the received time, when the date column is named as a date
    (日期, Date) and another is named as a time (时间, Time)."""
    if not date_column or not any(w in _fold(date_column) for w in ("日期", "date")):
        return ""
    folded = {_fold(h): h for h in header if h and h != date_column}
    return next((folded[n] for n in map(_fold, _TIME_NAMES) if n in folded), "")


def suggest_values(field_name: str, values: list[str]) -> dict[str, str]:
    """file value -> our code for a coded field: by code, by any language's label, or by
    common words; values that match nothing are left for the person."""
    kind, codes = CODED[field_name]
    known: dict[str, str] = {code.casefold(): code for code in codes}
    for lang in LANGUAGES:
        for code, msgid in msgids(kind).items():
            known.setdefault(_fold(translate(msgid, lang)), code)
    for word, code in _VALUE_WORDS.get(field_name, {}).items():
        known.setdefault(word, code)
    found = {value: known.get(_fold(value)) for value in values}
    return {value: code for value, code in found.items() if code is not None}


def value_list(preview: FilePreview, column: str) -> list[str]:
    for facts in preview.columns:
        if facts.name == column:
            return [v for v, _n in facts.values]
    return []
