"""Database tables (SQLAlchemy 2.x typed ORM). Codes are plain strings (see app/codes.py).

Amounts are kept in cents (integers) so SQLite and PostgreSQL agree exactly.
Times are naive local times of the business (app/clock.py).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# Stable constraint names so Alembic migrations (and SQLite batch mode) can address them.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# Column lengths: validation refuses longer text with a message instead of truncating.
NAME_LEN = 100
PHONE_LEN = 32
EMAIL_LEN = 254
SHORT_LEN = 200
TEXT_LEN = 10_000


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dict[str, Any]: JSON, list[str]: JSON}


class Setting(Base):
    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[str] = mapped_column(Text)  # JSON text


class ListValue(Base):
    """Editable pick lists: kind is category, subject, department, root_cause, solution_type."""

    __tablename__ = "list_values"
    __table_args__ = (UniqueConstraint("kind", "code", name="uq_list_values_kind_code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    code: Mapped[str] = mapped_column(String(SHORT_LEN))
    label_zh_hans: Mapped[str] = mapped_column(String(SHORT_LEN))
    label_zh_hant: Mapped[str] = mapped_column(String(SHORT_LEN))
    label_en: Mapped[str] = mapped_column(String(SHORT_LEN))
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    def label(self, lang: str) -> str:
        return {"zh-Hans": self.label_zh_hans, "zh-Hant": self.label_zh_hant}.get(
            lang, self.label_en
        )


class Phrase(Base):
    """Standard phrases (话术) a clerk inserts while talking to a customer (app/services/
    phrases.py). One row per language; `category` is a category code, None for every one."""

    __tablename__ = "phrases"
    __table_args__ = (Index("ix_phrases_language_kind", "language", "kind"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # app/codes.py PHRASE_KINDS
    category: Mapped[str | None] = mapped_column(String(SHORT_LEN))
    language: Mapped[str] = mapped_column(String(10))  # zh-Hans | zh-Hant | en
    text: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(NAME_LEN), unique=True)
    display_name: Mapped[str] = mapped_column(String(NAME_LEN))
    role: Mapped[str] = mapped_column(String(20))  # clerk | supervisor | admin
    password_hash: Mapped[str | None] = mapped_column(String(300))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class Customer(Base):
    __tablename__ = "customers"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME_LEN))
    # Normalised phone is the customer's key (app/phones.py); None for anonymous letters etc.
    phone: Mapped[str | None] = mapped_column(String(PHONE_LEN), unique=True)
    email: Mapped[str | None] = mapped_column(String(EMAIL_LEN))
    tier: Mapped[str] = mapped_column(String(20), default="ordinary")
    anonymised_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class ReferenceCounter(Base):
    """Last number handed out per day: TS-YYYYMMDD-NNNN is never reused (app/references.py)."""

    __tablename__ = "reference_counters"
    day: Mapped[str] = mapped_column(String(8), primary_key=True)
    last: Mapped[int] = mapped_column(Integer)


class Complaint(Base):
    __tablename__ = "complaints"
    __table_args__ = (
        Index("ix_complaints_stage_due", "stage", "due_at"),
        Index("ix_complaints_received_at", "received_at"),
        # With received_at and due_at: "open / overdue at a date" (closed later or never) is
        # answered from the index alone (app/services/stats.py).
        Index("ix_complaints_closed_at", "closed_at", "received_at", "due_at"),
        Index("ix_complaints_resolved_at", "resolved_at"),
        Index("ix_complaints_customer", "customer_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(24), unique=True)
    external_id: Mapped[str | None] = mapped_column(String(SHORT_LEN), unique=True)
    version: Mapped[int] = mapped_column(Integer, default=1)

    # Intake
    received_at: Mapped[datetime] = mapped_column(DateTime)
    channel: Mapped[str] = mapped_column(String(20))
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"))
    subject_id: Mapped[int | None] = mapped_column(ForeignKey("list_values.id"))
    category_id: Mapped[int | None] = mapped_column(ForeignKey("list_values.id"))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("list_values.id"))
    location: Mapped[str | None] = mapped_column(String(SHORT_LEN))
    staff_involved: Mapped[str | None] = mapped_column(String(SHORT_LEN))
    description: Mapped[str] = mapped_column(Text)
    emotion: Mapped[str | None] = mapped_column(String(20))
    demands: Mapped[list[str]] = mapped_column(JSON, default=list)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    is_repeat: Mapped[bool] = mapped_column(Boolean, default=False)
    imported_from: Mapped[str | None] = mapped_column(String(SHORT_LEN))

    # Assessment and workflow
    stage: Mapped[str] = mapped_column(String(20), default="new")
    severity: Mapped[str] = mapped_column(String(20), default="normal")
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    verified: Mapped[str | None] = mapped_column(String(20))
    first_contact_due_at: Mapped[datetime | None] = mapped_column(DateTime)
    first_contact_at: Mapped[datetime | None] = mapped_column(DateTime)
    due_at: Mapped[datetime | None] = mapped_column(DateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)
    close_reason: Mapped[str | None] = mapped_column(String(SHORT_LEN))
    withdrawn: Mapped[bool] = mapped_column(Boolean, default=False)
    reopen_count: Mapped[int] = mapped_column(Integer, default=0)
    # The SLA clock pauses while the desk waits on the customer (app/sla.py).
    paused_since: Mapped[datetime | None] = mapped_column(DateTime)
    paused_minutes: Mapped[int] = mapped_column(Integer, default=0)
    satisfaction: Mapped[int | None] = mapped_column(Integer)
    # When the incident happened, where the file said so apart from when it was received.
    # added_later: rows sealed before the column existed keep their seal (app/audit.py).
    occurred_at: Mapped[datetime | None] = mapped_column(DateTime, info={"added_later": True})
    updated_at: Mapped[datetime] = mapped_column(DateTime)

    customer: Mapped[Customer | None] = relationship(lazy="raise")
    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id], lazy="raise")
    category: Mapped[ListValue | None] = relationship(foreign_keys=[category_id], lazy="raise")
    subject: Mapped[ListValue | None] = relationship(foreign_keys=[subject_id], lazy="raise")
    department: Mapped[ListValue | None] = relationship(
        foreign_keys=[department_id], lazy="raise"
    )

    __mapper_args__ = {"version_id_col": version}


class ComplaintEvent(Base):
    """The complaint's timeline: one row per change, move, note, contact, approval, revisit."""

    __tablename__ = "complaint_events"
    __table_args__ = (
        Index("ix_complaint_events_complaint", "complaint_id", "id"),
        Index("ix_complaint_events_kind_at", "kind", "at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"))
    at: Mapped[datetime] = mapped_column(DateTime)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor_name: Mapped[str] = mapped_column(String(NAME_LEN))
    kind: Mapped[str] = mapped_column(String(30))  # see app/timeline.py
    # The stage entered by this event, if any: lets statistics rebuild the stage at a date.
    to_stage: Mapped[str | None] = mapped_column(String(20))
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class Contact(Base):
    __tablename__ = "contacts"
    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    method: Mapped[str] = mapped_column(String(20))
    summary: Mapped[str] = mapped_column(Text)
    unreachable: Mapped[bool] = mapped_column(Boolean, default=False)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class Investigation(Base):
    __tablename__ = "investigations"
    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), unique=True)
    findings: Mapped[str | None] = mapped_column(Text)
    root_cause: Mapped[str | None] = mapped_column(String(SHORT_LEN))
    responsibility: Mapped[str | None] = mapped_column(String(20))
    evidence: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class Solution(Base):
    """One entry of the compensation ledger (app/rules/compensation.py): a solution proposed
    for a complaint, with its approval, the customer's agreement and its implementation.

    Entries are added, never overwritten: a revised proposal is a new entry (the one it
    replaces gets `superseded_at`), a reopen starts a new `round` and the entries carried out
    before it stay as they were."""

    __tablename__ = "solutions"
    __table_args__ = (Index("ix_solutions_complaint", "complaint_id", "id"),
                      Index("ix_solutions_implemented_at", "implemented_at"))
    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"))
    # The complaint's reopen count when proposed: entries of earlier rounds are settled.
    round: Mapped[int] = mapped_column(Integer, default=0)
    types: Mapped[list[str]] = mapped_column(JSON, default=list)  # in the order chosen
    # Cents per type, every type of `types` once ({} only for entries recorded before amounts
    # were kept per type whose solution had several types: then only the total is known).
    amounts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    amount_cents: Mapped[int] = mapped_column(Integer, default=0)  # the total
    description: Mapped[str | None] = mapped_column(Text)
    approval_state: Mapped[str] = mapped_column(String(20), default="not_needed")
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_at: Mapped[datetime | None] = mapped_column(DateTime)
    approval_comment: Mapped[str | None] = mapped_column(Text)
    customer_agreed_at: Mapped[datetime | None] = mapped_column(DateTime)
    implemented_at: Mapped[datetime | None] = mapped_column(DateTime)
    implementation: Mapped[str | None] = mapped_column(Text)
    implemented_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    proposed_at: Mapped[datetime] = mapped_column(DateTime)
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # When a later proposal replaced this one before it was carried out.
    superseded_at: Mapped[datetime | None] = mapped_column(DateTime)


class Revisit(Base):
    __tablename__ = "revisits"
    __table_args__ = (Index("ix_revisits_due", "done_at", "scheduled_for"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    scheduled_for: Mapped[date] = mapped_column(Date)
    done_at: Mapped[datetime | None] = mapped_column(DateTime)
    method: Mapped[str | None] = mapped_column(String(20))
    satisfaction: Mapped[int | None] = mapped_column(Integer)
    comment: Mapped[str | None] = mapped_column(Text)
    satisfied: Mapped[bool | None] = mapped_column(Boolean)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class Escalation(Base):
    """A complaint escalated to the supervisors (app/rules/escalation.py), by a rule or by
    hand; each is an alert for the supervisors until one of them marks it handled.

    `key` says which thing was escalated (the first contact, the resolution of a round, a
    severity ...): unique per complaint, so two counters recording the same rule at once make
    one row. Escalations by hand have no key (each has its reason)."""

    __tablename__ = "escalations"
    __table_args__ = (
        UniqueConstraint("complaint_id", "key", name="uq_escalations_complaint_key"),
        Index("ix_escalations_at", "at"),
        Index("ix_escalations_open", "handled_at", "at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"))
    rule: Mapped[str] = mapped_column(String(30))  # app/rules/escalation.py RULES
    key: Mapped[str | None] = mapped_column(String(60))
    at: Mapped[datetime] = mapped_column(DateTime)  # when the rule fired (a due time ...)
    recorded_at: Mapped[datetime] = mapped_column(DateTime)  # when the program wrote it
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # by hand: who
    reason: Mapped[str | None] = mapped_column(Text)  # by hand: why
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    handled_at: Mapped[datetime | None] = mapped_column(DateTime)
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    handled_note: Mapped[str | None] = mapped_column(Text)
class SurveyQuestion(Base):
    """A question of the satisfaction questionnaire asked at revisits (app/services/
    questionnaire.py), worded in the three languages.

    Once answered, a question's wording never changes: a new wording is a new row that
    `replaces_id` the old one (which gets `replaced_at`), so every answer keeps the question
    it was given to."""

    __tablename__ = "survey_questions"
    id: Mapped[int] = mapped_column(primary_key=True)
    # A default question's code (app/survey_defaults.py), kept by its new wordings; None for a
    # question a supervisor wrote.
    code: Mapped[str | None] = mapped_column(String(40))
    label_zh_hans: Mapped[str] = mapped_column(String(SHORT_LEN))
    label_zh_hant: Mapped[str] = mapped_column(String(SHORT_LEN))
    label_en: Mapped[str] = mapped_column(String(SHORT_LEN))
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("survey_questions.id"))
    replaced_at: Mapped[datetime | None] = mapped_column(DateTime)

    def label(self, lang: str) -> str:
        return {"zh-Hans": self.label_zh_hans, "zh-Hant": self.label_zh_hant}.get(
            lang, self.label_en)


class RevisitAnswer(Base):
    """One answer (1-5) to one questionnaire question at one revisit."""

    __tablename__ = "revisit_answers"
    __table_args__ = (
        UniqueConstraint("revisit_id", "question_id", name="uq_revisit_answers_revisit_question"),
        Index("ix_revisit_answers_question", "question_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    revisit_id: Mapped[int] = mapped_column(ForeignKey("revisits.id"))
    question_id: Mapped[int] = mapped_column(ForeignKey("survey_questions.id"))
    score: Mapped[int] = mapped_column(Integer)


class TypicalCase(Base):
    """A closed complaint a supervisor chose as a typical case (典型案例) for training, with
    the lesson learned (app/services/typical_cases.py)."""

    __tablename__ = "typical_cases"
    __table_args__ = (Index("ix_typical_cases_marked_at", "marked_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), unique=True)
    title: Mapped[str] = mapped_column(String(SHORT_LEN))
    lesson: Mapped[str] = mapped_column(Text)
    marked_at: Mapped[datetime] = mapped_column(DateTime)
    marked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class Attachment(Base):
    __tablename__ = "attachments"
    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    original_name: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(255))  # relative to the attachments folder
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    added_at: Mapped[datetime] = mapped_column(DateTime)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class AttachmentBlob(Base):
    """The content of attachment files on a server database (several counters), one row per
    distinct content: the same photo attached twice is stored once. Attachments of a SQLite
    database stay files in its data folder (app/services/attachments.py). Not sealed by the
    audit trail: `attachments.sha256` (sealed) names the content, and `check` verifies it."""

    __tablename__ = "attachment_blobs"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    added_at: Mapped[datetime] = mapped_column(DateTime)


class SchemaInfo(Base):
    """Which program version brought the database to each schema revision (app/schema_versions
    .py): a counter with an older program reads it to say which version to update to."""

    __tablename__ = "schema_info"
    revision: Mapped[str] = mapped_column(String(64), primary_key=True)
    program_version: Mapped[str] = mapped_column(String(40))
    migrated_at: Mapped[datetime] = mapped_column(DateTime)


improvement_action_complaints = Table(
    "improvement_action_complaints",
    Base.metadata,
    Column("action_id", ForeignKey("improvement_actions.id"), primary_key=True),
    Column("complaint_id", ForeignKey("complaints.id"), primary_key=True),
)


class ImprovementAction(Base):
    __tablename__ = "improvement_actions"
    id: Mapped[int] = mapped_column(primary_key=True)
    action: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(NAME_LEN))
    due_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="open")
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    complaints: Mapped[list[Complaint]] = relationship(
        secondary=improvement_action_complaints, lazy="raise"
    )


class AuditEvent(Base):
    """The audit trail (app/audit.py): one row per action, each holding the hash of the one
    before, so that a past row edited or deleted in the file breaks the chain.

    `data` and `seals` are the exact canonical JSON texts that were hashed. No foreign keys:
    the trail must never stop an account or a complaint row from changing."""

    __tablename__ = "audit_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(DateTime)
    actor_id: Mapped[int | None] = mapped_column(Integer)
    actor_name: Mapped[str] = mapped_column(String(NAME_LEN))
    action: Mapped[str] = mapped_column(String(40))
    target: Mapped[str] = mapped_column(String(SHORT_LEN))
    data: Mapped[str] = mapped_column(Text)
    seals: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHead(Base):
    """The newest audit event (a single row, id 1). Writers lock it before appending, so two
    counters writing at once still make one chain; it also shows when the newest events
    were cut off. `max_ids` (JSON) is the highest row id per table the trail accounts for."""

    __tablename__ = "audit_head"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_id: Mapped[int] = mapped_column(Integer)
    last_hash: Mapped[str] = mapped_column(String(64))
    max_ids: Mapped[str] = mapped_column(Text)


class AuditSeal(Base):
    """The latest fingerprint of each row the program wrote (None once deleted), with the
    audit event that recorded it: `check` and the sign-in compare the rows with it."""

    __tablename__ = "audit_seals"
    table_name: Mapped[str] = mapped_column(String(40), primary_key=True)
    row_key: Mapped[str] = mapped_column(String(SHORT_LEN), primary_key=True)
    audit_id: Mapped[int] = mapped_column(Integer)
    fingerprint: Mapped[str | None] = mapped_column(String(64))
