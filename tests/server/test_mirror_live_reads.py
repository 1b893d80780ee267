"""One-object questions stay live with the local copy on: after changes made elsewhere that the
copy has not seen yet, each answers exactly as the live server does, with no `data_as_of`."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from mcp import Client

from hostaway_sandbox import upstream
from tests.support.accounts import DEMO_TODAY as TODAY
from tests.support.mirror import Built, small_sandbox, structured, wait_ready
from tests.support.servers import demo_server as sandbox_server

pytestmark = pytest.mark.anyio


async def test_one_object_questions_are_read_live_not_from_the_copy(tmp_path: Path) -> None:
    sandbox = small_sandbox(4)
    store = Built(sandbox, tmp_path, freshness_s=3600.0)  # the copy does not ask again meanwhile
    async with Client(sandbox_server(sandbox)) as live, Client(store.server) as mirrored:
        await wait_ready(mirrored)
        listing_id = sandbox.store.listings[0]["id"]
        first = TODAY + timedelta(days=20)
        while not all(
            sandbox.store.calendar.is_free(listing_id, first + timedelta(days=n)) for n in range(3)
        ):
            first += timedelta(days=1)
        upstream.block(sandbox, listing_id, first + timedelta(days=1), first + timedelta(days=1))
        booking = next(
            r
            for r in sandbox.store.reservations
            if r["status"] == "new" and r["arrivalDate"] > TODAY.isoformat()
        )
        upstream.cancel(sandbox, booking["id"])
        thread = sandbox.store.conversation_for_reservation(booking["id"])
        assert thread is not None
        upstream.guest_writes(sandbox, thread["id"], "Can we still come after all?")
        stay = {
            "listing_id": listing_id,
            "start_date": first.isoformat(),
            "end_date": (first + timedelta(days=3)).isoformat(),
        }
        cases = [
            ("get_property_details", {"listing_id": listing_id}),
            ("check_availability", stay),
            ("get_price_quote", {**stay, "guests": 2}),
            ("get_booking_details", {"reservation_id": booking["id"]}),
            ("get_guest_info", {"reservation_id": booking["id"]}),
            ("get_conversation_messages", {"conversation_id": thread["id"]}),
            # Hostaway's own figures stay live too.
            (
                "get_financial_report",
                {"start_date": str(TODAY - timedelta(days=90)), "end_date": str(TODAY)},
            ),
            ("list_owner_statements", {}),
            ("get_owner_statement", {"statement_id": sandbox.store.owner_statements[0]["id"]}),
        ]
        for tool, args in cases:
            got = await structured(mirrored, tool, args)
            assert got == await structured(live, tool, args), tool
            assert got.get("data_as_of") is None, tool
        for uri in (f"hostaway://properties/{listing_id}", f"hostaway://bookings/{booking['id']}"):
            got_resource = await mirrored.read_resource(uri)
            expected_resource = await live.read_resource(uri)
            assert got_resource.contents == expected_resource.contents, uri
        # The copy itself has not seen the changes: the answers above were not a refresh.
        found = await structured(
            mirrored,
            "search_bookings",
            {"arrival_from": booking["arrivalDate"], "arrival_to": booking["arrivalDate"]},
        )
        statuses = {b["id"]: b["status"] for b in found["bookings"]}
        assert statuses[booking["id"]] != "cancelled"
