"""The tool schemas `tools/list` carries, made small: some hosts put the whole list in front of the
model in every conversation.

Inputs keep everything a caller needs — every argument with its type, bounds, choices, default and
description — without pydantic's generated titles, `null` alternatives of optional arguments (leave
them out instead) or the 32-bit maximum on ids. Outputs are outlined: every top-level field with
its JSON type (null where it may be null, formats and choices kept), list items and nested objects
as objects; the tool's description and each answer's own field names say the rest. The outline is
valid JSON Schema that every structuredContent of the tool satisfies.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

JSON = dict[str, Any]
NULL: JSON = {"type": "null"}
ID_MAXIMUM = 2_147_483_647  # Hostaway ids are 32-bit: a bound nobody needs to be told
INPUT_NOISE = ("title",)


def _without_null(options: list[JSON]) -> list[JSON]:
    return [option for option in options if option != NULL]


def compact_input(schema: JSON) -> JSON:
    """The argument schema without generated noise; nothing a caller needs is removed."""
    return {
        key: {name: _compact_argument(arg) for name, arg in value.items()}
        if key == "properties"
        else value
        for key, value in schema.items()
        if key not in INPUT_NOISE
    }


def _compact_argument(schema: JSON) -> JSON:
    out: JSON = _compact_node(schema)
    options = out.get("anyOf")
    if options and NULL in options and out.get("default", ...) is None:
        # Optional and null by default: leaving it out says the same, in fewer words.
        rest = _without_null(options)
        extra = {k: v for k, v in out.items() if k not in ("anyOf", "default")}
        out = {**rest[0], **extra} if len(rest) == 1 else {"anyOf": rest, **extra}
    return out


def _compact_node(schema: Any) -> Any:
    if isinstance(schema, list):
        return [_compact_node(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out = {}
    for key, value in schema.items():
        if key in INPUT_NOISE or (key == "maximum" and value == ID_MAXIMUM):
            continue
        if key in ("properties", "$defs") and isinstance(value, dict):
            out[key] = {name: _compact_node(item) for name, item in value.items()}
        elif key == "items" and isinstance(value, dict):
            # The list is described; its items repeating an id's description add nothing.
            out[key] = {k: v for k, v in _compact_node(value).items() if k != "description"}
        else:
            out[key] = _compact_node(value)
    return out


def outline_output(schema: JSON) -> JSON:
    """Every top-level field with its type; list items and nested objects as objects."""
    defs: Mapping[str, JSON] = schema.get("$defs", {})
    root = _resolve(schema, defs)
    return {
        "type": "object",
        "properties": {
            name: _outline(field, defs) for name, field in root.get("properties", {}).items()
        },
    }


def _resolve(schema: JSON, defs: Mapping[str, JSON]) -> JSON:
    while "$ref" in schema:
        schema = defs[str(schema["$ref"]).rsplit("/", 1)[-1]]
    return schema


def _outline(field: JSON, defs: Mapping[str, JSON]) -> JSON:
    options = [_resolve(option, defs) for option in field.get("anyOf", [field])]
    nullable = any(option == NULL for option in options)
    shapes = [_shape(option) for option in _without_null(options)]
    if len(shapes) != 1:  # a union of several forms: say which
        return {"anyOf": [*shapes, NULL] if nullable else shapes}
    shape = shapes[0]
    if not nullable:
        return shape
    if "enum" in shape:  # the choices alone say it all, null among them
        return {key: value for key, value in shape.items() if key != "type"} | {
            "enum": [*shape["enum"], None]
        }
    # One type per branch (not "type": [..., "null"]): the portable spelling (MCP Inspector's
    # --strict check), for hosts that map schemas onto a single-type dialect.
    return {"anyOf": [shape, NULL]}


def _shape(schema: JSON) -> JSON:
    kind = schema.get("type")
    if kind == "array":
        items = schema.get("items", {})
        item_kind = items.get("type") if "$ref" not in items else "object"
        # Lists of values say their type; a list of records is named by its field (bookings, ...).
        keep = item_kind and item_kind != "object"
        return {"type": "array", "items": {"type": item_kind}} if keep else {"type": "array"}
    shape: JSON = {"type": kind} if kind else {}
    for key in ("enum", "format"):
        if key in schema:
            shape[key] = schema[key]
    return shape
