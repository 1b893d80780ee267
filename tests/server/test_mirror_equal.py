"""Every read tool answered live and from the local mirror, side by side against the same
sandbox data: the same structured results (minus `data_as_of` / `calendar_as_of`), cursors
included; the store's answers say how current they are and ask Hostaway for almost nothing."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from mcp import Client

from hostaway_sandbox import Sandbox, upstream
from tests.support.accounts import DEMO_TODAY as TODAY
from tests.support.mirror import Built, small_sandbox, structured, wait_ready, without_stamps
from tests.support.servers import demo_server as sandbox_server

pytestmark = pytest.mark.anyio


def day(offset: int) -> str:
    return (TODAY + timedelta(days=offset)).isoformat()


def cases(sandbox: Sandbox) -> list[tuple[str, dict[str, Any]]]:
    listings = [raw["id"] for raw in sandbox.store.listings]
    first = listings[0]
    booked = next(r for r in sandbox.store.reservations if r["arrivalDate"] >= day(-20))
    guest = (booked["guestName"] or "x").split()[0]
    year = {"start_date": day(-365), "end_date": day(0)}
    return [
        ("list_all_properties", {}),
        ("list_all_properties", {"limit": 5}),
        ("list_all_properties", {"city": "Lisbon"}),
        ("list_all_properties", {"country": "US", "min_bedrooms": 2}),
        ("list_all_properties", {"search": "loft", "min_guests": 2}),
        ("find_available_properties", {"start_date": day(10), "end_date": day(13), "guests": 2}),
        ("find_available_properties", {"start_date": day(2), "end_date": day(4), "limit": 3}),
        (
            "find_available_properties",
            {"start_date": day(30), "end_date": day(37), "city": "Austin"},
        ),
        ("search_bookings", {"arrival_from": day(-30), "arrival_to": day(30), "limit": 20}),
        ("search_bookings", {"departure_from": day(0), "departure_to": day(14), "limit": 200}),
        (
            "search_bookings",
            {
                "arrival_from": day(-200),
                "arrival_to": day(200),
                "status": ["cancelled", "inquiry"],
                "limit": 15,
            },
        ),
        (
            "search_bookings",
            {"listing_id": first, "arrival_from": day(-100), "departure_to": day(100)},
        ),
        (
            "search_bookings",
            {"guest_name": guest, "arrival_from": day(-300), "arrival_to": day(300)},
        ),
        (
            "search_bookings",
            {"channel": "airbnb", "arrival_from": day(-60), "arrival_to": day(60), "limit": 10},
        ),
        ("search_bookings", {"limit": 10}),  # no dates: live on both sides
        ("get_arrivals_and_departures", {"days": 7}),
        ("get_arrivals_and_departures", {"start_date": day(5), "days": 3, "listing_id": first}),
        ("list_conversations", {}),
        ("list_conversations", {"limit": 100}),
        ("list_conversations", {"unread_only": True, "limit": 30}),
        ("list_conversations", {"reservation_id": booked["id"]}),
        ("list_reviews", {}),
        ("list_reviews", {"listing_id": first, "limit": 100}),
        ("list_reviews", {"min_rating": 9, "departure_from": day(-200), "departure_to": day(-10)}),
        ("list_tasks", {}),
        ("list_tasks", {"start_date": day(0), "end_date": day(7), "limit": 200}),
        ("list_tasks", {"status": "pending", "listing_id": first}),
        ("list_expenses", {}),
        ("list_expenses", {"listing_id": first, "limit": 200}),
        ("list_expenses", {"start_date": day(-90), "end_date": day(0)}),
        ("get_revenue_report", year),
        ("get_revenue_report", {**year, "group_by": "channel"}),
        ("get_revenue_report", {**year, "group_by": "month", "date_basis": "arrival"}),
        (
            "get_revenue_report",
            {"start_date": day(0), "end_date": day(90), "date_basis": "departure"},
        ),
        ("get_revenue_report", {**year, "listing_ids": listings[:3]}),
        ("get_occupancy_report", year),
        (
            "get_occupancy_report",
            {"start_date": day(-10), "end_date": day(60), "gap_max_nights": 5},
        ),
        (
            "get_occupancy_report",
            {"start_date": day(0), "end_date": day(30), "listing_ids": listings[2:6]},
        ),
        ("show_calendar", {}),
        ("show_calendar", {"start_date": day(-20), "days": 45, "listing_ids": listings[:5]}),
        ("show_calendar", {"start_date": day(3), "days": 10, "city": "Lisbon"}),
    ]


# A store answer may refresh the bookings first (normally one request) and name a listing live.
STORE_REQUESTS_AT_MOST = 2
LIVE_BOTH_WAYS = {("search_bookings", ("limit",))}


async def test_every_read_tool_answers_the_same_from_the_store(tmp_path: Path) -> None:
    sandbox = small_sandbox()
    store = Built(sandbox, tmp_path)
    async with Client(sandbox_server(sandbox)) as live, Client(store.server) as mirrored:
        await wait_ready(mirrored)
        differences: list[str] = []
        for tool, args in cases(sandbox):
            expected = await structured(live, tool, args)
            before = store.adapter.stats.requests
            got = await structured(mirrored, tool, args)
            spent = store.adapter.stats.requests - before
            label = f"{tool}({args})"
            if without_stamps(got) != without_stamps(expected):
                differences.append(f"{label}: differs")
            if (tool, tuple(sorted(args))) in LIVE_BOTH_WAYS:
                assert got.get("data_as_of") is None, label
                continue
            if got.get("data_as_of") is None:
                differences.append(f"{label}: not answered from the store")
            if spent > STORE_REQUESTS_AT_MOST:
                differences.append(f"{label}: {spent} upstream requests")
            if tool in {"find_available_properties", "get_occupancy_report", "show_calendar"}:
                assert got.get("calendar_as_of") is not None, label
            # The next page, from each side's own cursor, is the same too.
            if got.get("next_cursor"):
                assert got.get("next_cursor") == expected.get("next_cursor"), label
                page = {**args, "cursor": got.get("next_cursor")}
                if without_stamps(await structured(live, tool, page)) != without_stamps(
                    await structured(mirrored, tool, page)
                ):
                    differences.append(f"{label}: second page differs")
        assert differences == []


async def test_resources_answer_the_same_from_the_store(tmp_path: Path) -> None:
    sandbox = small_sandbox(4)
    store = Built(sandbox, tmp_path)
    async with Client(sandbox_server(sandbox)) as live, Client(store.server) as mirrored:
        await wait_ready(mirrored)
        expected = await live.read_resource("hostaway://properties")
        got = await mirrored.read_resource("hostaway://properties")
    live_index = json.loads(expected.contents[0].text)  # type: ignore[union-attr]
    store_index = json.loads(got.contents[0].text)  # type: ignore[union-attr]
    assert store_index.pop("data_as_of")
    assert store_index == live_index


async def test_inbox_triage_from_the_store_is_the_complete_scan(tmp_path: Path) -> None:
    # Four listings: few enough conversations that the live scan (three pages) is complete too.
    sandbox = small_sandbox(4)
    assert len(sandbox.store.conversations) < 300
    store = Built(sandbox, tmp_path)
    async with Client(sandbox_server(sandbox)) as live, Client(store.server) as mirrored:
        await wait_ready(mirrored)
        for args in ({}, {"limit": 50}, {"limit": 3}):
            expected = await structured(live, "get_inbox_triage", args)
            got = await structured(mirrored, "get_inbox_triage", args)
            assert expected["scan_complete"] is True
            assert "data_as_of" in got
            assert without_stamps(got) == without_stamps(expected)


def prompt_plans(sandbox: Sandbox) -> dict[str, tuple[dict[str, str], list[tuple[str, Any]]]]:
    """Each prompt's arguments, and the tool calls its text asks for."""
    thread = sandbox.store.conversations[0]["id"]
    year = {"start_date": day(-365), "end_date": day(0)}
    return {
        "daily_briefing": (
            {"date": day(1)},
            [
                ("get_arrivals_and_departures", {"start_date": day(1), "days": 1}),
                ("get_inbox_triage", {}),
                ("list_tasks", {"start_date": day(1), "end_date": day(2)}),
            ],
        ),
        "revenue_review": (
            year,
            [
                ("get_revenue_report", {**year, "group_by": "listing"}),
                ("get_revenue_report", {**year, "group_by": "channel"}),
                ("get_occupancy_report", year),
            ],
        ),
        # One-object reads only: live both ways.
        "guest_reply": (
            {"conversation_id": str(thread)},
            [("get_conversation_messages", {"conversation_id": thread})],
        ),
    }


async def test_the_prompts_calls_answer_the_same_from_the_store(tmp_path: Path) -> None:
    # Four listings: the live inbox scan is complete too (see the triage test below).
    sandbox = small_sandbox(4)
    store = Built(sandbox, tmp_path)
    plans = prompt_plans(sandbox)
    async with Client(sandbox_server(sandbox)) as live, Client(store.server) as mirrored:
        await wait_ready(mirrored)
        names = [prompt.name for prompt in (await mirrored.list_prompts()).prompts]
        assert sorted(names) == sorted(plans)
        for name, (arguments, calls) in plans.items():
            rendered = await mirrored.get_prompt(name, arguments)
            assert rendered == await live.get_prompt(name, arguments)
            text = rendered.messages[0].content.text  # type: ignore[union-attr]
            for tool, args in calls:
                # The call is the one the prompt asks for ...
                assert tool in text, (name, tool)
                assert all(f"{key}={value}" in text for key, value in args.items()), (name, tool)
                # ... and the store answers it as Hostaway would.
                got = await structured(mirrored, tool, args)
                assert without_stamps(got) == without_stamps(await structured(live, tool, args))
                one_object = tool == "get_conversation_messages"
                assert (got.get("data_as_of") is None) == one_object, (name, tool)


async def test_a_question_outside_the_copied_window_is_read_live(tmp_path: Path) -> None:
    sandbox = small_sandbox(4)
    store = Built(sandbox, tmp_path, mirror_past_days=30, mirror_future_days=30)
    async with Client(sandbox_server(sandbox)) as live, Client(store.server) as mirrored:
        status = await wait_ready(mirrored)
        assert 0 < status["counts"]["reservations"] < len(sandbox.store.reservations)
        inside = {"arrival_from": day(-10), "arrival_to": day(10), "limit": 200}
        outside = {"arrival_from": day(-200), "arrival_to": day(-100), "limit": 200}
        for args, from_store in ((inside, True), (outside, False)):
            got = await structured(mirrored, "search_bookings", args)
            expected = await structured(live, "search_bookings", args)
            assert got["bookings"] and without_stamps(got) == without_stamps(expected)
            assert ("data_as_of" in got) == from_store, args


def quote_codes_in_texts(sandbox: Sandbox) -> list[str]:
    """Access codes on every listing and booking, quoted where hosts quote them: check-in
    instructions in the thread of the stay, a guest asking back, a cleaner's task. Returns the
    codes quoted in texts of their own listing or booking."""
    store = sandbox.store
    for listing in store.listings:
        listing["doorSecurityCode"] = f"LD{listing['id']}Q"
        listing["wifiPassword"] = f"wifi-pass-{listing['id']}"
    for reservation in store.reservations:
        reservation["doorCode"] = f"RD{reservation['id']}Z"
        store.reservation_changed(reservation)
    quoted: list[str] = []
    threads = [c for c in store.conversations if c["reservationId"] in store._reservations]
    for n, thread in enumerate(threads[:6]):
        reservation = store.reservation(thread["reservationId"])
        listing = store.listing(reservation["listingMapId"])
        door, wifi = reservation["doorCode"], listing["wifiPassword"]
        if n % 2:  # the host's instructions, then (below) a guest quoting them back
            store.add_message(thread["id"], f"Door code {door}, wifi {wifi}. Welcome!", "channel")
        else:
            upstream.guest_writes(sandbox, thread["id"], f"Is it {door}? And {wifi} for wifi?")
        quoted += [door, wifi]
    for task in store.tasks[:5]:
        if task["listingMapId"]:
            code = store.listing(task["listingMapId"])["doorSecurityCode"]
            task["description"] = f"Key box by the door, code {code}; leave it locked."
            quoted.append(code)
    # Another listing's code in a thread: masked in answers alike when that listing is among
    # the page's (and stored as written: the store masks a text's own codes).
    other = next(x for x in store.listings if x["wifiPassword"] not in quoted)
    thread = next(
        c
        for c in threads[6:]
        if store.reservation(c["reservationId"])["listingMapId"] != other["id"]
    )
    upstream.guest_writes(sandbox, thread["id"], f"The wifi says {other['wifiPassword']} fails")
    return quoted


async def test_codes_quoted_in_texts_are_masked_alike_and_never_stored(tmp_path: Path) -> None:
    sandbox = small_sandbox(4)
    quoted = quote_codes_in_texts(sandbox)
    store = Built(sandbox, tmp_path)
    calls = [
        ("list_conversations", {}),
        ("list_conversations", {"limit": 100}),
        ("get_inbox_triage", {"limit": 50}),
        ("list_tasks", {"limit": 200}),
    ]
    async with Client(sandbox_server(sandbox)) as live, Client(store.server) as mirrored:
        await wait_ready(mirrored)
        for tool, args in calls:
            got = await structured(mirrored, tool, args)
            assert "data_as_of" in got
            assert without_stamps(got) == without_stamps(await structured(live, tool, args))
            shown = json.dumps(got)
            assert "hidden]" in shown and [code for code in quoted if code in shown] == []
    stored = every_byte(tmp_path)
    assert [code for code in quoted if code.encode() in stored] == []


def every_byte(directory: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(directory.iterdir()) if p.is_file())
