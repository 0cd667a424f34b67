"""The self-test's checks as they run: each one's outcome, one printed line each. Kept apart
from the runner (ui/selftest/runner.py), which imports the checks: the checks import this."""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import TracebackType

OK, FAIL = "OK  ", "FAIL"


class CheckFailed(Exception):
    """A check found a fault; the message says which, in the current language."""


@dataclass(frozen=True)
class Outcome:
    name: str
    ok: bool
    detail: str

    def line(self) -> str:
        return f"{OK if self.ok else FAIL} {self.name}: {self.detail}"


def _first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0]}" if text else type(error).__name__


class Checks:
    """Runs checks one by one; an exception a check raises, or one raised meanwhile in a Qt
    slot (it reaches sys.excepthook), fails that check with its first line."""

    def __init__(self, echo: Callable[[str], None] = print) -> None:
        self.outcomes: list[Outcome] = []
        self.echo = echo
        self._caught: list[BaseException] = []

    @contextmanager
    def _catching_slots(self) -> Iterator[None]:
        previous = sys.excepthook

        def hook(kind: type[BaseException], error: BaseException,
                 tb: TracebackType | None) -> None:
            self._caught.append(error)
            traceback.print_exception(kind, error, tb, file=sys.stderr)

        sys.excepthook = hook
        try:
            yield
        finally:
            sys.excepthook = previous

    def run(self, name: str, check: Callable[[], str]) -> Outcome:
        self._caught.clear()
        with self._catching_slots():
            try:
                detail = check()
                ok = not self._caught
                if not ok:
                    detail = _first_line(self._caught[0])
            except CheckFailed as e:
                ok, detail = False, str(e)
            except Exception as e:  # noqa: BLE001 - any fault of a check is its finding
                traceback.print_exc(file=sys.stderr)
                ok, detail = False, _first_line(e)
        outcome = Outcome(name, ok, detail)
        self.outcomes.append(outcome)
        self.echo(outcome.line())
        return outcome

    @property
    def passed(self) -> bool:
        return bool(self.outcomes) and all(o.ok for o in self.outcomes)
