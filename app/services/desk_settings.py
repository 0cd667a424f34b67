"""Settings whose value must be checked against the computer, not only its type: the business
logo must be a picture the slip can print. (The backup folder has its own check in
app/services/backups.set_backup_folder.) Both end in settings_service.set_setting."""

from __future__ import annotations

from pathlib import Path

from app.db import Database
from app.errors import ValidationError
from app.i18n import N_
from app.services.common import Actor
from app.services.settings_service import set_setting

LOGO_TYPES = (".png", ".jpg", ".jpeg", ".gif", ".bmp")
LOGO_MAX_BYTES = 5 * 1024 * 1024


def check_logo(path: str) -> str:
    """The logo's full path ("" for no logo); ValidationError naming `business_logo`."""
    text = (path or "").strip()
    if not text:
        return ""
    file = Path(text).expanduser()
    if file.suffix.lower() not in LOGO_TYPES:
        raise ValidationError("business_logo", N_("must be a picture ({types})"),
                              types=", ".join(LOGO_TYPES))
    if not file.is_file():
        raise ValidationError("business_logo", N_("cannot be found: {file}"), file=text)
    if file.stat().st_size > LOGO_MAX_BYTES:
        raise ValidationError("business_logo", N_("is larger than {size} MB"), size=5)
    try:
        from reportlab.lib.utils import ImageReader

        width, height = ImageReader(str(file)).getSize()
    except Exception:  # noqa: BLE001 - any reader error means the slip could not print it
        width = height = 0
    if width <= 0 or height <= 0:
        raise ValidationError("business_logo", N_("cannot be read as a picture: {file}"),
                              file=file.name)
    return str(file.resolve())


def set_business_logo(db: Database, path: str, actor: Actor) -> str:
    """Choose the logo printed on slips and reports ("" removes it)."""
    return str(set_setting(db, "business_logo", check_logo(path), actor))
