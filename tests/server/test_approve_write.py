"""approve_write, the approval card's Approve button: an app-only tool (hidden from the model and
from clients without MCP Apps, refused for them) that sends a previewed write from its approval_id
alone, once, audited `approved_via: app`. Through the in-memory client against the demo sandbox;
every write is counted where it lands."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from mcp import Client
from mcp.client.extension import advertise
from mcp.server.apps import APP_MIME_TYPE, EXTENSION_ID
from mcp.shared.exceptions import MCPError
from mcp.types import ElicitRequestParams, ElicitResult

from hostaway_mcp.logs import JsonFormatter
from hostaway_sandbox import Sandbox
from tests.support.accounts import demo_account
from tests.support.servers import demo_server

pytestmark = pytest.mark.anyio

MODES = ["auto", "legacy"]  # the 2026 discover handshake, and initialize (stdio hosts today)


class WallClock:
    def __init__(self) -> None:
        self.now = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def sandbox() -> Sandbox:
    return demo_account()


def server(sandbox: Sandbox, **settings: Any) -> Any:
    return demo_server(sandbox, read_only=False, **settings)


def apps_client(server: Any, mode: str = "auto", **options: Any) -> Client:
    """A client that negotiated MCP Apps, as Claude does (it shows the approval card)."""
    ui = advertise(EXTENSION_ID, {"mimeTypes": [APP_MIME_TYPE]})
    return Client(server, mode=mode, extensions=[ui], **options)


def writes(sandbox: Sandbox) -> list[str]:
    """Every request that could have changed the sandbox (the token requests aside)."""
    return [
        f"{r.method} {r.path}"
        for r in sandbox.request_log
        if r.method != "GET" and r.path != "/accessTokens"
    ]


def message(sandbox: Sandbox, body: str = "Your check-in is at 15:00.") -> dict[str, Any]:
    return {"conversation_id": sandbox.store.conversations[0]["id"], "body": body}


async def preview(client: Client, tool: str, args: dict[str, Any]) -> dict[str, Any]:
    result = await client.call_tool(tool, args)
    assert not result.is_error, result.content[0].text
    data: dict[str, Any] = result.structured_content  # type: ignore[assignment]
    assert data["sent"] is False and data["approval_id"].startswith("apv_")
    return data


def error(result: Any) -> str:
    assert result.is_error
    return str(result.content[0].text)


# ---- who is offered it -------------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
async def test_only_a_client_with_apps_is_offered_approve_write(
    sandbox: Sandbox, mode: str
) -> None:
    async with Client(server(sandbox), mode=mode) as plain:
        assert "approve_write" not in [tool.name for tool in (await plain.list_tools()).tools]
    async with apps_client(server(sandbox), mode) as client:
        tools = {tool.name: tool for tool in (await client.list_tools()).tools}
    card = tools["approve_write"]
    assert card.meta == {"ui": {"resourceUri": "ui://hostaway/approve.html", "visibility": ["app"]}}
    hints = card.annotations
    assert hints is not None
    assert (card.title, hints.read_only_hint, hints.destructive_hint, hints.idempotent_hint) == (
        "Approve a previewed change",
        False,
        True,
        False,
    )
    # The approval_id is all it takes: the tool and its arguments come with it.
    assert list(card.input_schema["properties"]) == ["approval_id"]
    assert card.input_schema["required"] == ["approval_id"]


async def test_a_read_only_server_has_no_approve_write_even_for_apps(sandbox: Sandbox) -> None:
    async with apps_client(demo_server(sandbox)) as client:
        names = [tool.name for tool in (await client.list_tools()).tools]
        missing = await client.call_tool("approve_write", {"approval_id": "apv_1"})
    assert "approve_write" not in names and "show_calendar" in names
    assert "Unknown tool" in error(missing)


@pytest.mark.parametrize("mode", MODES)
async def test_a_client_without_apps_is_refused_and_nothing_is_sent(
    sandbox: Sandbox, mode: str
) -> None:
    args = message(sandbox)
    async with Client(server(sandbox, write_approval="model"), mode=mode) as client:
        shown = await preview(client, "send_guest_message", args)
        with pytest.raises(MCPError, match="Unknown tool: approve_write"):
            await client.call_tool("approve_write", {"approval_id": shown["approval_id"]})
        # The approval is untouched: it still works the way this client may approve.
        sent = await client.call_tool(
            "send_guest_message", {**args, "confirm": True, "approval_id": shown["approval_id"]}
        )
    assert sent.structured_content["approved_via"] == "model"  # type: ignore[index]
    assert writes(sandbox) == [f"POST /conversations/{args['conversation_id']}/messages"]


# ---- what it does -----------------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
async def test_approving_in_the_card_sends_exactly_the_preview_once(
    sandbox: Sandbox, mode: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    args = message(sandbox, "Approved in the card.\nSee you soon")
    # The default (host) mode on a client that cannot elicit: only the card can approve.
    async with apps_client(server(sandbox), mode) as client:
        shown = await preview(client, "send_guest_message", args)
        assert writes(sandbox) == []
        sent = await client.call_tool("approve_write", {"approval_id": shown["approval_id"]})
        again = await client.call_tool("approve_write", {"approval_id": shown["approval_id"]})
        confirmed = await client.call_tool(
            "send_guest_message", {**args, "confirm": True, "approval_id": shown["approval_id"]}
        )
    assert not sent.is_error, sent.content[0].text
    data = sent.structured_content
    assert data is not None
    assert (data["tool"], data["sent"], data["approved_via"]) == ("send_guest_message", True, "app")
    assert data["request"] == shown["request"] and data["result"]["kind"] == "message"
    assert "was already used" in error(again)
    assert "was already used" in error(confirmed)
    assert writes(sandbox) == [f"POST /conversations/{args['conversation_id']}/messages"]
    assert sandbox.store.messages[args["conversation_id"]][-1]["body"] == args["body"]
    [audit] = [r for r in caplog.records if r.name == "hostaway_mcp.domain.audit"]
    line = json.loads(JsonFormatter().format(audit))
    assert (line["tool"], line["status"], line["approved_via"]) == (
        "send_guest_message",
        "ok",
        "app",
    )
    # Through the same wrapper as every tool: one "tool call" line for it.
    calls = [r for r in caplog.records if r.getMessage() == "tool call"]
    assert [getattr(r, "tool", None) for r in calls].count("approve_write") == 2


async def test_the_preview_tells_an_apps_client_the_card_is_the_users(sandbox: Sandbox) -> None:
    async with apps_client(server(sandbox)) as client:
        shown = await preview(client, "cancel_booking", {"reservation_id": 2400001})
    assert shown["next_step"].startswith("The user sees this preview as an approval card")
    assert "approve_write is the card's, not yours" in shown["next_step"]
    assert "confirm=true is refused" in shown["next_step"]


async def test_with_a_card_and_a_dialog_the_person_is_asked_either_way_and_approves_once(
    sandbox: Sandbox,
) -> None:
    asked: list[Any] = []

    async def person(context: Any, params: ElicitRequestParams) -> ElicitResult:
        asked.append(params)
        return ElicitResult(action="accept", content={"approve": True})

    args = message(sandbox)
    async with apps_client(server(sandbox), elicitation_callback=person) as client:
        shown = await preview(client, "send_guest_message", args)
        assert "If they ask you to send it instead" in shown["next_step"]
        card = await client.call_tool("approve_write", {"approval_id": shown["approval_id"]})
        chat = await client.call_tool(
            "send_guest_message", {**args, "confirm": True, "approval_id": shown["approval_id"]}
        )
    assert card.structured_content["approved_via"] == "app"  # type: ignore[index]
    assert "was already used" in error(chat)
    assert asked == []  # the card is the approval: no dialog on top of it
    assert writes(sandbox) == [f"POST /conversations/{args['conversation_id']}/messages"]


async def test_the_instructions_say_the_card_is_the_users_only_when_writes_are_on(
    sandbox: Sandbox,
) -> None:
    async with apps_client(demo_server(sandbox)) as client:
        read_only = client.instructions or ""
    async with apps_client(server(sandbox)) as client:
        writable = client.instructions or ""
    assert "approval card" not in read_only
    assert "approval card" in writable and "never call approve_write" in writable


async def test_unknown_forged_and_expired_ids_are_refused_and_send_nothing(
    sandbox: Sandbox,
) -> None:
    clock = WallClock()
    async with apps_client(server(sandbox, approval_clock=clock)) as client:
        shown = await preview(client, "cancel_booking", {"reservation_id": 2400001})
        unknown = await client.call_tool("approve_write", {"approval_id": "apv_nothing"})
        forged = await client.call_tool(
            "approve_write", {"approval_id": shown["approval_id"][:-1] + "0"}
        )
        clock.now += timedelta(minutes=15)
        late = await client.call_tool("approve_write", {"approval_id": shown["approval_id"]})
        empty = await client.call_tool("approve_write", {"approval_id": ""})
    assert "Unknown approval_id" in error(unknown)
    assert "Unknown approval_id" in error(forged)
    assert "expired at 2026-12-02 09:15 UTC" in error(late)
    assert error(empty)  # refused by the schema before any lookup
    assert writes(sandbox) == []
    assert sandbox.store.reservation(2400001)["status"] != "cancelled"


async def test_arguments_cannot_be_changed_through_the_card(sandbox: Sandbox) -> None:
    args = message(sandbox, "The previewed text")
    async with apps_client(server(sandbox)) as client:
        shown = await preview(client, "send_guest_message", args)
        sent = await client.call_tool(
            "approve_write",
            {"approval_id": shown["approval_id"], "body": "Another text",
             "conversation_id": 1, "communication_type": "email"},
        )  # fmt: skip
        # Other arguments are refused outright; the id alone then sends exactly the preview.
        assert sent.is_error and "Its arguments: approval_id" in sent.content[0].text
        assert writes(sandbox) == []
        approved = await client.call_tool("approve_write", {"approval_id": shown["approval_id"]})
    assert not approved.is_error, approved.content[0].text
    assert writes(sandbox) == [f"POST /conversations/{args['conversation_id']}/messages"]
    [posted] = [
        r.json() for r in sandbox.request_log if r.method == "POST" and "/messages" in r.path
    ]
    assert posted == {"body": "The previewed text", "communicationType": "channel"}


async def test_a_write_approved_in_the_chat_cannot_be_approved_again_in_the_card(
    sandbox: Sandbox,
) -> None:
    args = {"reservation_id": 2400001}
    async with apps_client(server(sandbox, write_approval="model")) as client:
        shown = await preview(client, "cancel_booking", args)
        assert "Only if they tell you to send it instead" in shown["next_step"]
        confirmed = await client.call_tool(
            "cancel_booking", {**args, "confirm": True, "approval_id": shown["approval_id"]}
        )
        card = await client.call_tool("approve_write", {"approval_id": shown["approval_id"]})
    assert confirmed.structured_content["approved_via"] == "model"  # type: ignore[index]
    assert "was already used" in error(card)
    assert writes(sandbox) == ["PUT /reservations/2400001/statuses/cancelled"]


async def test_a_write_hostaway_would_now_send_differently_is_refused(sandbox: Sandbox) -> None:
    listing = sandbox.store.listings[0]
    day = sandbox.today + timedelta(days=200)
    while not all(
        sandbox.store.calendar_day(listing["id"], day + timedelta(days=i))["isAvailable"]
        for i in range(3)
    ):
        day += timedelta(days=1)
    booking = {
        "listing_id": listing["id"],
        "arrival_date": day.isoformat(),
        "departure_date": (day + timedelta(days=2)).isoformat(),
        "guest_name": "Demo Guest",
        "guests": 1,
    }
    async with apps_client(server(sandbox, cache_ttl=0)) as client:
        shown = await preview(client, "create_booking", booking)
        listing["currencyCode"] = "CHF"  # Hostaway's data changes between preview and Approve
        late = await client.call_tool("approve_write", {"approval_id": shown["approval_id"]})
    assert "Hostaway's data changed since the preview" in error(late)
    assert writes(sandbox) == []
