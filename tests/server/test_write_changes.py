"""`changes` on write previews: each value a write sets, before -> after, as the approval card
shows it (never parsed from `details`). Read from the seeded sandbox's own current values; a
guest's note stays inside `untrusted`, with known codes masked."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from mcp import Client

from hostaway_sandbox import Sandbox
from tests.support.accounts import seeded
from tests.support.records import TODAY
from tests.support.servers import sandbox_server

pytestmark = pytest.mark.anyio

LATER = TODAY + timedelta(days=30)  # nights nobody holds in the seeded account


def day(offset: int) -> str:
    return (LATER + timedelta(days=offset)).isoformat()


def without_untrusted(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: without_untrusted(v) for k, v in value.items() if k != "untrusted"}
    if isinstance(value, list):
        return [without_untrusted(v) for v in value]
    return value


async def preview(sandbox: Sandbox, tool: str, args: dict[str, Any]) -> dict[str, Any]:
    async with Client(sandbox_server(sandbox, read_only=False)) as client:
        result = await client.call_tool(tool, args)
    assert not result.is_error, result.content[0].text
    data: dict[str, Any] = result.structured_content  # type: ignore[assignment]
    assert data["sent"] is False
    return data


async def test_update_calendar_shows_what_the_nights_hold_now_and_the_new_values() -> None:
    sandbox = seeded()
    first = LATER
    # Nights that differ: a range of prices, two minimum stays, one night already closed.
    sandbox.set_calendar(40161, first, first, price=180, minimumStay=2, note="Painters")
    sandbox.set_calendar(40161, first + timedelta(days=1), first + timedelta(days=1), price=220)
    sandbox.set_calendar(40161, first + timedelta(days=2), first + timedelta(days=2), isAvailable=0)
    data = await preview(
        sandbox,
        "update_calendar",
        {"listing_id": 40161, "start_date": day(0), "end_date": day(3), "available": False,
         "price": 199.999, "min_stay": 3, "note": ""},
    )  # fmt: skip
    assert data["changes"] == [
        {"field": "availability", "label": "Availability", "before": "2 available, 1 not",
         "after": "blocked"},
        {"field": "price", "label": "Price per night", "before": "180.00 to 220.00 EUR",
         "after": "200.00 EUR"},
        {"field": "minimum_stay", "label": "Minimum stay", "before": "1 to 2 nights",
         "after": "3 nights"},
        {"field": "note", "label": "Note",
         "before": "differs by night (1 of 3 nights have a note)"},  # no after: cleared
    ]  # fmt: skip
    # The same keys as `details`, which keeps its own wording.
    assert {c["field"] for c in data["changes"]} <= set(data["details"])


async def test_update_calendar_on_uniform_nights_names_the_one_value() -> None:
    sandbox = seeded()
    data = await preview(
        sandbox,
        "update_calendar",
        {"listing_id": 40161, "start_date": day(0), "end_date": day(2), "available": True,
         "min_stay": 1, "note": "Deep clean"},
    )  # fmt: skip
    assert data["changes"] == [
        {"field": "availability", "label": "Availability", "before": "available",
         "after": "available"},
        {"field": "minimum_stay", "label": "Minimum stay", "before": "1 night", "after": "1 night"},
        {"field": "note", "label": "Note", "after": "Deep clean"},  # no before: not set
    ]  # fmt: skip


async def test_update_booking_shows_guests_notes_and_dates_before_and_after() -> None:
    sandbox = seeded()
    guest_wrote = "Crib please. Is the code 9911?"  # 9911 is this booking's door code
    sandbox.store.reservation(101).update(guestNote=guest_wrote, hostNote="VIP")
    new_departure = (TODAY + timedelta(days=4)).isoformat()
    data = await preview(
        sandbox,
        "update_booking",
        {"reservation_id": 101, "guests": 3, "guest_note": "Crib ready", "host_note": "",
         "departure_date": new_departure},
    )  # fmt: skip
    assert data["changes"] == [
        {"field": "guests", "label": "Guests", "before": "1", "after": "3"},
        {"field": "guest_note", "label": "Guest note", "after": "Crib ready",
         "untrusted": {"guest_note": "Crib please. Is the code [door code hidden]?"}},
        {"field": "host_note", "label": "Host note", "before": "VIP"},
        {"field": "dates", "label": "Stay",
         "before": f"3 nights, {TODAY} to check-out {(TODAY + timedelta(days=3)).isoformat()}",
         "after": f"4 nights, {TODAY} to check-out {new_departure}"},
    ]  # fmt: skip
    # The guest's words are nowhere but inside an `untrusted` object.
    assert "Crib please" not in str(without_untrusted(data))


async def test_update_booking_leaves_out_what_does_not_change() -> None:
    data = await preview(seeded(), "update_booking", {"reservation_id": 101, "guests": 2})
    assert data["changes"] == [{"field": "guests", "label": "Guests", "before": "1", "after": "2"}]


async def test_cancel_booking_shows_the_status_change() -> None:
    data = await preview(seeded(), "cancel_booking", {"reservation_id": 101})
    assert data["changes"] == [
        {"field": "status", "label": "Status", "before": "new", "after": "cancelled"}
    ]


@pytest.mark.parametrize(
    ("tool", "args", "fields"),
    [
        ("create_booking",
         {"listing_id": 40161, "arrival_date": day(0), "departure_date": day(2),
          "guest_name": "Jo Doe", "guests": 2, "total_price": 300, "note": "Late arrival"},
         ["stay", "guest", "guests", "total_price", "host_note"]),
        ("create_task",
         {"title": "Deep clean", "listing_id": 40161, "due_at": f"{day(1)}T10:00:00Z",
          "category": "cleaning"},
         ["title", "due_at", "category"]),
        ("create_expense",
         {"listing_id": 40161, "date": day(0), "concept": "Towels", "amount": 50,
          "kind": "expense"},
         ["concept", "kind", "date"]),
    ],
)  # fmt: skip
async def test_creations_have_nothing_before(
    tool: str, args: dict[str, Any], fields: list[str]
) -> None:
    data = await preview(seeded(), tool, args)
    assert [c["field"] for c in data["changes"]] == fields
    for change in data["changes"]:
        assert "before" not in change
        assert change["after"] == data["details"][change["field"]]
