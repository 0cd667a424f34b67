"""The Qt binding must not lose references to Python's singletons.

PySide6 6.12.0 on Python 3.11 drops one reference to True for every signal delivered to a
Python slot and one to None for every processEvents(); the counter aborts ("bool_dealloc")
or, worse, corrupts memory after a few thousand signals. pyproject.toml keeps that release
out; this test fails should such a release come back.
"""

from __future__ import annotations

import sys
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtWidgets import QLineEdit

ROUNDS = 500


class _Emitter(QObject):
    fired = Signal(object)


def _lost(objects: tuple[Any, ...], action: Any) -> list[int]:
    before = [sys.getrefcount(o) for o in objects]
    for _ in range(ROUNDS):
        action()
    return [b - sys.getrefcount(o) for o, b in zip(objects, before, strict=True)]


def test_signals_and_event_processing_keep_their_references(qtbot: Any) -> None:
    emitter = _Emitter()
    got: list[object] = []
    emitter.fired.connect(lambda value: got.append(value))
    payload = ["工单"]
    field = QLineEdit()
    qtbot.addWidget(field)
    field.textChanged.connect(lambda text: None)
    singletons = (None, True, False)

    # A few references may move with caches; a leak loses one per round.
    assert max(_lost(singletons, lambda: emitter.fired.emit(payload))) < ROUNDS // 10
    assert max(_lost(singletons, QCoreApplication.processEvents)) < ROUNDS // 10
    assert max(_lost(singletons, lambda: field.setText(f"{len(got)}"))) < ROUNDS // 10
    assert len(got) == ROUNDS and got[0] is payload
