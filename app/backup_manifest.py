"""Reading a backup's manifest.json no further than a manifest can honestly need: one of a
gigabyte (of whitespace, say) is refused, not loaded. Used by the backup list, restore and
`check`'s look at the backups' audit heads."""

from __future__ import annotations

import json
import zipfile
from typing import Any

MANIFEST = "manifest.json"
# A manifest lists counts and one line per attachment: 100,000 attachments fit in 32 MB.
MAX_MANIFEST = 32 * 1024 * 1024


def read_manifest(zf: zipfile.ZipFile) -> Any:
    """The manifest's JSON, read no further than MAX_MANIFEST bytes whatever the zip says
    (ValueError beyond; KeyError when there is none)."""
    with zf.open(MANIFEST) as fh:
        raw = fh.read(MAX_MANIFEST + 1)
    if len(raw) > MAX_MANIFEST:
        raise ValueError("manifest too large")
    return json.loads(raw.decode("utf-8"))
