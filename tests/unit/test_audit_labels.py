"""Every action the program records in the audit trail has words for `check` to show."""

from __future__ import annotations

import ast
from pathlib import Path

from app import audit
from app.audit_labels import ACTIONS, TABLES, action_label, table_label
from app.i18n import set_language

ROOT = Path(__file__).resolve().parents[2]


def recorded_actions() -> dict[str, str]:
    """Action codes passed to audit.record / record_bulk / log anywhere in app/, or recorded
    by app/audit.py itself (its _Pending records: a migration's seal) -> where."""
    found: dict[str, str] = {}
    for path in sorted((ROOT / "app").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            service_call = (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                            and node.func.attr in ("record", "record_bulk", "log")
                            and isinstance(node.func.value, ast.Name)
                            and node.func.value.id == "audit")
            # (Its "complaint_" + kind records mirror the timeline's kinds, not actions.)
            own_record = (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                          and node.func.id == "_Pending" and len(node.args) >= 3
                          and isinstance(node.args[2], ast.Constant))
            if (service_call or own_record) and len(node.args) >= 3:
                for part in ast.walk(node.args[2]):
                    if isinstance(part, ast.Constant) and isinstance(part.value, str):
                        found.setdefault(part.value, f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_every_recorded_action_has_a_label() -> None:
    actions = recorded_actions()
    assert len(actions) > 30  # the scan sees the services
    unlabelled = {a: where for a, where in actions.items() if a not in ACTIONS}
    assert not unlabelled, f"add these to app/audit_labels.py ACTIONS: {unlabelled}"
    assert audit.FOUND_CHANGED in ACTIONS


def test_every_timeline_kind_sealed_as_an_action_has_a_label() -> None:
    """app/audit.py seals a complaint's own changes as "complaint_" + the timeline's kind;
    `check` printed those codes raw (complaint_intake) before they had labels."""
    from app.timeline import KINDS

    unlabelled = sorted(f"complaint_{kind}" for kind in KINDS
                        if f"complaint_{kind}" not in ACTIONS)
    assert not unlabelled, f"add these to app/audit_labels.py ACTIONS: {unlabelled}"


def test_every_sealed_table_has_a_label() -> None:
    assert set(audit.SEALED) <= set(TABLES)


def test_labels_follow_the_language() -> None:
    set_language("zh-Hans")
    assert action_label("setting_changed") == "修改设置"
    assert table_label("complaints") == "投诉"
    assert action_label("something_new") == "something_new"  # shown as it is, not hidden
    set_language("en")
    assert action_label("setting_changed") == "setting changed"
