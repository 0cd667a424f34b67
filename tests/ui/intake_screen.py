"""The intake form on screen as a clerk finds it: shown, active, the cursor at the phone."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from ui.context import DeskContext
from ui.intake.intake_form import IntakeForm


def open_form(qtbot: QtBot, ctx: DeskContext, width: int = 1280,
              height: int = 640) -> IntakeForm:
    widget = IntakeForm(ctx)
    qtbot.addWidget(widget)
    widget.resize(width, height)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    widget.fields.customer.phone.setFocus()
    qtbot.waitUntil(lambda: widget.fields.customer.phone.hasFocus())
    return widget
