"""Write tools through the in-memory MCP client against the seeded sandbox account: read-only
mode, preview sends nothing, confirm sends exactly one request, refusals, unknown outcomes, audit."""

from __future__ import annotations

import json
import logging
from datetime import date, timedelta
from typing import Any

import pytest
from mcp import Client

from hostaway_mcp.logs import JsonFormatter
from hostaway_sandbox import RequestRecord, Sandbox
from tests.support.accounts import seeded
from tests.support.records import TODAY, example
from tests.support.servers import confirm_write, offline_server, sandbox_server

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
LATER = TODAY + timedelta(days=30)  # nights nobody holds in the seeded account


def day(offset: int) -> str:
    return (LATER + timedelta(days=offset)).isoformat()


def conversation(conversation_id: int, **changes: Any) -> dict[str, Any]:
    raw = example("conversation_conversationObject")
    raw["id"] = conversation_id
    embedded = changes.pop("Reservation", {})
    raw["Reservation"].update(embedded)
    raw.update(changes)
    return raw


def account() -> Sandbox:
    """The seeded account plus two conversations to write to."""
    sandbox = seeded()
    sandbox.add_conversation(
        conversation(  # Ana Smith's Airbnb stay at Seaside Loft (reservation 101)
            1406,
            reservationId=101,
            recipientName="Ana Smith",
            recipientEmail="ana@example.com",
            Reservation={
                "id": 101,
                "hostawayReservationId": "101",
                "listingMapId": 40161,
                "listingName": "Seaside Loft",
                "channelId": 2018,
                "channelName": "airbnbOfficial",
                "guestName": "Ana Smith",
                "guestEmail": "ana@example.com",
                "phone": "+351912345678",
                "arrivalDate": TODAY.isoformat(),
                "departureDate": (TODAY + timedelta(days=3)).isoformat(),
            },
        )
    )
    sandbox.add_conversation(conversation(1407))  # the docs' example as is: direct, no phone
    return sandbox


def reserve(sandbox: Sandbox, listing_id: int, first: date, nights: int) -> None:
    """Nights the calendar shows reserved (held by a booking these tests do not list)."""
    last = first + timedelta(days=nights - 1)
    sandbox.set_calendar(listing_id, first, last, isAvailable=0, status="reserved")


def writable(sandbox: Sandbox) -> Any:
    # The in-memory client cannot show an approval dialog: the model's confirmation counts.
    return sandbox_server(sandbox, read_only=False, write_approval="model")


async def call(sandbox: Sandbox, name: str, args: dict[str, Any]) -> Any:
    """One tool call; confirm=true goes through its preview and approval_id first."""
    async with Client(writable(sandbox)) as client:
        if args.get("confirm"):
            return await confirm_write(client, name, args)
        return await client.call_tool(name, args)


def writes(sandbox: Sandbox) -> list[RequestRecord]:
    """Every request that could change the account (anything but reads and the token's own
    minting and revocation)."""
    return [r for r in sandbox.request_log if r.method != "GET" and r.path != "/accessTokens"]


def only_write(sandbox: Sandbox) -> RequestRecord:
    sent = writes(sandbox)
    assert len(sent) == 1, [f"{r.method} {r.path}" for r in sent]
    return sent[0]


def sent_body(sandbox: Sandbox) -> Any:
    return only_write(sandbox).json()


# ---- registration, annotations, instructions -----------------------------------------------


async def test_read_only_mode_hides_every_write_tool_and_writable_mode_lists_them() -> None:
    sandbox = account()
    async with Client(sandbox_server(sandbox)) as client:
        read_only = {tool.name for tool in (await client.list_tools()).tools}
        refused = await client.call_tool("cancel_booking", {"reservation_id": 101, "confirm": True})
    assert sandbox.request_log == []
    assert not read_only & set(WRITE_TOOLS)
    assert refused.is_error
    async with Client(offline_server(read_only=False)) as client:
        writable = {tool.name for tool in (await client.list_tools()).tools}
    assert set(WRITE_TOOLS) <= writable


async def test_write_tools_are_annotated_honestly() -> None:
    async with Client(offline_server(read_only=False)) as client:
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
        assert "approval_id" in properties and "approval_id" not in tools[name].input_schema.get(
            "required", []
        ), name
        assert "person_approval" not in properties, name
        assert "include_access_codes" not in properties, name


async def test_instructions_name_the_write_tools_only_when_writes_are_enabled() -> None:
    async with Client(offline_server()) as client:
        read_only = client.instructions or ""
    async with Client(offline_server(read_only=False)) as client:
        writable = client.instructions or ""
    assert "update_calendar" not in read_only and "read-only" in read_only
    assert all(name in writable for name in WRITE_TOOLS)
    assert "confirm=true" in writable


# ---- update_calendar -----------------------------------------------------------------------


async def test_update_calendar_preview_sends_nothing_and_shows_the_exact_request() -> None:
    sandbox = account()
    result = await call(
        sandbox,
        "update_calendar",
        {"listing_id": 40161, "start_date": day(0), "end_date": day(3), "price": 250},
    )
    assert writes(sandbox) == []
    data = result.structured_content
    assert not result.is_error
    assert data["confirmed"] is False and data["sent"] is False and "result" not in data
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
    sandbox = account()
    result = await call(
        sandbox,
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
    body = sent_body(sandbox)
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
        "days_updated": 1,
    }
    assert data["summary"].startswith("Updated the calendar of Seaside Loft (listing 40161)")


async def test_update_calendar_drops_cached_calendars_after_the_write() -> None:
    # check_availability for night d0 reads days d0..d1: the very range update_calendar reads
    # (and caches) before writing nights d0..d1, so only the drop after the write un-stales it.
    night = {"listing_id": 40161, "start_date": day(0), "end_date": day(1)}
    change = {"listing_id": 40161, "start_date": day(0), "end_date": day(2), "price": 310}
    sandbox = account()
    async with Client(writable(sandbox)) as client:
        before = await client.call_tool("check_availability", night)
        await confirm_write(client, "update_calendar", {**change, "confirm": True})
        after = await client.call_tool("check_availability", night)
    assert before.structured_content["total_nightly_price"] == 200
    assert after.structured_content["total_nightly_price"] == 310


async def test_update_calendar_refuses_to_open_nights_a_booking_holds() -> None:
    sandbox = account()
    result = await call(
        sandbox,
        "update_calendar",
        {
            "listing_id": 40161,
            "start_date": (TODAY + timedelta(days=2)).isoformat(),
            "end_date": (TODAY + timedelta(days=5)).isoformat(),
            "available": True,
            "confirm": True,
        },
    )
    params = sandbox.requests("GET", "/reservations")[0].params
    assert writes(sandbox) == []
    assert result.is_error
    assert "reservation 101" in result.content[0].text
    assert params["listingId"] == "40161"


async def test_update_calendar_refuses_nights_the_calendar_shows_reserved() -> None:
    sandbox = account()
    reserve(sandbox, 40160, LATER + timedelta(days=1), 1)
    result = await call(
        sandbox,
        "update_calendar",
        {"listing_id": 40160, "start_date": day(0), "end_date": day(3), "available": True},
    )
    assert writes(sandbox) == []
    assert result.is_error and day(1) in result.content[0].text


async def test_update_calendar_blocking_booked_nights_only_warns() -> None:
    sandbox = account()
    reserve(sandbox, 40160, LATER, 2)
    result = await call(
        sandbox,
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
    sandbox = account()
    result = await call(sandbox, "update_calendar", {"listing_id": 40161, **args})
    assert sandbox.request_log == []
    assert result.is_error


async def test_update_calendar_put_is_retried_once_after_a_timeout() -> None:
    sandbox = account()
    sandbox.faults.inject("/listings/40161/calendar", "timeout", method="PUT")
    result = await call(
        sandbox,
        "update_calendar",
        {
            "listing_id": 40161,
            "start_date": day(0),
            "end_date": day(1),
            "price": 99,
            "confirm": True,
        },
    )
    puts = writes(sandbox)
    assert not result.is_error and result.structured_content["sent"] is True
    assert len(puts) == 2  # absolute values: sending them again is safe
    assert puts[0].body == puts[1].body


async def test_update_calendar_put_that_never_answers_is_reported_as_outcome_unknown(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    sandbox = account()
    sandbox.faults.inject("/listings/40161/calendar", "timeout", count=2, method="PUT")
    result = await call(
        sandbox,
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
    sandbox = account()
    result = await call(sandbox, "create_booking", BOOKING)
    assert writes(sandbox) == []
    data = result.structured_content
    assert data["sent"] is False
    assert data["details"]["guest"] == "Maria João Silva"
    assert data["details"]["total_price"] == "690.00 EUR"
    assert data["details"]["guests"] == "2 (sleeps 4)"


async def test_create_booking_confirm_posts_one_direct_booking_without_overbooking() -> None:
    sandbox = account()
    result = await call(sandbox, "create_booking", {**BOOKING, "confirm": True})
    request = only_write(sandbox)
    assert request.method == "POST" and request.path == "/reservations"
    assert "forceOverbooking" not in request.query
    assert request.json() == {
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
    created = sandbox.store.reservations[-1]
    assert created["guestName"] == "Maria João Silva"
    assert outcome["kind"] == "reservation" and outcome["id"] == created["id"]  # Hostaway's id
    assert outcome["status"] == "new"
    assert f"(reservation {outcome['id']})" in result.structured_content["summary"]


async def test_create_booking_refuses_a_night_that_is_not_free_even_if_cached_free() -> None:
    sandbox = account()
    async with Client(writable(sandbox)) as client:
        stay = {"listing_id": 40161, "start_date": day(0), "end_date": day(3)}
        assert (await client.call_tool("check_availability", stay)).structured_content["available"]
        reserve(sandbox, 40161, LATER + timedelta(days=2), 1)  # booked meanwhile
        result = await confirm_write(client, "create_booking", {**BOOKING, "confirm": True})
    assert writes(sandbox) == []
    assert result.is_error and day(2) in result.content[0].text


async def test_create_booking_refuses_more_guests_than_the_listing_sleeps() -> None:
    sandbox = account()
    result = await call(sandbox, "create_booking", {**BOOKING, "guests": 5, "confirm": True})
    assert writes(sandbox) == []
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
    sandbox = account()
    result = await call(sandbox, "create_booking", {**BOOKING, **change})
    assert sandbox.request_log == []
    assert result.is_error


async def test_create_booking_timeout_is_not_resent_and_says_how_to_check() -> None:
    sandbox = account()
    sandbox.faults.inject("/reservations", "timeout", method="POST")
    result = await call(sandbox, "create_booking", {**BOOKING, "confirm": True})
    only_write(sandbox)  # exactly one POST: never retried
    text = result.content[0].text
    assert result.is_error
    assert "Outcome unknown" in text and "search_bookings(listing_id=40161" in text


# ---- update_booking ------------------------------------------------------------------------


async def test_update_booking_preview_and_confirm_send_only_the_changed_fields() -> None:
    args = {"reservation_id": 101, "guests": 3, "host_note": "VIP", "guest_note": None}
    sandbox = account()
    preview = await call(sandbox, "update_booking", args)
    assert writes(sandbox) == []
    result = await call(sandbox, "update_booking", {**args, "guests": 3, "confirm": True})
    request = only_write(sandbox)
    assert preview.structured_content["request"]["body"] == {"numberOfGuests": 3, "hostNote": "VIP"}
    assert preview.structured_content["details"]["guests"] == "1 -> 3"
    assert request.method == "PUT" and request.path == "/reservations/101"
    assert request.json() == {"numberOfGuests": 3, "hostNote": "VIP"}
    # The status Hostaway answered: the sandbox makes a booking "modified" only when dates move.
    assert result.structured_content["result"]["status"] == "new"
    assert any("airbnb" in w for w in result.structured_content["warnings"])


async def test_update_booking_extends_over_its_own_nights_and_sends_only_the_new_date() -> None:
    later = (TODAY + timedelta(days=4)).isoformat()
    sandbox = account()
    assert sandbox.store.calendar_day(40161, TODAY)["status"] == "reserved"  # its own nights
    result = await call(
        sandbox, "update_booking", {"reservation_id": 101, "departure_date": later, "confirm": True}
    )
    assert sent_body(sandbox) == {"departureDate": later}
    assert not result.is_error


async def test_update_booking_refuses_new_nights_that_are_not_free() -> None:
    sandbox = account()
    reserve(sandbox, 40161, TODAY + timedelta(days=3), 1)
    result = await call(
        sandbox,
        "update_booking",
        {"reservation_id": 101, "departure_date": (TODAY + timedelta(days=5)).isoformat()},
    )
    assert writes(sandbox) == []
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
    sandbox = account()
    result = await call(sandbox, "update_booking", {**args, "confirm": True})
    assert writes(sandbox) == []
    assert result.is_error and message in result.content[0].text


async def test_update_booking_refused_by_hostaway_is_reported_and_audited_as_failed(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    sandbox = account()
    sandbox.faults.inject(
        "/reservations/101", "status", method="PUT", status=400, message="Reservation is locked"
    )
    result = await call(
        sandbox, "update_booking", {"reservation_id": 101, "guests": 2, "confirm": True}
    )
    only_write(sandbox)
    assert result.is_error and "Reservation is locked" in result.content[0].text
    [record] = audit_lines(caplog)
    assert record.status == "failed" and record.error == "BadRequest"  # type: ignore[attr-defined]


async def test_update_booking_without_changes_is_refused_before_any_request() -> None:
    sandbox = account()
    result = await call(sandbox, "update_booking", {"reservation_id": 101})
    assert sandbox.request_log == []
    assert result.is_error and "Nothing to change" in result.content[0].text


# ---- cancel_booking ------------------------------------------------------------------------


async def test_cancel_booking_preview_shows_guest_dates_amount_and_channel() -> None:
    sandbox = account()
    result = await call(sandbox, "cancel_booking", {"reservation_id": 101})
    assert writes(sandbox) == []
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
    sandbox = account()
    result = await call(
        sandbox, "cancel_booking", {"reservation_id": 101, "cancelled_by": "guest", "confirm": True}
    )
    request = only_write(sandbox)
    assert request.method == "PUT"
    assert request.path == "/reservations/101/statuses/cancelled"
    assert request.json() == {"cancelledBy": "guest"}
    assert result.structured_content["result"]["status"] == "cancelled"


async def test_cancel_booking_refuses_an_already_cancelled_booking() -> None:
    sandbox = account()
    result = await call(sandbox, "cancel_booking", {"reservation_id": 103, "confirm": True})
    assert writes(sandbox) == []
    assert result.is_error and "already cancelled" in result.content[0].text


async def test_cancel_booking_bad_input_is_refused_before_any_request() -> None:
    sandbox = account()
    result = await call(sandbox, "cancel_booking", {"reservation_id": 101, "cancelled_by": "owner"})
    assert sandbox.request_log == []
    assert result.is_error


async def test_cancel_booking_timeout_is_not_resent() -> None:
    sandbox = account()
    sandbox.faults.inject("/reservations/101/statuses/cancelled", "timeout", method="PUT")
    result = await call(sandbox, "cancel_booking", {"reservation_id": 101, "confirm": True})
    only_write(sandbox)
    assert result.is_error
    assert "get_booking_details(reservation_id=101)" in result.content[0].text


# ---- send_guest_message --------------------------------------------------------------------

MESSAGE = "Hi Ana! The door code arrives the day before check-in. See you soon."


async def test_send_guest_message_preview_shows_recipient_channel_and_full_body() -> None:
    sandbox = account()
    result = await call(sandbox, "send_guest_message", {"conversation_id": 1406, "body": MESSAGE})
    assert writes(sandbox) == []
    data = result.structured_content
    assert data["details"]["recipient"] == "the guest of conversation 1406"
    assert data["untrusted"] == {"guest_name": "Ana Smith"}
    assert data["details"]["via"] == "the booking's channel messaging (airbnb)"
    assert data["details"]["message"] == MESSAGE
    assert data["details"]["property"] == "Seaside Loft (listing 40161)"
    assert data["request"]["body"] == {"body": MESSAGE, "communicationType": "channel"}


async def test_send_guest_message_confirm_posts_exactly_one_message() -> None:
    sandbox = account()
    result = await call(
        sandbox,
        "send_guest_message",
        {
            "conversation_id": 1406,
            "body": MESSAGE,
            "communication_type": "whatsapp",
            "confirm": True,
        },
    )
    request = only_write(sandbox)
    assert request.path == "/conversations/1406/messages"
    assert request.json() == {"body": MESSAGE, "communicationType": "whatsapp"}
    outcome = result.structured_content["result"]
    assert outcome["kind"] == "message" and outcome["status"] == "sent"
    assert result.structured_content["details"]["via"] == "WhatsApp to +351912345678"


async def test_send_guest_message_on_a_direct_booking_suggests_email() -> None:
    sandbox = account()
    result = await call(sandbox, "send_guest_message", {"conversation_id": 1407, "body": "Hello"})
    assert result.structured_content["untrusted"]["guest_name"] == "John Smith"
    assert any("communication_type=email" in w for w in result.structured_content["warnings"])


@pytest.mark.parametrize("body", ["", "   \n ", "x" * 5001])
async def test_send_guest_message_bad_body_is_refused_before_any_request(body: str) -> None:
    sandbox = account()
    result = await call(sandbox, "send_guest_message", {"conversation_id": 1406, "body": body})
    assert sandbox.request_log == []
    assert result.is_error


async def test_send_guest_message_unknown_conversation_sends_nothing() -> None:
    sandbox = account()
    result = await call(
        sandbox, "send_guest_message", {"conversation_id": 999, "body": "Hi", "confirm": True}
    )
    assert writes(sandbox) == []
    assert result.is_error and "Conversation 999 was not found" in result.content[0].text


async def test_send_guest_message_timeout_is_not_resent_and_says_how_to_check() -> None:
    sandbox = account()
    sandbox.faults.inject("/conversations/1406/messages", "timeout", method="POST")
    result = await call(
        sandbox, "send_guest_message", {"conversation_id": 1406, "body": MESSAGE, "confirm": True}
    )
    only_write(sandbox)
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
    sandbox = account()
    preview = await call(sandbox, "create_task", args)
    assert writes(sandbox) == []
    result = await call(sandbox, "create_task", {**args, "confirm": True})
    request = only_write(sandbox)
    assert request.path == "/tasks"
    assert request.json() == {
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
    sandbox = account()
    result = await call(
        sandbox, "create_task", {"title": "Fix tap", "starts_at": "2026-07-01T09:30"}
    )
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
    sandbox = account()
    result = await call(sandbox, "create_task", args)
    assert sandbox.request_log == []
    assert result.is_error


async def test_create_task_refuses_a_booking_at_another_listing() -> None:
    sandbox = account()
    result = await call(
        sandbox, "create_task", {"title": "x", "listing_id": 40160, "reservation_id": 101}
    )
    assert writes(sandbox) == []
    assert result.is_error and "is at listing 40161" in result.content[0].text


async def test_create_task_timeout_is_not_resent() -> None:
    sandbox = account()
    sandbox.faults.inject("/tasks", "timeout", method="POST")
    result = await call(
        sandbox, "create_task", {"title": "Fix tap", "listing_id": 40160, "confirm": True}
    )
    only_write(sandbox)
    assert result.is_error and "Outcome unknown" in result.content[0].text
    assert 'task titled "Fix tap"' in result.content[0].text


async def test_create_task_failing_upstream_is_not_resent_and_says_how_to_check() -> None:
    sandbox = account()
    sandbox.faults.inject("/tasks", "status", method="POST", status=503)
    result = await call(sandbox, "create_task", {"title": "Fix tap", "confirm": True})
    only_write(sandbox)  # a creating POST is not retried, even after a 503
    assert result.is_error and 'task titled "Fix tap"' in result.content[0].text


# ---- create_expense ------------------------------------------------------------------------

EXPENSE = {"listing_id": 40161, "date": "2026-06-12", "concept": "Plumber", "amount": 45.5}


async def test_create_expense_preview_says_expense_and_sends_nothing() -> None:
    sandbox = account()
    result = await call(sandbox, "create_expense", EXPENSE)
    assert writes(sandbox) == []
    data = result.structured_content
    assert data["request"]["body"]["amount"] == -45.5
    assert data["details"]["kind"].startswith("expense: a cost of 45.50 EUR")


@pytest.mark.parametrize(("kind", "amount"), [("expense", -45.5), ("extra", 45.5)])
async def test_create_expense_confirm_sends_the_sign_hostaway_derives_the_type_from(
    kind: str, amount: float
) -> None:
    sandbox = account()
    result = await call(
        sandbox,
        "create_expense",
        {
            **EXPENSE,
            "kind": kind,
            "reservation_id": 101,
            "categories": [3, "Repairs"],
            "confirm": True,
        },
    )
    body = sent_body(sandbox)
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
    sandbox = account()
    result = await call(sandbox, "create_expense", {**EXPENSE, **change})
    assert sandbox.request_log == []
    assert result.is_error


async def test_create_expense_timeout_is_not_resent() -> None:
    sandbox = account()
    sandbox.faults.inject("/expenses", "timeout", method="POST")
    result = await call(sandbox, "create_expense", {**EXPENSE, "confirm": True})
    only_write(sandbox)
    assert result.is_error and "create_expense would record it twice" in result.content[0].text


# ---- audit ---------------------------------------------------------------------------------


def audit_lines(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "hostaway_mcp.domain.audit"]


async def test_an_executed_write_logs_one_audit_line_without_body_or_contact_data(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    sandbox = account()
    await call(sandbox, "send_guest_message", {"conversation_id": 1406, "body": MESSAGE})
    assert audit_lines(caplog) == []  # a preview is not a write
    await call(
        sandbox, "send_guest_message", {"conversation_id": 1406, "body": MESSAGE, "confirm": True}
    )
    [record] = audit_lines(caplog)
    assert record.levelno == logging.INFO
    line = JsonFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["tool"] == "send_guest_message"
    assert entry["target_type"] == "conversation" and entry["target_id"] == 1406
    sent = sandbox.store.messages[1406][-1]
    assert entry["status"] == "ok" and entry["result_id"] == sent["id"]  # Hostaway's id
    assert entry["method"] == "POST" and entry["path"] == "/conversations/1406/messages"
    assert isinstance(entry["correlation_id"], str) and len(entry["correlation_id"]) == 12
    for secret in ("Ana", "ana@example.com", "+351912345678", "door code"):
        assert secret not in line


async def test_booking_audit_has_no_guest_contact_and_reports_unknown_outcomes(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    sandbox = account()
    await call(sandbox, "create_booking", {**BOOKING, "confirm": True})
    sandbox.faults.inject("/reservations", "timeout", method="POST")
    await call(
        sandbox,
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
    nights = {"listing_id": 40161, "start_date": day(0), "end_date": day(1)}
    sandbox = account()

    def calendar_reads() -> int:
        return sandbox.count("GET", "/listings/40161/calendar")

    async with Client(writable(sandbox)) as client:
        await client.call_tool("check_availability", nights)
        await client.call_tool("check_availability", nights)
        assert calendar_reads() == 1  # the second answer came from the cache
        await confirm_write(client, "cancel_booking", {"reservation_id": 101, "confirm": True})
        reads = calendar_reads()
        await client.call_tool("check_availability", nights)
    assert calendar_reads() == reads + 1  # read again from Hostaway
