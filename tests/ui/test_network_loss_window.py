"""At the counter: the line is cut while the intake form saves. The clerk is told in plain
words, the input stays on the form and in its draft, and saving again works once the line is
back. The save runs off the GUI thread (issue 18); the cut is told within seconds."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app.db import Database
from app.drafts import load_draft
from app.models import Complaint
from app.services.common import Actor
from tests.pg.proxy import TcpProxy
from tests.pg.test_network_loss import behind, during_save, proxy  # noqa: F401 - fixture
from ui.context import DeskContext
from ui.intake.intake_form import IntakeForm

pytestmark = pytest.mark.postgres_only


def test_the_clerk_keeps_the_input_when_the_line_is_cut_while_saving(
        qtbot: QtBot, db: Database, clerk: Actor, proxy: TcpProxy,  # noqa: F811
        tmp_path: Path) -> None:
    counter = behind(proxy, db, tmp_path / "pc")
    form = IntakeForm(DeskContext(db=counter, actor=clerk))
    qtbot.addWidget(form)
    form.resize(1366, 700)
    form.show()
    f = form.fields
    f.customer.phone.setText("13912345678")
    f.customer.name.setText("林美玲")
    f.description.setPlainText("洗发后头皮发红发痒，要求退款。")
    during_save(counter, proxy.cut)
    started = time.monotonic()
    assert form.save() is True  # started; the window goes on meanwhile
    qtbot.waitUntil(lambda: not form.saving.busy, timeout=30_000)
    assert time.monotonic() - started < 5
    assert not form.last_reference
    text = form.banner.text.text()
    assert "Not saved" in text and "connection to the database server was lost" in text
    assert f.customer.name.text() == "林美玲"  # the input is still there
    assert f.description.toPlainText() == "洗发后头皮发红发痒，要求退款。"
    draft = load_draft(counter.paths.drafts, form.draft_name())
    assert draft is not None and draft.fields["description"] == "洗发后头皮发红发痒，要求退款。"
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Complaint)) == 0
    form.save()  # the line works again
    qtbot.waitUntil(lambda: not form.saving.busy, timeout=30_000)
    assert form.last_reference and f.description.toPlainText() == ""
    assert load_draft(counter.paths.drafts, form.draft_name()) is None
    counter.dispose()
