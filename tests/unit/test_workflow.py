"""The stage guards (app/workflow.py): every allowed and refused move, and its reason."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.codes import STAGES
from app.errors import MoveRefused
from app.i18n import set_language
from app.workflow import (
    PART_AGREEMENT,
    PART_APPROVAL,
    PART_ASSESSMENT,
    PART_IMPLEMENTATION,
    PART_INVESTIGATION,
    PART_REASON,
    PART_REVISIT,
    PART_SOLUTION,
    Facts,
    MoveKind,
    allowed_moves,
    check_move,
    is_resolution,
)

ASSESSED = dict(category_set=True, severity_set=True, owner_set=True, due_set=True)
PROPOSED = dict(ASSESSED, findings=True, responsibility=True, solution_proposed=True,
                verdict="true")
AGREED = dict(PROPOSED, customer_agreed=True)
DONE = dict(AGREED, implemented=True)


def refused(f: Facts, to: str, role: str = "clerk", reason: str | None = None) -> MoveRefused:
    with pytest.raises(MoveRefused) as info:
        check_move(f, to, role, reason)
    return info.value


@pytest.mark.parametrize(("missing", "part"), [
    ("category_set", PART_ASSESSMENT), ("severity_set", PART_ASSESSMENT),
    ("owner_set", PART_ASSESSMENT), ("due_set", PART_ASSESSMENT),
])
def test_assessment_needs_each_field(missing: str, part: str) -> None:
    f = Facts(stage="new", **dict(ASSESSED, **{missing: False}))
    assert refused(f, "assessed").missing == part
    assert check_move(Facts(stage="new", **ASSESSED), "assessed") is MoveKind.FORWARD


@pytest.mark.parametrize(("missing", "part"), [
    ("findings", PART_INVESTIGATION), ("responsibility", PART_INVESTIGATION),
    ("solution_proposed", PART_SOLUTION), ("verdict", PART_INVESTIGATION),
])
def test_proposal_needs_findings_responsibility_solution(missing: str, part: str) -> None:
    f = Facts(stage="investigating", **dict(PROPOSED, **{missing: False}))
    assert refused(f, "proposed").missing == part


def test_in_progress_needs_agreement_and_approval() -> None:
    assert refused(Facts(stage="proposed", **PROPOSED), "in_progress").missing == PART_AGREEMENT
    pending = Facts(stage="proposed", approval_state="pending", **AGREED)
    assert refused(pending, "in_progress").missing == PART_APPROVAL
    rejected = Facts(stage="proposed", approval_state="rejected", **AGREED)
    assert refused(rejected, "in_progress").missing == PART_SOLUTION
    approved = Facts(stage="proposed", approval_state="approved", **AGREED)
    assert check_move(approved, "in_progress") is MoveKind.FORWARD


def test_follow_up_needs_implementation() -> None:
    f = Facts(stage="in_progress", **AGREED)
    assert refused(f, "follow_up").missing == PART_IMPLEMENTATION
    assert check_move(Facts(stage="in_progress", **DONE), "follow_up") is MoveKind.FORWARD


def test_skip_only_when_every_skipped_guard_holds() -> None:
    # Resolve on the spot: new → follow_up in one step once everything is recorded.
    assert check_move(Facts(stage="new", **DONE), "follow_up") is MoveKind.FORWARD
    # Skipping assessed without an owner fails on the skipped stage's guard.
    f = Facts(stage="new", **dict(DONE, owner_set=False))
    assert refused(f, "follow_up").missing == PART_ASSESSMENT
    assert refused(Facts(stage="new", **ASSESSED), "proposed").missing == PART_INVESTIGATION


def test_close_after_satisfied_revisit_only() -> None:
    f = Facts(stage="follow_up", revisit_done=True, revisit_satisfied=True, **DONE)
    assert check_move(f, "closed") is MoveKind.CLOSE
    unhappy = Facts(stage="follow_up", revisit_done=True, revisit_satisfied=False, **DONE)
    assert refused(unhappy, "closed").missing == PART_REVISIT
    assert refused(Facts(stage="follow_up", **DONE), "closed").missing == PART_REVISIT


def test_supervisor_override_close_needs_reason() -> None:
    f = Facts(stage="follow_up", **DONE)
    assert refused(f, "closed", "supervisor").missing == PART_REASON
    assert check_move(f, "closed", "supervisor", "customer moved abroad") is (
        MoveKind.CLOSE_OVERRIDE)


def test_withdrawal_from_open_stage_needs_reason() -> None:
    f = Facts(stage="investigating", **ASSESSED)
    assert refused(f, "closed").missing == PART_REASON
    assert refused(f, "closed", reason="   ").missing == PART_REASON
    assert check_move(f, "closed", reason="customer withdrew") is MoveKind.WITHDRAW


def test_reopen_from_follow_up_counts() -> None:
    kind = check_move(Facts(stage="follow_up", **DONE), "investigating")
    assert kind is MoveKind.REOPEN


def test_closed_is_final_except_supervisor_reopen_with_reason() -> None:
    closed = Facts(stage="closed", **DONE)
    assert "supervisor" in refused(closed, "investigating", "clerk", "x").message().lower()
    assert refused(closed, "investigating", "supervisor").missing == PART_REASON
    assert check_move(closed, "investigating", "supervisor", "new evidence") is MoveKind.REOPEN
    refused(closed, "new", "supervisor", "x")
    refused(closed, "follow_up", "supervisor", "x")


def test_backward_moves_refused_except_rework_and_reopen() -> None:
    assert check_move(Facts(stage="proposed", **PROPOSED), "investigating") is MoveKind.REWORK
    for src, dst in [("assessed", "new"), ("investigating", "assessed"),
                     ("in_progress", "proposed"), ("follow_up", "in_progress")]:
        refused(Facts(stage=src, **DONE), dst)


def test_unknown_and_same_stage_refused() -> None:
    assert "bogus" in refused(Facts(stage="new"), "bogus").message()
    refused(Facts(stage="new"), "new")


def test_refusal_reason_is_translated() -> None:
    f = Facts(stage="new")
    set_language("zh-Hans")
    zh = refused(f, "assessed").message()
    set_language("zh-Hant")
    hant = refused(f, "assessed").message()
    set_language("en")
    en = refused(f, "assessed").message()
    assert en == "Set the category first."
    assert zh != en and hant != en and zh != hant


def test_is_resolution() -> None:
    assert is_resolution("in_progress", "follow_up")
    assert is_resolution("new", "follow_up")
    assert is_resolution("investigating", "closed")
    assert not is_resolution("follow_up", "closed")
    assert not is_resolution("new", "assessed")


facts_strategy = st.builds(
    Facts,
    stage=st.sampled_from(STAGES),
    category_set=st.booleans(), severity_set=st.booleans(), owner_set=st.booleans(),
    due_set=st.booleans(), findings=st.booleans(), responsibility=st.booleans(),
    solution_proposed=st.booleans(),
    approval_state=st.sampled_from(["not_needed", "pending", "approved", "rejected"]),
    customer_agreed=st.booleans(), implemented=st.booleans(), revisit_done=st.booleans(),
    revisit_satisfied=st.sampled_from([None, True, False]),
)


@given(f=facts_strategy, to=st.sampled_from(STAGES), role=st.sampled_from(
    ["clerk", "supervisor", "admin"]), reason=st.sampled_from([None, "", "why"]))
def test_properties_of_every_move(f: Facts, to: str, role: str, reason: str | None) -> None:
    try:
        kind = check_move(f, to, role, reason)
    except MoveRefused as refusal:
        assert refusal.message()  # always says why
        return
    src, dst = STAGES.index(f.stage), STAGES.index(to)
    if f.stage == "closed":
        assert role != "clerk" and reason and kind is MoveKind.REOPEN
    elif kind is MoveKind.FORWARD:
        assert dst > src and to != "closed"
        if dst >= STAGES.index("assessed") > src:
            assert f.category_set and f.severity_set and f.owner_set and f.due_set
        if dst >= STAGES.index("in_progress") > src:
            assert f.customer_agreed and f.approval_state in ("not_needed", "approved")
        if dst >= STAGES.index("follow_up") > src:
            assert f.implemented
    elif kind is MoveKind.CLOSE:
        assert f.stage == "follow_up" and f.revisit_satisfied
    elif kind in (MoveKind.CLOSE_OVERRIDE,):
        assert role != "clerk" and reason
    elif kind is MoveKind.WITHDRAW:
        assert reason and to == "closed"
    else:
        assert dst < src


@given(f=facts_strategy, role=st.sampled_from(["clerk", "supervisor"]))
def test_allowed_moves_agree_with_check_move(f: Facts, role: str) -> None:
    allowed = allowed_moves(f, role)
    assert f.stage not in allowed
    for stage in allowed:
        check_move(f, stage, role, "reason")
