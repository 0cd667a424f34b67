"""The customer part of the intake form: phone, name, email, tier, the returning-customer
badge, and lookup as the clerk types (completer fed by app.services.customer_lookup)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QCompleter, QLabel, QLineEdit, QWidget

from app.codes import choices, label
from app.formatting import complaint_count
from app.i18n import _, ngettext
from app.services.customer_lookup import (
    CustomerSummary,
    customer_phone,
    customer_summary,
    find_customers,
    lookup_phone,
)
from ui.context import DeskContext
from ui.widgets.choice_combo import ChoiceCombo

ID_ROLE = Qt.ItemDataRole.UserRole + 1
LOOKUP_MS = 200  # pause in typing before the database is asked

BADGE_STYLE = ("QLabel { background: #e8f1fb; color: #0d3c6e; border: 1px solid #90b4e0;"
               " border-radius: 9px; padding: 2px 8px; }")
REPEAT_STYLE = ("QLabel { background: #fdecea; color: #8b1a1a; border: 1px solid #e57373;"
                " border-radius: 9px; padding: 2px 8px; }")
NEW_STYLE = "QLabel { color: #555; padding: 2px 8px; }"


class CustomerBox(QObject):
    """Owns the customer widgets; the form places them in its grid."""

    changed = Signal()
    linked = Signal(object)  # CustomerSummary | None

    def __init__(self, ctx: DeskContext, parent: QWidget) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.phone = QLineEdit(parent)
        self.name = QLineEdit(parent)
        self.email = QLineEdit(parent)
        self.tier = ChoiceCombo(parent, optional=True)
        self.badge = QLabel(parent)
        self.badge.setWordWrap(True)
        self.badge.hide()
        self.summary: CustomerSummary | None = None
        self._linked_key: str | None = None  # real phone of a customer shown masked
        self._model = QStandardItemModel(self)
        self._completers: dict[QLineEdit, QCompleter] = {}
        for edit in (self.phone, self.name):
            completer = QCompleter(self._model, self)
            completer.setWidget(edit)
            completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            completer.setMaxVisibleItems(8)
            completer.activated[QModelIndex].connect(self._chosen)  # type: ignore[index]
            self._completers[edit] = completer
        self._source: QLineEdit = self.phone
        self._lookup = QTimer(self)
        self._lookup.setSingleShot(True)
        self._lookup.setInterval(LOOKUP_MS)
        self._lookup.timeout.connect(self._look_up)
        self.phone.textEdited.connect(lambda _t: self._typed(self.phone))
        self.name.textEdited.connect(lambda _t: self._typed(self.name))
        for edit in (self.phone, self.name, self.email):
            edit.textChanged.connect(lambda _t: self.changed.emit())
        self.tier.code_changed.connect(lambda _c: self.changed.emit())
        self.retranslate()

    # ---- texts -------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.tier.set_choices(choices("tier"))
        self.phone.setPlaceholderText(_("Type the phone: a returning customer is found"))
        self.name.setPlaceholderText(_("Name, or type to search earlier customers"))
        if self.summary is not None and self.summary.masked and self.summary.email:
            self.email.setPlaceholderText(_("On file: {email}", email=self.summary.email))
        else:
            self.email.setPlaceholderText(_("Optional"))
        self._show_badge()

    # ---- lookup --------------------------------------------------------------------------------
    def _typed(self, edit: QLineEdit) -> None:
        if edit is self.phone and self._linked_key is not None:
            self._unlink()  # the masked number was edited: it is no longer that customer
        self._source = edit
        self._lookup.start()

    def look_up_now(self) -> None:
        """Run the pending lookup at once (tests, and leaving the phone field)."""
        if self._lookup.isActive():
            self._lookup.stop()
            self._look_up()

    def _look_up(self) -> None:
        edit = self._source
        if not edit.isVisible():  # the form went (closed, another view) during the pause
            return
        text = edit.text().strip()
        role = self.ctx.actor.role
        matches = find_customers(self.ctx.db, text, 8, role)
        self._model.clear()
        for m in matches:
            shown = " · ".join(p for p in (
                m.name or _("(no name)"), m.phone, label("tier", m.tier),
                complaint_count(m.complaints)) if p)
            item = QStandardItem(shown)
            item.setData(m.id, ID_ROLE)
            item.setEditable(False)
            self._model.appendRow(item)
        completer = self._completers[edit]
        if matches and edit.hasFocus():
            completer.complete()
        else:
            self._hide_popups()
        if edit is self.phone and self._linked_key is None:
            found = lookup_phone(self.ctx.db, text, role)
            if found is not None:
                self._fill(found, from_phone=True)
            elif self.summary is not None:
                self.summary = None
                self._show_badge()
                self.linked.emit(None)

    def _chosen(self, index: QModelIndex) -> None:
        customer_id = index.data(ID_ROLE)
        if customer_id is None:
            return
        self.link(int(customer_id))

    def link(self, customer_id: int) -> bool:
        """Fill the form with this customer (chosen in the completer or from a draft)."""
        summary = customer_summary(self.ctx.db, customer_id, self.ctx.actor.role)
        if summary is None:
            return False
        self._fill(summary, from_phone=False)
        return True

    def _fill(self, s: CustomerSummary, from_phone: bool) -> None:
        self.summary = s
        if not from_phone:
            self._linked_key = customer_phone(self.ctx.db, s.id) if s.masked else None
            self.phone.setText(s.phone)
        if s.name and (not from_phone or not self.name.text().strip()):
            self.name.setText(s.name)
        # A masked email is only a hint (placeholder): what the clerk types replaces it.
        if not s.masked and s.email and not self.email.text().strip():
            self.email.setText(s.email)
        self.tier.set_code(s.tier)
        self._hide_popups()
        self.retranslate()
        self.linked.emit(s)

    def _hide_popups(self) -> None:
        for completer in self._completers.values():
            popup = completer.popup()
            if popup is not None:
                popup.hide()

    def _unlink(self) -> None:
        self._linked_key = None
        self.summary = None
        self._show_badge()
        self.linked.emit(None)

    def _show_badge(self) -> None:
        s = self.summary
        if s is None:
            self.badge.hide()
            return
        if s.earlier_complaints == 0:
            self.badge.setText(_("Known customer, no earlier complaints · {tier}",
                                 tier=label("tier", s.tier)))
            self.badge.setStyleSheet(NEW_STYLE)
        else:
            text = ngettext("Returning customer: {count} earlier complaint · {tier}",
                            "Returning customer: {count} earlier complaints · {tier}",
                            s.earlier_complaints, count=s.earlier_complaints,
                            tier=label("tier", s.tier))
            if s.is_repeat:
                text += " · " + ngettext("Repeat: {count} in the last {days} day",
                                         "Repeat: {count} in the last {days} days",
                                         s.window_days, count=s.recent_complaints,
                                         days=s.window_days)
            self.badge.setText(text)
            self.badge.setStyleSheet(REPEAT_STYLE if s.is_repeat else BADGE_STYLE)
        self.badge.show()

    # ---- values --------------------------------------------------------------------------------
    def phone_value(self) -> str:
        """The phone to save: the real number of a customer shown masked, else what is typed."""
        if self._linked_key is not None and self.summary is not None \
                and self.phone.text() == self.summary.phone:
            return self._linked_key
        return self.phone.text()

    def to_draft(self) -> dict[str, Any]:
        data: dict[str, Any] = {"name": self.name.text(), "email": self.email.text(),
                                "tier": self.tier.code()}
        if self._linked_key is not None and self.summary is not None:
            data["linked_customer"] = self.summary.id  # never the hidden number itself
        else:
            data["phone"] = self.phone.text()
        return data

    def from_draft(self, data: dict[str, Any]) -> None:
        linked = data.get("linked_customer")
        if isinstance(linked, int):
            self.link(linked)
        else:
            self.phone.setText(str(data.get("phone") or ""))
            found = lookup_phone(self.ctx.db, self.phone.text(), self.ctx.actor.role)
            if found is not None:
                self.summary = found
        self.name.setText(str(data.get("name") or ""))
        self.email.setText(str(data.get("email") or ""))
        self.tier.set_code(data.get("tier"))
        self.retranslate()

    def is_empty(self) -> bool:
        return not (self.phone.text().strip() or self.name.text().strip()
                    or self.email.text().strip())

    def clear(self) -> None:
        self._lookup.stop()
        self._linked_key = None
        self.summary = None
        for edit in (self.phone, self.name, self.email):
            edit.clear()
        self.tier.set_code(None)
        self._model.clear()
        self.retranslate()
