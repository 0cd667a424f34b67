"""Who may do what: ONE table, action → the least role that may do it.

Services call `require(actor, ACTION)` before they change or show anything; the windows call
`can(actor, ACTION)` only to hide what would be refused anyway. Roles are ordered
clerk < supervisor < admin: each role may do everything the roles below it may.

This is the one permission path: services call `require`, windows `can`, the stage guards
(app/workflow.py: only a supervisor may reopen a closed complaint or close one without a
satisfied revisit) ask `role_may` with REOPEN_CLOSED / CLOSE_OVERRIDE. Each setting
declares its role with it (app/settings.py, SettingSpec.role).
"""

from __future__ import annotations

from typing import Protocol

from app.errors import PermissionDenied

CLERK, SUPERVISOR, ADMIN = "clerk", "supervisor", "admin"
RANK = {CLERK: 1, SUPERVISOR: 2, ADMIN: 3}

# Clerks: the daily work at the counter.
LOG_COMPLAINT = "log_complaint"
UPDATE_COMPLAINT = "update_complaint"
MOVE_COMPLAINT = "move_complaint"
RECORD_CONTACT = "record_contact"
RECORD_REVISIT = "record_revisit"
PRINT_SLIP = "print_slip"
ESCALATE = "escalate"  # to the supervisors, by hand, with a reason
PRINT_HANDOVER = "print_handover"  # the shift hand-over sheet
CHECK_DATABASE = "check_database"
CHANGE_OWN_PASSWORD = "change_own_password"
# Typical cases are training material with the customer's data taken out: every role reads them.
SEE_TYPICAL_CASES = "see_typical_cases"
# Supervisors: decisions, lists and settings, figures, data leaving the program.
APPROVE_COMPENSATION = "approve_compensation"
CLOSE_OVERRIDE = "close_override"
REOPEN_CLOSED = "reopen_closed"
EDIT_LISTS = "edit_lists"
EDIT_SETTINGS = "edit_settings"
SEE_REPORTS = "see_reports"
EXPORT = "export"
IMPORT = "import"
SEE_PERSONAL_DATA = "see_personal_data"  # unmasked phone and email (setting mask_personal_data)
ANONYMISE_CUSTOMER = "anonymise_customer"
HANDLE_ESCALATIONS = "handle_escalations"  # the alerts: mark an escalation handled
MARK_TYPICAL_CASE = "mark_typical_case"  # choose a closed complaint as a case, write its lesson
EDIT_QUESTIONNAIRE = "edit_questionnaire"  # the revisit questionnaire's questions (Settings)
# Administrators: the accounts and the data file itself.
MANAGE_ACCOUNTS = "manage_accounts"
# A desk without an active administrator: its supervisors make the first one (users.py).
SET_UP_ACCOUNTS = "set_up_accounts"
BACKUP = "backup"
RESTORE = "restore"
DEMO_DATA = "demo_data"
APPLY_RETENTION = "apply_retention"

ACTIONS: dict[str, str] = {
    LOG_COMPLAINT: CLERK,
    UPDATE_COMPLAINT: CLERK,
    MOVE_COMPLAINT: CLERK,
    RECORD_CONTACT: CLERK,
    RECORD_REVISIT: CLERK,
    PRINT_SLIP: CLERK,
    ESCALATE: CLERK,
    PRINT_HANDOVER: CLERK,
    CHECK_DATABASE: CLERK,
    CHANGE_OWN_PASSWORD: CLERK,
    SEE_TYPICAL_CASES: CLERK,
    APPROVE_COMPENSATION: SUPERVISOR,
    CLOSE_OVERRIDE: SUPERVISOR,
    REOPEN_CLOSED: SUPERVISOR,
    EDIT_LISTS: SUPERVISOR,
    EDIT_SETTINGS: SUPERVISOR,
    SEE_REPORTS: SUPERVISOR,
    EXPORT: SUPERVISOR,
    IMPORT: SUPERVISOR,
    SEE_PERSONAL_DATA: SUPERVISOR,
    ANONYMISE_CUSTOMER: SUPERVISOR,
    HANDLE_ESCALATIONS: SUPERVISOR,
    MARK_TYPICAL_CASE: SUPERVISOR,
    EDIT_QUESTIONNAIRE: SUPERVISOR,
    MANAGE_ACCOUNTS: ADMIN,
    SET_UP_ACCOUNTS: SUPERVISOR,
    BACKUP: ADMIN,
    RESTORE: ADMIN,
    DEMO_DATA: ADMIN,
    APPLY_RETENTION: ADMIN,
}


class HasRole(Protocol):
    @property
    def role(self) -> str: ...


def required_role(action: str) -> str:
    """The least role for `action`; an unknown action needs an administrator (fail closed)."""
    return ACTIONS.get(action, ADMIN)


def role_at_least(role: str, needed: str) -> bool:
    return RANK.get(role, 0) >= RANK.get(needed, RANK[ADMIN])


def role_may(role: str, action: str) -> bool:
    """May someone with `role` do `action`? (for rules that know the role, not the actor)"""
    return role_at_least(role, required_role(action))


def can(actor: HasRole, action: str) -> bool:
    """May `actor` do `action`? For hiding buttons; the service still checks with require()."""
    return role_may(actor.role, action)


def require(actor: HasRole, action: str) -> None:
    """PermissionDenied naming the role `action` needs, unless `actor` has it."""
    needed = required_role(action)
    if not role_at_least(actor.role, needed):
        raise PermissionDenied(action, needed)


def require_role(actor: HasRole, role: str, action: str) -> None:
    """Like require() for rules that declare their role elsewhere (a setting's role)."""
    if not role_at_least(actor.role, role):
        raise PermissionDenied(action, role)
