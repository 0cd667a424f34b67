"""solution types become an editable list: seed the built-in ones into list_values

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 14:00:00

Until now solution types were fixed codes labelled by the program's catalogs; complaints keep
those codes. A desk that is already set up (it has lists) gets them as list values with the
labels the program showed, so nothing changes on screen; new desks get them with their profile
(app/profiles.py). The rows are frozen here: later catalog changes must not rewrite history.
"""
import sqlalchemy as sa
from alembic import op


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

ROWS = [
    ("apology", "道歉", "致歉", "Apology"),
    ("refund", "退款", "退款", "Refund"),
    ("exchange", "换货", "換貨", "Exchange"),
    ("repair", "维修", "維修", "Repair"),
    ("redo", "重做服务", "重做服務", "Redo the service"),
    ("coupon", "优惠券", "優惠券", "Coupon"),
    ("gift", "礼品", "禮品", "Gift"),
    ("cash", "现金补偿", "現金補償", "Cash compensation"),
    ("price_difference", "补差价", "補差價", "Price difference"),
    ("improvement", "服务整改", "服務改善", "Service improvement"),
    ("explanation", "解释说明", "解釋說明", "Explanation"),
]

list_values = sa.table(
    "list_values", sa.column("kind", sa.String), sa.column("code", sa.String),
    sa.column("label_zh_hans", sa.String), sa.column("label_zh_hant", sa.String),
    sa.column("label_en", sa.String), sa.column("position", sa.Integer),
    sa.column("active", sa.Boolean))


def upgrade() -> None:
    conn = op.get_bind()
    if not conn.scalar(sa.select(sa.func.count()).select_from(list_values)):
        return  # not set up yet: the profile chosen at first start brings them
    mine = list_values.c.kind == "solution_type"
    have = set(conn.scalars(sa.select(list_values.c.code).where(mine)))
    last = conn.scalar(sa.select(sa.func.coalesce(sa.func.max(list_values.c.position), 0))
                       .where(mine))
    rows = [r for r in ROWS if r[0] not in have]
    op.bulk_insert(list_values, [
        {"kind": "solution_type", "code": code, "label_zh_hans": hans, "label_zh_hant": hant,
         "label_en": en, "position": position, "active": True}
        for position, (code, hans, hant, en) in enumerate(rows, start=last + 1)])


def downgrade() -> None:
    op.execute(list_values.delete().where(list_values.c.kind == "solution_type"))
