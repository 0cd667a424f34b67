"""Timeline events: what changed in a complaint, by whom, when. Rendered in the user's language."""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import suppress
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from app.codes import FIELD_LABELS, label
from app.formatting import currency_symbol, join_list, short_date, short_datetime
from app.i18n import N_, _
from app.models import Complaint, ComplaintEvent

# kind -> message template; fields of `data` fill the placeholders.
KINDS: dict[str, str] = {
    "intake": N_("Complaint received ({channel})"),
    "imported": N_("Imported from {file}"),
    "field_changed": N_("{field}: {old} → {new}"),
    "moved": N_("Moved {from_stage} → {to_stage}"),
    "reopened": N_("Reopened {from_stage} → {to_stage}: {reason}"),
    "closed_override": N_("Closed without a satisfied revisit: {reason}"),
    "withdrawn": N_("Withdrawn: {reason}"),
    "closed_unfounded": N_("Closed as unfounded; explained to the customer: {explanation}"),
    "escalated": N_("Escalated to the supervisors: {rule}"),
    "escalation_handled": N_("Escalation handled ({rule}): {note}"),
    "assessed": N_("Assessed: {severity}, owner {owner}"),
    "investigation": N_("Investigation recorded"),
    "solution_proposed": N_("Solution proposed: {types} ({amount})"),
    "approval_requested": N_("Approval requested (amount {amount} over {threshold})"),
    "approved": N_("Solution approved: {comment}"),
    "rejected": N_("Solution rejected: {comment}"),
    "customer_agreed": N_("Customer agreed to the solution"),
    "implemented": N_("Carried out: {implementation}"),
    "revisit_scheduled": N_("Revisit scheduled for {date}"),
    "revisit_done": N_("Revisit by {method}: satisfaction {satisfaction}/5 — {comment}"),
    "contact": N_("Contact by {method}: {summary}"),
    "note": N_("Note: {text}"),
    "attachment": N_("Attachment added: {name}"),
    "action_linked": N_("Improvement action: {action}"),
    "slip_printed": N_("Slip printed on {printer} ({format}, {language}), job {job}"),
    "case_marked": N_("Chosen as a typical case: {title}"),
    "case_changed": N_("Typical case changed: {title}"),
    "case_unmarked": N_("No longer a typical case: {reason}"),
}

# Which data values are codes and how to label them when shown.
_CODED = {"channel": "channel", "from_stage": "stage", "to_stage": "stage",
          "severity": "severity", "method": "contact_method",
          "responsibility": "responsibility", "format": "slip_format",
          "language": "language", "rule": "escalation_rule", "verdict": "verification"}


# Events that enter a stage without naming it in their data.
_ENTERS = {"intake": "new", "closed_override": "closed", "withdrawn": "closed",
           "closed_unfounded": "closed"}


def record(
    session: Session, complaint: Complaint, kind: str, actor_id: int | None, actor_name: str,
    at: datetime, **data: Any,
) -> ComplaintEvent:
    assert kind in KINDS, kind
    event = ComplaintEvent(
        complaint_id=complaint.id, at=at, actor_id=actor_id, actor_name=actor_name,
        kind=kind, data=data, to_stage=data.get("to_stage") or _ENTERS.get(kind),
    )
    session.add(event)
    return event


# Coded values inside a "field_changed" event, and how to label them.
_FIELD_CODES = {"channel": "channel", "emotion": "emotion", "tier": "tier",
                "severity": "severity", "verified": "verification"}
_FIELD_LISTS = ("subject", "category", "department")


def _field_value(field: str, value: Any, lists: Mapping[tuple[str, str], str]) -> str:
    text = "" if value is None else str(value)
    if not text:
        return ""
    if field in _FIELD_CODES:
        return label(_FIELD_CODES[field], text)
    if field == "customer_demand":
        return join_list(label("demand", v.strip()) for v in text.split(",") if v.strip())
    if field in _FIELD_LISTS:
        return lists.get((field, text), text)
    if field == "due_at":
        with suppress(ValueError):
            return short_datetime(datetime.fromisoformat(text))
    return text


def _template(kind: str, v: dict[str, Any], data: dict[str, Any]) -> str:
    """The msgid for the event: empty parts get a sentence of their own, not a dangling ':'."""
    if kind == "field_changed":
        if not v.get("old"):
            return N_("{field} set to {new}")
        if not v.get("new"):
            return N_("{field} cleared (was {old})")
    elif kind == "reopened" and not v.get("reason"):
        return N_("Reopened {from_stage} → {to_stage}")
    elif kind in ("approved", "rejected") and not v.get("comment"):
        return N_("Solution approved") if kind == "approved" else N_("Solution rejected")
    elif kind == "investigation" and data.get("verdict"):
        if v.get("responsibility") and v.get("root_cause"):
            return N_("Investigation recorded: {verdict}, responsibility {responsibility}, "
                      "root cause {root_cause}")
        if v.get("responsibility"):
            return N_("Investigation recorded: {verdict}, responsibility {responsibility}")
        return N_("Investigation recorded: {verdict}")
    elif kind == "investigation":
        if v.get("responsibility") and v.get("root_cause"):
            return N_("Investigation recorded: responsibility {responsibility}, "
                      "root cause {root_cause}")
        if v.get("responsibility"):
            return N_("Investigation recorded: responsibility {responsibility}")
    elif kind == "escalated":
        return _ESCALATED.get(str(data.get("rule")), KINDS[kind])
    elif kind == "escalation_handled" and not v.get("note"):
        return N_("Escalation handled ({rule})")
    elif kind == "solution_proposed" and v.get("amount") in ("", "0.00", None):
        return N_("Solution proposed: {types}")
    elif kind == "contact" and data.get("unreachable"):
        return N_("Tried to reach the customer by {method}, unreachable: {summary}")
    elif kind == "revisit_done":
        satisfied, comment = bool(data.get("satisfied")), bool(v.get("comment"))
        if satisfied:
            return (N_("Revisit by {method}: satisfaction {satisfaction}/5, satisfied — {comment}")
                    if comment else N_("Revisit by {method}: satisfaction {satisfaction}/5, "
                                       "satisfied"))
        return (N_("Revisit by {method}: satisfaction {satisfaction}/5, not satisfied — "
                   "{comment}") if comment else
                N_("Revisit by {method}: satisfaction {satisfaction}/5, not satisfied"))
    return KINDS.get(kind, kind)


# What each escalation rule's event says (the rule's data fills it).
_ESCALATED = {
    "first_contact_overdue": N_("Escalated to the supervisors: first contact overdue (due "
                                "{due_time})"),
    "resolution_overdue": N_("Escalated to the supervisors: resolution overdue (due "
                             "{due_time})"),
    "severity": N_("Escalated to the supervisors: severity {severity}"),
    "repeat_customer": N_("Escalated to the supervisors: the customer's complaint number "
                          "{count} in {days} days"),
    "manual": N_("Escalated to the supervisors by hand: {reason}"),
}

# Values stored in the language-neutral form and shown in the reader's (app/formatting.py).
_DATES = ("date", "due")  # ISO dates
_TIMES = ("due_time",)  # ISO date and time
_AMOUNTS = ("amount", "threshold")  # "1,234.50" without a currency symbol


def _localise(values: dict[str, Any]) -> None:
    for key in _DATES:
        if isinstance(values.get(key), str) and values[key]:
            with suppress(ValueError):
                values[key] = short_date(date.fromisoformat(values[key]))
    for key in _TIMES:
        if isinstance(values.get(key), str) and values[key]:
            with suppress(ValueError):
                values[key] = short_datetime(datetime.fromisoformat(values[key]))
    for key in _AMOUNTS:
        if isinstance(values.get(key), str) and values[key]:
            values[key] = currency_symbol() + values[key]


# The name the program's own events carry (app/services/common.py SYSTEM: the escalation
# clock, commands run on a desk without accounts).
SYSTEM_NAME = "system"


def actor_shown(actor_id: int | None, name: str) -> str:
    """Who did it, as shown: the program's own events in the reader's language."""
    return _("System") if actor_id is None and name == SYSTEM_NAME else name


def describe(kind: str, data: dict[str, Any],
             lists: Mapping[tuple[str, str], str] | None = None) -> str:
    """The event as a sentence in the current language.

    `lists` labels codes of the editable lists: (kind, code) -> label (e.g. categories).
    """
    lists = lists or {}
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key in _CODED and isinstance(value, str):
            values[key] = label(_CODED[key], value)
        elif key == "field" and isinstance(value, str):
            values[key] = _(FIELD_LABELS.get(value, value))
        elif key in ("old", "new"):
            values[key] = _field_value(str(data.get("field", "")), value, lists)
        elif key == "root_cause" and isinstance(value, str):
            values[key] = lists.get(("root_cause", value), value)
        elif key == "types" and isinstance(value, list):
            values[key] = join_list(lists.get(("solution_type", v), label("solution_type", v))
                                     for v in value)
        else:
            values[key] = "" if value is None else value
    template = _(_template(kind, values, data))
    _localise(values)
    try:
        return template.format(**values)
    except (KeyError, IndexError):
        return template
