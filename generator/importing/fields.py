"""The applicant's workbook as the schema describes it: parts (sheets), single fields and tables, nothing else.

``schemas/enterprise.schema.json`` is the one source. A top-level property the applicant fills carries ``"x-part"``
(the sheet it goes on; the sheets' order is the root's ``"x-parts"``); a property the bureau alone writes carries
``"x-form": false`` and is left out. Objects are flattened into their fields (``industry.code``); a list becomes a
table (one row per item, one column per field of the item, or one column for a list of texts); everything else is one
field. The root's ``"x-version"`` is the version the workbook stores and the reader compares.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.labels import enum_labels

SCHEMA = Path(__file__).resolve().parent.parent.parent / "schemas" / "enterprise.schema.json"
DEFAULT_PART = "基本情况"  # a new property without "x-part" still appears: on the first sheet
ROWS = {"patents": 1000, "trademarks": 1000, "copyrights": 1000, "honors": 200}  # room for many rows (else by size)


@dataclass(frozen=True)
class Field:
    """One value: its path below the record (a single field) or below the item (a table's column)."""

    path: tuple[str, ...]
    title: str
    description: str
    kind: str  # string, code (a string with a pattern: kept as text), integer, number, boolean, date, enum
    enum: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    required: bool = False
    names: tuple[tuple[str, str], ...] = ()  # (code, Chinese name) of the enumeration, from the field's own label table

    @property
    def key(self) -> str:
        return ".".join(self.path)

    def label(self, code: str) -> str:
        """A code's Chinese name in this field's own table (``labels.enum_labels``), or the code itself when it has none."""
        return dict(self.names).get(code, code)


@dataclass(frozen=True)
class Table:
    path: tuple[str, ...]  # the list's path in the record
    title: str
    description: str
    columns: tuple[Field, ...]  # a list of texts has one column with path ()
    rows: int

    @property
    def key(self) -> str:
        return ".".join(self.path)

    @property
    def scalar(self) -> bool:
        return len(self.columns) == 1 and self.columns[0].path == ()


@dataclass(frozen=True)
class Part:
    name: str
    fields: tuple[Field, ...]
    tables: tuple[Table, ...]


@dataclass(frozen=True)
class Form:
    title: str
    description: str
    version: str
    parts: tuple[Part, ...]

    def field(self, key: str) -> Field | None:
        return next((f for p in self.parts for f in p.fields if f.key == key), None)

    def table(self, key: str) -> Table | None:
        return next((t for p in self.parts for t in p.tables if t.key == key), None)


def load_schema(path: Path = SCHEMA) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def form_of(schema: Mapping[str, Any]) -> Form:
    defs = schema.get("$defs", {})
    required = set(schema.get("then", {}).get("required", [])) | set(schema.get("required", []))
    fields: dict[str, list[Field]] = {}
    tables: dict[str, list[Table]] = {}
    for name, spec in schema.get("properties", {}).items():
        if spec.get("x-form") is False:
            continue
        part = spec.get("x-part", DEFAULT_PART)
        _walk((name,), spec, defs, name in required, "", fields.setdefault(part, []), tables.setdefault(part, []))
    order = [p for p in schema.get("x-parts", []) if p in fields] + [p for p in fields if p not in schema.get("x-parts", [])]
    parts = tuple(Part(p, tuple(fields[p]), tuple(tables[p])) for p in order)
    return Form(schema.get("title", ""), schema.get("description", ""), str(schema.get("x-version", "1")), parts)


def _resolve(spec: Mapping[str, Any], defs: Mapping[str, Any]) -> dict[str, Any]:
    ref = spec.get("$ref", "")
    return {**defs.get(ref.rsplit("/", 1)[-1], {}), **spec} if ref else dict(spec)


def _walk(path: tuple[str, ...], spec: Mapping[str, Any], defs: Mapping[str, Any], required: bool, prefix: str,
          fields: list[Field], tables: list[Table]) -> None:
    spec = _resolve(spec, defs)
    title = spec.get("title", path[-1])
    if spec.get("type") == "object":
        needed = set(spec.get("required", []))
        for name, child in spec.get("properties", {}).items():
            if child.get("x-form") is not False:
                _walk((*path, name), child, defs, required and name in needed, f"{prefix}{title}：", fields, tables)
    elif spec.get("type") == "array":
        item = _resolve(spec.get("items", {}), defs)
        if item.get("type") == "object":
            needed = set(item.get("required", []))
            columns = tuple(_field((name,), _resolve(child, defs), name in needed, "", (*path, name))
                            for name, child in item.get("properties", {}).items() if child.get("x-form") is not False)
        else:
            columns = (_field((), item, True, "", path),)
        size = len(item.get("enum", ())) or ROWS.get(path[-1], 20 if item.get("type") == "object" else 10)
        tables.append(Table(path, prefix + title, spec.get("description", ""), columns, size))
    else:
        fields.append(_field(path, spec, required, prefix))


def _field(path: tuple[str, ...], spec: Mapping[str, Any], required: bool, prefix: str, where: tuple[str, ...] | None = None) -> Field:
    """One value at ``path``; ``where`` is its path in the record (a table's column: the list's path and the column's
    name), whose label table names the enumeration's codes."""
    kind = {"integer": "integer", "number": "number", "boolean": "boolean"}.get(spec.get("type", ""), "string")
    if spec.get("format") == "date":
        kind = "date"
    elif "enum" in spec:
        kind = "enum"
    elif kind == "string" and "pattern" in spec and "^\\S" not in spec["pattern"]:
        kind = "code"  # identifiers: text cells, never numbers (a USCC, a patent or trademark number)
    codes = tuple(str(v) for v in spec.get("enum", ()))
    table = enum_labels(path if where is None else where)
    return Field(path, prefix + spec.get("title", path[-1] if path else ""), spec.get("description", ""), kind, codes,
                 spec.get("minimum"), spec.get("maximum"), required, tuple((c, table[c]) for c in codes if c in table))


def key_order(schema: Mapping[str, Any]) -> dict[tuple[str, ...], list[str]]:
    """The schema's order of the keys of each mapping, by path (a list's items share the list's path)."""
    defs = schema.get("$defs", {})
    order: dict[tuple[str, ...], list[str]] = {}

    def walk(spec: Mapping[str, Any], path: tuple[str, ...]) -> None:
        spec = _resolve(spec, defs)
        if spec.get("type") == "array":
            walk(spec.get("items", {}), path)
        for name, child in spec.get("properties", {}).items():
            order.setdefault(path, []).append(name)
            walk(child, (*path, name))

    walk(schema, ())
    return order
