"""What each stage lets a user edit. The services refuse the rest (EditRefused), whoever
calls them; the detail panel greys out what this table refuses.

A closed complaint cannot be edited at all: a supervisor's reopen (a move, app/workflow.py)
is the way back. What still touches a closed complaint is not an edit of it: printing its
slip again (logged on its timeline), linking it to an improvement action, anonymising its
customer (privacy law), revealing its phone to call (audited), choosing it as a typical case
for training (its title and lesson are the case's, not the complaint's record).
"""

from __future__ import annotations

from app.errors import EditRefused
from app.i18n import N_
from app.rules.stages import OPEN_STAGES, SOLUTION_STAGES, UNRESOLVED_STAGES
from app.workflow import (
    PART_AGREEMENT,
    PART_APPROVAL,
    PART_ASSESSMENT,
    PART_IMPLEMENTATION,
    PART_INVESTIGATION,
    PART_REVISIT,
    PART_SOLUTION,
)

PART_INTAKE = "intake"  # corrections of what was received (app/services/complaints.py)
PART_CONTACT = "contact"  # a call or message with the customer
PART_NOTE = "note"
PART_ATTACHMENT = "attachment"
PART_CASE = "typical_case"  # a closed complaint chosen for training (app/services/typical_cases)

# part -> the stages in which it may be edited.
EDITABLE_IN: dict[str, tuple[str, ...]] = {
    PART_INTAKE: OPEN_STAGES,
    # Severity and owner may change until the solution is carried out; the due time then
    # follows the new severity, keeping the pauses counted so far (app/sla.py).
    PART_ASSESSMENT: UNRESOLVED_STAGES,
    PART_INVESTIGATION: ("new", "assessed", "investigating", "proposed"),
    PART_SOLUTION: SOLUTION_STAGES,
    PART_APPROVAL: SOLUTION_STAGES,
    PART_AGREEMENT: SOLUTION_STAGES,
    PART_IMPLEMENTATION: ("in_progress",),
    PART_REVISIT: ("follow_up",),
    PART_CONTACT: OPEN_STAGES,
    PART_NOTE: OPEN_STAGES,
    PART_ATTACHMENT: OPEN_STAGES,
}

PART_LABELS: dict[str, str] = {
    PART_INTAKE: N_("The complaint as received"),
    PART_ASSESSMENT: N_("The assessment"),
    PART_INVESTIGATION: N_("The investigation"),
    PART_SOLUTION: N_("The solution"),
    PART_APPROVAL: N_("The approval"),
    PART_AGREEMENT: N_("The customer's agreement"),
    PART_IMPLEMENTATION: N_("What was done"),
    PART_REVISIT: N_("The revisit"),
    PART_CONTACT: N_("A contact with the customer"),
    PART_NOTE: N_("A note"),
    PART_ATTACHMENT: N_("A file"),
    PART_CASE: N_("The typical case"),
}


def can_edit(stage: str, part: str) -> bool:
    """May `part` of a complaint in `stage` be edited? (unknown parts: no)"""
    return stage in EDITABLE_IN.get(part, ())


def require_editable(stage: str, part: str) -> None:
    """EditRefused, saying why, unless `part` may be edited in `stage`."""
    if can_edit(stage, part):
        return
    if stage == "closed":
        raise EditRefused(N_("The complaint is closed and cannot be changed; a supervisor "
                             "can reopen it."), part, stage, PART_LABELS.get(part, part))
    raise EditRefused(N_("{part} cannot be changed while the complaint is at stage "
                         "\"{stage}\"."), part, stage, PART_LABELS.get(part, part))


# Not an edit of the complaint (above): choosing it as a typical case, or changing that case.
# Only what is finished teaches: the whole story, revisit included, is known.
CASE_STAGES = ("closed",)


def can_be_case(stage: str) -> bool:
    return stage in CASE_STAGES


def require_case_stage(stage: str) -> None:
    """EditRefused unless a complaint in `stage` may be (or stay editable as) a typical case."""
    if not can_be_case(stage):
        raise EditRefused(N_("Only a closed complaint can be a typical case: its whole story, "
                             "revisit included, is known then."), PART_CASE, stage,
                          PART_LABELS[PART_CASE])
