"""E.164 phone keys for existing desks: customers stored before E.164 are re-keyed when the
database opens (audited, seals intact), merged when their keys coincide, and an old key that
cannot be read for the desk's region is adopted by the first complaint typed in full."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from app.audit_check import check_chain
from app.db import Database
from app.models import Complaint, Customer
from app.services.common import Actor
from app.services.importing import import_csv
from app.services.intake import IntakeInput, log_complaint
from app.services.phone_keys import rekey_legacy
from app.services.settings_service import set_setting


def _legacy(db: Database, clerk: Actor, phones: list[str]) -> None:
    """Complaints whose customers carry keys as the program before E.164 stored them (an edit
    through the program, so the rows are sealed as they are)."""
    for i, phone in enumerate(phones):
        log_complaint(db, IntakeInput(description=f"old {i}", customer_name=f"客户{i}",
                                      phone="13900000000"), clerk)
        with db.write() as s:
            c = s.scalar(select(Customer).where(Customer.phone == "+8613900000000"))
            assert c is not None
            c.phone = phone



def test_old_keys_are_rekeyed_and_the_trail_stays_intact(db: Database, clerk: Actor) -> None:
    _legacy(db, clerk, ["13812345678", "91234567"])
    outcome = rekey_legacy(db)
    assert (outcome.rekeyed, outcome.merged, outcome.kept) == (1, 0, 1)
    with db.read() as s:
        phones = set(s.scalars(select(Customer.phone)))
    assert phones == {"+8613812345678", "91234567"}  # 91234567: +852 or +853? Not guessed
    assert check_chain(db) == []
    assert rekey_legacy(db).rekeyed == 0  # nothing left to do at the next start

    # "+852 9123 4567" typed at the counter is what the old program stored as 91234567.
    log_complaint(db, IntakeInput(description="new", phone="+852 9123 4567"), clerk)
    with db.read() as s:
        phones = set(s.scalars(select(Customer.phone)))
        owner = s.scalar(select(Customer.name).where(Customer.phone == "+85291234567"))
    assert phones == {"+8613812345678", "+85291234567"} and owner == "客户1"
    assert check_chain(db) == []


def test_a_taiwan_desk_merges_the_two_ways_a_number_was_kept(db: Database, clerk: Actor,
                                                             supervisor: Actor) -> None:
    """Before E.164, 0912-345-678 and +886 912 345 678 were two customers."""
    _legacy(db, clerk, ["0912345678"])
    _legacy(db, clerk, ["912345678"])
    set_setting(db, "phone_region", "TW", supervisor)
    outcome = rekey_legacy(db)
    assert (outcome.rekeyed, outcome.merged) == (1, 1)
    with db.read() as s:
        owners = set(s.scalars(select(Complaint.customer_id)))
        phones = list(s.scalars(select(Customer.phone)))
    assert phones == ["+886912345678"] and len(owners) == 1
    assert check_chain(db) == []


def test_import_finds_an_old_key_and_a_typed_region(db: Database, clerk: Actor,
                                                    supervisor: Actor, tmp_path: Path) -> None:
    _legacy(db, clerk, ["98765432"])  # a Hong Kong number kept without its +852
    f = tmp_path / "hk.csv"
    f.write_text("Date,Issue,Tel\r\n2025-01-02,a,+852 9876 5432\r\n2025-01-03,b,+65 9876 5432\r\n",
                 encoding="utf-8")
    result = import_csv(db, f, {"received_at": "Date", "description": "Issue", "phone": "Tel"})
    assert result.added == 2
    with db.read() as s:
        phones = sorted(s.scalars(select(Customer.phone)))
        counts = s.execute(select(Customer.phone, Customer.name)).all()
    # The old key 98765432 could be either number: neither takes it, nothing is merged.
    assert phones == ["+6598765432", "+85298765432", "98765432"]
    assert ("98765432", "客户0") in [tuple(c) for c in counts]
    assert check_chain(db) == []
    set_setting(db, "phone_region", "HK", supervisor)
    log_complaint(db, IntakeInput(description="local", phone="9876 5432"), clerk)
    with db.read() as s:  # a Hong Kong desk: 9876 5432 is the +852 customer
        assert s.scalar(select(Complaint.customer_id).where(Complaint.description == "local")) \
            == s.scalar(select(Customer.id).where(Customer.phone == "+85298765432"))
