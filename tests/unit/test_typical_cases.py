"""Typical cases (issue 20, hotel ch. 10 典型案例): a supervisor chooses a closed complaint with
the lesson learned; the case list finds it; the case sheet's data leave the customer and the
staff unnamed; everything on the timeline and in the audit trail."""

from __future__ import annotations

from typing import Any

import pytest

from app.audit_check import check_chain
from app.db import Database
from app.errors import EditRefused, NotFound, PermissionDenied, ValidationError
from app.privacy import TrainingMarks, anonymise_for_training
from app.services import moves, typical_cases
from app.services.case_sheets import case_sheet_data
from app.services.common import Actor
from app.services.complaints import get_detail
from app.services.typical_cases import LESSON_LEN, list_cases, mark_case, unmark_case
from tests.complaint_factory import advance, new_complaint, snapshot

pytestmark = pytest.mark.usefixtures("fixed_clock")

LESSON = "先安排就医，再调查批次；染发前必须做皮肤测试。"


def closed(db: Database, clerk: Actor, supervisor: Actor, **fields: Any) -> str:
    ref = new_complaint(db, clerk, **fields)
    advance(db, ref, "closed", clerk, supervisor)
    return ref


def test_a_supervisor_chooses_a_closed_complaint(db: Database, clerk: Actor,
                                                 supervisor: Actor) -> None:
    ref = closed(db, clerk, supervisor)
    version = get_detail(db, ref).version
    mark_case(db, ref, title="染发过敏的处理", lesson=LESSON, actor=supervisor,
              expected_version=version)
    d = get_detail(db, ref)
    assert (d.case_title, d.case_lesson, d.case_marked_by) == ("染发过敏的处理", LESSON, "王主管")
    assert d.timeline[-1].kind == "case_marked"
    assert d.timeline[-1].text == "Chosen as a typical case: 染发过敏的处理"
    mark_case(db, ref, title="染发过敏：先关怀再核实", lesson=LESSON, actor=supervisor)
    assert get_detail(db, ref).timeline[-1].kind == "case_changed"
    unmark_case(db, ref, reason="与另一案例重复", actor=supervisor)
    d = get_detail(db, ref)
    assert d.case_title is None and d.timeline[-1].text == "No longer a typical case: 与另一案例重复"
    assert check_chain(db) == []


def test_only_a_closed_complaint_by_a_supervisor(db: Database, clerk: Actor,
                                                 supervisor: Actor) -> None:
    open_ref = new_complaint(db, clerk)
    advance(db, open_ref, "follow_up", clerk, supervisor)
    before = snapshot(db)
    with pytest.raises(EditRefused) as refused:
        mark_case(db, open_ref, title="标题", lesson=LESSON, actor=supervisor)
    assert refused.value.message().startswith("Only a closed complaint can be a typical case")
    ref = closed(db, clerk, supervisor)
    before = snapshot(db)
    with pytest.raises(PermissionDenied):
        mark_case(db, ref, title="标题", lesson=LESSON, actor=clerk)
    assert snapshot(db) == before


@pytest.mark.parametrize(("title", "lesson", "field", "problem"), [
    ("", LESSON, "case_title", "is required"),
    ("标题", "   ", "lesson", "is required"),
    ("标" * 101, LESSON, "case_title", "is too long (101 characters; at most 100)"),
    ("标题", "教" * (LESSON_LEN + 1), "lesson", "is too long"),
])
def test_bad_input_names_the_field_and_changes_nothing(
        db: Database, clerk: Actor, supervisor: Actor, title: str, lesson: str, field: str,
        problem: str) -> None:
    ref = closed(db, clerk, supervisor)
    before = snapshot(db)
    with pytest.raises(ValidationError) as e:
        mark_case(db, ref, title=title, lesson=lesson, actor=supervisor)
    assert e.value.field == field and e.value.problem().startswith(problem)
    assert snapshot(db) == before


def test_a_case_reopened_since_stays_listed_but_is_not_edited(
        db: Database, clerk: Actor, supervisor: Actor) -> None:
    ref = closed(db, clerk, supervisor)
    mark_case(db, ref, title="标题", lesson=LESSON, actor=supervisor)
    moves.move(db, ref, "investigating", supervisor, reason="顾客再次投诉")
    assert [(r.reference, r.stage) for r in list_cases(db)] == [(ref, "investigating")]
    with pytest.raises(EditRefused):
        mark_case(db, ref, title="新标题", lesson=LESSON, actor=supervisor)


def test_the_list_finds_words_categories_and_references(db: Database, clerk: Actor,
                                                        supervisor: Actor) -> None:
    a = closed(db, clerk, supervisor)  # both assessed as product quality (商品质量)
    b = closed(db, clerk, supervisor)
    c = closed(db, clerk, supervisor)  # not a case
    mark_case(db, a, title="停车收费争议", lesson="告示要与系统一致", actor=supervisor)
    mark_case(db, b, title="Allergy after a hair dye", lesson="Skin test FIRST", actor=supervisor)
    assert {r.reference for r in list_cases(db)} == {a, b}
    assert [r.reference for r in list_cases(db, "收费")] == [a]
    assert [r.reference for r in list_cases(db, "skin first")] == [b]  # any case, every word
    assert {r.reference for r in list_cases(db, "商品质量")} == {a, b}  # the category's label
    assert [r.reference for r in list_cases(db, b[-6:])] == [b]
    assert {r.reference for r in list_cases(db, category="product_quality")} == {a, b}
    assert list_cases(db, category="parking") == []
    assert c not in {r.reference for r in list_cases(db, c)}
    assert list_cases(db, "100%_") == []  # LIKE's wildcards are plain characters
    assert list_cases(db, actor=clerk)  # every role reads the cases
    with pytest.raises(NotFound):
        unmark_case(db, closed(db, clerk, supervisor), reason="x", actor=supervisor)


MARKS = TrainingMarks("[customer]", "[staff]", "[someone]", "[number]", "[email]")


@pytest.mark.parametrize(("text", "expected"), [
    ("周女士称染发后头皮过敏，电话 138-0013-8000", "[customer]称染发后头皮过敏，电话 [number]"),
    ("联系邮箱 zhou@example.com，车牌粤B12345", "联系邮箱 [email]，车牌[number]"),
    ("店员李小红态度差，王先生也在场", "店员[staff]态度差，[someone]也在场"),
    ("Mr Lee called twice; ID 440101199001011234", "[someone] called twice; ID [number]"),
    ("房间 1208 空调漏水，订单 20260", "房间 1208 空调漏水，订单 20260"),  # short numbers stay
    ("事情发生在卫生间", "事情发生在卫生间"),  # no title: ordinary words stay
    # Seen trying to break it: an ID card's check letter, full-width digits, compound
    # surnames, Ms de la Cruz, a WeChat account.
    ("身份证 44010619900101123X 已登记", "身份证 [number] 已登记"),
    ("手机号１３８００１３８０００（全角）", "手机号[number]（全角）"),
    ("欧阳女士和司馬先生都在场", "[someone]和[someone]都在场"),
    ("Ms. de la Cruz and Mr van Dyk", "[someone] and [someone]"),
    ("加了微信号 wang_li_88，QQ：123456", "加了微信号 [number]，QQ：[number]"),
    ("WeChat ID: ZhouLi2026 asked", "WeChat ID: [number] asked"),
    ("7 days later, room 2208 XL bed", "7 days later, room 2208 XL bed"),
])
def test_training_texts_take_people_out(text: str, expected: str) -> None:
    assert anonymise_for_training(text, MARKS, customer_names=["周丽"],
                                  customer_contacts=["+8613800138000"],
                                  staff_names=["李小红", "clerk1"]) == expected


def test_the_sheets_data_names_nobody_but_the_supervisor(db: Database, clerk: Actor,
                                                         supervisor: Actor) -> None:
    ref = closed(db, clerk, supervisor, customer_name="周丽", phone="13800138000",
                 email="zhou.li@example.com", staff_involved="美容师 李小红",
                 description="周丽女士称李小红未做皮肤测试，回电 13800138000 或 zhou.li@example.com")
    mark_case(db, ref, title="染发过敏", lesson=LESSON, actor=supervisor)
    sheet = case_sheet_data(db, ref, "zh-Hans", actor=clerk)
    assert sheet.description == "〔客户〕女士称〔员工〕未做皮肤测试，回电 〔号码〕 或 〔邮箱〕"
    assert sheet.staff_named and sheet.handled_by_role == "clerk"
    assert sheet.marked_by == "王主管" and sheet.lesson == LESSON
    texts = repr(sheet)
    for personal in ("周丽", "13800138000", "zhou.li", "李小红", "8000"):
        assert personal not in texts
    assert case_sheet_data(db, ref, "zh-Hant", actor=clerk).description.startswith("〔客戶〕")
    with pytest.raises(NotFound, match="is not a typical case"):
        case_sheet_data(db, closed(db, clerk, supervisor), "en")


def test_the_month_counts_cases_by_when_they_were_chosen(db: Database, clerk: Actor,
                                                         supervisor: Actor,
                                                         fixed_clock: Any) -> None:
    from datetime import datetime

    from app.services.stats import month_stats

    ref = closed(db, clerk, supervisor)
    fixed_clock.at(datetime(2026, 4, 3, 9, 0))
    typical_cases.mark_case(db, ref, title="标题", lesson=LESSON, actor=supervisor)
    assert month_stats(db, "2026-03")["typical_cases"] == 0
    assert month_stats(db, "2026-04")["typical_cases"] == 1
