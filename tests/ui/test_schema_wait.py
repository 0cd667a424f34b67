"""A newer program at one counter waits, in a dialog naming them, for the other counters to
close before it changes the server database's layout; then it goes on by itself."""

from __future__ import annotations

import psycopg
import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy.engine import make_url

from app.db import Database
from app.schema_versions import OtherCountersConnected, other_counters
from ui.schema_wait import WaitForCountersDialog

pytestmark = pytest.mark.postgres_only


def test_the_dialog_names_the_other_counters_and_goes_on_once_they_closed(
        qtbot: QtBot, db: Database) -> None:
    url = make_url(db.url)
    other_pc = psycopg.connect(host=url.host, port=url.port, user=url.username,
                               dbname=url.database, application_name="complaint-desk 0.0.9 "
                               "FRONT-DESK-2 4242")
    with db.engine.connect() as conn:
        error = OtherCountersConnected(other_counters(conn))
    dialog = WaitForCountersDialog(error, db.url)
    qtbot.addWidget(dialog)
    dialog.timer.setInterval(200)
    dialog.show()
    assert "FRONT-DESK-2 (version 0.0.9" in dialog.state.text()
    assert "FRONT-DESK-2" in dialog.text.text()
    qtbot.wait(600)  # checked again: still there, still waiting
    assert dialog.isVisible() and dialog.result() == 0
    other_pc.close()  # the other counter closes the program
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        pass
    assert dialog.result() == WaitForCountersDialog.DialogCode.Accepted
