"""Writes only a person can approve, through the in-memory client against the sandbox: the
approval_id binds confirm=true to the preview; the host asks the user where it can; elsewhere
HOSTAWAY_WRITE_APPROVAL decides; the approval card's path (`run_approved`) sends the previewed
write from its id alone. Whenever a write is refused, the sandbox sees no write at all."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from mcp import Client
from mcp.client import ClientRequestContext
from mcp.server.mcpserver import Context
from mcp.types import ElicitRequestParams, ElicitResult

from hostaway_mcp.domain.models.writes import WriteResult
from hostaway_mcp.logs import JsonFormatter
from hostaway_mcp.server.app import _wrap
from hostaway_mcp.server.approval import run_approved
from hostaway_sandbox import Sandbox
from tests.support.accounts import demo_account
from tests.support.servers import demo_server as sandbox_server

pytestmark = pytest.mark.anyio

PROTOCOLS = ["legacy", "2026-07-28"]  # elicitation as a request, and inside input_required


class WallClock:
    def __init__(self) -> None:
        self.now = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def sandbox() -> Sandbox:
    return demo_account()


def writes(sandbox: Sandbox) -> list[str]:
    """Every request that could have changed the sandbox (the token requests aside)."""
    return [
        f"{r.method} {r.path}"
        for r in sandbox.request_log
        if r.method != "GET" and r.path != "/accessTokens"
    ]


def message(sandbox: Sandbox, body: str = "Your check-in is at 15:00.") -> dict[str, Any]:
    return {"conversation_id": sandbox.store.conversations[0]["id"], "body": body}


def server(sandbox: Sandbox, **settings: Any) -> Any:
    return sandbox_server(sandbox, read_only=False, **settings)


async def preview(client: Client, tool: str, args: dict[str, Any]) -> dict[str, Any]:
    result = await client.call_tool(tool, args)
    assert not result.is_error, result.content[0].text
    data: dict[str, Any] = result.structured_content  # type: ignore[assignment]
    assert data["sent"] is False and data["approval_id"].startswith("apv_")
    return data


def error(result: Any) -> str:
    assert result.is_error
    return str(result.content[0].text)


# ---- the approval_id binds confirm=true to the preview ----------------------------------------


async def test_confirm_without_a_preview_is_refused_and_sends_nothing(sandbox: Sandbox) -> None:
    async with Client(server(sandbox, write_approval="model")) as client:
        first = await client.call_tool(
            "cancel_booking", {"reservation_id": 2400001, "confirm": True}
        )
        forged = await client.call_tool(
            "cancel_booking",
            {
                "reservation_id": 2400001,
                "confirm": True,
                "approval_id": "apv_0123456789ab" + "0" * 20,
            },
        )
    assert "needs the approval_id of a preview" in error(first)
    assert "Unknown approval_id" in error(forged)
    assert writes(sandbox) == []
    assert sandbox.store.reservation(2400001)["status"] != "cancelled"


async def test_a_changed_argument_is_refused_and_the_previewed_body_is_not_sent_either(
    sandbox: Sandbox,
) -> None:
    async with Client(server(sandbox, write_approval="model")) as client:
        shown = await preview(client, "send_guest_message", message(sandbox, "Hello!"))
        swapped = await client.call_tool(
            "send_guest_message",
            {**message(sandbox, "The door code is 1234#"), "confirm": True,
             "approval_id": shown["approval_id"]},
        )  # fmt: skip
        routed = await client.call_tool(
            "send_guest_message",
            {**message(sandbox, "Hello!"), "communication_type": "email", "confirm": True,
             "approval_id": shown["approval_id"]},
        )  # fmt: skip
    assert "issued for other arguments: body changed" in error(swapped)
    assert "communication_type changed" in error(routed)
    assert "1234#" not in error(swapped)  # the values are not repeated back
    assert writes(sandbox) == []


async def test_an_approval_is_single_use(sandbox: Sandbox) -> None:
    args = message(sandbox)
    async with Client(server(sandbox, write_approval="model")) as client:
        shown = await preview(client, "send_guest_message", args)
        confirm = {**args, "confirm": True, "approval_id": shown["approval_id"]}
        sent = await client.call_tool("send_guest_message", confirm)
        again = await client.call_tool("send_guest_message", confirm)
    assert not sent.is_error and sent.structured_content["sent"] is True
    assert sent.structured_content["approved_via"] == "model"
    assert "was already used" in error(again)
    assert writes(sandbox) == [f"POST /conversations/{args['conversation_id']}/messages"]


async def test_an_expired_approval_is_refused(sandbox: Sandbox) -> None:
    clock = WallClock()
    args = message(sandbox)
    async with Client(server(sandbox, write_approval="model", approval_clock=clock)) as client:
        shown = await preview(client, "send_guest_message", args)
        assert shown["expires_at"] == "2026-12-02T09:15:00Z"
        clock.now += timedelta(minutes=15)
        late = await client.call_tool(
            "send_guest_message", {**args, "confirm": True, "approval_id": shown["approval_id"]}
        )
    assert "expired at 2026-12-02 09:15 UTC" in error(late)
    assert writes(sandbox) == []


async def test_an_approval_of_one_tool_does_not_approve_another(sandbox: Sandbox) -> None:
    async with Client(server(sandbox, write_approval="model")) as client:
        shown = await preview(client, "cancel_booking", {"reservation_id": 2400001})
        other = await client.call_tool(
            "update_booking",
            {"reservation_id": 2400001, "guests": 1, "confirm": True,
             "approval_id": shown["approval_id"]},
        )  # fmt: skip
    assert "approves cancel_booking, not update_booking" in error(other)
    assert writes(sandbox) == []


async def test_a_write_that_would_now_differ_from_the_preview_is_refused(
    sandbox: Sandbox,
) -> None:
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
    async with Client(server(sandbox, write_approval="model", cache_ttl=0)) as client:
        shown = await preview(client, "create_booking", booking)
        listing["currencyCode"] = "CHF"  # Hostaway's data changes between preview and confirm
        late = await client.call_tool(
            "create_booking", {**booking, "confirm": True, "approval_id": shown["approval_id"]}
        )
    assert "Hostaway's data changed since the preview" in error(late)
    assert writes(sandbox) == []


# ---- a person approves where the host can ask -----------------------------------------------


class Person:
    """The user behind an elicitation-capable client."""

    def __init__(self, action: str, approve: bool = True) -> None:
        self.action = action
        self.approve = approve
        self.asked: list[ElicitRequestParams] = []

    async def __call__(
        self, context: ClientRequestContext, params: ElicitRequestParams
    ) -> ElicitResult:
        self.asked.append(params)
        if self.action == "accept":
            return ElicitResult(action="accept", content={"approve": self.approve})
        return ElicitResult(action=self.action)  # type: ignore[arg-type]


@pytest.mark.parametrize("protocol", PROTOCOLS)
async def test_accepting_in_the_host_sends_exactly_one_request(
    sandbox: Sandbox, protocol: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    person = Person("accept")
    args = message(sandbox, "Welcome!\nThe parking is on the left.")
    async with Client(server(sandbox), elicitation_callback=person, mode=protocol) as client:
        shown = await preview(client, "send_guest_message", args)
        assert "their app then asks them to approve it" in shown["next_step"]
        assert person.asked == []  # a preview asks no one
        sent = await client.call_tool(
            "send_guest_message", {**args, "confirm": True, "approval_id": shown["approval_id"]}
        )
    assert not sent.is_error, sent.content[0].text
    assert sent.structured_content["approved_via"] == "elicitation"
    assert writes(sandbox) == [f"POST /conversations/{args['conversation_id']}/messages"]
    assert sandbox.store.messages[args["conversation_id"]][-1]["body"] == args["body"]
    [asked] = person.asked
    text = asked.message
    assert text.startswith("Approve this change to your Hostaway account?")
    assert f"to the guest of conversation {args['conversation_id']}" in text
    assert "«««\nWelcome!\nThe parking is on the left.\n»»»" in text
    assert shown["approval_id"] in text and "POST /conversations/" in text
    assert asked.requested_schema["properties"]["approve"]["type"] == "boolean"
    [audit] = [r for r in caplog.records if r.name == "hostaway_mcp.domain.audit"]
    assert json.loads(JsonFormatter().format(audit))["approved_via"] == "elicitation"


@pytest.mark.parametrize("protocol", PROTOCOLS)
@pytest.mark.parametrize(
    ("person", "said"),
    [
        (Person("decline"), "declined this change when their app asked them to approve it"),
        (Person("cancel"), "dismissed the approval request without approving"),
        (Person("accept", approve=False), "did not check 'Approve and send'"),
    ],
    ids=["decline", "cancel", "unchecked"],
)
async def test_declining_or_cancelling_in_the_host_sends_nothing_and_says_so(
    sandbox: Sandbox, protocol: str, person: Person, said: str
) -> None:
    args = message(sandbox)
    async with Client(server(sandbox), elicitation_callback=person, mode=protocol) as client:
        shown = await preview(client, "send_guest_message", args)
        confirm = {**args, "confirm": True, "approval_id": shown["approval_id"]}
        refused = await client.call_tool("send_guest_message", confirm)
        again = await client.call_tool("send_guest_message", confirm)
    data = refused.structured_content
    assert not refused.is_error
    assert data["sent"] is False and "result" not in data
    assert data["summary"] == f"Not sent: the user {said}. Nothing was sent to Hostaway."
    assert "was already used" in error(again)  # a refusal is final: a new preview is needed
    assert writes(sandbox) == []


async def test_the_host_is_asked_even_when_the_model_could_confirm(sandbox: Sandbox) -> None:
    person = Person("decline")
    args = {"reservation_id": 2400001}
    async with Client(
        server(sandbox, write_approval="model"), elicitation_callback=person
    ) as client:
        shown = await preview(client, "cancel_booking", args)
        result = await client.call_tool(
            "cancel_booking", {**args, "confirm": True, "approval_id": shown["approval_id"]}
        )
    assert len(person.asked) == 1 and result.structured_content["sent"] is False
    assert writes(sandbox) == []


async def test_an_invalid_approval_is_refused_without_asking_the_person(sandbox: Sandbox) -> None:
    person = Person("accept")
    args = message(sandbox)
    async with Client(server(sandbox), elicitation_callback=person) as client:
        await preview(client, "send_guest_message", args)
        result = await client.call_tool("send_guest_message", {**args, "confirm": True})
    assert "needs the approval_id" in error(result)
    assert person.asked == [] and writes(sandbox) == []


# ---- where the host cannot ask ---------------------------------------------------------------


async def test_host_mode_on_a_client_that_cannot_ask_refuses_and_explains(
    sandbox: Sandbox,
) -> None:
    args = message(sandbox)
    async with Client(server(sandbox)) as client:  # write_approval defaults to host
        shown = await preview(client, "send_guest_message", args)
        refused = await client.call_tool(
            "send_guest_message", {**args, "confirm": True, "approval_id": shown["approval_id"]}
        )
    assert "this app cannot ask" in shown["next_step"]
    text = error(refused)
    assert "HOSTAWAY_WRITE_APPROVAL=host" in text and "Claude Code" in text
    assert "HOSTAWAY_WRITE_APPROVAL=model" in text and "Nothing was sent." in text
    assert writes(sandbox) == []


# ---- the approval card: the same approval_id, approved in the app -----------------------------


async def test_run_approved_sends_the_previewed_write_from_its_id_alone(
    sandbox: Sandbox, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    mcp = server(sandbox)  # host mode, a client that cannot ask: only the card can approve

    async def approve_in_card(approval_id: str, ctx: Context) -> WriteResult:
        return await run_approved(ctx, approval_id, "app")

    mcp.add_tool(_wrap(approve_in_card))  # as every tool: domain errors become tool errors
    args = message(sandbox, "Approved in the card")
    async with Client(mcp) as client:
        shown = await preview(client, "send_guest_message", args)
        sent = await client.call_tool("approve_in_card", {"approval_id": shown["approval_id"]})
        twice = await client.call_tool("approve_in_card", {"approval_id": shown["approval_id"]})
        unknown = await client.call_tool("approve_in_card", {"approval_id": "apv_nothing"})
    assert not sent.is_error, sent.content[0].text
    assert sent.structured_content["approved_via"] == "app"
    assert sent.structured_content["request"] == shown["request"]
    assert "was already used" in error(twice)
    assert "Unknown approval_id" in error(unknown)
    assert writes(sandbox) == [f"POST /conversations/{args['conversation_id']}/messages"]
    assert sandbox.store.messages[args["conversation_id"]][-1]["body"] == "Approved in the card"
    [audit] = [r for r in caplog.records if r.name == "hostaway_mcp.domain.audit"]
    assert audit.approved_via == "app"  # type: ignore[attr-defined]
