"""Who may do what, refused in the services themselves (not only hidden in the window), and
the refusal says which role is needed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from app import permissions
from app.db import Database
from app.errors import MoveRefused, PermissionDenied
from app.i18n import set_language
from app.permissions import ACTIONS, RANK, can, require
from app.services import moves, resolution
from app.services.common import Actor
from app.services.complaints import get_detail
from tests.complaint_factory import advance, new_complaint

ROLES = ("clerk", "supervisor", "admin")


def as_role(role: str) -> Actor:
    return Actor(None, role, role)


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_the_table_orders_roles(action: str) -> None:
    needed = ACTIONS[action]
    for role in ROLES:
        allowed = RANK[role] >= RANK[needed]
        assert can(as_role(role), action) is allowed
        if not allowed:
            with pytest.raises(PermissionDenied) as refused:
                require(as_role(role), action)
            assert refused.value.required_role == needed


def test_unknown_actions_and_roles_are_refused() -> None:
    # An action missing from the table fails closed: only an administrator.
    assert not can(as_role("supervisor"), "no_such_action")
    assert can(as_role("admin"), "no_such_action")
    assert not can(as_role("guest"), permissions.LOG_COMPLAINT)
    with pytest.raises(PermissionDenied):
        require(as_role(""), permissions.PRINT_SLIP)


def test_the_refusal_names_the_role_in_the_users_language() -> None:
    with pytest.raises(PermissionDenied) as refused:
        require(as_role("clerk"), permissions.EXPORT)
    assert refused.value.message() == "This needs the role: Supervisor"
    set_language("zh-Hans")
    assert "主管" in refused.value.message()
    with pytest.raises(PermissionDenied) as admin_only:
        require(as_role("supervisor"), permissions.BACKUP)
    set_language("zh-Hant")
    assert "管理員" in admin_only.value.message()


# --- each permission refused for the wrong role, at the service level -----------------------


def _export(db: Database, a: Actor, tmp: Path) -> Any:
    from app.services.exporting import export_csv

    return export_csv(db, tmp / "x.csv", actor=a)


def _month_csv(db: Database, a: Actor, tmp: Path) -> Any:
    from app.reports.month_export import export_month_csv

    return export_month_csv(db, "2026-03", tmp / "m.csv", actor=a)


def _month_xlsx(db: Database, a: Actor, tmp: Path) -> Any:
    from app.reports.month_export import export_month_xlsx

    return export_month_xlsx(db, "2026-03", tmp / "m.xlsx", "en", actor=a)


def _report(db: Database, a: Actor, tmp: Path) -> Any:
    from app.reports.monthly import write_monthly_report

    return write_monthly_report(db, "2026-03", tmp / "r.pdf", "en", actor=a)


def _import(db: Database, a: Actor, tmp: Path) -> Any:
    from app.services.importing import import_csv

    f = tmp / "in.csv"
    f.write_text("Date,Text\n2026-03-01,x\n", encoding="utf-8")
    return import_csv(db, f, {"received_at": "Date", "description": "Text"}, actor=a)


def _setting(db: Database, a: Actor, tmp: Path) -> Any:
    from app.services.settings_service import set_setting

    return set_setting(db, "approval_threshold", 100, a)


def _admin_setting(db: Database, a: Actor, tmp: Path) -> Any:
    from app.services.settings_service import set_setting

    return set_setting(db, "mask_personal_data", False, a)


def _backup(db: Database, a: Actor, tmp: Path) -> Any:
    from app.services.backups import create_backup

    return create_backup(db, out=tmp / "b.zip", actor=a)


def _restore(db: Database, a: Actor, tmp: Path) -> Any:
    from app.services.restore import restore_backup

    return restore_backup(db.paths, tmp / "none.zip", actor=a)


def _accounts(db: Database, a: Actor, tmp: Path) -> Any:
    from app.services.users import create_user, list_staff

    if "boss" not in {m.username for m in list_staff(db)}:  # the desk has an administrator
        create_user(db, "boss", "Boss", "admin", "Boss-2026")
    return create_user(db, "clerk7", "x", "clerk", "pass-1234", actor=a)


def _anonymise(db: Database, a: Actor, tmp: Path) -> Any:
    from app.services.privacy import anonymise_customer

    return anonymise_customer(db, 1, a, reason="request")


def _retention(db: Database, a: Actor, tmp: Path) -> Any:
    from app.services.privacy import apply_retention

    return apply_retention(db, a)


def _demo(db: Database, a: Actor, tmp: Path) -> Any:
    from app.services.demo import DemoOptions, make_demo

    return make_demo(db, DemoOptions(count=1), actor=a)


REFUSALS: list[tuple[str, Callable[[Database, Actor, Path], Any], str]] = [
    ("export csv", _export, "supervisor"),
    ("export month csv", _month_csv, "supervisor"),
    ("export month xlsx", _month_xlsx, "supervisor"),
    ("monthly report", _report, "supervisor"),
    ("import csv", _import, "supervisor"),
    ("change a setting", _setting, "supervisor"),
    ("change an admin setting", _admin_setting, "admin"),
    ("anonymise a customer", _anonymise, "supervisor"),
    ("backup", _backup, "admin"),
    ("restore", _restore, "admin"),
    ("manage accounts", _accounts, "admin"),
    ("retention run", _retention, "admin"),
    ("demo data", _demo, "admin"),
]


@pytest.mark.parametrize(("name", "call", "needed"), REFUSALS, ids=[r[0] for r in REFUSALS])
def test_service_refuses_lower_roles(name: str, call: Callable[[Database, Actor, Path], Any],
                                     needed: str, db: Database, clerk: Actor,
                                     supervisor: Actor, tmp_path: Path) -> None:
    new_complaint(db, clerk)  # a customer and a complaint to act on
    from tests.complaint_factory import snapshot

    before = snapshot(db)
    for actor in (clerk, supervisor):
        if RANK[actor.role] >= RANK[needed]:
            continue
        with pytest.raises(PermissionDenied) as refused:
            call(db, actor, tmp_path)
        assert refused.value.required_role == needed
        assert refused.value.message() == "This needs the role: " + {
            "supervisor": "Supervisor", "admin": "Administrator"}[needed]
    after = snapshot(db)
    after.pop("users", None), before.pop("users", None)  # _accounts adds its administrator
    assert {k: v for k, v in after.items() if not k.startswith("audit")} == {
        k: v for k, v in before.items() if not k.startswith("audit")}


def test_supervisor_decisions_refused_to_a_clerk(db: Database, clerk: Actor,
                                                 supervisor: Actor, fixed_clock: Any) -> None:
    """Approving compensation over the threshold, closing without a revisit and reopening a
    closed complaint are the supervisor's (approvals here, moves in app/workflow.py)."""
    ref = new_complaint(db, clerk)
    advance(db, ref, "investigating", clerk, supervisor)
    resolution.propose_solution(db, ref, types=["cash"], amounts={"cash": "5000"}, actor=clerk)
    with pytest.raises(PermissionDenied) as refused:
        resolution.decide_approval(db, ref, approve=True, actor=clerk)
    assert refused.value.required_role == "supervisor"
    resolution.decide_approval(db, ref, approve=True, actor=supervisor)
    advance(db, ref, "follow_up", clerk, supervisor)
    with pytest.raises(MoveRefused) as override:
        moves.move(db, ref, "closed", clerk, reason="顾客不接电话")
    assert "supervisor" in override.value.message()
    moves.move(db, ref, "closed", supervisor, reason="顾客不接电话")
    with pytest.raises(MoveRefused) as reopen:
        moves.move(db, ref, "investigating", clerk, reason="顾客又来了")
    assert "supervisor" in reopen.value.message()
    moves.move(db, ref, "investigating", supervisor, reason="顾客又来了")
    assert get_detail(db, ref).stage == "investigating"
