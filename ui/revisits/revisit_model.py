"""The revisits work list as a tree model: three groups (overdue, today, upcoming), each
complaint a row under its group."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont, QStandardItem, QStandardItemModel

from app.codes import label
from app.formatting import short_date
from app.i18n import N_, _, ngettext
from app.services.revisit_calls import GROUPS, RevisitGroups
from app.services.revisits import RevisitDue

REF_ROLE = Qt.ItemDataRole.UserRole + 1
DATE_ROLE = Qt.ItemDataRole.UserRole + 3  # the revisit date, ISO (the cell shows it localised)
MASKED_ROLE = Qt.ItemDataRole.UserRole + 4  # on the phone cell: the number is masked
COLUMNS = (N_("Revisit date"), N_("Reference"), N_("Customer"), N_("Phone"), N_("Severity"),
           N_("When"))
PHONE_COLUMN = COLUMNS.index(N_("Phone"))
CUSTOMER_COLUMN = COLUMNS.index(N_("Customer"))
GROUP_TITLES = {"overdue": N_("Overdue ({count})"), "today": N_("Due today ({count})"),
                "upcoming": N_("Upcoming ({count})")}
GROUP_COLOURS = {"overdue": "#b3261e", "today": "#0b57d0", "upcoming": "#444444"}


def when_text(r: RevisitDue) -> str:
    if r.overdue_days > 0:
        return ngettext("{days} day overdue", "{days} days overdue", r.overdue_days,
                        days=r.overdue_days)
    if r.overdue_days == 0:
        return _("today")
    return ngettext("in {days} day", "in {days} days", -r.overdue_days, days=-r.overdue_days)


class RevisitModel(QStandardItemModel):
    def __init__(self) -> None:
        super().__init__()
        self.groups = RevisitGroups([], [], [])
        self.set_groups(self.groups)

    def set_groups(self, groups: RevisitGroups) -> None:
        self.groups = groups
        self.clear()
        self.setHorizontalHeaderLabels([_(c) for c in COLUMNS])
        bold = QFont()
        bold.setBold(True)
        for name in GROUPS:
            items = groups.group(name)
            head = QStandardItem(_(GROUP_TITLES[name], count=len(items)))
            head.setFont(bold)
            head.setForeground(QBrush(QColor(GROUP_COLOURS[name])))
            head.setEditable(False)
            head.setData(name, REF_ROLE + 1)
            for r in items:
                cells = [short_date(r.scheduled_for), r.reference, r.customer_name,
                         r.phone or "", label("severity", r.severity), when_text(r)]
                row = [QStandardItem(text) for text in cells]
                row[0].setData(r.scheduled_for.isoformat(), DATE_ROLE)
                row[PHONE_COLUMN].setData(r.phone_masked, MASKED_ROLE)
                for item in row:
                    item.setEditable(False)
                    item.setData(r.reference, REF_ROLE)
                    if name == "overdue":
                        item.setForeground(QBrush(QColor(GROUP_COLOURS[name])))
                head.appendRow(row)
            filler = [QStandardItem("") for _c in COLUMNS[1:]]
            for item in filler:
                item.setEditable(False)
            self.appendRow([head, *filler])

    def references(self, group: str) -> list[str]:
        """The references listed under a group (what a test or a count reads)."""
        head = self.item(GROUPS.index(group), 0)
        return [head.child(i, 1).text() for i in range(head.rowCount())]
