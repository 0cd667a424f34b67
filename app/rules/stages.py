"""The stage groups, each named once. Stages themselves are codes (app/codes.py STAGES)."""

from __future__ import annotations

from app.codes import STAGES

# Not closed: on the board, counted "open at month end", may still be edited.
OPEN_STAGES: tuple[str, ...] = STAGES[:-1]
# The solution was carried out (or the complaint closed): the SLA clock has stopped, so a
# complaint here is never overdue.
RESOLVED_STAGES: tuple[str, ...] = ("follow_up", "closed")
# The desk still owes the customer a resolution: the SLA clock runs, overdue is possible.
UNRESOLVED_STAGES: tuple[str, ...] = tuple(s for s in STAGES if s not in RESOLVED_STAGES)
# The desk waits on the customer to accept a proposal: the SLA clock pauses (DESIGN.md §2).
WAITING_STAGES: tuple[str, ...] = ("proposed",)
# Before the complaint has left the investigation: its verdict may still be open (app/workflow.py
# asks for one to go on, hotel 2.3 核实).
VERDICT_OPEN_STAGES: tuple[str, ...] = ("new", "assessed", "investigating")
# While the facts are worked: a solution may be proposed, approved and agreed to.
SOLUTION_STAGES: tuple[str, ...] = ("assessed", "investigating", "proposed")
