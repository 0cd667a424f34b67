"""The complaint's stages and the rules for moving between them. Pure Python, one place.

Used alike by the kanban drag-drop, the detail panel's buttons, the command line and imports
(imports of history bypass the guards, see DESIGN.md §5).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from app.codes import STAGES
from app.errors import MoveRefused
from app.i18n import N_
from app.permissions import CLOSE_OVERRIDE, REOPEN_CLOSED, role_may


@dataclass(frozen=True)
class Facts:
    """What the guards need to know about one complaint (built by `facts_from`)."""

    stage: str
    category_set: bool = False
    severity_set: bool = False
    owner_set: bool = False
    due_set: bool = False
    findings: bool = False
    responsibility: bool = False
    solution_proposed: bool = False
    approval_state: str = "not_needed"
    customer_agreed: bool = False
    implemented: bool = False
    revisit_done: bool = False
    revisit_satisfied: bool | None = None
    # The investigation's verdict (hotel 2.3 核实): a code of app/codes.py VERIFICATIONS
    # (true / unfounded / not_verifiable), None while the facts are still being checked.
    verdict: str | None = None


def facts_from(*, stage: str, category_set: bool, severity_set: bool, owner_set: bool,
               due_set: bool, findings: str | None, responsibility: str | None,
               solution: SolutionFacts | None, resolved_at: datetime | None,
               last_revisit: tuple[datetime, bool | None] | None,
               verdict: str | None) -> Facts:
    """The guards' facts from a complaint's values: `solution` is its current entry of the
    compensation ledger (app/rules/compensation.py), `last_revisit` the (done at, satisfied)
    of its latest revisit done, `verdict` the investigation's verdict. A revisit counts only
    when done since the complaint was last resolved (a reopened complaint needs a new one)."""
    current = last_revisit is not None and (resolved_at is None or last_revisit[0] >= resolved_at)
    return Facts(
        stage=stage, category_set=category_set, severity_set=severity_set, owner_set=owner_set,
        due_set=due_set, findings=bool(findings), responsibility=bool(responsibility),
        verdict=verdict or None,
        solution_proposed=solution is not None and bool(solution.types),
        approval_state=solution.approval_state if solution is not None else "not_needed",
        customer_agreed=solution is not None and solution.agreed,
        implemented=solution is not None and solution.implemented,
        revisit_done=current,
        revisit_satisfied=last_revisit[1] if current and last_revisit is not None else None,
    )


@dataclass(frozen=True)
class SolutionFacts:
    """What the guards read of a complaint's current solution."""

    types: tuple[str, ...]
    approval_state: str
    agreed: bool
    implemented: bool


class MoveKind(Enum):
    FORWARD = "forward"  # to a later stage, each entered stage's guard holds
    REWORK = "rework"  # proposed -> investigating: the customer declined the solution
    REOPEN = "reopen"  # follow_up/closed -> investigating: counted
    CLOSE = "close"  # follow_up -> closed after a satisfied revisit
    CLOSE_OVERRIDE = "close_override"  # supervisor closes without (satisfied) revisit
    WITHDRAW = "withdraw"  # customer withdrew: any open stage -> closed, with a reason
    # The investigation found the complaint unfounded: investigating -> closed, with the
    # explanation given to the customer (hotel 2.3).
    CLOSE_UNFOUNDED = "close_unfounded"


# The part of the complaint a missing guard points at (the detail panel opens there).
PART_ASSESSMENT = "assessment"
PART_INVESTIGATION = "investigation"
PART_SOLUTION = "solution"
PART_APPROVAL = "approval"
PART_AGREEMENT = "agreement"
PART_IMPLEMENTATION = "implementation"
PART_REVISIT = "revisit"
PART_REASON = "reason"


def stage_index(stage: str) -> int:
    if stage not in STAGES:
        raise MoveRefused(N_("Unknown stage: {stage}"), stage=stage)
    return STAGES.index(stage)


def _guard_entering(stage: str, f: Facts) -> None:
    """Raise MoveRefused if `f` does not meet what entering `stage` requires."""
    if stage == "assessed":
        if not f.category_set:
            raise MoveRefused(N_("Set the category first."), PART_ASSESSMENT)
        if not f.severity_set:
            raise MoveRefused(N_("Set the severity first."), PART_ASSESSMENT)
        if not f.owner_set:
            raise MoveRefused(N_("Choose an owner first."), PART_ASSESSMENT)
        if not f.due_set:
            raise MoveRefused(N_("Set the due time first."), PART_ASSESSMENT)
    elif stage == "proposed":
        if not f.findings:
            raise MoveRefused(N_("Record the findings first."), PART_INVESTIGATION)
        # Leaving the investigation needs its verdict (hotel 2.3): it counts in the figures.
        if not f.verdict:
            raise MoveRefused(N_("Record the investigation's verdict first (verified true, "
                                 "unfounded or not verifiable)."), PART_INVESTIGATION)
        if not f.responsibility:
            raise MoveRefused(N_("Record who is responsible first."), PART_INVESTIGATION)
        if not f.solution_proposed:
            raise MoveRefused(N_("Propose a solution first."), PART_SOLUTION)
    elif stage == "in_progress":
        if f.approval_state == "pending":
            raise MoveRefused(N_("The solution waits for a supervisor's approval."), PART_APPROVAL)
        if f.approval_state == "rejected":
            raise MoveRefused(
                N_("The supervisor rejected the solution; propose another."), PART_SOLUTION
            )
        if not f.customer_agreed:
            raise MoveRefused(N_("Record the customer's agreement first."), PART_AGREEMENT)
    elif stage == "follow_up" and not f.implemented:
        raise MoveRefused(N_("Record what was done first."), PART_IMPLEMENTATION)


def check_move(
    f: Facts, to_stage: str, role: str = "clerk", reason: str | None = None
) -> MoveKind:
    """The kind of move from `f.stage` to `to_stage`, or MoveRefused saying why not."""
    src, dst = stage_index(f.stage), stage_index(to_stage)
    has_reason = bool(reason and reason.strip())
    if src == dst:
        raise MoveRefused(N_("The complaint is already in this stage."))
    if f.stage == "closed":
        if to_stage != "investigating":
            raise MoveRefused(N_("A closed complaint can only be reopened to investigating."))
        if not role_may(role, REOPEN_CLOSED):
            raise MoveRefused(N_("Only a supervisor can reopen a closed complaint."))
        if not has_reason:
            raise MoveRefused(N_("Give a reason for reopening."), PART_REASON)
        return MoveKind.REOPEN
    if to_stage == "closed":
        if f.stage == "follow_up":
            if f.revisit_done and f.revisit_satisfied:
                return MoveKind.CLOSE
            if not role_may(role, CLOSE_OVERRIDE):
                raise MoveRefused(
                    N_("Record a satisfied revisit first (or ask a supervisor to close)."),
                    PART_REVISIT,
                )
            if not has_reason:
                raise MoveRefused(N_("Give a reason for closing without a revisit."), PART_REASON)
            return MoveKind.CLOSE_OVERRIDE
        if f.stage == "investigating" and f.verdict == "unfounded":
            if not f.findings:
                raise MoveRefused(N_("Record the findings first."), PART_INVESTIGATION)
            if not has_reason:
                raise MoveRefused(N_("The complaint is unfounded: give the explanation the "
                                     "customer was given."), PART_REASON)
            return MoveKind.CLOSE_UNFOUNDED
        if not has_reason:
            raise MoveRefused(
                N_("Closing before follow-up is a withdrawal: give a reason."), PART_REASON
            )
        return MoveKind.WITHDRAW
    if dst < src:
        if f.stage == "follow_up" and to_stage == "investigating":
            return MoveKind.REOPEN
        if f.stage == "proposed" and to_stage == "investigating":
            return MoveKind.REWORK
        raise MoveRefused(N_("A complaint cannot move back to this stage."))
    for stage in STAGES[src + 1 : dst + 1]:
        _guard_entering(stage, f)
    return MoveKind.FORWARD


def allowed_moves(f: Facts, role: str = "clerk") -> list[str]:
    """Stages the complaint can move to now (a reason is assumed where one is asked)."""
    result = []
    for stage in STAGES:
        try:
            check_move(f, stage, role, reason="x")
        except MoveRefused:
            continue
        result.append(stage)
    return result


def counts_as_reopen(kind: MoveKind) -> bool:
    return kind is MoveKind.REOPEN


def is_resolution(from_stage: str, to_stage: str) -> bool:
    """Entering follow-up (or closing without passing it) marks the complaint resolved."""
    return stage_index(to_stage) >= STAGES.index("follow_up") > stage_index(from_stage)
