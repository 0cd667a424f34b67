"""A new part of the procedure in the detail panel is one module and one line in SECTIONS
(issue 20 adds sections): the panel builds, fills, refreshes, translates and saves through
it with nothing else changed."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtWidgets import QLineEdit, QPushButton
from pytestqt.qtbot import QtBot

from app.i18n import N_, set_language
from app.services.common import Actor
from app.services.complaints import ComplaintDetail, update_fields
from tests.complaint_factory import new_complaint
from ui.complaint import panel as panel_module
from ui.complaint.open_complaint import OpenComplaint
from ui.complaint.section import Section, button_row
from ui.complaint.sections import SECTIONS
from ui.context import DeskContext


class LessonSection(Section):
    """What a typical-case section of issue 20 would look like: one editor, one save."""

    part = "lesson"
    title_msgid = N_("Location")  # any translated text will do for the test

    def __init__(self, complaint: OpenComplaint) -> None:
        super().__init__(complaint)
        self.lesson = self.editor("location", QLineEdit())
        self.grid.add("location", self.lesson)
        self.save_button = QPushButton("save")
        self.save_button.clicked.connect(self.save)
        self.body.addWidget(button_row(self.save_button))
        self.refreshed: list[str] = []

    def values_from(self, d: ComplaintDetail) -> dict[str, Any]:
        return {"location": d.location}

    def refresh(self, d: ComplaintDetail) -> None:
        self.refreshed.append(d.stage)

    def save(self) -> None:
        ctx, text = self.complaint.ctx, self.lesson.text()
        self.complaint.save(self, lambda ref, version: update_fields(
            ctx.db, ref, {"location": text}, actor=ctx.actor, expected_version=version))


def test_a_section_listed_in_sections_is_all_the_panel_needs(
        qtbot: QtBot, ctx: DeskContext, clerk: Actor, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(panel_module, "SECTIONS", (*SECTIONS, LessonSection))
    set_language("zh-Hans")
    panel = panel_module.ComplaintPanel(ctx)
    qtbot.addWidget(panel)
    ref = new_complaint(ctx.db, clerk)
    assert panel.open(ref)
    section = panel.sections["lesson"]
    assert isinstance(section, LessonSection)
    assert section.title() == "发生地点" and section.refreshed == ["new"]
    section.lesson.setText("二楼电梯口")
    assert panel.unsaved() == {"lesson": {"location": "二楼电梯口"}}
    with qtbot.waitSignal(ctx.signals.data_changed):
        section.save_button.click()
    assert panel.detail is not None and panel.detail.location == "二楼电梯口"
    assert panel.sections["intake"].values_from(panel.detail)["location"] == "二楼电梯口"
    assert not panel.unsaved()
    set_language("en")
    panel.retranslate()
    assert section.title() == "Location"
