"""search index: FTS5 trigram index of complaints' text (SQLite only)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 12:00:00

Written by hand (autogenerate knows nothing of virtual tables). The index holds each
complaint's reference, customer name, phone and description under the complaint's id as rowid;
triggers keep it in step with `complaints` and `customers`. Other databases search with
ILIKE (app/services/search_index.py), so nothing is created there.
"""
import sqlite3

from alembic import op


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

FTS = "complaint_search"
_ROW = """(new.id, new.reference,
       coalesce((SELECT name FROM customers WHERE id = new.customer_id), ''),
       coalesce((SELECT phone FROM customers WHERE id = new.customer_id), ''),
       new.description)"""

STATEMENTS = [
    f"""CREATE VIRTUAL TABLE {FTS} USING fts5(
        reference, customer, phone, description, tokenize = 'trigram')""",
    f"""CREATE TRIGGER {FTS}_ai AFTER INSERT ON complaints BEGIN
        INSERT INTO {FTS}(rowid, reference, customer, phone, description) VALUES {_ROW};
    END""",
    # Only changes of the indexed columns touch the index (a stage move does not).
    f"""CREATE TRIGGER {FTS}_au AFTER UPDATE OF reference, description, customer_id
        ON complaints BEGIN
        DELETE FROM {FTS} WHERE rowid = old.id;
        INSERT INTO {FTS}(rowid, reference, customer, phone, description) VALUES {_ROW};
    END""",
    f"""CREATE TRIGGER {FTS}_ad AFTER DELETE ON complaints BEGIN
        DELETE FROM {FTS} WHERE rowid = old.id;
    END""",
    # A customer renamed, re-numbered or anonymised: every complaint of theirs follows.
    f"""CREATE TRIGGER {FTS}_cu AFTER UPDATE OF name, phone ON customers BEGIN
        UPDATE {FTS} SET customer = new.name, phone = coalesce(new.phone, '')
        WHERE rowid IN (SELECT id FROM complaints WHERE customer_id = new.id);
    END""",
    f"""INSERT INTO {FTS}(rowid, reference, customer, phone, description)
        SELECT c.id, c.reference, coalesce(cu.name, ''), coalesce(cu.phone, ''), c.description
        FROM complaints c LEFT JOIN customers cu ON cu.id = c.customer_id""",
]


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite" or sqlite3.sqlite_version_info < (3, 34):
        return  # no trigram tokenizer before SQLite 3.34: searches use LIKE
    for statement in STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for suffix in ("ai", "au", "ad", "cu"):
        op.execute(f"DROP TRIGGER IF EXISTS {FTS}_{suffix}")
    op.execute(f"DROP TABLE IF EXISTS {FTS}")
