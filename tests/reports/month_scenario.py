"""A known month of complaints for the monthly-report tests (March 2026, February before it).

Built through the real services with a controlled clock, so the figures are those a desk
would produce. The expected March/February figures are worked out by hand in
`HAND_FIGURES` (and again by a plain-Python recount in the tests).

The story is logged once per test run (`march_cache`) and copied into each test's own
database (`march`, conftest's `copy_database`: SQLite or PostgreSQL); import both fixtures into
a test module.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime
from typing import Any

import pytest

from app import clock as app_clock
from app.db import Database
from app.services import improvements, moves, resolution, revisits, typical_cases
from app.services.common import Actor
from app.services.complaints import get_detail
from app.services.intake import IntakeInput, OnTheSpot, log_complaint
from app.services.questionnaire import asked_questions
from app.settings import put as put_setting

BUSINESS = "星河广场 Galaxy Plaza"
MONTH = "2026-03"
REPORT_TIME = datetime(2026, 4, 2, 9, 0)


def _resolve(db: Database, ref: str, at: datetime, clerk: Actor, supervisor: Actor,
             clock: Any, *, responsibility: str, root_cause: str | None, types: list[str],
             amounts: dict[str, str] | None = None, investigate: bool = True) -> None:
    """Investigation (unless done), solution, approval if needed, agreement, done → follow-up."""
    clock.at(at)
    if investigate:
        resolution.record_investigation(db, ref, findings="现场核实属实", actor=clerk,
                                        verdict="true",
                                        responsibility=responsibility, root_cause=root_cause)
    resolution.propose_solution(db, ref, types=types, amounts=amounts, description="处理方案",
                                actor=clerk)
    if get_detail(db, ref).approval_state == "pending":
        resolution.decide_approval(db, ref, approve=True, comment="同意", actor=supervisor)
    resolution.record_agreement(db, ref, actor=clerk)
    moves.move(db, ref, "in_progress", clerk)
    resolution.record_implementation(db, ref, what_was_done="已按方案处理", actor=clerk)
    moves.move(db, ref, "follow_up", clerk)


def build(db: Database, clock: Any, clerk: Actor, supervisor: Actor) -> dict[str, str]:
    """Log the scenario; returns name → reference. Leaves the clock at REPORT_TIME."""
    refs: dict[str, str] = {}
    with db.write() as session:
        put_setting(session, "business_name", BUSINESS)

    def log(name: str, at: datetime, **fields: Any) -> str:
        clock.at(at)
        refs[name] = log_complaint(db, IntakeInput(**fields), clerk).reference
        return refs[name]

    def assess(name: str, at: datetime, category: str, severity: str, owner: Actor,
               department: str | None = None) -> None:
        clock.at(at)
        resolution.assess(db, refs[name], category=category, severity=severity,
                          owner_id=owner.user_id, department=department, actor=clerk)

    def contact(name: str, at: datetime) -> None:
        clock.at(at)
        resolution.add_contact(db, refs[name], method="phone", summary="已致电客户",
                               actor=clerk)

    # The mall's questionnaire: speed, attitude, outcome, shop again (app/survey_defaults.py).
    speed, attitude, outcome, again = (q.id for q in asked_questions(db))

    def revisit(name: str, at: datetime, score: int, comment: str = "",
                answers: dict[int, int] | None = None) -> None:
        clock.at(at)
        revisits.record_revisit(db, refs[name], method="phone", satisfaction=score,
                                comment=comment, actor=clerk, answers=answers)

    # February: P1 closed in February, P2 carried into March, P3 never touched.
    log("P1", datetime(2026, 2, 5, 10, 0), description="停车场收费与告示不符",
        customer_name="王先生", phone="13500000001", channel="counter", category="parking")
    assess("P1", datetime(2026, 2, 5, 10, 30), "parking", "normal", clerk, "operations")
    _resolve(db, refs["P1"], datetime(2026, 2, 7, 12, 0), clerk, supervisor, clock,
             responsibility="our_department", root_cause="process", types=["apology"])
    revisit("P1", datetime(2026, 2, 10, 10, 0), 4, answers={speed: 3, outcome: 4})

    log("P2", datetime(2026, 2, 20, 9, 0), description="新买的外套开线，要求退货",
        customer_name="赵女士", phone="13600000002", channel="phone",
        category="product_quality")
    assess("P2", datetime(2026, 2, 20, 9, 30), "product_quality", "serious", clerk,
           "tenant_l2_fashion")
    contact("P2", datetime(2026, 2, 20, 11, 0))
    clock.at(datetime(2026, 2, 21, 10, 0))
    resolution.record_investigation(db, refs["P2"], findings="商户确认质量问题",
                                    responsibility="tenant", root_cause="product_defect",
                                    verdict="true", actor=clerk)

    log("P3", datetime(2026, 2, 25, 15, 0), description="网站营业时间写错了",
        customer_name="孙先生", channel="email", severity="minor")

    # March.
    _resolve(db, refs["P2"], datetime(2026, 3, 3, 10, 0), clerk, supervisor, clock,
             responsibility="tenant", root_cause="product_defect", types=["refund"],
             amounts={"refund": "300"}, investigate=False)
    revisit("P2", datetime(2026, 3, 6, 10, 0), 2, "退款太慢，仍不满意",
            answers={speed: 1, attitude: 3, outcome: 2})
    _resolve(db, refs["P2"], datetime(2026, 3, 8, 10, 0), clerk, supervisor, clock,
             responsibility="tenant", root_cause="product_defect",
             types=["exchange", "refund"], amounts={"exchange": "300"}, investigate=False)
    revisit("P2", datetime(2026, 3, 9, 10, 0), 5, answers={speed: 4, outcome: 5, again: 5})

    log("M1", datetime(2026, 3, 2, 9, 0), description="扶梯急停导致摔倒，膝盖擦伤",
        customer_name="陈女士", phone="138-1234-5678", channel="counter", category="safety",
        staff_involved="保安 刘强")
    assess("M1", datetime(2026, 3, 2, 9, 10), "safety", "urgent", supervisor, "security")
    contact("M1", datetime(2026, 3, 2, 9, 30))
    _resolve(db, refs["M1"], datetime(2026, 3, 2, 20, 0), clerk, supervisor, clock,
             responsibility="our_staff", root_cause="training", types=["refund", "apology"],
             amounts={"refund": "800"})
    revisit("M1", datetime(2026, 3, 3, 10, 0), 5, answers={speed: 5, attitude: 5, outcome: 4})

    log("M2", datetime(2026, 3, 3, 14, 0), description="羊绒衫洗一次就起球，商户拒绝退换",
        customer_name="陈女士", phone="13812345678", channel="phone",
        category="product_quality", staff_involved="店员 小张")
    assess("M2", datetime(2026, 3, 3, 14, 30), "product_quality", "serious", clerk,
           "tenant_l2_fashion")
    contact("M2", datetime(2026, 3, 4, 9, 0))
    clock.at(datetime(2026, 3, 4, 10, 0))
    resolution.record_investigation(db, refs["M2"], findings="待商户提供检测报告",
                                    responsibility="tenant", root_cause="product_defect",
                                    verdict="true", actor=clerk)

    clock.at(datetime(2026, 3, 5, 11, 0))
    refs["M3"] = log_complaint(db, IntakeInput(
        description="Parking machine took the ticket twice", customer_name="Mr Lee",
        phone="+86 139 9876 5432", channel="online", category="parking",
        on_the_spot=OnTheSpot(["coupon"], "Refunded with a parking coupon", {"coupon": "50"}, verdict="true")),
        clerk).reference
    revisit("M3", datetime(2026, 3, 12, 10, 0), 3)

    log("M4", datetime(2026, 3, 10, 16, 0), description="Front desk staff was rude",
        customer_name="Mr Lee", phone="13998765432", channel="email",
        category="staff_attitude", staff_involved="前台 王芳")
    assess("M4", datetime(2026, 3, 10, 16, 30), "staff_attitude", "normal", clerk,
           "customer_service")

    log("M5", datetime(2026, 3, 15, 10, 0), description="洗手间长时间无人清洁",
        customer_name="匿名顾客", channel="letter", category="cleanliness", severity="minor")

    log("M6", datetime(2026, 3, 20, 13, 0), description="停车场电梯故障被困十分钟",
        customer_name="黄先生", phone="13700001111", channel="counter", category="facilities")
    assess("M6", datetime(2026, 3, 20, 13, 10), "facilities", "serious", clerk, "property")
    contact("M6", datetime(2026, 3, 20, 14, 0))
    _resolve(db, refs["M6"], datetime(2026, 3, 22, 13, 0), clerk, supervisor, clock,
             responsibility="our_department", root_cause="equipment", types=["repair"])

    log("M7", datetime(2026, 3, 31, 23, 30), description="电话投诉：促销价与收银不一致",
        customer_name="钱女士", phone="13100000007", channel="phone")
    log("A1", datetime(2026, 4, 1, 8, 0), description="四月的投诉，不属于三月",
        customer_name="周先生", phone="13200000008", channel="counter")

    clock.at(datetime(2026, 3, 25, 9, 0))
    improvements.create_action(db, [refs["M1"]], action="扶梯安全巡检与保安岗位培训",
                               owner="安保部 刘经理", due_date=date(2026, 4, 15))
    improvements.create_action(db, [refs["M2"], refs["P2"]], action="加强商户商品质量抽检",
                               owner="营运部", due_date=date(2026, 3, 31),
                               status="in_progress")
    done = improvements.create_action(db, [refs["M3"]], action="更换停车场缴费机",
                                      owner="物业工程部", due_date=date(2026, 4, 30))
    improvements.update_action(db, done.id, status="done")
    # Typical cases: M1 chosen in March (the month's one), P1 in February.
    clock.at(datetime(2026, 2, 28, 17, 0))
    typical_cases.mark_case(db, refs["P1"], title="停车收费告示要与系统一致",
                            lesson="收费标准调整后，当天更新全部告示。", actor=supervisor)
    clock.at(datetime(2026, 3, 28, 17, 0))
    typical_cases.mark_case(db, refs["M1"], title="扶梯急停摔伤的处理",
                            lesson="先送医、再取证、当天回访；保安岗前培训要包括扶梯急停处置。",
                            actor=supervisor)
    clock.at(REPORT_TIME)
    return refs


# Worked out by hand from the story above (see the comments in build()).
HAND_FIGURES: dict[str, Any] = {
    "received": 7, "closed_in_month": 3, "open_at_month_end": 6, "overdue_at_month_end": 4,
    "resolved_in_month": 4, "sla_met_pct": 75.0, "median_hours_to_resolve": 29.5,
    "median_hours_to_first_contact": 0.8, "revisits_done": 4, "avg_satisfaction": 3.75,
    # The ledger: P2's refund (300) and, after its reopen, its exchange (300); M1's refund
    # (800); M3's parking coupon (50): each carried out in March.
    "reopened": 1, "compensation_total": 1450.0, "repeat_customers": 2,
    "compensation_by_type": {"coupon": 50.0, "exchange": 300.0, "refund": 1100.0},
    "by_severity": {"urgent": 1, "serious": 2, "normal": 3, "minor": 1},
    "by_channel": {"counter": 2, "phone": 2, "online": 1, "email": 1, "letter": 1},
    "by_stage_at_month_end": {"new": 3, "assessed": 1, "investigating": 1, "follow_up": 1},
    "by_responsibility": {"our_staff": 1, "tenant": 1, "nobody": 1, "our_department": 1},
    # Escalated as they were assessed urgent or serious: M1, M2, M6 (issue 20); the verdicts:
    # M1, M2, M3 (at the counter) and M6 verified true, the other three without one yet.
    "escalated": 3,
    "by_verification": {"verified": 4, "unfounded": 0, "not_verifiable": 0, "pending": 3},
    "founded_pct": 100.0,
    "typical_cases": 1,
}
# The questionnaire's answers in March, by the question's place in the mall's questionnaire
# (speed, attitude, outcome, shop again): P2 (1, 3, 2, -), P2 again (4, -, 5, 5), M1 (5, 5, 4,
# -); M3's revisit answered none.
HAND_ANSWERS = {0: (3, 3.33), 1: (2, 4.0), 2: (3, 3.67), 3: (1, 5.0)}
HAND_PREVIOUS_ANSWERS = {0: (1, 3.0), 2: (1, 4.0)}  # P1 in February
HAND_PREVIOUS: dict[str, Any] = {
    "received": 3, "closed_in_month": 1, "open_at_month_end": 2, "overdue_at_month_end": 1,
    "resolved_in_month": 1, "sla_met_pct": 100.0, "median_hours_to_resolve": 50.0,
    "median_hours_to_first_contact": 2.0, "revisits_done": 1, "avg_satisfaction": 4.0,
    "reopened": 0, "compensation_total": 0.0, "repeat_customers": 0, "typical_cases": 1,
    "escalated": 1,  # P2, assessed serious
    "by_verification": {"verified": 2, "unfounded": 0, "not_verifiable": 0, "pending": 1},
}


@pytest.fixture(scope="session")
def march_cache(new_database: Callable[[str], Database]) -> tuple[Database, dict[str, str]]:
    from app.services.users import list_staff
    from tests.conftest import ControlledClock

    db = new_database("march")  # SQLite file or PostgreSQL database, as the run's `db`
    staff = {m.username: m.as_actor() for m in list_staff(db)}
    try:
        refs = build(db, ControlledClock(datetime(2026, 2, 1)), staff["clerk1"],
                     staff["supervisor"])
    finally:
        app_clock.reset_clock()
    db.dispose()
    return db, refs


@pytest.fixture
def march(db: Database, march_cache: tuple[Database, dict[str, str]], fixed_clock: Any,
          copy_database: Callable[[Database, Database], None]) -> Iterator[dict[str, str]]:
    """The story in this test's database; the clock at REPORT_TIME. Returns name → ref."""
    source, refs = march_cache
    copy_database(source, db)
    fixed_clock.at(REPORT_TIME)
    yield refs
