"""What the audit trail's codes mean in words: the action of each event and the tables whose
rows it seals, for `check` and anything else that tells a person about an event. The codes stay
codes in the database and in JSON; unknown ones are shown as they are.

tests/unit/test_audit_labels.py fails when a service records an action not listed here.
"""

from __future__ import annotations

from app.i18n import N_, NC_, _

ACTIONS: dict[str, str] = {
    "data_changed": N_("data changed"),
    "found_changed_outside": N_("change made outside the program found"),
    "schema_upgraded": N_("database layout upgraded, changed rows sealed again"),
    "account_created": N_("account created"),
    "account_activated": N_("account switched on"),
    "account_deactivated": N_("account switched off"),
    "account_locked": N_("account locked"),
    "account_unlocked": N_("account unlocked"),
    "account_role_changed": N_("role changed"),
    "password_changed": N_("password changed"),
    "password_reset": N_("password reset"),
    "sign_in": N_("signed in"),
    "sign_in_failed": N_("sign-in failed"),
    "sign_in_refused": N_("sign-in refused"),
    "sign_out": N_("signed out"),
    "sign_out_idle": N_("signed out after idle time"),
    "customer_anonymised": N_("customer anonymised"),
    "phone_revealed": N_("phone number shown"),
    "backup": N_("backup made"),
    "restore": N_("backup restored"),
    "demo_data": N_("demo data added"),
    "import_csv": N_("complaints imported"),
    "import_xlsx": N_("complaints imported from Excel"),
    "rekey_phones": N_("customers re-keyed by phone number"),
    "export_csv": N_("CSV exported"),
    "export_xlsx": N_("Excel file exported"),
    "report_printed": N_("monthly report printed"),
    "handover_printed": N_("shift hand-over sheet printed"),
    "setting_changed": N_("setting changed"),
    "profile_applied": N_("profile preset applied"),
    "list_value_added": N_("list value added"),
    "list_value_renamed": N_("list value renamed"),
    "list_value_activated": N_("list value reactivated"),
    "list_value_deactivated": N_("list value deactivated"),
    "list_value_deleted": N_("list value deleted"),
    "list_reordered": N_("list reordered"),
    "phrase_added": N_("phrase added"),
    "phrase_changed": N_("phrase changed"),
    "phrase_activated": N_("phrase reactivated"),
    "phrase_deactivated": N_("phrase deactivated"),
    "phrase_deleted": N_("phrase deleted"),
    "phrase_moved": N_("phrase moved"),
    # A complaint's own changes are sealed as "complaint_" + its timeline kind (app/audit.py,
    # app/timeline.py KINDS): `check` names them too.
    "complaint_intake": N_("complaint received"),
    "complaint_imported": N_("complaint imported"),
    "complaint_field_changed": N_("complaint field changed"),
    "complaint_moved": N_("complaint moved to another stage"),
    "complaint_reopened": N_("complaint reopened"),
    "complaint_closed_override": N_("complaint closed without a satisfied revisit"),
    "complaint_withdrawn": N_("complaint withdrawn"),
    "complaint_assessed": N_("complaint assessed"),
    "complaint_investigation": N_("investigation recorded"),
    "complaint_solution_proposed": N_("solution proposed"),
    "complaint_approval_requested": N_("approval requested"),
    "complaint_approved": N_("solution approved"),
    "complaint_rejected": N_("solution rejected"),
    "complaint_customer_agreed": N_("customer agreed to the solution"),
    "complaint_implemented": N_("solution carried out"),
    "complaint_revisit_scheduled": N_("revisit scheduled"),
    "complaint_revisit_done": N_("revisit done"),
    "complaint_contact": N_("customer contacted"),
    "complaint_note": N_("note added"),
    "complaint_attachment": N_("attachment added"),
    "complaint_action_linked": N_("improvement action linked"),
    "complaint_slip_printed": N_("slip printed"),
    "complaint_closed_unfounded": N_("complaint closed as unfounded"),
    "complaint_escalated": N_("complaint escalated to the supervisors"),
    "complaint_escalation_handled": N_("escalation handled"),
    "question_added": N_("questionnaire question added"),
    "question_changed": N_("questionnaire question changed"),
    "question_reworded": N_("questionnaire question reworded (its answers keep the old words)"),
    "question_activated": N_("questionnaire question asked again"),
    "question_deactivated": N_("questionnaire question no longer asked"),
    "question_deleted": N_("questionnaire question deleted"),
    "question_moved": N_("questionnaire question moved"),
    "case_sheet_printed": N_("typical case sheet printed"),
    "complaint_case_marked": N_("complaint chosen as a typical case"),
    "complaint_case_changed": N_("typical case changed"),
    "complaint_case_unmarked": N_("complaint no longer a typical case"),
}

# In context: "complaints" the table is not the Excel sheet of that name (投诉明细).
TABLES: dict[str, str] = {
    "settings": NC_("database table", "settings"),
    "list_values": NC_("database table", "list values"),
    "users": NC_("database table", "staff accounts"),
    "customers": NC_("database table", "customers"),
    "complaints": NC_("database table", "complaints"),
    "complaint_events": NC_("database table", "complaint timelines"),
    "contacts": NC_("database table", "contact log"),
    "investigations": NC_("database table", "investigations"),
    "solutions": NC_("database table", "solutions"),
    "revisits": NC_("database table", "revisits"),
    "attachments": NC_("database table", "attachments"),
    "improvement_actions": NC_("database table", "improvement actions"),
    "escalations": NC_("database table", "escalations"),
    "survey_questions": NC_("database table", "questionnaire questions"),
    "revisit_answers": NC_("database table", "questionnaire answers"),
    "typical_cases": NC_("database table", "typical cases"),
}


def action_label(action: str) -> str:
    msgid = ACTIONS.get(action)
    return _(msgid) if msgid else action


def table_label(table: str) -> str:
    msgid = TABLES.get(table)
    return _(msgid) if msgid else table
