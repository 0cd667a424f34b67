"""typical cases: closed complaints chosen for training, with the lesson learned

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-10 09:30:00

A supervisor marks a closed complaint as a typical case (hotel ch. 10, 典型案例) with a title
and the lesson learned; the case list, the case sheet and the monthly report read them.
"""
import sqlalchemy as sa
from alembic import op


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "typical_cases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("lesson", sa.Text(), nullable=False),
        sa.Column("marked_at", sa.DateTime(), nullable=False),
        sa.Column("marked_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["complaint_id"], ["complaints.id"],
                                name=op.f("fk_typical_cases_complaint_id_complaints")),
        sa.ForeignKeyConstraint(["marked_by_id"], ["users.id"],
                                name=op.f("fk_typical_cases_marked_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_typical_cases")),
        sa.UniqueConstraint("complaint_id", name=op.f("uq_typical_cases_complaint_id")),
    )
    op.create_index("ix_typical_cases_marked_at", "typical_cases", ["marked_at"])


def downgrade() -> None:
    op.drop_index("ix_typical_cases_marked_at", table_name="typical_cases")
    op.drop_table("typical_cases")
