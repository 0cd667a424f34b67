"""escalations to the supervisors (alerts), and when the clock rules start

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 12:00:00

`escalations` holds each complaint escalated to the supervisors by a rule or by hand
(app/rules/escalation.py), with who handled it. The clock rules (first contact or resolution
overdue) apply to due times from the upgrade on: the setting row `escalation_clock_since`
records that moment, so an upgraded desk's old overdue complaints do not become alerts dated
months ago (the board still shows them overdue). The verdict of the investigation keeps its
column and codes (`complaints.verified`: true / unfounded / not_verifiable).
"""
import json

import sqlalchemy as sa
from alembic import op

from app import clock

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

settings = sa.table("settings", sa.column("key", sa.String), sa.column("value", sa.Text))
SINCE_KEY = "escalation_clock_since"


def upgrade() -> None:
    op.create_table(
        "escalations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("rule", sa.String(length=30), nullable=False),
        sa.Column("key", sa.String(length=60), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("by_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("handled_at", sa.DateTime(), nullable=True),
        sa.Column("handled_by_id", sa.Integer(), nullable=True),
        sa.Column("handled_note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["complaint_id"], ["complaints.id"],
                                name=op.f("fk_escalations_complaint_id_complaints")),
        sa.ForeignKeyConstraint(["by_id"], ["users.id"], name=op.f("fk_escalations_by_id_users")),
        sa.ForeignKeyConstraint(["handled_by_id"], ["users.id"],
                                name=op.f("fk_escalations_handled_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_escalations")),
        sa.UniqueConstraint("complaint_id", "key", name="uq_escalations_complaint_key"),
    )
    op.create_index("ix_escalations_at", "escalations", ["at"])
    op.create_index("ix_escalations_open", "escalations", ["handled_at", "at"])
    now = clock.now().isoformat(sep=" ")
    conn = op.get_bind()
    conn.execute(settings.insert().values(key=SINCE_KEY, value=json.dumps(
        {"first_contact_overdue": now, "resolution_overdue": now})))
    # A settings row the program did not write one by one: the audit trail seals it.
    conn.info.setdefault("reseal_tables", set()).add("settings")


def downgrade() -> None:
    op.get_bind().execute(settings.delete().where(settings.c.key == SINCE_KEY))
    op.drop_index("ix_escalations_open", table_name="escalations")
    op.drop_index("ix_escalations_at", table_name="escalations")
    op.drop_table("escalations")
