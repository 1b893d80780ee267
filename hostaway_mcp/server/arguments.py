"""Argument mistakes in plain words: which argument, what form it takes, what was given.

The SDK validates a tool's arguments against the tool's own argument model and reports pydantic's
text (with a documentation link); a prompt's arguments fail as "Error rendering prompt". The server
class below catches both at the SDK's public `call_tool` / `get_prompt` and says instead, e.g.
"start_date must be a date like 2026-12-24 (YYYY-MM-DD); got '2026-13-01'." An argument the tool
does not have is refused with the list of those it does have (the SDK would silently drop it).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TypeVar

from mcp.server import MCPServer
from mcp.server.mcpserver import Context
from mcp.server.mcpserver.exceptions import ToolError, UnexpectedToolError
from mcp.shared.exceptions import MCPError
from mcp.types import INVALID_PARAMS, CallToolResult, GetPromptResult, InputRequiredResult
from pydantic import ValidationError
from pydantic_core import ErrorDetails

LifespanT = TypeVar("LifespanT")

DATE = "a date like 2026-12-24 (YYYY-MM-DD)"
DATETIME = "a date and time like 2026-12-24T15:00:00+01:00 (ISO 8601; no offset = UTC)"
SHOWN_CHARS = 40  # of a wrong value, echoed back

# pydantic error type -> what the argument must be (for the types whose message is about the form)
FORMS = {
    "date_parsing": DATE,
    "date_from_datetime_parsing": DATE,
    "date_from_datetime_inexact": DATE,
    "date_type": DATE,
    "datetime_parsing": DATETIME,
    "datetime_from_date_parsing": DATETIME,
    "datetime_type": DATETIME,
    "int_parsing": "a whole number",
    "int_type": "a whole number",
    "int_from_float": "a whole number",
    "float_parsing": "a number",
    "float_type": "a number",
    "bool_parsing": "true or false",
    "bool_type": "true or false",
    "string_type": "text",
    "list_type": 'a list, e.g. ["a", "b"]',
    "dict_type": "an object",
}
PATTERN_FORMS = {
    "email": "an email address like ana@example.com",
    "phone": "a phone number like +351 912 345 678",
}


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 1] + "…"


def _schema_form(schema: Mapping[str, Any] | None) -> str | None:
    """What a parameter takes, from its JSON schema (used when pydantic's error is about a union
    of forms rather than one)."""
    if not schema:
        return None
    options = [s for s in schema.get("anyOf", [schema]) if s.get("type") != "null"]
    forms = [form for s in options if (form := _one_form(s))]
    return " or ".join(dict.fromkeys(forms)) or None


def _one_form(schema: Mapping[str, Any]) -> str | None:
    if "enum" in schema:
        return "one of: " + ", ".join(str(v) for v in schema["enum"])
    kind, fmt = schema.get("type"), schema.get("format")
    if fmt == "date":
        return DATE
    if fmt == "date-time":
        return DATETIME
    if kind == "array":
        item = _schema_form(schema.get("items")) or "values"
        return f"a list of {item}" if not item.startswith("one of") else "a list, each " + item
    return {
        "integer": "a whole number",
        "number": "a number",
        "boolean": "true or false",
        "string": "text",
    }.get(str(kind))


def _problem(error: ErrorDetails, name: str) -> str:
    """What is wrong with one argument, in words: '... must be ...'."""
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return "is required"
    if kind in FORMS:
        return f"must be {FORMS[kind]}"
    if kind in ("literal_error", "enum"):
        expected = str(ctx.get("expected", "")).replace("'", "")
        return f"must be one of: {expected.replace(' or ', ', ')}"
    bounds = {
        "greater_than_equal": ("at least", "ge"),
        "less_than_equal": ("at most", "le"),
        "greater_than": ("more than", "gt"),
        "less_than": ("less than", "lt"),
    }
    if kind in bounds:
        words, key = bounds[kind]
        bound = ctx.get(key)
        if isinstance(bound, float) and bound.is_integer():
            bound = int(bound)
        return f"must be {words} {bound}"
    if kind == "string_too_short":
        least = ctx.get("min_length", 1)
        return "must not be empty" if least == 1 else f"must be at least {least} characters"
    if kind == "string_too_long":
        return f"must be at most {ctx.get('max_length')} characters"
    if kind == "too_long":
        return f"takes at most {ctx.get('max_length')} values"
    if kind == "too_short":
        return f"needs at least {ctx.get('min_length')} values"
    if kind == "string_pattern_mismatch":
        form = next((f for key, f in PATTERN_FORMS.items() if key in name), "in the expected form")
        return f"must be {form}"
    if kind == "value_error":
        return str(ctx.get("error", error["msg"])).removeprefix("Value error, ")
    return error["msg"].replace("Input should be", "must be").replace("Input", "the value")


def describe(
    error: ValidationError,
    parameters: Mapping[str, Any] | None = None,
) -> str:
    """One plain sentence per wrong argument. ``parameters``: the tool's input schema properties,
    to name the accepted forms when a value fits none of several."""
    by_name: dict[str, list[ErrorDetails]] = {}
    for item in error.errors(include_url=False):
        loc = item["loc"]
        name = str(loc[0]) if loc else "arguments"
        by_name.setdefault(name, []).append(item)
    sentences = []
    for name, errors in by_name.items():
        first = errors[0]
        each = any(isinstance(part, int) for part in first["loc"][1:])
        subject = f"Each value of {name}" if each else name
        # Several errors for one argument: it fit none of the forms a union allows.
        union = len(errors) > 1 and len({str(e["loc"]) for e in errors}) > 1
        schema = (parameters or {}).get(name)
        if each and schema:
            schema = next(
                (s.get("items") for s in schema.get("anyOf", [schema]) if "items" in s), None
            )
        form = _schema_form(schema) if union else None
        problem = f"must be {form}" if form else _problem(first, name)
        if first["type"] == "missing":
            sentences.append(f"{name} {problem}.")
            continue
        sentences.append(f"{subject} {problem}; got {_shown(first['input'])}.")
    return " ".join(sentences)


def unknown_arguments(what: str, given: Iterable[str], accepted: Sequence[str]) -> str | None:
    """The refusal for arguments ``what`` does not take, or None when all are known."""
    unknown = [name for name in given if name not in accepted]
    if not unknown:
        return None
    if not accepted:
        return f"{what} takes no arguments; got {', '.join(unknown)}."
    hints = []
    for name in unknown:
        close = difflib.get_close_matches(name, accepted, n=1)
        hints.append(f"{name} (did you mean {close[0]}?)" if close else name)
    return f"{what} has no argument {', '.join(hints)}. Its arguments: {', '.join(accepted)}."


def _validation_cause(exc: BaseException) -> ValidationError | None:
    seen = exc.__cause__
    while seen is not None:
        if isinstance(seen, ValidationError):
            return seen
        seen = seen.__cause__
    return None


class PlainArgumentsServer(MCPServer[LifespanT]):
    """MCPServer whose tools and prompts answer argument mistakes in plain words."""

    _tool_parameters: dict[str, dict[str, Any]] | None = None

    async def _parameters(self, name: str) -> dict[str, Any] | None:
        if self._tool_parameters is None or name not in self._tool_parameters:
            self._tool_parameters = {
                tool.name: tool.input_schema.get("properties", {})
                for tool in await self.list_tools()
            }
        return self._tool_parameters.get(name)

    async def call_tool(
        self, name: str, arguments: dict[str, Any], context: Context[LifespanT, Any] | None = None
    ) -> CallToolResult | InputRequiredResult:
        parameters = await self._parameters(name)
        if parameters is not None and (
            refusal := unknown_arguments(name, arguments, list(parameters))
        ):
            raise ToolError(refusal)
        try:
            return await super().call_tool(name, arguments, context)
        except UnexpectedToolError:
            raise
        except ToolError as exc:
            if not isinstance(exc.__cause__, ValidationError):
                raise
            raise ToolError(describe(exc.__cause__, parameters)) from None

    async def get_prompt(
        self,
        name: str,
        arguments: dict[str, Any] | None = None,
        context: Context[LifespanT, Any] | None = None,
    ) -> GetPromptResult | InputRequiredResult:
        prompt = next((p for p in await self.list_prompts() if p.name == name), None)
        if prompt is not None:
            accepted = [a.name for a in prompt.arguments or []]
            given = arguments or {}
            refusal = unknown_arguments(f"The prompt {name}", given, accepted)
            missing = [a.name for a in prompt.arguments or [] if a.required and a.name not in given]
            if missing and not refusal:
                refusal = f"The prompt {name} needs {', '.join(missing)}."
            if refusal:
                raise MCPError(code=INVALID_PARAMS, message=refusal)
        try:
            return await super().get_prompt(name, arguments, context)
        except ValueError as exc:
            cause = _validation_cause(exc)
            if cause is not None:
                message = describe(cause)
            elif isinstance(exc.__cause__, ValueError) and isinstance(
                exc.__cause__.__cause__, ValueError
            ):
                message = str(exc.__cause__.__cause__)  # the prompt's own check of its arguments
            else:
                raise
            # An argument mistake: the caller's to fix, not a server failure to log.
            raise MCPError(code=INVALID_PARAMS, message=message) from None


__all__ = ["PlainArgumentsServer", "describe", "unknown_arguments"]
