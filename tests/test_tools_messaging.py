"""Conversation, message and inbox-triage tools through the in-memory MCP client."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from mcp import Client

from hostaway_mcp.domain import messaging

from .fake_hostaway import TODAY
from .fake_ops import NOW, FakeOps, conversation, fake_ops, hours_ago, message
from .helpers import build_test_server

pytestmark = pytest.mark.anyio


async def call(name: str, args: dict[str, Any] | None = None, **settings: Any) -> Any:
    async with Client(build_test_server(**settings)) as client:
        return await client.call_tool(name, args or {})


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(messaging, "utc_now", lambda: NOW)


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


# ---- list_conversations -------------------------------------------------------------------------


async def test_list_conversations_maps_the_embedded_reservation() -> None:
    with fake_ops(conversations=inbox()) as ops:
        result = await call("list_conversations", {"limit": 2})
        sent = ops.params("/conversations")[0]
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
    with fake_ops(conversations=inbox()) as ops:
        seen: list[int] = []
        async with Client(build_test_server()) as client:
            cursor = None
            while True:
                args: dict[str, Any] = {"limit": 4}
                if cursor:
                    args["cursor"] = cursor
                data = (await client.call_tool("list_conversations", args)).structured_content
                seen.extend(c["id"] for c in data["conversations"])
                cursor = data["next_cursor"]
                if not cursor:
                    break
        offsets = [p["offset"] for p in ops.params("/conversations")]
    assert seen == list(range(501, 510))
    assert offsets == ["0", "4", "8"]


async def test_list_conversations_unread_only_pages_without_duplicates() -> None:
    with fake_ops(conversations=inbox(), page_cap=3):
        seen: list[int] = []
        async with Client(build_test_server()) as client:
            cursor = None
            for _ in range(5):
                args: dict[str, Any] = {"limit": 1, "unread_only": True}
                if cursor:
                    args["cursor"] = cursor
                data = (await client.call_tool("list_conversations", args)).structured_content
                seen.extend(c["id"] for c in data["conversations"])
                cursor = data["next_cursor"]
                if not cursor:
                    break
    assert seen == [502, 504]


async def test_list_conversations_by_reservation_is_sent_and_rechecked() -> None:
    with fake_ops(conversations=inbox(), honour_filters=False) as ops:
        result = await call("list_conversations", {"reservation_id": 203})
        sent = ops.params("/conversations")[0]
    assert sent["reservationId"] == "203"
    assert [c["id"] for c in result.structured_content["conversations"]] == [503]


async def test_conversation_preview_is_short_and_null_bodies_are_null() -> None:
    long_text = "Hello! " + "We would love to know about parking. " * 20
    convs = [
        conversation(601, reservation_id=301, body=long_text),
        conversation(602, reservation_id=302, body=None),
    ]
    with fake_ops(conversations=convs):
        result = await call("list_conversations")
    first, second = result.structured_content["conversations"]
    assert len(first["untrusted"]["last_message_preview"]) <= 160
    assert first["untrusted"]["last_message_preview"].endswith("…")
    assert "last_message_preview" not in second["untrusted"]


async def test_a_bad_cursor_is_refused_before_any_request() -> None:
    with fake_ops(conversations=inbox()) as ops:
        result = await call("list_conversations", {"cursor": "not-a-cursor"})
        assert not ops.calls("GET", "/conversations")
    assert result.is_error and "cursor" in result.content[0].text


# ---- get_conversation_messages ------------------------------------------------------------------


def thread(ops: FakeOps, count: int, conversation_id: int = 501) -> None:
    ops.conversations = inbox()
    start = NOW - timedelta(hours=count)
    ops.messages[conversation_id] = [
        message(
            7000 + i,
            conversation_id,
            incoming=i % 2 == 0,
            at=start + timedelta(hours=i),
            body=f"message {i}",
        )
        for i in range(count)
    ]


@pytest.mark.parametrize("newest_first", [False, True])
async def test_messages_are_the_most_recent_oldest_first_in_either_upstream_order(
    newest_first: bool,
) -> None:
    with fake_ops(messages_newest_first=newest_first) as ops:
        thread(ops, 45)
        result = await call("get_conversation_messages", {"conversation_id": 501, "limit": 10})
        offsets = [p["offset"] for p in ops.params("/conversations/501/messages")]
    data = result.structured_content
    assert [m["id"] for m in data["messages"]] == [7000 + i for i in range(35, 45)]
    assert data["total_messages"] == 45
    # Newest first: the first page is the answer. Oldest first: the tail, read at count - limit.
    assert offsets == (["0"] if newest_first else ["0", "35"])


@pytest.mark.parametrize("newest_first", [False, True])
async def test_messages_with_a_server_capping_the_page_size(newest_first: bool) -> None:
    with fake_ops(messages_newest_first=newest_first, page_cap=4) as ops:
        thread(ops, 23)
        result = await call("get_conversation_messages", {"conversation_id": 501, "limit": 10})
    ids = [m["id"] for m in result.structured_content["messages"]]
    assert ids == [7000 + i for i in range(13, 23)]


async def test_a_short_thread_takes_one_request() -> None:
    with fake_ops() as ops:
        thread(ops, 3)
        result = await call("get_conversation_messages", {"conversation_id": 501})
        requests = ops.calls("GET", "/conversations/501/messages")
    assert [m["id"] for m in result.structured_content["messages"]] == [7000, 7001, 7002]
    assert len(requests) == 1


async def test_message_fields_direction_null_body_and_zone_less_times() -> None:
    with fake_ops() as ops:
        ops.conversations = inbox()
        ops.messages[501] = [
            message(1, 501, incoming=True, at=hours_ago(2), body=None),
            message(2, 501, incoming=False, at=hours_ago(1), body="x" * 5000,
                    communicationType="channel"),
        ]  # fmt: skip
        result = await call("get_conversation_messages", {"conversation_id": 501})
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
        "untrusted": None,  # no text at all
    }
    assert second["direction"] == "outgoing" and second["channel"] == "channel"
    body = second["untrusted"]["body"]
    assert len(body) < 2100 and "cut" in body


async def test_the_output_budget_drops_the_oldest_messages_first() -> None:
    with fake_ops() as ops:
        thread(ops, 40)
        for raw in ops.messages[501]:
            raw["body"] = f"{raw['body']} " + "lorem ipsum " * 40
        result = await call(
            "get_conversation_messages",
            {"conversation_id": 501, "limit": 40},
            max_result_chars=6000,
        )
    data = result.structured_content
    ids = [m["id"] for m in data["messages"]]
    assert data["truncated"] is True and 0 < len(ids) < 40
    assert ids == [7000 + i for i in range(40 - len(ids), 40)]


async def test_unknown_conversation_points_to_list_conversations() -> None:
    with fake_ops(conversations=inbox()):
        result = await call("get_conversation_messages", {"conversation_id": 999})
    assert result.is_error and "list_conversations" in result.content[0].text


# ---- get_inbox_triage ---------------------------------------------------------------------------


async def test_triage_orders_arrivals_soonest_then_longest_waiting() -> None:
    with fake_ops(conversations=inbox()) as ops:
        result = await call("get_inbox_triage")
        lookups = ops.calls("GET", "/reservations/101")
        conversation_pages = ops.calls("GET", "/conversations")
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
    with fake_ops(conversations=inbox()):
        result = await call("get_inbox_triage", {"limit": 2})
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
    with fake_ops(conversations=convs) as ops:
        result = await call("get_inbox_triage", {"limit": 3})
        conversation_pages = ops.params("/conversations")
        lookups = [
            r for r in ops.base.router.calls if r.request.url.path.startswith("/v1/reservations/")
        ]
    data = result.structured_content
    assert [p["offset"] for p in conversation_pages] == ["0", "100", "200"]
    assert len(lookups) == messaging.TRIAGE_LOOKUPS  # 404s here, still bounded
    assert data["conversations_scanned"] == 300 and data["scan_complete"] is False
    assert data["waiting_total"] == 300
    # Unknown arrivals: the longest waiting first.
    assert [i["conversation_id"] for i in data["items"]] == [1299, 1298, 1297]


async def test_triage_reports_progress() -> None:
    updates: list[float] = []

    async def on_progress(progress: float, total: float | None, message: str | None) -> None:
        updates.append(progress)

    with fake_ops(conversations=inbox()):
        async with Client(build_test_server()) as client:
            await client.call_tool("get_inbox_triage", {}, progress_callback=on_progress)
    assert updates and updates == sorted(updates)
