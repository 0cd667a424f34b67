"""The one table of keys (ui/shortcuts.py), as the merged screens fill it: no key does two
things where both work, so a key added by one screen never silently takes another's."""

from __future__ import annotations

from PySide6.QtGui import QKeySequence

from ui.shortcuts import AREAS, BY_ID, EVERYWHERE, SHORTCUTS, TEXT_FIELDS, Shortcut

# Areas whose keys work across the others: the window's keys on every screen, the text
# fields' keys in the text fields of the intake form and the complaint panel.
WIDE = (EVERYWHERE, TEXT_FIELDS)
# Keys two rows of one screen share on purpose, each working in a different widget of it.
SHARED_ON_PURPOSE = {
    frozenset({"board.cards", "board.arrows"}),  # Down: out of the search box / between cards
    frozenset({"board.cards", "board.open"}),  # Return: out of the search box / on a card
}


def _keys(s: Shortcut) -> list[str]:
    return [QKeySequence(k).toString() for k in s.keys.split("; ")]


def test_every_row_has_its_own_id_and_a_known_screen() -> None:
    assert len(BY_ID) == len(SHORTCUTS)
    assert {s.area for s in SHORTCUTS} <= set(AREAS)


def test_no_key_is_bound_twice() -> None:
    wide = {k: s.id for s in SHORTCUTS if s.area in WIDE for k in _keys(s)}
    seen: dict[tuple[str, str], str] = {}
    twice: list[str] = []
    for s in SHORTCUTS:
        for key in _keys(s):
            if key in wide and wide[key] != s.id:
                twice.append(f"{key}: {wide[key]} and {s.id}")
            other = seen.setdefault((s.area, key), s.id)
            if other != s.id and frozenset({other, s.id}) not in SHARED_ON_PURPOSE:
                twice.append(f"{key}: {other} and {s.id}")
    assert twice == []


def test_each_view_has_its_own_function_key() -> None:
    """F2-F7 the first views, F8 the alerts (issue 20, escalations), F9 the typical cases
    (issue 20, records): the keys the screens and the README name."""
    from ui.views import VIEWS

    assert {v.key: v.shortcut for v in VIEWS} == {
        "intake": "F2", "board": "F3", "complaint": "F4", "revisits": "F5", "dashboard": "F6",
        "reports": "F7", "alerts": "F8", "cases": "F9"}
    assert [v.shortcut for v in VIEWS] == [BY_ID[f"view.{v.key}"].keys for v in VIEWS]
