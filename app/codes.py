"""Codes used in files, JSON and the database, with their translatable labels.

Codes never change; labels are shown through `label(kind, code)` in the current language.
"""

from __future__ import annotations

from app.i18n import N_, NC_, _

STAGES = ("new", "assessed", "investigating", "proposed", "in_progress", "follow_up", "closed")
CHANNELS = ("counter", "phone", "email", "online", "letter", "transferred", "other")
SEVERITIES = ("minor", "normal", "serious", "urgent")
TIERS = ("core", "key", "ordinary", "potential")
EMOTIONS = ("calm", "upset", "angry")
DEMANDS = (
    "refund", "exchange", "repair", "compensation", "apology", "redo", "explanation", "other",
)
RESPONSIBILITIES = (
    "our_staff", "our_department", "tenant", "supplier", "logistics", "customer", "nobody",
)
SOLUTION_TYPES = (
    "apology", "refund", "exchange", "repair", "redo", "coupon", "gift", "cash",
    "price_difference", "improvement", "explanation",
)
VERIFICATIONS = ("true", "not_verifiable", "unfounded")
# The verdicts as `stats --json` names them (DESIGN.md §5 by_verification), None: pending.
VERDICT_KEYS = {"true": "verified", "unfounded": "unfounded",
                "not_verifiable": "not_verifiable", None: "pending"}
# Why a complaint was escalated to the supervisors (app/rules/escalation.py).
ESCALATION_RULES = ("first_contact_overdue", "resolution_overdue", "severity",
                    "repeat_customer", "manual")
CONTACT_METHODS = ("phone", "sms", "email", "in_person", "wechat", "other")
REVISIT_METHODS = ("phone", "sms", "email", "in_person")
APPROVAL_STATES = ("not_needed", "pending", "approved", "rejected")
ROLES = ("clerk", "supervisor", "admin")
ACTION_STATUSES = ("open", "in_progress", "done", "cancelled")
PROFILES = ("mall", "salon", "hotel")
# Kinds of standard phrases (话术, app/services/phrases.py).
PHRASE_KINDS = ("apology", "thanks", "explanation", "time_promise", "closing")

_LABELS: dict[str, dict[str, str]] = {
    "stage": {
        "new": N_("New"),
        "assessed": N_("Assessed"),
        "investigating": N_("Investigating"),
        "proposed": N_("Solution proposed"),
        "in_progress": N_("In progress"),
        "follow_up": N_("Follow-up"),
        "closed": N_("Closed"),
    },
    "channel": {
        "counter": N_("Walk-in at counter"),
        "phone": N_("Phone"),
        "email": NC_("medium", "Email"),  # 电子邮件, not the address
        "online": N_("Online / social media"),
        "letter": N_("Letter"),
        "transferred": N_("Transferred"),
        "other": N_("Other"),
    },
    "severity": {
        "minor": N_("Minor"),
        "normal": N_("Normal"),
        "serious": N_("Serious"),
        "urgent": N_("Urgent"),
    },
    "tier": {
        "core": N_("Core customer"),
        "key": N_("Key customer"),
        "ordinary": N_("Ordinary customer"),
        "potential": N_("Potential customer"),
    },
    "emotion": {"calm": N_("Calm"), "upset": N_("Upset"), "angry": N_("Angry")},
    "demand": {
        "refund": N_("Refund"),
        "exchange": N_("Exchange"),
        "repair": N_("Repair"),
        "compensation": N_("Compensation"),
        "apology": N_("Apology"),
        "redo": N_("Redo the service"),
        "explanation": N_("Explanation"),
        "other": N_("Other"),
    },
    "responsibility": {
        "our_staff": N_("Our staff"),
        "our_department": N_("Our department"),
        "tenant": N_("Tenant shop"),
        "supplier": N_("Supplier / manufacturer"),
        "logistics": N_("Logistics"),
        "customer": N_("The customer"),
        "nobody": N_("Nobody"),
    },
    "solution_type": {
        "apology": N_("Apology"),
        "refund": N_("Refund"),
        "exchange": N_("Exchange"),
        "repair": N_("Repair"),
        "redo": N_("Redo the service"),
        "coupon": N_("Coupon"),
        "gift": N_("Gift"),
        "cash": N_("Cash compensation"),
        "price_difference": N_("Price difference"),
        "improvement": N_("Service improvement"),
        "explanation": N_("Explanation"),
    },
    "verification": {
        "true": N_("Verified true"),
        "not_verifiable": N_("Not verifiable"),
        "unfounded": N_("Unfounded"),
    },
    "escalation_rule": {
        "first_contact_overdue": N_("First contact overdue"),
        "resolution_overdue": N_("Resolution overdue"),
        "severity": N_("Serious or urgent"),
        "repeat_customer": N_("Repeat customer"),
        "manual": N_("Escalated by hand"),
    },
    "contact_method": {
        "phone": N_("Phone"),
        "sms": N_("SMS"),
        "email": NC_("medium", "Email"),  # 电子邮件, not the address
        "in_person": N_("In person"),
        "wechat": N_("WeChat / messaging"),
        "other": N_("Other"),
    },
    "revisit_method": {
        "phone": N_("Phone"),
        "sms": N_("SMS"),
        "email": NC_("medium", "Email"),  # 电子邮件, not the address
        "in_person": N_("In person"),
    },
    "approval": {
        "not_needed": N_("No approval needed"),
        "pending": N_("Waiting for approval"),
        "approved": N_("Approved"),
        "rejected": N_("Rejected"),
    },
    "role": {"clerk": N_("Clerk"), "supervisor": N_("Supervisor"), "admin": N_("Administrator")},
    "action_status": {
        "open": N_("Open"),
        "in_progress": NC_("improvement action", "In progress"),  # not the stage
        "done": N_("Done"),
        "cancelled": N_("Cancelled"),
    },
    "profile": {"mall": N_("Shopping mall"), "salon": N_("Beauty salon"), "hotel": N_("Hotel")},
    "phrase_kind": {
        "apology": N_("Apology"),
        "thanks": N_("Thanks"),
        "explanation": N_("Explanation"),
        "time_promise": N_("Promise of a time"),
        "closing": N_("Closing"),
    },
    # Printing (app/printing): a slip's format, and a language named in its own script.
    "slip_format": {"a5": N_("A5 page"), "receipt80": N_("80 mm receipt roll")},
    "language": {"zh-Hans": "简体中文", "zh-Hant": "繁體中文", "en": "English"},
}

FIELD_LABELS: dict[str, str] = {
    "received_at": N_("Received at"),
    "channel": N_("Channel"),
    "customer_name": N_("Customer name"),
    "phone": N_("Phone"),
    "email": N_("Email"),
    "tier": N_("Customer tier"),
    "subject": N_("Subject"),
    "category": N_("Category"),
    "department": N_("Department / shop"),
    "location": N_("Location"),
    "staff_involved": N_("Staff involved"),
    "description": N_("Description"),
    "emotion": N_("Customer's emotion"),
    "customer_demand": N_("Customer asks for"),
    "external_id": N_("External ID"),
    "stage": N_("Stage"),
    "severity": N_("Severity"),
    "owner": N_("Owner"),
    "due_at": N_("Due time"),
    "resolved_at": N_("Resolved at"),
    "closed_at": N_("Closed at"),
    "satisfaction": N_("Satisfaction"),
    "occurred_at": N_("Occurred at"),
    "findings": N_("Findings"),
    "root_cause": N_("Root cause"),
    "responsibility": N_("Responsibility"),
    "evidence": N_("Evidence"),
    "solution_types": N_("Solution"),
    "amount": N_("Amount"),
    "solution_description": N_("Solution details"),
    "implementation": N_("What was done"),
    "revisit_date": N_("Revisit date"),
    "revisit_method": N_("Revisit method"),
    "comment": N_("Comment"),
    "reason": N_("Reason"),
    "summary": N_("Summary"),
    "contact_method": N_("Contact method"),
    "contacted_at": N_("Contact time"),
    "attachment": N_("Attachment"),
    "verified": N_("Verification"),
    "month": N_("Month"),
    "shift_day": N_("Day of the shift"),  # the hand-over sheet's (app/services/handover.py)
    "count": N_("Number of complaints"),  # demo data (app/services/demo.py)
    "months": N_("Months"),
    "profile": N_("Profile"),
    "action": N_("Improvement action"),
    "action_status": N_("Action status"),
    "due_date": N_("Due date"),
    "references": N_("Complaints"),
    "username": N_("User name"),
    "password": N_("Password"),
    "old_password": N_("Current password"),  # staff accounts (app/services/users.py)
    "role": N_("Role"),
    "active": N_("Account"),
    "recorded_by": N_("Recorded by"),
    "questionnaire": N_("Questionnaire"),
    "case_title": N_("Case title"),
    "lesson": N_("Lesson learned"),
}


def label(kind: str, code: str | None) -> str:
    """The label of a code in the current language ("" for None, the code if unknown)."""
    if code is None:
        return ""
    msgid = _LABELS.get(kind, {}).get(code)
    return _(msgid) if msgid else code


def field_label(field: str) -> str:
    """The label of a data field (a key of FIELD_LABELS) in the current language."""
    return _(FIELD_LABELS.get(field, field))


def msgids(kind: str) -> dict[str, str]:
    """code -> untranslated label of one fixed list (seeds the editable solution types)."""
    return dict(_LABELS[kind])


def choices(kind: str) -> list[tuple[str, str]]:
    """(code, label) pairs in their defined order, for pick lists."""
    return [(code, _(msgid)) for code, msgid in _LABELS[kind].items()]
