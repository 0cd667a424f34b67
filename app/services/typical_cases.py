"""Typical cases (hotel ch. 10, 典型案例): a supervisor chooses a closed complaint as a case for
training, with a title and the lesson learned; everyone reads the list of cases and prints a
case's sheet (app/reports/case_sheet.py) for a training meeting.

A case is not an edit of the complaint (app/rules/edits.py CASE_STAGES: closed complaints
only); choosing, changing and dropping a case are on the complaint's timeline and in the
audit trail. What the list and the sheet show of the complaint is anonymised
(case_sheet_data): no customer name, phone or email, and no staff member named.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session, aliased

from app import clock, validation
from app.db import Database
from app.errors import NotFound
from app.i18n import N_, get_language
from app.models import SHORT_LEN, Complaint, ListValue, TypicalCase, User
from app.permissions import MARK_TYPICAL_CASE, SEE_TYPICAL_CASES, require
from app.rules.edits import require_case_stage
from app.services.common import SYSTEM, Actor, Saved, load_complaint, touch
from app.services.search_index import like_pattern
from app.timeline import record

TITLE_LEN = 100  # a line in the case list and the sheet's heading
LESSON_LEN = 1200  # what a trainer reads out; the sheet keeps it whole on one page
REASON_LEN = SHORT_LEN


@dataclass(frozen=True)
class CaseInfo:
    """The case of one complaint, for its panel."""

    title: str
    lesson: str
    marked_at: datetime
    marked_by: str
    updated_at: datetime


@dataclass(frozen=True)
class CaseRow:
    """A line of the case list (nothing personal in it)."""

    reference: str
    title: str
    lesson: str
    category: str | None  # codes; labels in the language read
    department: str | None
    labels: dict[str, str]  # category / department labels
    severity: str
    received_at: datetime
    closed_at: datetime | None
    stage: str  # "closed" unless reopened since it was chosen
    marked_at: datetime
    marked_by: str


def _clean(title: str, lesson: str) -> tuple[str, str]:
    t = validation.text("case_title", title, TITLE_LEN, required=True)
    lesson_text = validation.text("lesson", lesson, LESSON_LEN, required=True)
    assert t is not None and lesson_text is not None
    return t, lesson_text


def _case(session: Session, complaint_id: int) -> TypicalCase | None:
    return session.scalar(select(TypicalCase).where(TypicalCase.complaint_id == complaint_id))


def case_of(db: Database, reference: str) -> CaseInfo | None:
    """The complaint's case, or None; NotFound for an unknown reference."""
    with db.read() as session:
        c = load_complaint(session, reference)
        case = _case(session, c.id)
        if case is None:
            return None
        by = session.get(User, case.marked_by_id) if case.marked_by_id else None
        return CaseInfo(case.title, case.lesson, case.marked_at,
                        by.display_name if by else "", case.updated_at)


def mark_case(db: Database, reference: str, *, title: str, lesson: str, actor: Actor = SYSTEM,
              expected_version: int | None = None) -> Saved:
    """Choose a closed complaint as a typical case, or change its title and lesson."""
    require(actor, MARK_TYPICAL_CASE)
    clean_title, clean_lesson = _clean(title, lesson)
    now = clock.now()
    with db.write() as session:
        c = load_complaint(session, reference, expected_version)
        require_case_stage(c.stage)
        case = _case(session, c.id)
        if case is None:
            session.add(TypicalCase(complaint_id=c.id, title=clean_title, lesson=clean_lesson,
                                    marked_at=now, marked_by_id=actor.user_id, updated_at=now))
            record(session, c, "case_marked", actor.user_id, actor.name, now, title=clean_title)
        elif (case.title, case.lesson) != (clean_title, clean_lesson):
            case.title, case.lesson, case.updated_at = clean_title, clean_lesson, now
            record(session, c, "case_changed", actor.user_id, actor.name, now,
                   title=clean_title)
        else:
            return Saved(c.reference, c.stage, c.version)
        touch(c, now)
        session.flush()
        return Saved(c.reference, c.stage, c.version)


def unmark_case(db: Database, reference: str, *, reason: str, actor: Actor = SYSTEM,
                expected_version: int | None = None) -> Saved:
    """The complaint is no longer a typical case (with why: the timeline keeps it)."""
    require(actor, MARK_TYPICAL_CASE)
    why = validation.text("reason", reason, REASON_LEN, required=True)
    now = clock.now()
    with db.write() as session:
        c = load_complaint(session, reference, expected_version)
        case = _case(session, c.id)
        if case is None:
            raise NotFound(N_("Complaint {reference} is not a typical case."),
                           reference=c.reference)
        session.delete(case)
        record(session, c, "case_unmarked", actor.user_id, actor.name, now, reason=why,
               title=case.title)
        touch(c, now)
        session.flush()
        return Saved(c.reference, c.stage, c.version)


# --- the list --------------------------------------------------------------------------------


def _rows(session: Session, *where: ColumnElement[bool]) -> list[CaseRow]:
    lang = get_language()
    cat, dept = aliased(ListValue), aliased(ListValue)
    q = (select(TypicalCase, Complaint.reference, cat, dept, Complaint.severity,
                Complaint.received_at, Complaint.closed_at, Complaint.stage, User.display_name)
         .join(Complaint, Complaint.id == TypicalCase.complaint_id)
         .outerjoin(cat, cat.id == Complaint.category_id)
         .outerjoin(dept, dept.id == Complaint.department_id)
         .outerjoin(User, User.id == TypicalCase.marked_by_id)
         .where(*where)
         .order_by(TypicalCase.marked_at.desc(), TypicalCase.id.desc()))
    out = []
    for case, ref, c_value, d_value, severity, received, closed, stage, by in session.execute(q):
        labels = {name: v.label(lang) for name, v in (("category", c_value),
                                                      ("department", d_value)) if v is not None}
        out.append(CaseRow(ref, case.title, case.lesson, c_value.code if c_value else None,
                           d_value.code if d_value else None, labels, severity, received,
                           closed, stage, case.marked_at, by or ""))
    return out


def list_cases(db: Database, text: str = "", category: str | None = None, *,
               actor: Actor = SYSTEM) -> list[CaseRow]:
    """Every typical case, newest first; `text` finds words of the title, the lesson, the
    reference, the category or the department (in any language); `category` is a code."""
    require(actor, SEE_TYPICAL_CASES)
    where: list[ColumnElement[bool]] = []
    with db.read() as session:
        words = validation.clean_text(text).split()
        for word in words:
            pattern = like_pattern(word.casefold())
            labels = select(ListValue.id).where(or_(*(
                func.lower(col).like(pattern, escape="\\") for col in (
                    ListValue.label_zh_hans, ListValue.label_zh_hant, ListValue.label_en,
                    ListValue.code))))
            where.append(or_(
                func.lower(TypicalCase.title).like(pattern, escape="\\"),
                func.lower(TypicalCase.lesson).like(pattern, escape="\\"),
                func.lower(Complaint.reference).like(pattern, escape="\\"),
                Complaint.category_id.in_(labels), Complaint.department_id.in_(labels)))
        if category:
            where.append(Complaint.category_id.in_(select(ListValue.id).where(
                ListValue.kind == "category", ListValue.code == category)))
        return _rows(session, *where)


def cases_marked_in(session: Session, start: datetime, end: datetime) -> list[CaseRow]:
    """The cases chosen in a period (the monthly report's list; month_stats' typical_cases),
    oldest first."""
    rows = _rows(session, TypicalCase.marked_at >= start, TypicalCase.marked_at < end)
    return rows[::-1]
