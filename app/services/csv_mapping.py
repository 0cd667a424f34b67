"""The import mapping (MAP.json): which column of the file holds which of our fields.

Each key is one of IMPORT_FIELDS; each value is a column name, or
`{"column": name, "values": {file value: our code}}` to translate the file's values.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.errors import DeskError
from app.i18n import N_

# DESIGN.md §5: the keys of MAP.json and the columns of the export, in this order.
IMPORT_FIELDS = (
    "received_at", "channel", "category", "subject", "severity", "customer_name", "phone",
    "email", "tier", "description", "customer_demand", "department", "location", "external_id",
    "stage", "resolved_at", "closed_at", "satisfaction",
)
REQUIRED_FIELDS = ("received_at", "description")


class MappingError(DeskError):
    """The mapping file itself is wrong (not a row of the data file)."""


@dataclass(frozen=True)
class FieldMap:
    field: str
    column: str
    index: int = -1  # position of the column in the file's header, once matched
    values: dict[str, str] = dataclasses.field(default_factory=dict)
    folded: dict[str, str] = dataclasses.field(default_factory=dict)  # casefolded keys of `values`

    def translate(self, cell: str) -> str:
        """The file's value through the value map (exact match first, then ignoring case)."""
        if not self.values:
            return cell
        key = cell.strip()
        if key in self.values:
            return self.values[key]
        return self.folded.get(key.casefold(), cell)


def read_mapping(source: str | Path | dict[str, Any]) -> dict[str, Any]:
    """The mapping as a dict, from a JSON file (or given directly)."""
    if isinstance(source, dict):
        return source
    path = Path(source)
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except OSError as e:
        raise MappingError(N_("Cannot read the mapping file {file}: {reason}"),
                           file=path.name, reason=e.strerror or str(e)) from None
    except UnicodeDecodeError:
        raise MappingError(N_("The mapping file {file} is not UTF-8 text"),
                           file=path.name) from None
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as e:
        raise MappingError(N_("The mapping file {file} is not valid JSON (line {line}): {reason}"),
                           file=path.name, line=e.lineno, reason=e.msg) from None
    if not isinstance(data, dict):
        raise MappingError(N_("The mapping file {file} must hold one JSON object"),
                           file=path.name)
    return data


def parse_mapping(data: dict[str, Any]) -> list[FieldMap]:
    """Check the mapping's keys and shape (not yet against a file). Raises MappingError."""
    unknown = [k for k in data if k not in IMPORT_FIELDS]
    if unknown:
        raise MappingError(N_("The mapping has an unknown field \"{key}\" (known fields: "
                              "{known})"), key=str(unknown[0])[:60], known=", ".join(IMPORT_FIELDS))
    missing = [f for f in REQUIRED_FIELDS if f not in data]
    if missing:
        raise MappingError(N_("The mapping must name the column of \"{key}\""), key=missing[0])
    maps = []
    for key in IMPORT_FIELDS:
        if key not in data:
            continue
        spec = data[key]
        values: dict[str, str] = {}
        if isinstance(spec, dict):
            extra = [k for k in spec if k not in ("column", "values")]
            if extra:
                raise MappingError(N_("The mapping of \"{key}\" has an unknown entry \"{entry}\""
                                      " (use \"column\" and \"values\")"),
                                   key=key, entry=str(extra[0])[:60])
            column = spec.get("column")
            raw_values = spec.get("values", {})
            if not isinstance(raw_values, dict) or not all(
                    isinstance(k, str) and isinstance(v, str) for k, v in raw_values.items()):
                raise MappingError(N_("The \"values\" of \"{key}\" must map texts of the file "
                                      "to our codes"), key=key)
            values = {k.strip(): v.strip() for k, v in raw_values.items()}
        else:
            column = spec
        if not isinstance(column, str) or not column.strip():
            raise MappingError(N_("The mapping of \"{key}\" must give a column name"), key=key)
        maps.append(FieldMap(key, column.strip(), values=values,
                             folded={k.casefold(): v for k, v in values.items()}))
    return maps


def match_header(maps: list[FieldMap], header: list[str]) -> list[FieldMap]:
    """The maps with their column positions in `header`. Raises MappingError naming a column
    that is missing (or appears twice, which would make the value ambiguous)."""
    names = [h.strip() for h in header]
    matched = []
    for m in maps:
        positions = [i for i, name in enumerate(names) if name == m.column]
        if not positions:  # tolerate a different case, as spreadsheets are edited by hand
            positions = [i for i, name in enumerate(names)
                         if name.casefold() == m.column.casefold()]
        if not positions:
            raise MappingError(N_("The file has no column \"{column}\" (mapped to \"{key}\"); "
                                  "its columns are: {columns}"), column=m.column[:60], key=m.field,
                               columns=", ".join(n for n in names if n)[:300])
        if len(positions) > 1:
            raise MappingError(N_("The file has the column \"{column}\" more than once"),
                               column=m.column[:60])
        matched.append(FieldMap(m.field, m.column, positions[0], m.values, m.folded))
    return matched
