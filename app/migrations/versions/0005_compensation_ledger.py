"""the compensation ledger: an entry per solution proposed, amounts per type

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 10:00:00

Until now a complaint had one solution row, revised in place: a reopen's new proposal
overwrote the solution carried out before it, and a mixed solution had one amount. Now each
solution proposed is an entry (app/rules/compensation.py): `round` (the complaint's reopen
count when proposed), `amounts` (cents per type), `proposed_by_id`, `superseded_at`, and a
complaint may have several.

Today's solutions are carried over as they are, each as the current entry of its
complaint's current round. Their amount per type: a solution of one type has all of it; one
of several types without an amount has 0 for each; when all its types but one are built-in
types that never carry money (an apology, an explanation, a service improvement: codes, which
do not change when a label is edited), that one has the amount; any other mix keeps only its
total (`amounts` stays {}: which type got how much was never recorded, and is not guessed).
Rows whose values change are sealed again in the audit trail once the upgrade reaches the
head (app/migrate.py).
"""
import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

solutions = sa.table(
    "solutions", sa.column("id", sa.Integer), sa.column("complaint_id", sa.Integer),
    sa.column("types", sa.JSON), sa.column("amount_cents", sa.Integer),
    sa.column("amounts", sa.JSON), sa.column("round", sa.Integer))
complaints = sa.table("complaints", sa.column("id", sa.Integer),
                      sa.column("reopen_count", sa.Integer))


# Built-in solution types that are no payment to the customer (app/migrations 0003).
WITHOUT_MONEY = ("apology", "explanation", "improvement")


def carried_amounts(types: list[str], cents: int) -> dict[str, int]:
    """What an old solution's amount per type is known to be ({} when it cannot be told)."""
    if cents == 0:
        return dict.fromkeys(types, 0)
    paid = [t for t in types if t not in WITHOUT_MONEY]
    if len(types) == 1 or len(paid) == 1:
        payee = types[0] if len(types) == 1 else paid[0]
        return {t: cents if t == payee else 0 for t in types}
    return {}


def upgrade() -> None:
    with op.batch_alter_table("solutions") as batch:
        batch.add_column(sa.Column("round", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("amounts", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("proposed_by_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("superseded_at", sa.DateTime(), nullable=True))
        batch.drop_constraint("uq_solutions_complaint_id", type_="unique")
        batch.create_foreign_key("fk_solutions_proposed_by_id_users", "users",
                                 ["proposed_by_id"], ["id"])
        batch.create_index("ix_solutions_complaint", ["complaint_id", "id"])
        batch.create_index("ix_solutions_implemented_at", ["implemented_at"])
    conn = op.get_bind()
    rows = conn.execute(
        sa.select(solutions.c.id, solutions.c.types, solutions.c.amount_cents,
                  complaints.c.reopen_count)
        .join(complaints, complaints.c.id == solutions.c.complaint_id)).all()
    for sid, types, cents, reopens in rows:
        conn.execute(solutions.update().where(solutions.c.id == sid).values(
            amounts=carried_amounts(list(types or []), int(cents or 0)),
            round=int(reopens or 0)))
    with op.batch_alter_table("solutions") as batch:
        batch.alter_column("amounts", existing_type=sa.JSON(), nullable=False)
    if rows:
        # Every solution row has new columns: its audit seal must be taken again.
        conn.info.setdefault("reseal_tables", set()).add("solutions")


def downgrade() -> None:
    # Only the current entry of each complaint fits the old one-row shape.
    conn = op.get_bind()
    older = sa.select(solutions.c.id).where(solutions.c.id.not_in(
        sa.select(sa.func.max(solutions.c.id)).group_by(solutions.c.complaint_id)))
    conn.execute(solutions.delete().where(solutions.c.id.in_(older)))
    with op.batch_alter_table("solutions") as batch:
        batch.drop_index("ix_solutions_implemented_at")
        batch.drop_index("ix_solutions_complaint")
        batch.drop_constraint("fk_solutions_proposed_by_id_users", type_="foreignkey")
        batch.create_unique_constraint("uq_solutions_complaint_id", ["complaint_id"])
        batch.drop_column("superseded_at")
        batch.drop_column("proposed_by_id")
        batch.drop_column("amounts")
        batch.drop_column("round")
