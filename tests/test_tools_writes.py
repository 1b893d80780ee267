"""Write tools through the in-memory MCP client against a respx-mocked Hostaway: read-only mode,
preview sends nothing, confirm sends exactly one request, refusals, unknown outcomes, audit."""

from __future__ import annotations

import json
import logging
from datetime import timedelta
from typing import Any

import httpx
import pytest
from mcp import Client

from hostaway_mcp.logs import JsonFormatter

from .fake_hostaway import TODAY
from .fake_writes import FakeWrites, fake_writes
from .helpers import build_test_server, confirm_write

pytestmark = pytest.mark.anyio

WRITE_TOOLS = {
    # name: (destructive, idempotent)
    "update_calendar": (True, True),
    "create_booking": (True, False),
    "update_booking": (True, True),
    "cancel_booking": (True, False),
    "send_guest_message": (True, False),
    "create_task": (False, False),
    "create_expense": (False, False),
}
LATER = TODAY + timedelta(days=30)  # nights nobody holds in the fake


def day(offset: int) -> str:
    return (LATER + timedelta(days=offset)).isoformat()


def writable() -> Any:
    # The in-memory client cannot show an approval dialog: the model's confirmation counts.
    return build_test_server(read_only=False, write_approval="model")


async def call(name: str, args: dict[str, Any]) -> Any:
    """One tool call; confirm=true goes through its preview and approval_id first."""
    async with Client(writable()) as client:
        if args.get("confirm"):
            return await confirm_write(client, name, args)
        return await client.call_tool(name, args)


def only_write(fake: FakeWrites) -> Any:
    writes = fake.writes()
    assert len(writes) == 1, [f"{r.method} {r.url.path}" for r in writes]
    return writes[0]


def sent_body(fake: FakeWrites) -> Any:
    return json.loads(only_write(fake).content)


# ---- registration, annotations, instructions -----------------------------------------------


async def test_read_only_mode_hides_every_write_tool_and_writable_mode_lists_them() -> None:
    async with Client(build_test_server()) as client:
        read_only = {tool.name for tool in (await client.list_tools()).tools}
        with fake_writes() as fake:
            refused = await client.call_tool(
                "cancel_booking", {"reservation_id": 101, "confirm": True}
            )
            assert fake.requests() == []
    assert not read_only & set(WRITE_TOOLS)
    assert refused.is_error
    async with Client(build_test_server(read_only=False)) as client:
        writable = {tool.name for tool in (await client.list_tools()).tools}
    assert set(WRITE_TOOLS) <= writable


async def test_write_tools_are_annotated_honestly() -> None:
    async with Client(build_test_server(read_only=False)) as client:
        tools = {tool.name: tool for tool in (await client.list_tools()).tools}
    for name, (destructive, idempotent) in WRITE_TOOLS.items():
        hints = tools[name].annotations
        assert hints is not None
        assert hints.read_only_hint is False, name
        assert hints.destructive_hint is destructive, name
        assert hints.idempotent_hint is idempotent, name
        assert hints.open_world_hint is True, name
        properties = tools[name].input_schema["properties"]
        assert properties["confirm"]["default"] is False, name
        assert properties["approval_id"]["default"] is None, name
        assert "person_approval" not in properties, name
        assert "include_access_codes" not in properties, name


async def test_instructions_name_the_write_tools_only_when_writes_are_enabled() -> None:
    async with Client(build_test_server()) as client:
        read_only = client.instructions or ""
    async with Client(build_test_server(read_only=False)) as client:
        writable = client.instructions or ""
    assert "update_calendar" not in read_only and "read-only" in read_only
    assert all(name in writable for name in WRITE_TOOLS)
    assert "confirm=true" in writable


# ---- update_calendar -----------------------------------------------------------------------


async def test_update_calendar_preview_sends_nothing_and_shows_the_exact_request() -> None:
    with fake_writes() as fake:
        result = await call(
            "update_calendar",
            {"listing_id": 40161, "start_date": day(0), "end_date": day(3), "price": 250},
        )
        assert fake.writes() == []
    data = result.structured_content
    assert not result.is_error
    assert data["confirmed"] is False and data["sent"] is False and data["result"] is None
    assert data["request"] == {
        "method": "PUT",
        "path": "/listings/40161/calendar",
        "body": {"startDate": day(0), "endDate": day(2), "price": 250.0},
    }
    assert data["summary"].startswith("Preview, nothing sent yet: will update the calendar")
    assert data["details"]["price"] == "250.00 EUR per night (now 200.00 EUR)"
    assert data["details"]["nights"] == f"3 nights, {day(0)} to check-out {day(3)}"
    assert "confirm=true" in data["next_step"]


async def test_update_calendar_confirm_sends_one_put_with_the_inclusive_last_night() -> None:
    with fake_writes() as fake:
        result = await call(
            "update_calendar",
            {
                "listing_id": 40161,
                "start_date": day(0),
                "end_date": day(1),  # one night
                "available": False,
                "min_stay": 2,
                "note": "painting",
                "confirm": True,
            },
        )
        body = sent_body(fake)
    assert body == {
        "startDate": day(0),
        "endDate": day(0),  # Hostaway's range includes endDate: the last night
        "isAvailable": 0,
        "minimumStay": 2,
        "note": "painting",
    }
    data = result.structured_content
    assert data["confirmed"] is True and data["sent"] is True
    assert data["result"] == {
        "kind": "calendar",
        "id": 40161,
        "status": None,
        "days_updated": 1,
        "note": None,
    }
    assert data["summary"].startswith("Updated the calendar of Seaside Loft (listing 40161)")


async def test_update_calendar_drops_cached_calendars_after_the_write() -> None:
    # check_availability for night d0 reads days d0..d1: the very range update_calendar reads
    # (and caches) before writing nights d0..d1, so only the drop after the write un-stales it.
    night = {"listing_id": 40161, "start_date": day(0), "end_date": day(1)}
    change = {"listing_id": 40161, "start_date": day(0), "end_date": day(2), "price": 310}
    with fake_writes():
        async with Client(writable()) as client:
            before = await client.call_tool("check_availability", night)
            await confirm_write(client, "update_calendar", {**change, "confirm": True})
            after = await client.call_tool("check_availability", night)
    assert before.structured_content["total_nightly_price"] == 200
    assert after.structured_content["total_nightly_price"] == 310


async def test_update_calendar_refuses_to_open_nights_a_booking_holds() -> None:
    with fake_writes() as fake:
        result = await call(
            "update_calendar",
            {
                "listing_id": 40161,
                "start_date": (TODAY + timedelta(days=2)).isoformat(),
                "end_date": (TODAY + timedelta(days=5)).isoformat(),
                "available": True,
                "confirm": True,
            },
        )
        params = fake.base.calls("GET", "/reservations")[0].url.params
        assert fake.writes() == []
    assert result.is_error
    assert "reservation 101" in result.content[0].text
    assert params["listingId"] == "40161"


async def test_update_calendar_refuses_nights_the_calendar_shows_reserved() -> None:
    with fake_writes() as fake:
        fake.base.block(40160, LATER + timedelta(days=1), 1)
        result = await call(
            "update_calendar",
            {"listing_id": 40160, "start_date": day(0), "end_date": day(3), "available": True},
        )
        assert fake.writes() == []
    assert result.is_error and day(1) in result.content[0].text


async def test_update_calendar_blocking_booked_nights_only_warns() -> None:
    with fake_writes() as fake:
        fake.base.block(40160, LATER, 2)
        result = await call(
            "update_calendar",
            {"listing_id": 40160, "start_date": day(0), "end_date": day(4), "available": False},
        )
    assert not result.is_error
    assert any("2 of these nights are booked" in w for w in result.structured_content["warnings"])


@pytest.mark.parametrize(
    "args",
    [
        {"start_date": day(0), "end_date": day(2)},  # nothing to change
        {"start_date": day(2), "end_date": day(2), "price": 100},  # empty range
        {"start_date": day(0), "end_date": day(400), "price": 100},  # too long
        {"start_date": day(0), "end_date": day(2), "price": 0},
        {"start_date": day(0), "end_date": day(2), "min_stay": 400},
    ],
)
async def test_update_calendar_bad_input_is_refused_before_any_request(
    args: dict[str, Any],
) -> None:
    with fake_writes() as fake:
        result = await call("update_calendar", {"listing_id": 40161, **args})
        assert fake.requests() == []
    assert result.is_error


async def test_update_calendar_put_is_retried_once_after_a_timeout() -> None:
    with fake_writes() as fake:
        fake.time_out_next("PUT", "/listings/40161/calendar")
        result = await call(
            "update_calendar",
            {
                "listing_id": 40161,
                "start_date": day(0),
                "end_date": day(1),
                "price": 99,
                "confirm": True,
            },
        )
        puts = fake.writes()
    assert not result.is_error and result.structured_content["sent"] is True
    assert len(puts) == 2  # absolute values: sending them again is safe
    assert puts[0].content == puts[1].content


async def test_update_calendar_put_that_never_answers_is_reported_as_outcome_unknown(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    with fake_writes() as fake:
        fake.time_out_next("PUT", "/listings/40161/calendar", times=2)
        result = await call(
            "update_calendar",
            {
                "listing_id": 40161,
                "start_date": day(0),
                "end_date": day(1),
                "price": 99,
                "confirm": True,
            },
        )
    text = result.content[0].text
    assert result.is_error and "Outcome unknown" in text and "check_availability(" in text
    [record] = audit_lines(caplog)
    assert record.status == "outcome_unknown"  # type: ignore[attr-defined]


# ---- create_booking ------------------------------------------------------------------------

BOOKING = {
    "listing_id": 40161,
    "arrival_date": day(0),
    "departure_date": day(3),
    "guest_name": "Maria João Silva",
    "guests": 2,
    "guest_email": "maria@example.com",
    "phone": "+351 912 000 111",
    "total_price": 690,
    "note": "Late arrival",
}


async def test_create_booking_preview_sends_nothing() -> None:
    with fake_writes() as fake:
        result = await call("create_booking", BOOKING)
        assert fake.writes() == []
    data = result.structured_content
    assert data["sent"] is False
    assert data["details"]["guest"] == "Maria João Silva"
    assert data["details"]["total_price"] == "690.00 EUR"
    assert data["details"]["guests"] == "2 (sleeps 4)"


async def test_create_booking_confirm_posts_one_direct_booking_without_overbooking() -> None:
    with fake_writes() as fake:
        result = await call("create_booking", {**BOOKING, "confirm": True})
        request = only_write(fake)
    assert request.method == "POST" and request.url.path == "/v1/reservations"
    assert "forceOverbooking" not in str(request.url)
    assert json.loads(request.content) == {
        "channelId": 2000,
        "listingMapId": 40161,
        "arrivalDate": day(0),
        "departureDate": day(3),
        "guestName": "Maria João Silva",
        "guestFirstName": "Maria",
        "guestLastName": "João Silva",
        "guestEmail": "maria@example.com",
        "phone": "+351 912 000 111",
        "numberOfGuests": 2,
        "totalPrice": 690.0,
        "currency": "EUR",
        "hostNote": "Late arrival",
    }
    outcome = result.structured_content["result"]
    assert outcome["kind"] == "reservation" and outcome["id"] > 5000
    assert outcome["status"] == "new"
    assert f"(reservation {outcome['id']})" in result.structured_content["summary"]


async def test_create_booking_refuses_a_night_that_is_not_free_even_if_cached_free() -> None:
    with fake_writes() as fake:
        async with Client(writable()) as client:
            stay = {"listing_id": 40161, "start_date": day(0), "end_date": day(3)}
            assert (await client.call_tool("check_availability", stay)).structured_content[
                "available"
            ]
            fake.base.block(40161, LATER + timedelta(days=2), 1)  # booked meanwhile
            result = await confirm_write(client, "create_booking", {**BOOKING, "confirm": True})
        assert fake.writes() == []
    assert result.is_error and day(2) in result.content[0].text


async def test_create_booking_refuses_more_guests_than_the_listing_sleeps() -> None:
    with fake_writes() as fake:
        result = await call("create_booking", {**BOOKING, "guests": 5, "confirm": True})
        assert fake.writes() == []
    assert result.is_error and "at most 4 guests" in result.content[0].text


@pytest.mark.parametrize(
    "change",
    [
        {"departure_date": day(0)},
        {"guest_name": "   "},
        {"guest_email": "not-an-email"},
        {"guests": 0},
        {"total_price": -5},
    ],
)
async def test_create_booking_bad_input_is_refused_before_any_request(
    change: dict[str, Any],
) -> None:
    with fake_writes() as fake:
        result = await call("create_booking", {**BOOKING, **change})
        assert fake.requests() == []
    assert result.is_error


async def test_create_booking_timeout_is_not_resent_and_says_how_to_check() -> None:
    with fake_writes() as fake:
        fake.time_out_next("POST", "/reservations")
        result = await call("create_booking", {**BOOKING, "confirm": True})
        only_write(fake)  # exactly one POST: never retried
    text = result.content[0].text
    assert result.is_error
    assert "Outcome unknown" in text and "search_bookings(listing_id=40161" in text


# ---- update_booking ------------------------------------------------------------------------


async def test_update_booking_preview_and_confirm_send_only_the_changed_fields() -> None:
    args = {"reservation_id": 101, "guests": 3, "host_note": "VIP", "guest_note": None}
    with fake_writes() as fake:
        preview = await call("update_booking", args)
        assert fake.writes() == []
        result = await call("update_booking", {**args, "guests": 3, "confirm": True})
        request = only_write(fake)
    assert preview.structured_content["request"]["body"] == {"numberOfGuests": 3, "hostNote": "VIP"}
    assert preview.structured_content["details"]["guests"] == "1 -> 3"
    assert request.method == "PUT" and request.url.path == "/v1/reservations/101"
    assert json.loads(request.content) == {"numberOfGuests": 3, "hostNote": "VIP"}
    assert result.structured_content["result"]["status"] == "modified"
    assert any("airbnb" in w for w in result.structured_content["warnings"])


async def test_update_booking_extends_over_its_own_nights_and_sends_only_the_new_date() -> None:
    later = (TODAY + timedelta(days=4)).isoformat()
    with fake_writes() as fake:
        fake.base.block(40161, TODAY, 3)  # the booking's own nights show as reserved
        result = await call(
            "update_booking", {"reservation_id": 101, "departure_date": later, "confirm": True}
        )
        assert sent_body(fake) == {"departureDate": later}
    assert not result.is_error


async def test_update_booking_refuses_new_nights_that_are_not_free() -> None:
    with fake_writes() as fake:
        fake.base.block(40161, TODAY + timedelta(days=3), 1)
        result = await call(
            "update_booking",
            {"reservation_id": 101, "departure_date": (TODAY + timedelta(days=5)).isoformat()},
        )
        assert fake.writes() == []
    assert result.is_error and (TODAY + timedelta(days=3)).isoformat() in result.content[0].text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"reservation_id": 103, "host_note": "x"}, "already cancelled"),
        ({"reservation_id": 101, "guests": 9}, "at most 4 guests"),
        ({"reservation_id": 101, "guests": 1}, "already has these values"),
    ],
)
async def test_update_booking_refusals_send_nothing(args: dict[str, Any], message: str) -> None:
    with fake_writes() as fake:
        result = await call("update_booking", {**args, "confirm": True})
        assert fake.writes() == []
    assert result.is_error and message in result.content[0].text


async def test_update_booking_refused_by_hostaway_is_reported_and_audited_as_failed(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    with fake_writes() as fake:
        fake.base.fail_next(
            "PUT",
            "/reservations/101",
            httpx.Response(400, json={"status": "fail", "result": "Reservation is locked"}),
        )
        result = await call("update_booking", {"reservation_id": 101, "guests": 2, "confirm": True})
        only_write(fake)
    assert result.is_error and "Reservation is locked" in result.content[0].text
    [record] = audit_lines(caplog)
    assert record.status == "failed" and record.error == "BadRequest"  # type: ignore[attr-defined]


async def test_update_booking_without_changes_is_refused_before_any_request() -> None:
    with fake_writes() as fake:
        result = await call("update_booking", {"reservation_id": 101})
        assert fake.requests() == []
    assert result.is_error and "Nothing to change" in result.content[0].text


# ---- cancel_booking ------------------------------------------------------------------------


async def test_cancel_booking_preview_shows_guest_dates_amount_and_channel() -> None:
    with fake_writes() as fake:
        result = await call("cancel_booking", {"reservation_id": 101})
        assert fake.writes() == []
    data = result.structured_content
    assert data["untrusted"] == {"guest_name": "Ana Smith"}  # the guest's words, fenced
    assert "Ana" not in data["summary"] and "Ana" not in json.dumps(data["details"])
    assert data["details"]["dates"] == (
        f"3 nights, {TODAY} to check-out {(TODAY + timedelta(days=3)).isoformat()}"
    )
    assert data["details"]["amount"].startswith("450.00 EUR")
    assert data["details"]["channel"] == "airbnb"
    assert data["request"] == {
        "method": "PUT",
        "path": "/reservations/101/statuses/cancelled",
        "body": {"cancelledBy": "host"},
    }
    assert any("airbnb" in w for w in data["warnings"])


async def test_cancel_booking_confirm_sends_one_status_put() -> None:
    with fake_writes() as fake:
        result = await call(
            "cancel_booking", {"reservation_id": 101, "cancelled_by": "guest", "confirm": True}
        )
        request = only_write(fake)
    assert request.method == "PUT"
    assert request.url.path == "/v1/reservations/101/statuses/cancelled"
    assert json.loads(request.content) == {"cancelledBy": "guest"}
    assert result.structured_content["result"]["status"] == "cancelled"


async def test_cancel_booking_refuses_an_already_cancelled_booking() -> None:
    with fake_writes() as fake:
        result = await call("cancel_booking", {"reservation_id": 103, "confirm": True})
        assert fake.writes() == []
    assert result.is_error and "already cancelled" in result.content[0].text


async def test_cancel_booking_bad_input_is_refused_before_any_request() -> None:
    with fake_writes() as fake:
        result = await call("cancel_booking", {"reservation_id": 101, "cancelled_by": "owner"})
        assert fake.requests() == []
    assert result.is_error


async def test_cancel_booking_timeout_is_not_resent() -> None:
    with fake_writes() as fake:
        fake.time_out_next("PUT", "/reservations/101/statuses/cancelled")
        result = await call("cancel_booking", {"reservation_id": 101, "confirm": True})
        only_write(fake)
    assert result.is_error
    assert "get_booking_details(reservation_id=101)" in result.content[0].text


# ---- send_guest_message --------------------------------------------------------------------

MESSAGE = "Hi Ana! The door code arrives the day before check-in. See you soon."


async def test_send_guest_message_preview_shows_recipient_channel_and_full_body() -> None:
    with fake_writes() as fake:
        result = await call("send_guest_message", {"conversation_id": 1406, "body": MESSAGE})
        assert fake.writes() == []
    data = result.structured_content
    assert data["details"]["recipient"] == "the guest of conversation 1406"
    assert data["untrusted"] == {"guest_name": "Ana Smith"}
    assert data["details"]["via"] == "the booking's channel messaging (airbnb)"
    assert data["details"]["message"] == MESSAGE
    assert data["details"]["property"] == "Seaside Loft (listing 40161)"
    assert data["request"]["body"] == {"body": MESSAGE, "communicationType": "channel"}


async def test_send_guest_message_confirm_posts_exactly_one_message() -> None:
    with fake_writes() as fake:
        result = await call(
            "send_guest_message",
            {
                "conversation_id": 1406,
                "body": MESSAGE,
                "communication_type": "whatsapp",
                "confirm": True,
            },
        )
        request = only_write(fake)
    assert request.url.path == "/v1/conversations/1406/messages"
    assert json.loads(request.content) == {"body": MESSAGE, "communicationType": "whatsapp"}
    outcome = result.structured_content["result"]
    assert outcome["kind"] == "message" and outcome["status"] == "sent"
    assert result.structured_content["details"]["via"] == "WhatsApp to +351912345678"


async def test_send_guest_message_on_a_direct_booking_suggests_email() -> None:
    with fake_writes():
        result = await call("send_guest_message", {"conversation_id": 1407, "body": "Hello"})
    assert result.structured_content["untrusted"]["guest_name"] == "John Smith"
    assert any("communication_type=email" in w for w in result.structured_content["warnings"])


@pytest.mark.parametrize("body", ["", "   \n ", "x" * 5001])
async def test_send_guest_message_bad_body_is_refused_before_any_request(body: str) -> None:
    with fake_writes() as fake:
        result = await call("send_guest_message", {"conversation_id": 1406, "body": body})
        assert fake.requests() == []
    assert result.is_error


async def test_send_guest_message_unknown_conversation_sends_nothing() -> None:
    with fake_writes() as fake:
        result = await call(
            "send_guest_message", {"conversation_id": 999, "body": "Hi", "confirm": True}
        )
        assert fake.writes() == []
    assert result.is_error and "Conversation 999 was not found" in result.content[0].text


async def test_send_guest_message_timeout_is_not_resent_and_says_how_to_check() -> None:
    with fake_writes() as fake:
        fake.time_out_next("POST", "/conversations/1406/messages")
        result = await call(
            "send_guest_message", {"conversation_id": 1406, "body": MESSAGE, "confirm": True}
        )
        only_write(fake)
    text = result.content[0].text
    assert result.is_error and "Outcome unknown" in text
    assert "/conversations/1406/messages" in text and "twice" in text
    assert MESSAGE not in text


# ---- create_task ---------------------------------------------------------------------------


async def test_create_task_preview_then_confirm_posts_one_task_in_utc() -> None:
    args = {
        "title": "Deep clean after checkout",
        "reservation_id": 101,
        "starts_at": "2026-06-13T11:00:00+01:00",
        "due_at": "2026-06-13T15:00:00Z",
        "category": "cleaning",
        "assignee_user_id": 7,
        "description": "Balcony too",
    }
    with fake_writes() as fake:
        preview = await call("create_task", args)
        assert fake.writes() == []
        result = await call("create_task", {**args, "confirm": True})
        request = only_write(fake)
    assert request.url.path == "/v1/tasks"
    assert json.loads(request.content) == {
        "title": "Deep clean after checkout",
        "description": "Balcony too",
        "listingMapId": 40161,  # from the booking
        "reservationId": 101,
        "canStartFrom": "2026-06-13 10:00:00",
        "shouldEndBy": "2026-06-13 15:00:00",
        "categoriesMap": [1],
        "assigneeUserId": 7,
    }
    assert preview.structured_content["details"]["property"] == "Seaside Loft (listing 40161)"
    assert result.structured_content["result"]["kind"] == "task"
    assert result.structured_content["result"]["status"] == "pending"


async def test_create_task_naive_time_is_taken_as_utc_and_says_so() -> None:
    with fake_writes():
        result = await call("create_task", {"title": "Fix tap", "starts_at": "2026-07-01T09:30"})
    data = result.structured_content
    assert data["request"]["body"] == {"title": "Fix tap", "canStartFrom": "2026-07-01 09:30:00"}
    assert any("taken as UTC" in w for w in data["warnings"])


@pytest.mark.parametrize(
    "args",
    [
        {"title": "  "},
        {"title": "x", "starts_at": "2026-07-02T10:00:00Z", "due_at": "2026-07-01T10:00:00Z"},
        {"title": "x", "category": "gardening"},
    ],
)
async def test_create_task_bad_input_is_refused_before_any_request(args: dict[str, Any]) -> None:
    with fake_writes() as fake:
        result = await call("create_task", args)
        assert fake.requests() == []
    assert result.is_error


async def test_create_task_refuses_a_booking_at_another_listing() -> None:
    with fake_writes() as fake:
        result = await call(
            "create_task", {"title": "x", "listing_id": 40160, "reservation_id": 101}
        )
        assert fake.writes() == []
    assert result.is_error and "is at listing 40161" in result.content[0].text


async def test_create_task_timeout_is_not_resent() -> None:
    with fake_writes() as fake:
        fake.time_out_next("POST", "/tasks")
        result = await call(
            "create_task", {"title": "Fix tap", "listing_id": 40160, "confirm": True}
        )
        only_write(fake)
    assert result.is_error and "Outcome unknown" in result.content[0].text
    assert 'task titled "Fix tap"' in result.content[0].text


async def test_create_task_failing_upstream_is_not_resent_and_says_how_to_check() -> None:
    with fake_writes() as fake:
        fake.base.fail_next("POST", "/tasks", httpx.Response(503, json={"status": "fail"}))
        result = await call("create_task", {"title": "Fix tap", "confirm": True})
        only_write(fake)  # a creating POST is not retried, even after a 503
    assert result.is_error and 'task titled "Fix tap"' in result.content[0].text


# ---- create_expense ------------------------------------------------------------------------

EXPENSE = {"listing_id": 40161, "date": "2026-06-12", "concept": "Plumber", "amount": 45.5}


async def test_create_expense_preview_says_expense_and_sends_nothing() -> None:
    with fake_writes() as fake:
        result = await call("create_expense", EXPENSE)
        assert fake.writes() == []
    data = result.structured_content
    assert data["request"]["body"]["amount"] == -45.5
    assert data["details"]["kind"].startswith("expense: a cost of 45.50 EUR")


@pytest.mark.parametrize(("kind", "amount"), [("expense", -45.5), ("extra", 45.5)])
async def test_create_expense_confirm_sends_the_sign_hostaway_derives_the_type_from(
    kind: str, amount: float
) -> None:
    with fake_writes() as fake:
        result = await call(
            "create_expense",
            {
                **EXPENSE,
                "kind": kind,
                "reservation_id": 101,
                "categories": [3, "Repairs"],
                "confirm": True,
            },
        )
        body = sent_body(fake)
    assert body == {
        "listingMapId": 40161,
        "reservationId": 101,
        "expenseDate": "2026-06-12",
        "concept": "Plumber",
        "amount": amount,
        "categories": [3],
        "categoriesNames": ["Repairs"],
    }
    outcome = result.structured_content["result"]
    assert outcome["kind"] == "expense" and outcome["note"] == f"Hostaway recorded it as {kind}."


@pytest.mark.parametrize(
    "change", [{"amount": 0}, {"amount": -10}, {"concept": "x" * 256}, {"concept": " "}]
)
async def test_create_expense_bad_input_is_refused_before_any_request(
    change: dict[str, Any],
) -> None:
    with fake_writes() as fake:
        result = await call("create_expense", {**EXPENSE, **change})
        assert fake.requests() == []
    assert result.is_error


async def test_create_expense_timeout_is_not_resent() -> None:
    with fake_writes() as fake:
        fake.time_out_next("POST", "/expenses")
        result = await call("create_expense", {**EXPENSE, "confirm": True})
        only_write(fake)
    assert result.is_error and "create_expense would record it twice" in result.content[0].text


# ---- audit ---------------------------------------------------------------------------------


def audit_lines(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "hostaway_mcp.domain.audit"]


async def test_an_executed_write_logs_one_audit_line_without_body_or_contact_data(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    with fake_writes():
        await call("send_guest_message", {"conversation_id": 1406, "body": MESSAGE})
        assert audit_lines(caplog) == []  # a preview is not a write
        await call(
            "send_guest_message", {"conversation_id": 1406, "body": MESSAGE, "confirm": True}
        )
    [record] = audit_lines(caplog)
    assert record.levelno == logging.INFO
    line = JsonFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["tool"] == "send_guest_message"
    assert entry["target_type"] == "conversation" and entry["target_id"] == 1406
    assert entry["status"] == "ok" and entry["result_id"] > 5000
    assert entry["method"] == "POST" and entry["path"] == "/conversations/1406/messages"
    assert isinstance(entry["correlation_id"], str) and len(entry["correlation_id"]) == 12
    for secret in ("Ana", "ana@example.com", "+351912345678", "door code"):
        assert secret not in line


async def test_booking_audit_has_no_guest_contact_and_reports_unknown_outcomes(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    with fake_writes() as fake:
        await call("create_booking", {**BOOKING, "confirm": True})
        fake.time_out_next("POST", "/reservations")
        await call(
            "create_booking",
            {**BOOKING, "arrival_date": day(5), "departure_date": day(6), "confirm": True},
        )
    ok, unknown = audit_lines(caplog)
    assert ok.status == "ok" and ok.target_id == 40161  # type: ignore[attr-defined]
    assert unknown.status == "outcome_unknown"  # type: ignore[attr-defined]
    assert unknown.error == "OutcomeUnknown"  # type: ignore[attr-defined]
    for record in (ok, unknown):
        line = JsonFormatter().format(record)
        for secret in ("Maria", "maria@example.com", "912 000 111", "Late arrival"):
            assert secret not in line


async def test_booking_writes_drop_the_listing_calendar_cache() -> None:
    from hostaway_mcp.domain.writes import bookings as booking_writes
    from hostaway_mcp.domain.writes.approvals import approved
    from hostaway_mcp.hostaway import DateRange, Hostaway

    from .helpers import FAST_RETRY, settings

    nights = DateRange(LATER, LATER + timedelta(days=1))
    calendar_reads = "GET /listings/40161/calendar"
    with fake_writes():
        hostaway = Hostaway.connect(settings(), retry=FAST_RETRY, token_warmup=0.0)
        await hostaway.calendar(40161, nights)
        await hostaway.calendar(40161, nights)
        assert hostaway.stats.by_path[calendar_reads] == 1
        with approved("model", None):
            await booking_writes.cancel_booking(
                hostaway, reservation_id=101, cancelled_by="host", confirm=True
            )
        reads = hostaway.stats.by_path[calendar_reads]
        await hostaway.calendar(40161, nights)
        await hostaway.aclose()
    assert hostaway.stats.by_path[calendar_reads] == reads + 1  # read again from Hostaway
