"""The self-test's desk: a demo database in a temporary folder, worked as its administrator,
with one complaint logged through the intake service (Chinese name, phone, a photo)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from app import clock
from app.db import Database
from app.i18n import _
from app.services.common import SYSTEM, Actor
from ui.selftest.outcomes import CheckFailed

CUSTOMER = "林美玲"
PHONE = "13912345678"
MASKED_PHONE = "139****5678"
DESCRIPTION = "洗发后头皮发红发痒，要求退款。"


class SelfTestDesk:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.db: Database | None = None
        self.admin: Actor = SYSTEM
        self.reference = ""
        self.month = ""  # the last full month: the demo desk's report month

    @property
    def database(self) -> Database:
        if self.db is None:
            raise CheckFailed(_("the demo desk could not be made"))
        return self.db

    def create(self) -> str:
        from app.migrate import open_database
        from app.services.demo import DemoOptions, make_demo
        from app.services.intake import IntakeInput, log_complaint
        from app.services.users import list_staff

        self.db = open_database(str(self.folder / "desk.db"))
        summary = make_demo(self.db, DemoOptions(count=120, seed=19, months=3))
        admins = [m for m in list_staff(self.db) if m.role == "admin"]
        if not admins:
            raise CheckFailed(_("the demo desk has no administrator"))
        self.admin = admins[0].as_actor()
        photo = self._photo()
        result = log_complaint(self.db, IntakeInput(
            description=DESCRIPTION, customer_name=CUSTOMER, phone=PHONE,
            attachments=[photo]), self.admin)
        self.reference = result.reference
        first_of_month = clock.now().date().replace(day=1)
        self.month = (first_of_month - timedelta(days=1)).strftime("%Y-%m")
        return _("{count} demo complaints and {reference}, signed in as {name}",
                 count=summary.complaints, reference=self.reference, name=self.admin.name)

    def _photo(self) -> Path:
        """A small JPEG, made and read back through Qt's image plugins."""
        from PySide6.QtGui import QColor, QImage

        image = QImage(64, 48, QImage.Format.Format_RGB32)
        image.fill(QColor("#c0392b"))
        path = self.folder / "收据照片.jpg"
        if not image.save(str(path)):  # the format from the suffix
            raise CheckFailed(_("Qt could not write a JPEG image"))
        return path

    def close(self) -> None:
        if self.db is not None:
            self.db.dispose()
