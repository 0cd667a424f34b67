"""Command-line output that survives any code page.

On Windows, output redirected to a file or a pipe (`backup >> log.txt` from a scheduled task)
is encoded in the ANSI code page: cp936 on a Simplified Chinese PC, cp950 on a Traditional one,
cp1252 on an English one (an interactive console takes Unicode). A character the code page
lacks (a Simplified name on a cp950 PC, any hanzi on cp1252) would raise while printing the
message *after* the work is done, and turn a finished backup into exit 2 ("nothing changed").
So such characters are written as `\\uXXXX` escapes instead: nothing raises, nothing is lost
(the escape names the character), and JSON stays exact by escaping every non-ASCII character.
"""

from __future__ import annotations

import codecs
import io
import sys
from typing import TextIO

ESCAPE = "backslashreplace"


def _unicode(encoding: str | None) -> bool:
    if not encoding:
        return False
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        return False
    return name.startswith("utf")  # utf-8, utf-16(-le/-be), utf-32, utf-8-sig


def makes_output_safe(stream: TextIO | None) -> None:
    """Escape what `stream`'s encoding cannot hold, unless it holds all of Unicode."""
    if isinstance(stream, io.TextIOWrapper) and not _unicode(stream.encoding):
        stream.reconfigure(errors=ESCAPE)


def make_output_safe() -> None:
    """For stdout and stderr (None in a windowed program: nothing to do)."""
    makes_output_safe(sys.stdout)
    makes_output_safe(sys.stderr)


def json_ascii_only(stream: TextIO | None = None) -> bool:
    """Should json.dumps escape non-ASCII text for this stream (`ensure_ascii`)?"""
    stream = sys.stdout if stream is None else stream
    return not _unicode(getattr(stream, "encoding", None))
