"""One page of the settings dialog: the settings of one group of app/settings.SPECS, each with
its label, its editor and its own error line. A finished edit is stored at once through the
services (validated there); a refused value shows the setting's name and the reason, and the
stored value stays as it was."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QScrollArea, QWidget

from app.codes import TIERS, label
from app.errors import DeskError, ValidationError
from app.i18n import LANGUAGE_NAMES, N_, _
from app.permissions import role_at_least
from app.rules.stages import OPEN_STAGES
from app.services.backups import set_backup_folder
from app.services.desk_settings import set_business_logo
from app.services.settings_service import read_settings, set_setting
from app.settings import SettingSpec
from ui.context import DeskContext
from ui.settings.editors import (
    BoolEditor,
    ChoiceEditor,
    IntEditor,
    MoneyEditor,
    ReadOnlyEditor,
    SettingEditor,
    SlaEditor,
    TextEditor,
    TierPercentEditor,
    WipEditor,
)
from ui.settings.special_editors import HolidaysEditor, HoursEditor, PathEditor

ERROR_COLOUR = "#c62828"
CHOICE_LABELS: dict[str, dict[str, str]] = {  # msgids of setting choices without a code kind
    "slip_format": {"a5": N_("A5 page"), "receipt80": N_("80 mm receipt roll")},
    "slip_action": {"print": N_("Print"), "open": N_("Open in PDF viewer")},
    "phone_region": {
        "CN": N_("Mainland China (+86)"), "HK": N_("Hong Kong (+852)"),
        "MO": N_("Macau (+853)"), "TW": N_("Taiwan (+886)"), "SG": N_("Singapore (+65)"),
        "MY": N_("Malaysia (+60)"), "JP": N_("Japan (+81)"), "KR": N_("South Korea (+82)"),
        "US": N_("United States (+1)"), "GB": N_("United Kingdom (+44)"),
        "AU": N_("Australia (+61)"), "CA": N_("Canada (+1)"),
    },
    "escalate_severity": {"off": N_("Not by severity"), "urgent": N_("Urgent only"),
                          "serious": N_("Serious and urgent")},
}
# Help shown above a setting: what a value means in daily work.
NOTES: dict[str, str] = {
    "sla_terms": N_("Due times of a new complaint by severity. First contact and resolution "
                    "count opening hours; the revisit is scheduled this many days after the "
                    "complaint is resolved."),
    "opening_hours": N_("The SLA clock runs only in these hours and skips the holidays below."),
    "wip_limits": N_("The queue marks a stage that holds more complaints than its limit."),
    "tier_due_percent": N_("Customer tiers change the clock: 50 means a core customer is "
                           "contacted and helped in half the usual time. The slip shows the "
                           "shorter promise."),
    "escalate_first_contact": N_("Escalated complaints reach the supervisors as alerts (F8, "
                                 "and a badge in the status bar) until one of them marks each "
                                 "handled. A rule switched on applies to due times from then "
                                 "on."),
    "backup_dir": N_("A backup is made automatically once a day when the program starts. "
                     "Older backups are thinned out to the numbers below."),
}
ROLE_NOTES = {"admin": N_("Administrators only")}


def choice_labeller(key: str) -> Callable[[str], str]:
    if key == "language":
        return lambda code: LANGUAGE_NAMES.get(code, code)
    if key == "profile":
        return lambda code: label("profile", code)
    msgids = CHOICE_LABELS.get(key, {})
    return lambda code: _(msgids[code]) if code in msgids else code


def make_editor(spec: SettingSpec) -> SettingEditor:
    """The editor a setting's declaration calls for."""
    special: dict[str, Callable[[], SettingEditor]] = {
        "sla_terms": lambda: SlaEditor(spec),
        "tier_due_percent": lambda: TierPercentEditor(spec, TIERS),
        "wip_limits": lambda: WipEditor(spec, OPEN_STAGES),
        "opening_hours": lambda: HoursEditor(spec),
        "holidays": lambda: HolidaysEditor(spec),
        "business_logo": lambda: PathEditor(spec, folder=False),
        "backup_dir": lambda: PathEditor(spec, folder=True,
                                         default_text=N_("The data folder's backups folder")),
        "profile": lambda: ReadOnlyEditor(spec, choice_labeller("profile"), N_(
            "a new desk takes another profile's lists on the Lists page")),
    }
    if spec.key in special:
        return special[spec.key]()
    by_type: dict[str, Callable[[], SettingEditor]] = {
        "str": lambda: TextEditor(spec),
        "int": lambda: IntEditor(spec),
        "money": lambda: MoneyEditor(spec),
        "bool": lambda: BoolEditor(spec),
        "choice": lambda: ChoiceEditor(spec, choice_labeller(spec.key)),
    }
    if spec.type not in by_type:
        raise ValueError(f"no editor for setting {spec.key} of type {spec.type}")
    return by_type[spec.type]()


def store(ctx: DeskContext, key: str, value: Any) -> Any:
    """Store one setting through the service that checks it; returns the stored value."""
    if key == "business_logo":
        return set_business_logo(ctx.db, str(value or ""), ctx.actor)
    if key == "backup_dir":
        set_backup_folder(ctx.db, str(value or ""), ctx.actor)
        return read_settings(ctx.db)["backup_dir"]
    return set_setting(ctx.db, key, value, ctx.actor)


def problem(spec: SettingSpec, error: DeskError) -> str:
    """The refusal in words, naming the setting by its label (not its key)."""
    if isinstance(error, ValidationError):
        return _("{field}: {problem}", field=_(spec.label), problem=error.problem())
    return _("{field}: {problem}", field=_(spec.label), problem=error.message())


@dataclass
class Row:
    spec: SettingSpec
    label: QLabel
    editor: SettingEditor
    error: QLabel
    note: QLabel | None


class SettingsPage(QScrollArea):
    """The rows of one group; emits `stored(key, value)` after a change was stored and
    `refused(text)` with the message when a value was not accepted."""

    stored = Signal(str, object)
    refused = Signal(str)

    def __init__(self, ctx: DeskContext, group: str, specs: list[SettingSpec],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.group = ctx, group
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget()
        self.grid = QGridLayout(body)
        self.grid.setHorizontalSpacing(14)
        self.grid.setVerticalSpacing(4)
        self.grid.setColumnStretch(1, 1)
        self.rows: dict[str, Row] = {}
        line = 0
        for spec in specs:
            note = None
            if spec.key in NOTES:
                note = QLabel()
                note.setWordWrap(True)
                note.setStyleSheet("color: #555; margin-top: 8px;")
                self.grid.addWidget(note, line, 0, 1, 2)
                line += 1
            name = QLabel()
            name.setWordWrap(True)
            name.setMinimumWidth(250)
            name.setMaximumWidth(320)
            editor = make_editor(spec)
            # Beside a one-line field the label is centred on it; beside a table, at its top.
            name.setAlignment(Qt.AlignmentFlag.AlignRight | (
                Qt.AlignmentFlag.AlignTop if editor.tall else Qt.AlignmentFlag.AlignVCenter))
            if editor.tall:
                name.setContentsMargins(0, 4, 0, 0)
            editor.committed.connect(lambda value, key=spec.key: self.save(key, value))
            name.setBuddy(editor.focusProxy() or editor)
            error = QLabel()
            error.setWordWrap(True)
            error.setStyleSheet(f"color: {ERROR_COLOUR};")
            error.hide()
            self.grid.addWidget(name, line, 0)
            self.grid.addWidget(editor, line, 1)
            self.grid.addWidget(error, line + 1, 1)
            line += 2
            self.rows[spec.key] = Row(spec, name, editor, error, note)
        self.grid.setRowStretch(line, 1)
        self.setWidget(body)
        self.apply_role()
        self.retranslate()

    # ---- values ---------------------------------------------------------------------------
    def may_change(self, spec: SettingSpec) -> bool:
        return role_at_least(self.ctx.actor.role, spec.role)

    def apply_role(self) -> None:
        for row in self.rows.values():
            row.editor.setEnabled(self.may_change(row.spec))

    def load(self, values: dict[str, Any]) -> None:
        for key, row in self.rows.items():
            row.editor.set_value(values.get(key, row.spec.default))
            self._show_error(row, None)

    def save(self, key: str, value: Any) -> bool:
        """Store a value now; on refusal say why next to the field and keep the stored one."""
        row = self.rows[key]
        try:
            stored = store(self.ctx, key, value)
        except DeskError as e:
            text = problem(row.spec, e)
            self._show_error(row, text)
            self.refused.emit(text)
            return False
        self._show_error(row, None)
        row.editor.set_value(stored)
        self.stored.emit(key, stored)
        return True

    def flush(self) -> bool:
        """Store what is still being edited (the dialog is closing). False when a value was
        refused just now; a value refused before (its error shown) is left as it is."""
        ok = True
        for row in self.rows.values():
            if row.editor.isEnabled() and row.error.isHidden() and row.editor.dirty():
                ok = self.save(row.spec.key, row.editor.value()) and ok
        return ok

    def _show_error(self, row: Row, text: str | None) -> None:
        row.error.setText(text or "")
        row.error.setVisible(bool(text))
        row.editor.mark_invalid(bool(text))

    # ---- texts -----------------------------------------------------------------------------
    def retranslate(self) -> None:
        for row in self.rows.values():
            text = _(row.spec.label)
            if row.spec.role in ROLE_NOTES:
                text += f"<br><span style='color:#777'>{_(ROLE_NOTES[row.spec.role])}</span>"
            row.label.setText(text)
            if row.note is not None:
                row.note.setText(_(NOTES[row.spec.key]))
            row.editor.retranslate()
