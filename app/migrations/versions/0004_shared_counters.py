"""several counters: attachment contents in the database, program version per schema revision

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07 09:00:00

attachment_blobs holds the files attached on a server database, once per SHA-256, so every
counter can open them (a SQLite desk keeps them as files; the table stays empty there).
schema_info records which program version brought the database to each revision: a counter
whose program is older than the schema reads it to say "update this PC to version X".
"""
import sqlalchemy as sa
from alembic import op


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "attachment_blobs",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_attachment_blobs")),
    )
    op.create_table(
        "schema_info",
        sa.Column("revision", sa.String(length=64), nullable=False),
        sa.Column("program_version", sa.String(length=40), nullable=False),
        sa.Column("migrated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("revision", name=op.f("pk_schema_info")),
    )


def downgrade() -> None:
    op.drop_table("schema_info")
    op.drop_table("attachment_blobs")
