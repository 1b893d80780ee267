"""Conversation, message and inbox-triage tools through the in-memory MCP client, against the
seeded sandbox account plus conversations (and, for a thread served newest first, a scripted
upstream)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from mcp import Client

from hostaway_sandbox import Sandbox
from tests.support.accounts import listings, seeded
from tests.support.internals import TRIAGE_LOOKUPS, freeze_inbox_clock
from tests.support.records import NOW, TODAY, conversation, envelope, hours_ago, message
from tests.support.scripted import Scripted, paged
from tests.support.servers import sandbox_server, scripted_server

pytestmark = pytest.mark.anyio
MESSAGES = "/conversations/501/messages"


async def call(
    sandbox: Sandbox, name: str, args: dict[str, Any] | None = None, **settings: Any
) -> Any:
    async with Client(sandbox_server(sandbox, **settings)) as client:
        return await client.call_tool(name, args or {})


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch: pytest.MonkeyPatch) -> None:
    freeze_inbox_clock(monkeypatch, NOW)


def account(
    conversations: list[dict[str, Any]] | None = None,
    threads: dict[int, list[dict[str, Any]]] | None = None,
) -> Sandbox:
    """The seeded account with these conversations (default: the inbox) and message threads."""
    sandbox = seeded()
    for raw in inbox() if conversations is None else conversations:
        sandbox.add_conversation(raw, (threads or {}).get(raw["id"], []))
    return sandbox


def inbox() -> list[dict[str, Any]]:
    """A realistic mix of threads around TODAY (2026-06-10) and NOW (12:00 UTC)."""
    day = timedelta(days=1)
    return [
        # Arriving in two days, waiting 3 hours.
        conversation(501, reservation_id=201, guest="Ana", arrival=TODAY + 2 * day,
                     last_at=hours_ago(3), listing_name="Seaside Loft"),
        # Arriving the same day, waiting 24 hours: ahead of 501.
        conversation(502, reservation_id=202, guest="Ben", arrival=TODAY + 2 * day,
                     last_at=hours_ago(24), unread=True),
        # Arriving in ten days.
        conversation(503, reservation_id=203, guest="Cat", arrival=TODAY + 10 * day,
                     last_at=hours_ago(200), listing_id=40162),
        # Staying now (arrived two days ago): as urgent as an arrival today.
        conversation(504, reservation_id=204, guest="Dan", arrival=TODAY - 2 * day,
                     departure=TODAY + day, last_at=hours_ago(0.5), unread=True),
        # Stayed last month: after everyone who is coming.
        conversation(505, reservation_id=205, guest="Eve", arrival=TODAY - 33 * day,
                     departure=TODAY - 30 * day, last_at=hours_ago(960)),
        # The host answered last: not waiting.
        conversation(506, reservation_id=206, guest="Fay", arrival=TODAY + day,
                     last_incoming=False, last_at=hours_ago(2)),
        # No embedded reservation: looked up (reservation 101 arrives today).
        conversation(507, reservation_id=101, guest="Ana Smith", embed_reservation=False,
                     last_at=hours_ago(6)),
        # No messages embedded, received after sent: waiting; its booking is cancelled.
        conversation(508, reservation_id=208, guest="Gil", arrival=TODAY + day,
                     status="cancelled", last_incoming=None, conversationMessages=[],
                     messageReceivedOn="2026-06-08 12:00:00",
                     messageSentOn="2026-06-07 12:00:00"),
        # No messages embedded, the host wrote last.
        conversation(509, reservation_id=209, guest="Hal", last_incoming=None,
                     messageReceivedOn="2026-06-08 12:00:00",
                     messageSentOn="2026-06-09 12:00:00"),
    ]  # fmt: skip


# Hostaway lists conversations by latest activity (message sent or received), newest first.
LATEST_ACTIVITY_FIRST = [504, 506, 501, 507, 509, 502, 508, 503, 505]

# ---- list_conversations -------------------------------------------------------------------------


async def test_list_conversations_maps_the_embedded_reservation() -> None:
    sandbox = account(inbox()[:2])
    result = await call(sandbox, "list_conversations", {"limit": 2})
    sent = sandbox.requests("GET", "/conversations")[0].params
    assert sent["includeResources"] == "1" and sent["limit"] == "2"
    first = result.structured_content["conversations"][0]
    assert first == {
        "id": 501,
        "reservation_id": 201,
        "listing_id": 40161,  # from Reservation.listingMapId ("40161"), not the account id 10450
        "listing_name": "Seaside Loft",
        "has_unread": False,
        "last_message_at": "2026-06-10T09:00:00Z",
        "last_message_incoming": True,
        "untrusted": {"guest_name": "Ana", "last_message_preview": "Can we check in early?"},
    }
    second = result.structured_content["conversations"][1]
    assert second["listing_name"] == "Seaside Loft"  # "" on the reservation: from the listings
    assert second["has_unread"] is True


async def test_list_conversations_pages_to_the_end_without_duplicates() -> None:
    sandbox = account()
    seen: list[int] = []
    async with Client(sandbox_server(sandbox)) as client:
        cursor = None
        while True:
            args: dict[str, Any] = {"limit": 4}
            if cursor:
                args["cursor"] = cursor
            data = (await client.call_tool("list_conversations", args)).structured_content
            seen.extend(c["id"] for c in data["conversations"])
            cursor = data.get("next_cursor")
            if not cursor:
                break
    offsets = [r.params["offset"] for r in sandbox.requests("GET", "/conversations")]
    assert seen == LATEST_ACTIVITY_FIRST
    assert offsets == ["0", "4", "8"]


async def test_list_conversations_unread_only_pages_without_duplicates() -> None:
    sandbox = account()
    sandbox.page_cap = 3
    seen: list[int] = []
    async with Client(sandbox_server(sandbox)) as client:
        cursor = None
        for _ in range(5):
            args: dict[str, Any] = {"limit": 1, "unread_only": True}
            if cursor:
                args["cursor"] = cursor
            data = (await client.call_tool("list_conversations", args)).structured_content
            seen.extend(c["id"] for c in data["conversations"])
            cursor = data.get("next_cursor")
            if not cursor:
                break
    assert seen == [504, 502]  # in Hostaway's order: latest activity first


async def test_list_conversations_by_reservation_is_sent_and_rechecked() -> None:
    # Hostaway answering with every conversation, as if it ignored the filter.
    upstream = Scripted(
        {
            ("GET", "/conversations"): paged(inbox()),
            ("GET", "/listings"): paged(listings()),
        }
    )
    async with Client(scripted_server(upstream)) as client:
        result = await client.call_tool("list_conversations", {"reservation_id": 203})
    sent = upstream.calls("GET", "/conversations")[0].url.params
    assert sent["reservationId"] == "203"
    assert [c["id"] for c in result.structured_content["conversations"]] == [503]


async def test_conversation_preview_is_short_and_null_bodies_are_null() -> None:
    long_text = "Hello! " + "We would love to know about parking. " * 20
    convs = [
        conversation(601, reservation_id=301, body=long_text),
        conversation(602, reservation_id=302, body=None),
    ]
    result = await call(account(convs), "list_conversations")
    by_id = {c["id"]: c for c in result.structured_content["conversations"]}
    first, second = by_id[601], by_id[602]
    assert len(first["untrusted"]["last_message_preview"]) <= 160
    assert first["untrusted"]["last_message_preview"].endswith("…")
    assert "last_message_preview" not in (second.get("untrusted") or {})


async def test_a_bad_cursor_is_refused_before_any_request() -> None:
    sandbox = account()
    result = await call(sandbox, "list_conversations", {"cursor": "not-a-cursor"})
    assert not sandbox.requests("GET", "/conversations")
    assert result.is_error and "cursor" in result.content[0].text


# ---- get_conversation_messages ------------------------------------------------------------------


def thread(count: int, conversation_id: int = 501) -> list[dict[str, Any]]:
    start = NOW - timedelta(hours=count)
    return [
        message(
            7000 + i,
            conversation_id,
            incoming=i % 2 == 0,
            at=start + timedelta(hours=i),
            body=f"message {i}",
        )
        for i in range(count)
    ]


def thread_upstream(
    messages: list[dict[str, Any]], *, newest_first: bool, page_cap: int = 100
) -> tuple[Any, Callable[[], list[str]]]:
    """A server whose Hostaway serves conversation 501's thread oldest first (the sandbox) or
    newest first (a scripted upstream: real accounts may), and the offsets it was asked for."""
    if not newest_first:
        sandbox = account(threads={501: messages})
        sandbox.page_cap = page_cap
        return sandbox_server(sandbox), lambda: [
            r.params["offset"] for r in sandbox.requests("GET", MESSAGES)
        ]
    upstream = Scripted(
        {
            ("GET", "/conversations/501"): envelope(inbox()[0]),
            ("GET", MESSAGES): paged(messages[::-1], page_cap),
        }
    )
    return scripted_server(upstream), lambda: [
        r.url.params["offset"] for r in upstream.calls("GET", MESSAGES)
    ]


@pytest.mark.parametrize("newest_first", [False, True])
async def test_messages_are_the_most_recent_oldest_first_in_either_upstream_order(
    newest_first: bool,
) -> None:
    server, offsets_asked = thread_upstream(thread(45), newest_first=newest_first)
    async with Client(server) as client:
        result = await client.call_tool(
            "get_conversation_messages", {"conversation_id": 501, "limit": 10}
        )
    offsets = offsets_asked()
    data = result.structured_content
    assert [m["id"] for m in data["messages"]] == [7000 + i for i in range(35, 45)]
    assert data["total_messages"] == 45
    # Newest first: the first page is the answer. Oldest first: the tail, read at count - limit.
    assert offsets == (["0"] if newest_first else ["0", "35"])


@pytest.mark.parametrize("newest_first", [False, True])
async def test_messages_with_a_server_capping_the_page_size(newest_first: bool) -> None:
    server, _ = thread_upstream(thread(23), newest_first=newest_first, page_cap=4)
    async with Client(server) as client:
        result = await client.call_tool(
            "get_conversation_messages", {"conversation_id": 501, "limit": 10}
        )
    ids = [m["id"] for m in result.structured_content["messages"]]
    assert ids == [7000 + i for i in range(13, 23)]


async def test_a_short_thread_takes_one_request() -> None:
    sandbox = account(threads={501: thread(3)})
    result = await call(sandbox, "get_conversation_messages", {"conversation_id": 501})
    requests = sandbox.requests("GET", MESSAGES)
    assert [m["id"] for m in result.structured_content["messages"]] == [7000, 7001, 7002]
    assert len(requests) == 1


async def test_message_fields_direction_null_body_and_zone_less_times() -> None:
    messages = [
        message(1, 501, incoming=True, at=hours_ago(2), body=None),
        message(2, 501, incoming=False, at=hours_ago(1), body="x" * 5000,
                communicationType="channel"),
    ]  # fmt: skip
    sandbox = account(threads={501: messages})
    result = await call(sandbox, "get_conversation_messages", {"conversation_id": 501})
    data = result.structured_content
    assert data["conversation_id"] == 501
    assert data["reservation_id"] == 201
    assert data["untrusted"] == {"guest_name": "Ana"}
    first, second = data["messages"]
    assert first == {
        "id": 1,
        "sent_at": "2026-06-10T10:00:00Z",
        "direction": "incoming",
        "channel": "email",
        "status": "sent",
        "attachment_count": 0,
    }
    assert second["direction"] == "outgoing" and second["channel"] == "channel"
    body = second["untrusted"]["body"]
    assert len(body) < 2100 and "cut" in body


async def test_the_output_budget_drops_the_oldest_messages_first() -> None:
    messages = thread(40)
    for raw in messages:
        raw["body"] = f"{raw['body']} " + "lorem ipsum " * 40
    result = await call(
        account(threads={501: messages}),
        "get_conversation_messages",
        {"conversation_id": 501, "limit": 40},
        max_result_chars=6000,
    )
    data = result.structured_content
    ids = [m["id"] for m in data["messages"]]
    assert data["truncated"] is True and 0 < len(ids) < 40
    assert ids == [7000 + i for i in range(40 - len(ids), 40)]


async def test_unknown_conversation_points_to_list_conversations() -> None:
    result = await call(account(), "get_conversation_messages", {"conversation_id": 999})
    assert result.is_error and "list_conversations" in result.content[0].text


# ---- get_inbox_triage ---------------------------------------------------------------------------


async def test_triage_orders_arrivals_soonest_then_longest_waiting() -> None:
    sandbox = account()
    result = await call(sandbox, "get_inbox_triage")
    lookups = sandbox.requests("GET", "/reservations/101")
    conversation_pages = sandbox.requests("GET", "/conversations")
    data = result.structured_content
    order = [item["conversation_id"] for item in data["items"]]
    assert order == [507, 504, 502, 501, 503, 505, 508]
    assert data["waiting_total"] == 7
    assert data["conversations_scanned"] == 9 and data["scan_complete"] is True
    assert len(lookups) == 1 and len(conversation_pages) == 1
    first = data["items"][0]
    assert first == {
        "conversation_id": 507,
        "reservation_id": 101,
        "listing_name": "Seaside Loft",
        "waiting_since": "2026-06-10T06:00:00Z",
        "waiting_hours": 6.0,
        "arrival_date": TODAY.isoformat(),
        "booking_status": "new",
        "untrusted": {"guest_name": "Ana Smith", "last_message_preview": "Can we check in early?"},
    }
    by_id = {item["conversation_id"]: item for item in data["items"]}
    assert by_id[504]["waiting_hours"] == 0.5
    assert by_id[508]["waiting_hours"] == 48.0
    assert "last_message_preview" not in by_id[508]["untrusted"]
    assert by_id[508]["booking_status"] == "cancelled"


async def test_triage_limit_keeps_the_most_urgent() -> None:
    result = await call(account(), "get_inbox_triage", {"limit": 2})
    assert [i["conversation_id"] for i in result.structured_content["items"]] == [507, 504]


async def test_triage_upstream_cost_is_bounded() -> None:
    convs = [
        conversation(
            1000 + i,
            reservation_id=5000 + i,
            embed_reservation=False,
            last_at=hours_ago(i + 1),
        )
        for i in range(350)
    ]
    sandbox = account(convs)
    result = await call(sandbox, "get_inbox_triage", {"limit": 3})
    conversation_pages = sandbox.requests("GET", "/conversations")
    lookups = sandbox.requests("GET", "/reservations/*")
    data = result.structured_content
    assert [r.params["offset"] for r in conversation_pages] == ["0", "100", "200"]
    assert len(lookups) == TRIAGE_LOOKUPS  # 404s here, still bounded
    assert data["conversations_scanned"] == 300 and data["scan_complete"] is False
    assert data["waiting_total"] == 300
    # Unknown arrivals: the longest waiting first.
    assert [i["conversation_id"] for i in data["items"]] == [1299, 1298, 1297]


async def test_triage_reports_progress() -> None:
    updates: list[float] = []

    async def on_progress(progress: float, total: float | None, message: str | None) -> None:
        updates.append(progress)

    async with Client(sandbox_server(account())) as client:
        await client.call_tool("get_inbox_triage", {}, progress_callback=on_progress)
    assert updates and updates == sorted(updates)
