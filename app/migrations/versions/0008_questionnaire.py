"""the satisfaction questionnaire: questions per desk, answers kept with each revisit

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-10 09:00:00

survey_questions holds the questions asked at revisits besides the overall 1-5 (issue 20),
worded in the three languages; a question once answered is never reworded in place (a new
wording is a new row replacing it), so revisit_answers always point at the words the customer
was asked. A desk that is already set up gets its profile's questions, frozen here as the
program offers them today (app/survey_defaults.py); new desks get them with their profile.
"""
import json

import sqlalchemy as sa
from alembic import op

from app import clock


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

_SPEED = ("speed", "您对我们处理投诉的速度是否满意？", "您對我們處理投訴的速度是否滿意？",
          "How satisfied are you with how quickly we handled your complaint?")
_ATTITUDE = ("attitude", "您对处理人员的服务态度是否满意？", "您對處理人員的服務態度是否滿意？",
             "How satisfied are you with the attitude of the staff who handled it?")
_OUTCOME = ("outcome", "您对处理结果是否满意？", "您對處理結果是否滿意？",
            "How satisfied are you with the outcome?")
ROWS = {
    "mall": [_SPEED, _ATTITUDE, _OUTCOME,
             ("return_mall", "您再次来本商场购物的意愿如何？", "您再次來本商場購物的意願如何？",
              "How likely are you to shop with us again?")],
    "salon": [_SPEED, _ATTITUDE,
              ("explanation", "您对我们就护理项目和处理方案的解释说明是否满意？",
               "您對我們就護理項目和處理方案的解釋說明是否滿意？",
               "How satisfied are you with how clearly we explained the treatment and the "
               "solution?"),
              _OUTCOME,
              ("return_salon", "您再次预约本店服务的意愿如何？", "您再次預約本店服務的意願如何？",
               "How likely are you to book with us again?")],
    "hotel": [_SPEED, _ATTITUDE, _OUTCOME,
              ("stay_overall", "问题解决后，您对本次入住的整体评价如何？",
               "問題解決後，您對本次入住的整體評價如何？",
               "After the problem was solved, how would you rate your stay overall?"),
              ("return_hotel", "您再次入住本酒店的意愿如何？", "您再次入住本酒店的意願如何？",
               "How likely are you to stay with us again?")],
}

list_values = sa.table("list_values", sa.column("id", sa.Integer))
settings = sa.table("settings", sa.column("key", sa.String), sa.column("value", sa.Text))


def upgrade() -> None:
    questions = op.create_table(
        "survey_questions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=True),
        sa.Column("label_zh_hans", sa.String(length=200), nullable=False),
        sa.Column("label_zh_hant", sa.String(length=200), nullable=False),
        sa.Column("label_en", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("replaces_id", sa.Integer(), nullable=True),
        sa.Column("replaced_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["replaces_id"], ["survey_questions.id"],
                                name=op.f("fk_survey_questions_replaces_id_survey_questions")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_questions")),
    )
    op.create_table(
        "revisit_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("revisit_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["revisit_id"], ["revisits.id"],
                                name=op.f("fk_revisit_answers_revisit_id_revisits")),
        sa.ForeignKeyConstraint(["question_id"], ["survey_questions.id"],
                                name=op.f("fk_revisit_answers_question_id_survey_questions")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_revisit_answers")),
        sa.UniqueConstraint("revisit_id", "question_id",
                            name="uq_revisit_answers_revisit_question"),
    )
    op.create_index("ix_revisit_answers_question", "revisit_answers", ["question_id"])
    conn = op.get_bind()
    if not conn.scalar(sa.select(sa.func.count()).select_from(list_values)):
        return  # not set up yet: the profile chosen at first start brings them
    raw = conn.scalar(sa.select(settings.c.value).where(settings.c.key == "profile"))
    try:
        profile = json.loads(raw) if raw else "mall"
    except ValueError:
        profile = "mall"
    rows = ROWS.get(profile, ROWS["mall"])
    now = clock.now()  # the desk's local time, as every stored time
    op.bulk_insert(questions, [
        {"code": code, "label_zh_hans": hans, "label_zh_hant": hant, "label_en": en,
         "position": position, "active": True, "created_at": now}
        for position, (code, hans, hant, en) in enumerate(rows, start=1)])
    # New rows the program did not write one by one: sealed at the head (app/migrate.py).
    conn.info.setdefault("reseal_tables", set()).add("survey_questions")


def downgrade() -> None:
    op.drop_index("ix_revisit_answers_question", table_name="revisit_answers")
    op.drop_table("revisit_answers")
    op.drop_table("survey_questions")
