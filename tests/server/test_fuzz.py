"""Property-based tests over every tool's input schema: whatever a model sends (wrong types, bad
dates, end before start, negative or huge numbers, unknown enum values, 10k-character strings), the
answer is a result or an error with a message — never a crash — and the server keeps serving."""

from __future__ import annotations

from datetime import date
from typing import Any

import anyio
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mcp import Client

from tests.support.accounts import demo_account
from tests.support.servers import demo_server

SANDBOX = demo_account()
GARBAGE = st.sampled_from(
    [
        None,
        "",
        "x" * 10_000,
        -1,
        0,
        10**15,
        -(10**15),
        1.5,
        float("nan"),
        True,
        [],
        {},
        [1, "two"],
        {"nested": {"deep": [1]}},
        "2026-13-45",
        "not-a-date",
        "2026-02-30",
        "bogus-enum-value",
        "'; DROP TABLE listings; --",
        "😀" * 100,
    ]
)
STORE = SANDBOX.store
# Real ids most of the time, so valid-looking calls reach deep into the services.
ID_POOLS: dict[str, list[int]] = {
    "listing": [raw["id"] for raw in STORE.listings],
    "reservation": [raw["id"] for raw in STORE.reservations[::40]],
    "conversation": [raw["id"] for raw in STORE.conversations[::40]],
    "statement": [raw["id"] for raw in STORE.owner_statements],
}
ANY_ID = st.integers(min_value=1, max_value=3_000_000)


def _ids(name: str) -> st.SearchStrategy[int]:
    for key, pool in ID_POOLS.items():
        if name.startswith(key):
            return st.sampled_from(pool) | st.sampled_from(pool) | ANY_ID
    return ANY_ID


DATES = st.dates(min_value=date(2024, 1, 1), max_value=date(2028, 12, 31)).map(date.isoformat)


SERVER = demo_server(SANDBOX, read_only=False)


async def _schemas() -> dict[str, dict[str, Any]]:
    async with Client(SERVER) as client:
        return {tool.name: tool.input_schema for tool in (await client.list_tools()).tools}


SCHEMAS = anyio.run(_schemas)


def _plausible(name: str, schema: dict[str, Any]) -> st.SearchStrategy[Any]:
    """A value of the right type (often valid) for one property schema."""
    options = schema.get("anyOf") or [schema]
    strategies: list[st.SearchStrategy[Any]] = []
    for option in options:
        kind = option.get("type")
        if "enum" in option:
            strategies.append(st.sampled_from(option["enum"]))
        elif option.get("format") == "date":
            strategies.append(DATES)
        elif option.get("format") == "date-time":
            strategies.append(DATES.map(lambda d: f"{d}T10:00:00Z"))
        elif kind == "integer":
            if name.endswith(("_id", "_ids")):
                strategies.append(_ids(name))
            low, high = option.get("minimum", -5), option.get("maximum", 10_000)
            strategies.append(st.integers(min_value=low, max_value=high))
        elif kind == "number":
            strategies.append(st.floats(allow_nan=False, min_value=-1e6, max_value=1e6))
        elif kind == "boolean":
            strategies.append(st.booleans())
        elif kind == "string":
            strategies.append(st.text(max_size=40))
        elif kind == "array":
            strategies.append(st.lists(_plausible(name, option.get("items", {})), max_size=4))
        elif kind == "null":
            strategies.append(st.none())
    return st.one_of(*strategies) if strategies else GARBAGE


def arguments(schema: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    properties = schema.get("properties", {})
    fields = {name: st.one_of(_plausible(name, prop), GARBAGE) for name, prop in properties.items()}
    return st.fixed_dictionaries({}, optional=fields)


@pytest.mark.parametrize("tool", sorted(SCHEMAS))
def test_any_arguments_give_a_result_or_a_readable_error(tool: str) -> None:
    # One MCP session per tool, kept open across the examples on a background event loop: a new
    # session per example mostly measured the client compiling the output schemas again.
    with (
        anyio.from_thread.start_blocking_portal() as portal,
        portal.wrap_async_context_manager(Client(SERVER)) as client,
    ):

        @settings(
            max_examples=15,
            deadline=None,
            derandomize=True,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        )
        @given(args=arguments(SCHEMAS[tool]))
        def check(args: dict[str, Any]) -> None:
            result = portal.call(client.call_tool, tool, args)
            alive = portal.call(client.call_tool, "list_all_properties", {"limit": 1})
            text = result.content[0].text if result.content else ""
            assert text, f"{tool} answered nothing for {args!r}"
            if result.is_error:
                # "Error executing tool X" alone is the SDK's message for a crash
                assert text != f"Error executing tool {tool}", f"{tool} crashed on {args!r}"
                assert len(text.removeprefix(f"Error executing tool {tool}: ")) > 10
                assert "pydantic" not in text and "Input should" not in text  # plain words
            assert not alive.is_error  # the server keeps serving

        check()
