"""Every setting declared once (key, default, type, label, group, who may change it).

The declaration drives the defaults, validation and the settings dialog. Values are stored as
JSON text in the `settings` table.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import clock
from app.codes import PROFILES, SEVERITIES
from app.errors import ValidationError
from app.i18n import LANGUAGES, N_
from app.models import Setting
from app.phones import DEFAULT_REGION, REGIONS
from app.rules.escalation import (
    CLOCK_RULE_SETTINGS,
    CLOCK_RULES,
    SEVERITIES_FOR,
    EscalationRules,
)
from app.setting_checks import check_value
from app.sla import (
    CALENDAR,
    DEFAULT_TERMS,
    DEFAULT_TIER_PERCENT,
    OpeningHours,
    SlaPolicy,
    SlaTerms,
)


@dataclass(frozen=True)
class SettingSpec:
    key: str
    default: Any
    type: str  # str | int | bool | choice | money | json
    label: str
    group: str
    role: str = "supervisor"
    choices: tuple[str, ...] = ()
    minimum: int | None = None
    maximum: int | None = None


G_BUSINESS, G_PRINT, G_SLA, G_WORK, G_ESCALATION, G_SAFETY = (
    N_("Business"), N_("Printing"), N_("Service levels"), N_("Workflow"), N_("Escalation"),
    N_("Safety"),
)
# Severities that escalate a complaint to the supervisors as soon as it is saved with them
# (app/rules/escalation.py): "serious" means serious and urgent.
ESCALATE_SEVERITY_CHOICES = ("off", "urgent", "serious")

SPECS: tuple[SettingSpec, ...] = (
    SettingSpec("business_name", "", "str", N_("Business name"), G_BUSINESS),
    SettingSpec("business_address", "", "str", N_("Address"), G_BUSINESS),
    SettingSpec("business_phone", "", "str", N_("Service phone"), G_BUSINESS),
    # A picture file printed on slips and reports; chosen with a file picker that checks it
    # can be read (app/services/desk_settings.set_business_logo).
    SettingSpec("business_logo", "", "str", N_("Logo (printed on slips)"), G_BUSINESS),
    SettingSpec("profile", "mall", "choice", N_("Profile"), G_BUSINESS, choices=PROFILES),
    SettingSpec("language", "zh-Hans", "choice", N_("Language"), G_BUSINESS, choices=LANGUAGES),
    # Shown before amounts (app/formatting.format_money); a language cannot tell ¥ from HK$.
    SettingSpec("currency_symbol", "¥", "str", N_("Currency symbol (¥, HK$, NT$, S$…)"),
                G_BUSINESS),
    # A phone typed without +country code is read as this region's number; the customer's
    # key is E.164 whatever was typed (app/phones.py).
    SettingSpec("phone_region", DEFAULT_REGION, "choice",
                N_("Phone numbers without a country code are from"), G_BUSINESS,
                choices=REGIONS),
    SettingSpec("slip_format", "a5", "choice", N_("Slip format"), G_PRINT,
                choices=("a5", "receipt80")),
    SettingSpec("slip_action", "open", "choice", N_("After saving, the slip is"), G_PRINT,
                choices=("print", "open")),
    SettingSpec("approval_threshold", 50000, "money", N_("Approval needed above"), G_WORK,
                minimum=0, maximum=1_000_000_000),
    SettingSpec("repeat_window_days", 90, "int", N_("Repeat complaint window (days)"), G_WORK,
                minimum=1, maximum=3650),
    SettingSpec("wip_limits", {}, "json", N_("Work-in-progress limits per stage"), G_WORK),
    SettingSpec("sla_terms", {k: [v.first_contact_hours, v.resolve_hours, v.revisit_days]
                              for k, v in DEFAULT_TERMS.items()},
                "json", N_("Time limits by severity"), G_SLA),
    SettingSpec("opening_hours", None, "json", N_("Opening hours"),
                G_SLA),
    SettingSpec("holidays", [], "json", N_("Holidays"), G_SLA),
    # Each tier's share of the time limits above (app/sla.py due_times).
    SettingSpec("tier_due_percent", dict(DEFAULT_TIER_PERCENT), "json",
                N_("Time limits by customer tier (% of the usual)"), G_SLA),
    # Rules that escalate a complaint to the supervisors (app/rules/escalation.py).
    SettingSpec("escalate_first_contact", True, "bool",
                N_("Escalate when the first contact is overdue"), G_ESCALATION),
    SettingSpec("escalate_resolution", True, "bool",
                N_("Escalate when the resolution is overdue"), G_ESCALATION),
    SettingSpec("escalate_severity", "serious", "choice",
                N_("Escalate complaints of this severity at once"), G_ESCALATION,
                choices=ESCALATE_SEVERITY_CHOICES),
    SettingSpec("escalate_repeat_count", 3, "int",
                N_("Escalate when one customer has this many complaints (0: never)"), G_ESCALATION,
                minimum=0, maximum=50),
    SettingSpec("escalate_repeat_days", 90, "int",
                N_("… counting that customer's complaints of the last (days)"), G_ESCALATION,
                minimum=1, maximum=3650),
    SettingSpec("idle_signout_minutes", 15, "int", N_("Sign out after idle (minutes)"),
                G_SAFETY, minimum=1, maximum=480),
    SettingSpec("backup_dir", "", "str", N_("Backup folder"), G_SAFETY, role="admin"),
    SettingSpec("backup_keep_daily", 7, "int", N_("Daily backups kept"), G_SAFETY,
                role="admin", minimum=1, maximum=365),
    SettingSpec("backup_keep_weekly", 4, "int", N_("Weekly backups kept"), G_SAFETY,
                role="admin", minimum=0, maximum=520),
    SettingSpec("backup_keep_monthly", 12, "int", N_("Monthly backups kept"), G_SAFETY,
                role="admin", minimum=0, maximum=600),
    SettingSpec("mask_personal_data", True, "bool", N_("Mask phone and email for clerks"),
                G_SAFETY, role="admin"),
    SettingSpec("is_demo", False, "bool", N_("Demo database"), G_SAFETY, role="admin"),
    # Staff accounts and privacy (issue 7: app/services/users.py, app/services/privacy.py).
    SettingSpec("lockout_minutes", 15, "int", N_("Lock an account after 5 wrong passwords for "
                                                 "(minutes)"), G_SAFETY, role="admin",
                minimum=1, maximum=1440),
    SettingSpec("retention_years", 0, "int", N_("Anonymise customers this many years after "
                                                "their last complaint closed (0: never)"),
                G_SAFETY, role="admin", minimum=0, maximum=50),
)
SPEC_BY_KEY = {s.key: s for s in SPECS}
MAX_SYMBOL = 8  # characters of a currency symbol ("HK$", "RMB")


def validate(key: str, value: Any) -> Any:
    """The value converted to the setting's type, or ValidationError naming the setting."""
    spec = SPEC_BY_KEY.get(key)
    if spec is None:
        raise ValidationError(key, N_("is not a setting"))
    if spec.type in ("int", "money"):
        if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
            raise ValidationError(key, N_("must be a whole number"))  # 1.5 is not cut to 1
        try:
            value = int(value)
        except (TypeError, ValueError):
            raise ValidationError(key, N_("must be a whole number")) from None
        if spec.minimum is not None and value < spec.minimum:
            raise ValidationError(key, N_("must be at least {minimum}"), minimum=spec.minimum)
        if spec.maximum is not None and value > spec.maximum:
            raise ValidationError(key, N_("must be at most {maximum}"), maximum=spec.maximum)
    elif spec.type == "bool":
        if not isinstance(value, bool):
            raise ValidationError(key, N_("must be yes or no"))
    elif spec.type == "choice":
        if value not in spec.choices:
            raise ValidationError(key, N_("must be one of: {allowed}"),
                                  allowed=", ".join(spec.choices))
    elif spec.type == "str":
        value = "" if value is None else str(value).strip()
        if len(value) > (MAX_SYMBOL if key == "currency_symbol" else 300):
            raise ValidationError(key, N_("is too long"))
    elif spec.type == "json" and key == "sla_terms":
        value = check_value(key, value)  # names the wrong cell (app/setting_checks.py)
        _policy_terms(value)
    # Tables and lists of their own shape (WIP limits, opening hours, holidays): issue 12.
    return check_value(key, value)


def get(session: Session, key: str) -> Any:
    row = session.get(Setting, key)
    return json.loads(row.value) if row is not None else SPEC_BY_KEY[key].default


def get_all(session: Session) -> dict[str, Any]:
    stored = {r.key: json.loads(r.value) for r in session.scalars(select(Setting))}
    return {s.key: stored.get(s.key, s.default) for s in SPECS}


def put(session: Session, key: str, value: Any) -> Any:
    value = validate(key, value)
    row = session.get(Setting, key)
    was_on = bool(json.loads(row.value) if row is not None else SPEC_BY_KEY[key].default)
    if row is None:
        session.add(Setting(key=key, value=json.dumps(value, ensure_ascii=False)))
    else:
        row.value = json.dumps(value, ensure_ascii=False)
    if key in CLOCK_RULE_SETTINGS and value and not was_on:
        # A clock rule switched on applies to due times from now on (app/rules/escalation.py).
        _stamp_since(session, CLOCK_RULE_SETTINGS[key], clock.now())
    return value


# When each clock rule of escalation started to apply: written by the migration that brought
# escalations (0007) and when a rule is switched on; not a setting people edit.
SINCE_KEY = "escalation_clock_since"


def _stamp_since(session: Session, rule: str, at: datetime) -> None:
    row = session.get(Setting, SINCE_KEY)
    since = json.loads(row.value) if row is not None else {}
    since[rule] = at.isoformat(sep=" ")
    text = json.dumps(since, ensure_ascii=False)
    if row is None:
        session.add(Setting(key=SINCE_KEY, value=text))
    else:
        row.value = text


def escalation_rules(session: Session) -> EscalationRules:
    """The desk's escalation rules (settings of the group "Escalation")."""
    values = get_all(session)
    row = session.get(Setting, SINCE_KEY)
    stamps = json.loads(row.value) if row is not None else {}
    since = {rule: datetime.fromisoformat(stamps[rule]) if stamps.get(rule) else None
             for rule in CLOCK_RULES}
    return EscalationRules(
        first_contact=bool(values["escalate_first_contact"]),
        resolution=bool(values["escalate_resolution"]),
        severities=SEVERITIES_FOR.get(str(values["escalate_severity"]), ()),
        repeat_count=int(values["escalate_repeat_count"]),
        repeat_days=int(values["escalate_repeat_days"]),
        since=since,
    )


def _policy_terms(raw: Any) -> dict[str, SlaTerms]:
    try:
        terms = {sev: SlaTerms(float(v[0]), float(v[1]), int(v[2])) for sev, v in raw.items()}
    except (AttributeError, TypeError, ValueError, IndexError, KeyError):
        raise ValidationError("sla_terms", N_("is not a valid SLA table")) from None
    if set(terms) != set(SEVERITIES) or any(
        t.first_contact_hours <= 0 or t.resolve_hours <= 0 or t.revisit_days < 0
        for t in terms.values()
    ):
        raise ValidationError("sla_terms", N_("is not a valid SLA table"))
    return terms


def _opening_hours(raw: Any, holidays: list[str]) -> OpeningHours:
    hol = frozenset(date.fromisoformat(d) for d in holidays or [])
    if not raw:
        return OpeningHours(always_open=True, holidays=hol)
    days = tuple(
        (time.fromisoformat(d[0]), time.fromisoformat(d[1])) if d else None for d in raw
    )
    return OpeningHours(always_open=False, days=days, holidays=hol)


def sla_policy(session: Session) -> SlaPolicy:
    values = get_all(session)
    return SlaPolicy(
        terms=_policy_terms(values["sla_terms"]),
        hours=_opening_hours(values["opening_hours"], values["holidays"]) or CALENDAR,
        tier_percent={str(k): int(v) for k, v in (values["tier_due_percent"] or {}).items()},
    )


