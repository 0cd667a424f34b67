"""occurred_at: when the incident happened, apart from when the complaint was received

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25 10:00:00

Import files often carry both times (DESIGN.md §5 `occurred_at`). The column is nullable and
marked `added_later` in app/models.py, so complaints sealed before it existed keep their
audit fingerprints (app/audit.py).
"""
import sqlalchemy as sa
from alembic import op


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN (SQLite has it): a batch copy of the table would drop the search
    # index's triggers on it (0002).
    op.add_column("complaints", sa.Column("occurred_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    # SQLite has DROP COLUMN since 3.35; a batch copy would drop the search triggers.
    op.execute("ALTER TABLE complaints DROP COLUMN occurred_at")
