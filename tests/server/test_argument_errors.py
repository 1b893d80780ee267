"""Argument mistakes are answered in plain words that name the argument and the form it takes:
never pydantic's text or its documentation links, never a traceback logged as an error. An
argument a tool does not have is refused with the list of those it has."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Any

import pytest
from mcp import Client
from mcp.shared.exceptions import MCPError

from tests.support.accounts import demo_account
from tests.support.servers import demo_server as sandbox_server

pytestmark = pytest.mark.anyio

PYDANTIC_WORDS = ("pydantic", "validation error", "Input should", "type=", "Arguments\n")


@pytest.fixture(scope="module")
def server() -> Any:
    return sandbox_server(demo_account(), read_only=False)  # every tool, writes included


@pytest.fixture
async def client(server: Any) -> AsyncIterator[Client]:
    async with Client(server) as connected:
        yield connected


def plain(text: str) -> None:
    for word in PYDANTIC_WORDS:
        assert word not in text, text


async def tools(client: Client) -> dict[str, dict[str, Any]]:
    return {tool.name: tool.input_schema for tool in (await client.list_tools()).tools}


def valid_arguments(schema: dict[str, Any]) -> dict[str, Any]:
    """Something acceptable for every required argument (the check runs before any request)."""
    samples = {"date": "2030-01-10", "date-time": "2030-01-10T10:00:00Z"}
    arguments: dict[str, Any] = {}
    for name in schema.get("required", []):
        spec = schema["properties"][name]
        options = [s for s in spec.get("anyOf", [spec]) if s.get("type") != "null"]
        first = options[0]
        if "format" in first:
            arguments[name] = samples[first["format"]]
        elif "enum" in first:
            arguments[name] = first["enum"][0]
        elif first.get("type") == "integer":
            arguments[name] = max(1, first.get("minimum", 1))
        elif first.get("type") == "number":
            arguments[name] = 10
        else:
            arguments[name] = "text"
    if "end_date" in arguments:
        arguments["end_date"] = "2030-01-12"
    return arguments


def parameters_of(schema: dict[str, Any], wanted: str) -> list[str]:
    """Arguments of one kind: date, date-time, integer, enum, boolean."""
    found = []
    for name, spec in schema.get("properties", {}).items():
        options = [s for s in spec.get("anyOf", [spec]) if s.get("type") != "null"]
        kinds = {s.get("format") or ("enum" if "enum" in s else s.get("type")) for s in options}
        if kinds == {wanted}:
            found.append(name)
    return found


@pytest.mark.parametrize(
    ("kind", "bad", "expected"),
    [
        ("date", "2026-13-01", "must be a date like 2026-12-24 (YYYY-MM-DD); got '2026-13-01'."),
        ("date-time", "tomorrow 3pm", "must be a date and time like 2026-12-24T15:00:00+01:00"),
        ("integer", "abc", "must be a whole number; got 'abc'."),
        ("boolean", "maybe", "must be true or false; got 'maybe'."),
        ("enum", "zzz", "must be one of: "),
    ],
)
async def test_every_tool_names_the_argument_and_its_form(
    client: Client, kind: str, bad: str, expected: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    checked = 0
    for tool, schema in (await tools(client)).items():
        for name in parameters_of(schema, kind):
            arguments = {**valid_arguments(schema), name: bad}
            result = await client.call_tool(tool, arguments)
            text = result.content[0].text  # type: ignore[union-attr]
            assert result.is_error, (tool, name)
            assert f"{name} {expected}" in text, (tool, text)
            plain(text)
            checked += 1
    assert checked >= 1
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_the_lead_example(client: Client) -> None:
    result = await client.call_tool(
        "get_revenue_report", {"start_date": "2026-12-24x", "end_date": "2027-01-01"}
    )
    assert result.content[0].text == (  # type: ignore[union-attr]
        "start_date must be a date like 2026-12-24 (YYYY-MM-DD); got '2026-12-24x'."
    )


async def test_bounds_lists_and_missing_arguments_in_plain_words(client: Client) -> None:
    cases: list[tuple[str, str, Any, str]] = [
        ("search_bookings", "limit", 500, "limit must be at most 200; got 500."),
        ("list_reviews", "min_rating", 11, "min_rating must be at most 10; got 11."),
        ("get_inbox_triage", "limit", 0, "limit must be at least 1; got 0."),
        ("search_bookings", "status", ["booked"], "Each value of status must be one of: new,"),
        ("list_tasks", "category", [{"a": 1}], "Each value of category must be text or a whole"),
        ("search_bookings", "guest_name", "x" * 201, "guest_name must be at most 200 characters"),
    ]
    for tool, name, value, expected in cases:
        result = await client.call_tool(tool, {name: value})
        text = result.content[0].text  # type: ignore[union-attr]
        assert result.is_error and text.startswith(expected), text
        plain(text)
    missing = await client.call_tool("get_booking_details", {})
    assert missing.content[0].text == "reservation_id is required."  # type: ignore[union-attr]


async def test_several_mistakes_are_all_named(client: Client) -> None:
    result = await client.call_tool(
        "create_booking",
        {
            "listing_id": 40160,
            "arrival_date": "2030-01-10",
            "departure_date": "2030-01-12",
            "guest_name": "",
            "guests": 0,
            "guest_email": "nope",
        },
    )
    assert result.content[0].text == (  # type: ignore[union-attr]
        "guest_name must not be empty; got ''. guests must be at least 1; got 0. guest_email must "
        "be an email address like ana@example.com; got 'nope'."
    )


async def test_an_unknown_argument_is_refused_with_the_tools_arguments(client: Client) -> None:
    result = await client.call_tool("get_price_quote", {"listing_id": 40160, "guest_count": 2})
    assert result.is_error
    assert result.content[0].text == (  # type: ignore[union-attr]
        "get_price_quote has no argument guest_count. Its arguments: listing_id, start_date, "
        "end_date, guests."
    )
    typo = await client.call_tool("list_tasks", {"categorie": "cleaning"})
    assert "categorie (did you mean category?)" in typo.content[0].text  # type: ignore[union-attr]
    none = await client.call_tool("check_connection", {"verbose": True})
    assert none.content[0].text == "check_connection takes no arguments; got verbose."  # type: ignore[union-attr]


async def test_an_argument_error_changes_nothing_and_sends_nothing() -> None:
    sandbox = demo_account()
    async with Client(sandbox_server(sandbox, read_only=False)) as client:
        before = len(sandbox.request_log)
        result = await client.call_tool(
            "create_task", {"title": "Fix tap", "due_at": "soon", "confirm": True}
        )
    assert result.is_error
    assert len(sandbox.request_log) == before


# ---- prompts -------------------------------------------------------------------------------------


async def prompt_error(client: Client, name: str, arguments: dict[str, str]) -> str:
    with pytest.raises(MCPError) as caught:
        await client.get_prompt(name, arguments)
    return caught.value.message


async def test_prompt_argument_errors_are_plain_and_log_no_traceback(
    client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    bad_date = await prompt_error(
        client, "revenue_review", {"start_date": "2026-13-01", "end_date": "2027-01-01"}
    )
    assert bad_date == "start_date must be a date like 2026-12-24 (YYYY-MM-DD); got '2026-13-01'."
    backwards = await prompt_error(
        client, "revenue_review", {"start_date": "2027-01-01", "end_date": "2026-12-01"}
    )
    assert backwards == "end_date must be after start_date (it is exclusive)."
    missing = await prompt_error(client, "revenue_review", {"start_date": "2027-01-01"})
    assert missing == "The prompt revenue_review needs end_date."
    unknown = await prompt_error(client, "guest_reply", {"conversation": "5"})
    assert unknown.startswith("The prompt guest_reply has no argument conversation")
    assert "Its arguments: conversation_id." in unknown
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert not [r for r in caplog.records if r.exc_info]


async def test_a_good_prompt_still_renders(client: Client) -> None:
    result = await client.get_prompt(
        "revenue_review", {"start_date": "2026-11-01", "end_date": "2026-12-01"}
    )
    assert "get_revenue_report" in result.messages[0].content.text  # type: ignore[union-attr]
