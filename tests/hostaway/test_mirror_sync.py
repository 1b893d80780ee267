"""The mirror's sync against the sandbox: the first read, refreshes after changes made upstream by
another app, writes through our tools, the public refresh entry points, the lag, closing, a sync
stopped midway and resumed."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import anyio
import anyio.lowlevel
import pytest

from hostaway_mcp.hostaway import (
    BookingChange,
    CalendarChange,
    DateRange,
    Hostaway,
    NewBooking,
    NewExpense,
    NewTask,
    ReservationQuery,
    commands,
    track_provenance,
)
from hostaway_mcp.hostaway.mirror import Mirror
from hostaway_mcp.hostaway.mirror.sync import CALENDAR_AHEAD_DAYS
from hostaway_sandbox import Sandbox, upstream
from tests.support.accounts import DEMO_TODAY as TODAY
from tests.support.mirror import adapter, free_stay, small_sandbox, synced

pytestmark = pytest.mark.anyio

WINDOW = ReservationQuery(
    departing=DateRange(TODAY - timedelta(days=700)),
    arriving=DateRange(last=TODAY + timedelta(days=700)),
)


class Clock:
    """Wall-clock seconds for the mirror that only move when the test says so."""

    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


async def reservation_ids(hostaway: Hostaway) -> dict[int, str]:
    return {r.id: r.status for r in await hostaway.reservations(WINDOW)}


async def test_first_sync_copies_the_whole_account(tmp_path: Path) -> None:
    sandbox = small_sandbox(3)
    hostaway = await synced(sandbox, tmp_path)
    status = await hostaway.sync_status()
    store = sandbox.store
    assert status.state == "ready" and status.progress == 1.0
    nights = 730 + CALENDAR_AHEAD_DAYS + 1  # the reservation window's start to a year ahead
    assert status.counts == {
        "listings": len(store.listings),
        "reservations": len(store.reservations),
        "conversations": len(store.conversations),
        "reviews": sum(1 for r in store.reviews if r["type"] == "guest-to-host"),
        "tasks": len(store.tasks),
        "expenses": len(store.expenses),
        "calendar_nights": len(store.listings) * nights,
    }
    assert status.last_full_sync_at is not None and status.last_refresh_at is not None
    assert set(await reservation_ids(hostaway)) == {r["id"] for r in store.reservations}
    await hostaway.aclose()


async def test_a_refresh_with_nothing_changed_costs_two_requests(tmp_path: Path) -> None:
    sandbox = small_sandbox(3)
    hostaway = await synced(sandbox, tmp_path)
    syncer = hostaway.mirror.syncer  # type: ignore[union-attr]
    assert syncer is not None
    before = hostaway.stats.requests
    assert await syncer.refresh_reservations() == 0
    assert await syncer.refresh_conversations() == 0
    assert hostaway.stats.requests - before == 2
    await hostaway.aclose()


async def test_changes_made_upstream_are_in_the_next_answer(tmp_path: Path) -> None:
    sandbox = small_sandbox(3)
    clock = Clock()
    hostaway, mirror = clocked(sandbox, tmp_path, clock)
    assert await mirror.open() and mirror.try_lock()
    await mirror.cycle()
    listing_id = sandbox.store.listings[0]["id"]
    arrival, departure = free_stay(sandbox, listing_id)
    booked = upstream.book(sandbox, listing_id, arrival, departure)
    live_booking = next(
        r
        for r in sandbox.store.reservations
        if r["status"] == "new" and r["arrivalDate"] > TODAY.isoformat()
    )
    upstream.cancel(sandbox, live_booking["id"])
    block_first, _ = free_stay(sandbox, listing_id, nights=2, after=5)
    upstream.block(sandbox, listing_id, block_first, block_first + timedelta(days=1))
    quiet = next(
        c for c in sandbox.store.conversations if not c["hasUnreadMessages"] and c["messageSentOn"]
    )
    upstream.guest_writes(sandbox, quiet["id"], "Is early check-in possible?")

    clock.now += 61  # the freshness period has passed: the next answers refresh first
    statuses = await reservation_ids(hostaway)
    assert statuses[booked["id"]] == "new"
    assert statuses[live_booking["id"]] == "cancelled"
    assert {s.id: s.status for s in await hostaway.stays(WINDOW)} == statuses  # what reports read
    stay = DateRange.of_nights(arrival, departure)
    assert await hostaway.closed_nights(listing_id, stay) == set(stay_nights(arrival, departure))
    freed = DateRange.of_nights(*dates_of(live_booking))
    freed_listing = int(live_booking["listingMapId"])
    assert await hostaway.closed_nights(freed_listing, freed) == upstream_closed(
        sandbox, freed_listing, freed
    )
    waiting = await hostaway.waiting_conversations()
    assert waiting is not None
    assert quiet["id"] in {c.id for c in waiting[0]}
    new_thread = sandbox.store.conversation_for_reservation(booked["id"])
    assert new_thread is not None
    pages = hostaway.conversation_pages(page_size=10)
    first = await pages.__anext__()
    await pages.aclose()
    assert new_thread["id"] in {c.id for _, c in first.rows}

    # A block made by hand has no change feed: the rolling calendar windows find it.
    blocked = DateRange(block_first, block_first + timedelta(days=1))
    assert await hostaway.closed_nights(listing_id, blocked) == set()
    clock.now += 31 * 60
    await mirror.syncer.roll_calendars(budget=2 * len(sandbox.store.listings))  # type: ignore[union-attr]
    assert await hostaway.closed_nights(listing_id, blocked) == {blocked.first, blocked.last}
    await hostaway.aclose()


def dates_of(reservation: dict[str, object]) -> tuple[date, date]:
    return date.fromisoformat(str(reservation["arrivalDate"])), date.fromisoformat(
        str(reservation["departureDate"])
    )


def stay_nights(arrival: date, departure: date) -> list[date]:
    return [arrival + timedelta(days=n) for n in range((departure - arrival).days)]


def upstream_closed(sandbox: Sandbox, listing_id: int, days: DateRange) -> set[date]:
    """The nights Hostaway (the sandbox) has unavailable in ``days``."""
    first, last = days.bounds()
    every = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    return {night for night in every if not sandbox.store.calendar.is_free(listing_id, night)}


async def test_writes_through_our_tools_update_the_store_at_once(tmp_path: Path) -> None:
    sandbox = small_sandbox(3)
    hostaway = await synced(sandbox, tmp_path, freshness_s=3600.0)
    listing = sandbox.store.listings[1]
    nights = DateRange.of_nights(*free_stay(sandbox, listing["id"], nights=2, after=60))
    await hostaway.execute(
        commands.update_calendar(listing["id"], nights, CalendarChange(available=False))
    )
    before = hostaway.stats.requests
    assert await hostaway.closed_nights(listing["id"], nights) == {nights.first, nights.last}
    assert hostaway.stats.requests == before  # Hostaway answered with the days: stored at once

    arrival, departure = free_stay(sandbox, listing["id"])
    created = await hostaway.execute(
        commands.create_reservation(
            NewBooking(
                listing_id=listing["id"],
                arrival=arrival,
                departure=departure,
                guest_name="Ana Write",
                guest_first_name="Ana",
                guest_last_name="Write",
                guests=2,
            )
        )
    )
    assert created is not None
    before = hostaway.stats.requests
    assert (await reservation_ids(hostaway))[created.id] == "new"
    assert hostaway.stats.requests == before  # from the store, no refresh needed
    await hostaway.execute(
        commands.cancel_reservation(created.id, "host", listing_id=listing["id"])
    )
    assert (await reservation_ids(hostaway))[created.id] == "cancelled"

    task = await hostaway.execute(
        commands.create_task(NewTask(title="Fix the tap", listing_id=listing["id"]))
    )
    pages = hostaway.task_pages(
        listing_id=listing["id"], reservation_id=None, status=None, can_start=None
    )
    found = [t.id async for page in pages for _, t in page.rows]
    assert task.id in found
    await hostaway.aclose()


async def test_the_public_refresh_entry_points(tmp_path: Path) -> None:
    sandbox = small_sandbox(3)
    hostaway = await synced(sandbox, tmp_path, freshness_s=3600.0)
    listing_id = sandbox.store.listings[2]["id"]
    arrival, departure = free_stay(sandbox, listing_id)
    booked = upstream.book(sandbox, listing_id, arrival, departure)
    assert booked["id"] not in await reservation_ids(hostaway)  # fresh enough: not asked again
    assert await hostaway.refresh_reservation(booked["id"])
    assert booked["id"] in await reservation_ids(hostaway)
    # Deleted in Hostaway: the refresh drops it, from the rows and from what the reports read.
    sandbox.store.reservations.remove(booked)
    del sandbox.store._reservations[booked["id"]]
    assert booked["id"] in {s.id for s in await hostaway.stays(WINDOW)}
    assert await hostaway.refresh_reservation(booked["id"])
    assert booked["id"] not in await reservation_ids(hostaway)
    assert booked["id"] not in {s.id for s in await hostaway.stays(WINDOW)}

    stay = DateRange.of_nights(arrival, departure)
    first, last = free_stay(sandbox, listing_id, nights=2, after=90)
    upstream.block(sandbox, listing_id, first, first)
    assert await hostaway.refresh_calendar(listing_id, DateRange(first, last))
    assert await hostaway.closed_nights(listing_id, DateRange(first, last)) == {first}
    assert await hostaway.refresh_calendar(listing_id, stay)
    assert await hostaway.closed_nights(listing_id, stay) == set(stay_nights(arrival, departure))

    thread = sandbox.store.conversations[0]
    upstream.guest_writes(sandbox, thread["id"], "Hello from the beach")
    assert await hostaway.refresh_conversation(thread["id"])
    waiting = await hostaway.waiting_conversations()
    assert waiting is not None and thread["id"] in {c.id for c in waiting[0]}
    await hostaway.aclose()


async def test_a_listings_calendar_ahead_is_read_again_in_one_request(tmp_path: Path) -> None:
    """What a webhook naming a listing costs: its nights from yesterday to the end of the copied
    calendar (a year ahead), one request; nights before are settled."""
    sandbox = small_sandbox(3)
    hostaway = await synced(sandbox, tmp_path, freshness_s=3600.0)
    listing_id = sandbox.store.listings[1]["id"]
    night, _ = free_stay(sandbox, listing_id, nights=1, after=200)
    upstream.block(sandbox, listing_id, night, night)
    path = f"/listings/{listing_id}/calendar"
    before = sandbox.count("GET", path)
    assert await hostaway.refresh_listing_calendar(listing_id)
    [sent] = sandbox.requests("GET", path)[before:]
    assert sent.query["startDate"] == [str(TODAY - timedelta(days=1))]
    assert sent.query["endDate"] == [str(TODAY + timedelta(days=CALENDAR_AHEAD_DAYS))]
    assert await hostaway.closed_nights(listing_id, DateRange(night, night)) == {night}
    await hostaway.aclose()


async def test_the_lag_counts_from_the_older_change_feed_refresh(tmp_path: Path) -> None:
    sandbox = small_sandbox(2)
    clock = Clock()
    hostaway, mirror = clocked(sandbox, tmp_path, clock)
    assert mirror.lag_seconds() is None  # nothing copied yet
    assert await mirror.open() and mirror.try_lock()
    await mirror.cycle()
    assert mirror.lag_seconds() == 0.0
    clock.now += 90
    assert mirror.lag_seconds() == 90.0
    clock.now += 10
    await mirror.fresh("reservations")  # stale: reservations read again, conversations not
    assert mirror.lag_seconds() == 100.0
    await mirror.fresh("conversations")
    assert mirror.lag_seconds() == 0.0
    await hostaway.aclose()


async def test_closing_releases_the_store_once_then_the_token_is_revoked(tmp_path: Path) -> None:
    sandbox = small_sandbox(2)
    hostaway = await synced(sandbox, tmp_path)
    mirror = hostaway.mirror
    assert mirror is not None
    syncing = mirror.syncing_here  # through a name: mypy would keep the property True past close()
    assert syncing
    settings = hostaway._client.settings
    await mirror.close()
    await mirror.close()  # twice: nothing more happens
    assert not mirror.syncing_here and not mirror.ready("reservations")
    assert Hostaway.forget_local_copy(settings) is not None  # no process holds it any more

    # A store that fails to close still lets the token be revoked.
    other = await synced(sandbox, tmp_path / "other")
    assert other.mirror is not None

    def fails() -> None:
        raise sqlite3.OperationalError("disk I/O error")

    other.mirror.db.store.close = fails  # type: ignore[method-assign]
    revoked = sandbox.count("DELETE", "/accessTokens")
    with pytest.raises(sqlite3.OperationalError):
        await other.aclose()
    assert sandbox.count("DELETE", "/accessTokens") == revoked + 1
    await hostaway.aclose()


async def test_without_a_mirror_the_entry_points_say_so() -> None:
    sandbox = small_sandbox(2)
    hostaway = adapter(sandbox, "off")
    assert hostaway.mirror is None
    assert not await hostaway.refresh_reservation(1)
    assert not await hostaway.refresh_conversation(1)
    assert not await hostaway.refresh_calendar(1, DateRange(TODAY, TODAY))
    assert not await hostaway.refresh_listing_calendar(1)
    assert (await hostaway.sync_status()).state == "off"
    assert await hostaway.waiting_conversations() is None
    await hostaway.aclose()


async def test_a_sync_stopped_midway_resumes_where_it_stopped(tmp_path: Path) -> None:
    sandbox = small_sandbox(4)
    clean = await synced(small_sandbox(4), tmp_path / "clean")
    everything = clean.mirror.syncer.requests  # type: ignore[union-attr]
    expected = (await clean.sync_status()).counts
    await clean.aclose()

    first = adapter(sandbox, tmp_path / "resumed")
    mirror = first.mirror
    assert mirror is not None and await mirror.open() and mirror.try_lock()
    async with anyio.create_task_group() as group:
        group.start_soon(mirror.cycle)
        while mirror.syncer is None or mirror.syncer.requests < everything // 2:
            await anyio.lowlevel.checkpoint()
        group.cancel_scope.cancel()  # the process is killed
    assert mirror.syncer is not None
    stopped_after = mirror.syncer.requests
    assert (await first.sync_status()).state == "syncing"
    await first.aclose()

    second = await synced(sandbox, tmp_path / "resumed")
    resumed = second.mirror.syncer.requests  # type: ignore[union-attr]
    assert (await second.sync_status()).counts == expected
    # The second run finished the work: it did not start over.
    assert resumed < everything - stopped_after // 2
    assert stopped_after + resumed <= everything + 12
    await second.aclose()


def listings_asked(sandbox: Sandbox, since: int) -> list[dict[str, str]]:
    return [record.params for record in sandbox.requests("GET", "/listings")[since:]]


async def listing_names(hostaway: Hostaway) -> dict[int, str]:
    return {listing.id: listing.name for listing in await hostaway.listings()}


async def test_listings_are_refreshed_by_latest_activity_and_read_whole_hourly(
    tmp_path: Path,
) -> None:
    sandbox = small_sandbox(5)
    clock = Clock()
    clock.now = datetime.combine(TODAY, time(12), UTC).timestamp()
    hostaway, mirror = clocked(sandbox, tmp_path, clock)
    assert await mirror.open() and mirror.try_lock()
    syncer = mirror.syncer
    assert syncer is not None
    syncer.listing_page_size = 2  # five listings: more than one page
    await mirror.cycle()
    first, second, third = (raw["id"] for raw in sandbox.store.listings[:3])

    # Ten minutes on, the cycle asks only for listings with activity since the day before the last read (here all
    # of them: the sandbox's bookings were all touched today), by latest activity, paged.
    clock.now += 601
    sandbox.store.listing(first)["name"] = "Renamed With Activity"
    asked = sandbox.count("GET", "/listings")
    await mirror.cycle()
    assert listings_asked(sandbox, asked) == [
        {
            "sortOrder": "latestActivityDesc",
            "latestActivityStart": (TODAY - timedelta(days=1)).isoformat(),
            "limit": "2",
            "offset": str(offset),
        }
        for offset in (0, 2, 4)
    ]
    assert (await listing_names(hostaway))[first] == "Renamed With Activity"

    # Two days on the hourly whole read is due (plain order, no filter).
    clock.now += 2 * 86400
    asked = sandbox.count("GET", "/listings")
    await mirror.cycle()
    assert [p.get("sortOrder") for p in listings_asked(sandbox, asked)] == [None] * 3
    whole_read = clock.now

    # Then a listing edited without activity since yesterday is not asked for ...
    clock.now += 601
    sandbox.store.listing(second)["name"] = "Renamed Quietly"
    asked = sandbox.count("GET", "/listings")
    await mirror.cycle()
    assert len(listings_asked(sandbox, asked)) == 1  # an empty page: nothing active
    assert (await listing_names(hostaway))[second] != "Renamed Quietly"
    # ... and answers say their listings are as of the last whole read, not this refresh.
    with track_provenance() as seen:
        await hostaway.listings()
    assert seen.data_as_of == datetime.fromtimestamp(whole_read, UTC)

    # The next whole read finds the edit, and drops a listing Hostaway no longer has.
    sandbox.store.listings.remove(sandbox.store.listing(third))
    del sandbox.store._listings[third]
    clock.now += 3600
    await mirror.cycle()
    names = await listing_names(hostaway)
    assert names[second] == "Renamed Quietly" and third not in names
    await hostaway.aclose()


async def test_moved_dates_replies_and_expenses_through_our_tools_are_in_the_next_answer(
    tmp_path: Path,
) -> None:
    sandbox = small_sandbox(3)
    hostaway = await synced(sandbox, tmp_path, freshness_s=3600.0)  # nothing refreshed by age
    listing_id = sandbox.store.listings[0]["id"]
    arrival, departure = free_stay(sandbox, listing_id, nights=2, after=60)
    booking = NewBooking(
        listing_id=listing_id,
        arrival=arrival,
        departure=departure,
        guest_name="Mo Ved",
        guest_first_name="Mo",
        guest_last_name="Ved",
        guests=2,
    )
    created = await hostaway.execute(commands.create_reservation(booking))
    assert created is not None
    old = DateRange.of_nights(arrival, departure)
    assert await hostaway.closed_nights(listing_id, old) == set(stay_nights(arrival, departure))
    moved_to = free_stay(sandbox, listing_id, nights=2, after=90)
    change = BookingChange(arrival=moved_to[0], departure=moved_to[1])
    await hostaway.execute(commands.update_reservation(created.id, change, listing_id=listing_id))
    moved = {r.id: r for r in await hostaway.reservations(WINDOW)}[created.id]
    assert (moved.arrival, moved.departure) == moved_to
    # The nights it left are free again, the new ones taken.
    assert await hostaway.closed_nights(listing_id, old) == set()
    new = DateRange.of_nights(*moved_to)
    assert await hostaway.closed_nights(listing_id, new) == set(stay_nights(*moved_to))

    # A reply to a guest who was waiting: that guest no longer waits.
    waiting = await hostaway.waiting_conversations()
    assert waiting is not None and waiting[0]
    answered = waiting[0][0].id
    await hostaway.execute(commands.send_message(answered, "We are on our way.", "channel"))
    waiting = await hostaway.waiting_conversations()
    assert waiting is not None and answered not in {c.id for c in waiting[0]}

    expense = await hostaway.execute(
        commands.create_expense(
            NewExpense(listing_id=listing_id, expense_date=TODAY, concept="Towels", amount=-40.0)
        )
    )
    found = [e.id async for page in hostaway.expense_pages() for _, e in page.rows]
    assert expense.id in found
    await hostaway.aclose()


async def test_an_availability_search_is_as_of_the_calendar_reads_it_used(tmp_path: Path) -> None:
    sandbox = small_sandbox(3)
    clock = Clock()
    hostaway, mirror = clocked(sandbox, tmp_path, clock)
    assert await mirror.open() and mirror.try_lock()
    await mirror.cycle()
    clock.now += 31 * 60  # the next month's nights are due again
    await mirror.syncer.roll_calendars(budget=len(sandbox.store.listings))  # type: ignore[union-attr]
    with track_provenance() as seen:
        await hostaway.listings(
            free=DateRange(TODAY + timedelta(days=2), TODAY + timedelta(days=4))
        )
    assert seen.calendar_as_of == datetime.fromtimestamp(clock.now, UTC)
    await hostaway.aclose()


async def test_a_refresh_pages_back_only_to_the_high_water_mark(tmp_path: Path) -> None:
    sandbox = small_sandbox(3)
    hostaway = await synced(sandbox, tmp_path)
    syncer = hostaway.mirror.syncer  # type: ignore[union-attr]
    assert syncer is not None
    open_ones = [r for r in sandbox.store.reservations if r["status"] != "cancelled"]
    assert len(open_ones) > 150
    for reservation in open_ones[:150]:  # a guest cancels 150 bookings, elsewhere
        upstream.cancel(sandbox, reservation["id"])
    asked = hostaway.stats.by_path["GET /reservations"]
    assert await syncer.refresh_reservations() == 150
    # Newest change first: one full page of changes, then one reaching back past the mark.
    assert hostaway.stats.by_path["GET /reservations"] - asked == 2
    statuses = await reservation_ids(hostaway)
    assert all(statuses[r["id"]] == "cancelled" for r in open_ones[:150])
    # Again: nothing new, and only the safety overlap (the last ten minutes of changes) is read
    # again, not the whole list.
    assert len(sandbox.store.reservations) > 200
    asked = hostaway.stats.by_path["GET /reservations"]
    assert await syncer.refresh_reservations() == 0
    assert hostaway.stats.by_path["GET /reservations"] - asked == 2
    await hostaway.aclose()


async def test_a_restart_with_nothing_changed_reads_each_feed_once(tmp_path: Path) -> None:
    """A restart's cycle: the token, one page of bookings and one of conversations (then it is
    ready), then one of listings; the listings' codes, needed only to mask a changed text, are
    not read."""
    sandbox = small_sandbox(3)
    # The newest thread quotes its listing's wifi password: stored masked, so only the codes
    # could rebuild the same text; its activity alone says nothing moved.
    listing = sandbox.store.listings[0]
    listing["wifiPassword"] = "wifi-secret-552"
    upstream.guest_writes(sandbox, thread_of(sandbox, listing["id"]), "wifi-secret-552 fails")
    await (await synced(sandbox, tmp_path)).aclose()
    before = len(sandbox.request_log)
    restarted = adapter(sandbox, tmp_path)
    mirror = restarted.mirror
    assert mirror is not None and await mirror.open() and mirror.try_lock()
    syncer = mirror._syncer()
    read_listings = syncer.refresh_listings
    states: list[str] = []

    async def refresh_listings() -> None:
        states.append(mirror.state)  # what answers see when the listings are read
        await read_listings()

    syncer.refresh_listings = refresh_listings  # type: ignore[method-assign]
    await mirror.cycle()
    assert states == ["ready"]
    paths = [record.path for record in sandbox.request_log[before:]]
    assert paths == ["/accessTokens", "/reservations", "/conversations", "/listings"]
    await restarted.aclose()


async def test_after_a_restart_a_changed_text_is_stored_with_its_listings_codes_masked(
    tmp_path: Path,
) -> None:
    sandbox = small_sandbox(3)
    await (await synced(sandbox, tmp_path)).aclose()
    listing = sandbox.store.listings[0]
    listing["wifiPassword"] = "wifi-secret-771"
    restarted = await synced(sandbox, tmp_path)
    upstream.guest_writes(sandbox, thread_of(sandbox, listing["id"]), "Is it wifi-secret-771?")
    syncer = restarted.mirror.syncer  # type: ignore[union-attr]
    assert syncer is not None
    assert await syncer.refresh_conversations() >= 1
    await restarted.aclose()
    assert b"wifi-secret-771" not in every_byte(tmp_path)


def clocked(sandbox: Sandbox, store: Path, clock: Clock) -> tuple[Hostaway, Mirror]:
    """The adapter and its mirror (not opened yet), the mirror's time on ``clock``."""
    hostaway = adapter(sandbox, store)
    mirror = hostaway.mirror
    assert mirror is not None
    mirror._clock = clock
    return hostaway, mirror


def thread_of(sandbox: Sandbox, listing_id: int) -> int:
    """A conversation about a booking of the listing."""
    store = sandbox.store
    return next(
        int(c["id"])
        for c in store.conversations
        if c["reservationId"] in store._reservations
        and store.reservation(c["reservationId"])["listingMapId"] == listing_id
    )


def every_byte(directory: Path) -> bytes:
    """The store's files (the database, its WAL and lock) as they are on disk."""
    return b"".join(p.read_bytes() for p in sorted(directory.iterdir()) if p.is_file())
