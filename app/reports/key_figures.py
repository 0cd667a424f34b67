"""Which `month_stats` figures a monthly summary shows, in which order, with which labels.

Shared by the PDF (app/reports/monthly_figures.py) and the Excel export's summary sheet, so
both list the same figures under the same names. No ReportLab here.
"""

from __future__ import annotations

from app.i18n import N_

# (label msgid, month_stats key, kind of number: count | pct | hours | score | money)
KEY_FIGURES: tuple[tuple[str, str, str], ...] = (
    (N_("Complaints received"), "received", "count"),
    (N_("Closed in the month"), "closed_in_month", "count"),
    (N_("Open at month end"), "open_at_month_end", "count"),
    (N_("Overdue at month end"), "overdue_at_month_end", "count"),
    (N_("Resolved in the month"), "resolved_in_month", "count"),
    (N_("Resolved within the SLA"), "sla_met_pct", "pct"),
    (N_("Median time to resolve"), "median_hours_to_resolve", "hours"),
    (N_("Median time to first contact"), "median_hours_to_first_contact", "hours"),
    (N_("Revisits done"), "revisits_done", "count"),
    (N_("Average satisfaction (1–5)"), "avg_satisfaction", "score"),
    (N_("Reopened"), "reopened", "count"),
    (N_("Repeat complainants (2+ complaints)"), "repeat_customers", "count"),
    (N_("Escalated to the supervisors"), "escalated", "count"),
    (N_("Founded (of the complaints with a verdict)"), "founded_pct", "pct"),
    (N_("Compensation total"), "compensation_total", "money"),
    (N_("Typical cases chosen"), "typical_cases", "count"),
)

# The investigation's verdicts (month_stats' by_verification), in this order.
VERDICTS: tuple[tuple[str, str], ...] = (
    ("verified", N_("Verified true")),
    ("unfounded", N_("Unfounded")),
    ("not_verifiable", N_("Not verifiable")),
    ("pending", N_("No verdict yet")),
)

# The compensation carried out per solution type (month_stats' compensation_by_type), under
# the key figures of the PDF and the Excel export.
BY_TYPE_TITLE = N_("Compensation carried out, by solution type")
# Entries recorded before amounts were kept per type, whose solution had several types.
UNSPLIT_LABEL = N_("Several types, amount not split (recorded before per-type amounts)")

HOURS_CALENDAR = N_("Times are calendar hours (24 hours a day) from the received time, "
                    "including time waiting on the customer.")
HOURS_OPENING = N_("Times are opening hours from the received time.")


def hours_note(figures: dict[str, object]) -> str:
    """The msgid saying how the hours of `figures` (month_stats) are counted."""
    return HOURS_CALENDAR if figures.get("hours_basis", "calendar") == "calendar" \
        else HOURS_OPENING
