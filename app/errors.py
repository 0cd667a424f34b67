"""Errors services raise; each carries a translatable message and names what went wrong."""

from __future__ import annotations

from typing import Any

from app.codes import field_label, label
from app.i18n import N_, NN_, Plural, _, ngettext


class DeskError(Exception):
    """Base class: `message()` renders the text in the current language. A text with a
    number is marked `NN_(singular, plural)` and takes its form from the `count` parameter."""

    def __init__(self, msgid: str | Plural, **params: Any) -> None:
        self.plural = msgid if isinstance(msgid, Plural) else None
        self.msgid = msgid.singular if isinstance(msgid, Plural) else msgid
        super().__init__(self.msgid)
        self.params = params

    def problem(self) -> str:
        """The error's own text, without the field it names (see ValidationError)."""
        if self.plural is not None:
            return ngettext(*self.plural, int(self.params["count"]), **self.params)
        return _(self.msgid, **self.params)

    def message(self) -> str:
        return self.problem()

    def __str__(self) -> str:
        return self.message()


class ValidationError(DeskError):
    """Bad input for one field. `field` is the field code (e.g. "phone")."""

    def __init__(self, field: str, msgid: str | Plural, **params: Any) -> None:
        super().__init__(msgid, **params)
        self.field = field

    def message(self) -> str:
        return _("{field}: {problem}", field=field_label(self.field), problem=self.problem())


class ValidationErrors(DeskError):
    """Several field problems found at once (the intake form shows them all)."""

    def __init__(self, errors: list[ValidationError]) -> None:
        super().__init__(NN_("{count} problem in the input", "{count} problems in the input"),
                         count=len(errors))
        self.errors = errors

    def message(self) -> str:
        return "; ".join(e.message() for e in self.errors)


class MoveRefused(DeskError):
    """A workflow guard refused a stage move; `missing` names the part that is missing."""

    def __init__(self, msgid: str, missing: str | None = None, **params: Any) -> None:
        super().__init__(msgid, **params)
        self.missing = missing


class EditRefused(DeskError):
    """A part of a complaint that its stage does not let anyone edit (app/rules/edits.py).
    `part` names it (the detail panel opens there), `stage` is the complaint's stage;
    `part_msgid` is the part's untranslated name, translated when the message is shown."""

    def __init__(self, msgid: str, part: str, stage: str, part_msgid: str) -> None:
        super().__init__(msgid)
        self.part = part
        self.stage = stage
        self.part_msgid = part_msgid

    def message(self) -> str:
        return _(self.msgid, part=_(self.part_msgid), stage=label("stage", self.stage))


class PermissionDenied(DeskError):
    def __init__(self, action: str, role: str) -> None:
        super().__init__(N_("This needs the role: {role}"), role=role)
        self.action = action
        self.required_role = role

    def message(self) -> str:
        return _("This needs the role: {role}", role=label("role", self.required_role))


class NotFound(DeskError):
    pass


class Conflict(DeskError):
    """The record changed elsewhere since it was read (optimistic locking)."""

    def __init__(self, reference: str) -> None:
        super().__init__(
            N_("Complaint {reference} was changed elsewhere meanwhile; reload it and try again."),
            reference=reference,
        )
        self.reference = reference
