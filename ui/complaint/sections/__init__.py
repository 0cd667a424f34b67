"""The procedure's parts, one module each, in the order the panel shows them.

A new section: a module here with a `Section` subclass (ui/complaint/section.py), and its line
below; the panel builds, fills, refreshes and translates every section listed.
"""

from __future__ import annotations

from ui.complaint.section import Section
from ui.complaint.sections.agreement import AgreementSection
from ui.complaint.sections.assessment import AssessmentSection
from ui.complaint.sections.close import CloseSection
from ui.complaint.sections.escalation import EscalationSection
from ui.complaint.sections.implementation import ImplementationSection
from ui.complaint.sections.intake import IntakeSection
from ui.complaint.sections.investigation import InvestigationSection
from ui.complaint.sections.revisit import RevisitSection
from ui.complaint.sections.solution import SolutionSection
from ui.complaint.sections.typical_case import TypicalCaseSection

SECTIONS: tuple[type[Section], ...] = (
    IntakeSection,
    AssessmentSection,
    InvestigationSection,
    SolutionSection,
    AgreementSection,
    ImplementationSection,
    RevisitSection,
    CloseSection,
    EscalationSection,
    TypicalCaseSection,
)
