"""The import mapping (MAP.json): which column of the file holds which of our fields.

Each key is one of IMPORT_FIELDS; each value is a column name, or
`{"column": name, "values": {file value: our code}}` to translate the file's values, or for a
date `{"column": name, "time_column": name}` (date and time in two columns). Top-level
options: `"date_order"` ("dmy" | "mdy" | "ymd", for numeric dates) and `"encoding"` (of a CSV
file whose encoding cannot be told from its bytes). The window saves and loads this same JSON.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.errors import DeskError
from app.i18n import N_
from app.services.import_dates import DATE_ORDERS

# DESIGN.md §5: the keys of MAP.json and the columns of the export, in this order.
IMPORT_FIELDS = (
    "received_at", "channel", "category", "subject", "severity", "customer_name", "phone",
    "email", "tier", "description", "customer_demand", "department", "location", "external_id",
    "stage", "resolved_at", "closed_at", "satisfaction", "occurred_at",
)
REQUIRED_FIELDS = ("received_at", "description")
DATE_FIELDS = ("received_at", "resolved_at", "closed_at", "occurred_at")
OPTIONS = ("date_order", "encoding")


class MappingError(DeskError):
    """The mapping file itself is wrong (not a row of the data file)."""


@dataclass(frozen=True)
class FieldMap:
    field: str
    column: str
    index: int = -1  # position of the column in the file's header, once matched
    values: dict[str, str] = dataclasses.field(default_factory=dict)
    folded: dict[str, str] = dataclasses.field(default_factory=dict)  # casefolded keys of `values`
    time_column: str | None = None  # a date field's time of day, from a column of its own
    time_index: int = -1

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


@dataclass(frozen=True)
class Mapping:
    fields: list[FieldMap]
    date_order: str | None = None
    encoding: str | None = None


def parse_mapping(data: dict[str, Any]) -> Mapping:
    """Check the mapping's keys and shape (not yet against a file). Raises MappingError."""
    order = data.get("date_order")
    if order is not None and order not in DATE_ORDERS:
        raise MappingError(N_("\"date_order\" must be one of: {allowed}"),
                           allowed=", ".join(DATE_ORDERS))
    encoding = data.get("encoding")
    if encoding is not None and (not isinstance(encoding, str) or not encoding.strip()):
        raise MappingError(N_("\"encoding\" must name an encoding, e.g. \"GB18030\""))
    data = {k: v for k, v in data.items() if k not in OPTIONS}
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
        time_column = None
        if isinstance(spec, dict):
            allowed = ("column", "time_column") if key in DATE_FIELDS else ("column", "values")
            extra = [k for k in spec if k not in allowed]
            if extra:
                raise MappingError(N_("The mapping of \"{key}\" has an unknown entry \"{entry}\""
                                      " (use: {allowed})"), key=key, entry=str(extra[0])[:60],
                                   allowed=", ".join(f'"{a}"' for a in allowed))
            column = spec.get("column")
            time_column = spec.get("time_column")
            if time_column is not None and (not isinstance(time_column, str)
                                            or not time_column.strip()):
                raise MappingError(N_("The \"time_column\" of \"{key}\" must be a column "
                                      "name"), key=key)
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
                             folded={k.casefold(): v for k, v in values.items()},
                             time_column=time_column.strip() if time_column else None))
    return Mapping(maps, order, encoding.strip() if encoding else None)


def _position(names: list[str], column: str, key: str) -> int:
    positions = [i for i, name in enumerate(names) if name == column]
    if not positions:  # tolerate a different case, as spreadsheets are edited by hand
        positions = [i for i, name in enumerate(names) if name.casefold() == column.casefold()]
    if not positions:
        raise MappingError(N_("The file has no column \"{column}\" (mapped to \"{key}\"); "
                              "its columns are: {columns}"), column=column[:60], key=key,
                           columns=", ".join(n for n in names if n)[:300])
    if len(positions) > 1:
        raise MappingError(N_("The file has the column \"{column}\" more than once"),
                           column=column[:60])
    return positions[0]


def match_header(maps: list[FieldMap], header: list[str]) -> list[FieldMap]:
    """The maps with their column positions in `header`. Raises MappingError naming a column
    that is missing (or appears twice, which would make the value ambiguous)."""
    names = [h.strip() for h in header]
    return [dataclasses.replace(
        m, index=_position(names, m.column, m.field),
        time_index=_position(names, m.time_column, m.field) if m.time_column else -1)
        for m in maps]


def mapping_json(mapping: Mapping) -> dict[str, Any]:
    """The mapping as the JSON object the command line reads (what the window saves)."""
    data: dict[str, Any] = {}
    for m in mapping.fields:
        if m.time_column:
            data[m.field] = {"column": m.column, "time_column": m.time_column}
        elif m.values:
            data[m.field] = {"column": m.column, "values": dict(m.values)}
        else:
            data[m.field] = m.column
    if mapping.date_order:
        data["date_order"] = mapping.date_order
    if mapping.encoding:
        data["encoding"] = mapping.encoding
    return data
