"""What the intake form's banner says after a save, a draft restored, a save that failed."""

from __future__ import annotations

from collections.abc import Callable

from app.drafts import Draft
from app.errors import DeskError
from app.formatting import short_datetime
from app.i18n import _
from app.services.intake import IntakeResult
from ui.background_save import Failure

Notice = Callable[[], str]  # a notice's text, rendered again when the language changes


def saved_notice(result: IntakeResult) -> str:
    """Rich text: the reference in bold, then what else the clerk should know."""
    text = _("Saved as {reference}. The form is ready for the next customer.",
             reference=f"<b>{result.reference}</b>")
    if result.stage == "follow_up":
        text += "<br>" + _("Resolved on the spot; a revisit follows.")
    if result.is_repeat:
        text += "<br>" + _("This customer complained before: marked as a repeat complaint.")
    return text


def not_saved_notice(error: BaseException, kind: Failure) -> str:
    """A save that failed for another reason than the input: busy, connection lost (saying
    whether it may have reached the server), a fault."""
    if kind is Failure.UNEXPECTED or not isinstance(error, DeskError):
        return _("Not saved: an unexpected error. What you entered is kept; you can try again.")
    return _("Not saved: {problems}", problems=error.message())


def restored_notice(draft: Draft, problems: list[str], after_switch: bool) -> str:
    time = short_datetime(draft.saved_at)
    if after_switch:
        text = _("Restored the complaint you were typing before another person signed in "
                 "(draft of {time}). Save it, or clear it with Ctrl+L.", time=time)
    else:
        text = _("Restored the complaint you were typing when the program stopped (draft of "
                 "{time}). Save it, or clear it with Ctrl+L.", time=time)
    if draft.fields.get("save_started"):
        text += "\n" + _("A save of it had started: it may be saved already. Look for it in "
                         "the queue before saving it again.")
    if problems:
        text += "\n" + _("Not restored: {problems}", problems="; ".join(problems))
    return text
