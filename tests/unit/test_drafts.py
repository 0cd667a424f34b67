"""Drafts of half-typed forms: atomic, durable, tolerant of damage."""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path

import pytest

from app import atomic_files
from app.drafts import discard_draft, draft_file, load_draft, save_draft

WHEN = datetime(2026, 3, 10, 10, 30, 5)


def test_round_trip_keeps_every_script(tmp_path: Path) -> None:
    fields = {"description": "投诉 投訴 complaint 😡 \u0627\u0644\u0639\u0631\u0628\u064a\u0629",
              "demands": ["refund", "apology"], "customer": {"name": "陳大文"}}
    path = save_draft(tmp_path / "drafts", "intake-u3", fields, WHEN)
    assert path == draft_file(tmp_path / "drafts", "intake-u3")
    draft = load_draft(tmp_path / "drafts", "intake-u3")
    assert draft is not None and draft.fields == fields and draft.saved_at == WHEN
    assert "投诉" in path.read_text(encoding="utf-8")  # readable, not \u escapes


def test_no_draft_and_discard(tmp_path: Path) -> None:
    assert load_draft(tmp_path, "intake") is None
    save_draft(tmp_path, "intake", {"a": 1}, WHEN)
    discard_draft(tmp_path, "intake")
    discard_draft(tmp_path, "intake")  # twice is fine
    assert load_draft(tmp_path, "intake") is None


def test_names_cannot_leave_the_folder(tmp_path: Path) -> None:
    assert draft_file(tmp_path, "../../etc/passwd").parent == tmp_path


def test_a_failed_write_leaves_the_old_draft_whole(tmp_path: Path, monkeypatch) -> None:
    save_draft(tmp_path, "intake", {"description": "old"}, WHEN)

    def power_cut(src: str, dst: str) -> None:
        raise OSError("power cut")

    monkeypatch.setattr(atomic_files.os, "replace", power_cut)
    with pytest.raises(OSError):
        save_draft(tmp_path, "intake", {"description": "new"}, WHEN)
    monkeypatch.undo()
    draft = load_draft(tmp_path, "intake")
    assert draft is not None and draft.fields == {"description": "old"}
    assert list(tmp_path.glob("*.tmp")) == [] and list(tmp_path.glob(".*.tmp")) == []


def test_temporary_files_left_by_a_crash_are_tidied(tmp_path: Path) -> None:
    (tmp_path / ".intake-abc.tmp").write_text("half")
    save_draft(tmp_path, "intake", {"x": 1}, WHEN)
    assert not (tmp_path / ".intake-abc.tmp").exists()


def test_the_write_is_flushed_to_disk(tmp_path: Path, monkeypatch) -> None:
    synced: list[int] = []
    real = os.fsync
    monkeypatch.setattr(atomic_files.os, "fsync", lambda fd: (synced.append(fd), real(fd)))
    save_draft(tmp_path, "intake", {"x": 1}, WHEN)
    assert len(synced) >= (1 if os.name == "nt" else 2)  # the file, then its folder


@pytest.mark.parametrize("content", ["{not json", json.dumps({"format": 99, "fields": {},
                                                               "saved_at": WHEN.isoformat()}),
                                     json.dumps({"fields": [], "saved_at": "x"}), ""])
def test_a_damaged_draft_is_set_aside_not_fatal(tmp_path: Path, content: str) -> None:
    draft_file(tmp_path, "intake").write_text(content, encoding="utf-8")
    assert load_draft(tmp_path, "intake") is None
    assert (tmp_path / "intake.bad").read_text(encoding="utf-8") == content
    assert not draft_file(tmp_path, "intake").exists()
