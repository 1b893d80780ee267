"""The tool schemas `tools/list` carries, made small: some hosts put the whole list in front of the
model in every conversation.

Inputs keep everything a caller needs — every argument with its type, bounds, choices, default and
description — without pydantic's generated titles, `null` alternatives of optional arguments (leave
them out instead) or the bounds every Hostaway id has (positive, 32-bit).

Outputs are complete in structure: every field at every depth with its JSON type, format and
choices. An answer leaves out what it does not know instead of sending null (`server.app._render`),
so a field is just its type. A record used by several fields is defined once in `$defs`, one used
once is written where it is used; below the root a record is known by its `properties`. Left out:
prose (the field names and the tool's description say it), defaults, and the constraints that are
not structure — `required` and closed records (a test closes every record and checks every answer
against it, tests/server/test_tools_list_size.py).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

JSON = dict[str, Any]
NULL: JSON = {"type": "null"}
ID_MAXIMUM = 2_147_483_647  # Hostaway ids are 32-bit and positive: bounds nobody needs to be told
INPUT_NOISE = ("title",)
OUTPUT_NOISE = ("title", "description", "default", "required")


def _non_null(field: JSON, *, drop: tuple[str, ...] = ()) -> JSON:
    """The field without its `null` alternative (and without the keys in ``drop``)."""
    rest = [option for option in field["anyOf"] if option != NULL]
    extra = {k: v for k, v in field.items() if k != "anyOf" and k not in drop}
    return {**rest[0], **extra} if len(rest) == 1 else {"anyOf": rest, **extra}


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
        out = _non_null(out, drop=("default",))
    return out


def _compact_node(schema: Any) -> Any:
    if isinstance(schema, list):
        return [_compact_node(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out = {}
    is_id = schema.get("maximum") == ID_MAXIMUM
    for key, value in schema.items():
        if key in INPUT_NOISE or (is_id and key in ("minimum", "maximum")):
            continue
        if key in ("properties", "$defs") and isinstance(value, dict):
            out[key] = {name: _compact_node(item) for name, item in value.items()}
        elif key == "items" and isinstance(value, dict):
            # The list is described; its items repeating an id's description add nothing.
            out[key] = {k: v for k, v in _compact_node(value).items() if k != "description"}
        else:
            out[key] = _compact_node(value)
    return out


def complete_output(schema: JSON) -> JSON:
    """The answer's whole structure, each shared record once, without prose or nulls."""
    cleaned: JSON = _complete_node(schema)
    defs: dict[str, JSON] = cleaned.pop("$defs", {})
    uses = Counter(_refs(cleaned) + [ref for item in defs.values() for ref in _refs(item)])
    shared = {name for name in defs if uses[name] > 1}
    inlined = _inline(cleaned, defs, shared)
    if shared:
        inlined["$defs"] = {name: _inline(defs[name], defs, shared) for name in sorted(shared)}
    return {
        key: _implicit_objects(value) if key in ("properties", "$defs") else value
        for key, value in inlined.items()
    }


def _implicit_objects(schema: Any) -> Any:
    """Below the root, a record is known by its `properties`: `"type": "object"` beside them
    says nothing more to a reader (and every answer is an object there)."""
    if isinstance(schema, list):
        return [_implicit_objects(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out = {key: _implicit_objects(value) for key, value in schema.items()}
    if "properties" in out and out.get("type") == "object":
        del out["type"]
    return out


REF = "#/$defs/"


def _refs(schema: Any) -> list[str]:
    if isinstance(schema, list):
        return [ref for item in schema for ref in _refs(item)]
    if not isinstance(schema, dict):
        return []
    here = [str(schema["$ref"]).removeprefix(REF)] if "$ref" in schema else []
    return here + [ref for value in schema.values() for ref in _refs(value)]


def _inline(schema: Any, defs: Mapping[str, JSON], shared: set[str]) -> Any:
    """A definition used once is written where it is used; shared ones stay referenced."""
    if isinstance(schema, list):
        return [_inline(item, defs, shared) for item in schema]
    if not isinstance(schema, dict):
        return schema
    name = str(schema.get("$ref", "")).removeprefix(REF)
    if name in defs and name not in shared:
        rest = {k: v for k, v in schema.items() if k != "$ref"}
        return _inline({**defs[name], **rest}, defs, shared)
    return {key: _inline(value, defs, shared) for key, value in schema.items()}


def _complete_node(schema: Any) -> Any:
    if isinstance(schema, list):
        return [_complete_node(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out: JSON = {}
    for key, value in schema.items():
        if key in OUTPUT_NOISE or (key == "additionalProperties" and value is False):
            continue
        if key == "$defs":
            out[key] = {name: _complete_node(item) for name, item in value.items()}
        elif key == "properties":
            out[key] = {name: _present(_complete_node(item)) for name, item in value.items()}
        else:
            out[key] = _complete_node(value)
    return out


def _present(field: JSON) -> JSON:
    """A field as it is when present: its null alternative dropped (an unknown one is left out).
    Only fields: a null inside a list or a map (a report row's cell) is sent as null."""
    if NULL in field.get("anyOf", ()):
        field = _non_null(field)
    if None in field.get("enum", ()):
        field = {**field, "enum": [choice for choice in field["enum"] if choice is not None]}
    return field
