"""Reading the account into the store: the first full read (resumable page by page), and the
refreshes that ask Hostaway only for what changed.

- Reservations come in Hostaway's `updatedOn DESC, id DESC` order: a refresh pages from the top
  down to the high-water mark (less an overlap). A changed booking also queues a re-read of its
  nights' calendar and of its conversation (whose embedded copy of it is now stale).
- Conversations come by latest activity: a refresh pages until a page holds nothing new.
- Calendars have no change feed: rolling windows, nearest nights first; nights before today are
  settled and not read again.
- Listings come by latest activity from the day before the last refresh; a listing has no
  change time, so the whole list is read again hourly (or whenever it fits in one page).
- Reviews, tasks and expenses have no change feed either: they are re-read on a schedule, and a
  re-read drops what Hostaway no longer lists.

The first read and the whole re-reads are in full_read.py (`FullReads`, the base of `Syncer`).
"""

from __future__ import annotations

import logging
import math
from datetime import date, datetime, timedelta
from typing import Any

from ...errors import NotFound
from .._reservations import RESERVATION_PAGE_SIZE, reservation_params
from ..entities import Reservation
from ..types import DateRange, ReservationQuery
from .full_read import HOSTAWAY_TIME, PAGE, FullReads, access_codes, hostaway_time, stored_ids
from .queries import calendar_ages
from .rows import ConversationRow, ListingRow, ReservationRow, stay_of
from .store import MirrorStore
from .window import CALENDAR_AHEAD_DAYS, DATASETS, Window, chunks, merge_ranges

__all__ = ["CALENDAR_AHEAD_DAYS", "DATASETS", "Syncer", "Window", "chunks", "merge_ranges"]

logger = logging.getLogger(__name__)

OVERLAP = timedelta(minutes=10)  # re-read this much before the high-water mark
# Listings carry no change time, and `latestActivityStart` takes a day (in a zone Hostaway does
# not name): a listing refresh asks for activity from the day before the last one began.
LISTING_OVERLAP = timedelta(days=1)
MAX_REFRESH_PAGES = 200
NEAR_DAYS = 30  # the rolling calendar windows: the next month, then the rest of the year
NEAR_MAX_AGE = 30 * 60.0
FAR_MAX_AGE = 6 * 3600.0
CALENDAR_READS_PER_CYCLE = 6
# Datasets without a change feed are read again in full this often (seconds).
REREAD_EVERY = {
    "listings": 3600.0,
    "conversations": 6 * 3600.0,
    "reviews": 2 * 3600.0,
    "tasks": 15 * 60.0,
    "expenses": 30 * 60.0,
}


def _day_before(mark: str, by: timedelta) -> str | None:
    """The day ``by`` before a Hostaway time (None when there is none)."""
    try:
        moment = datetime.strptime(mark[:19], HOSTAWAY_TIME)
    except ValueError:
        return None
    return (moment - by).date().isoformat()


def _earlier(mark: str, by: timedelta) -> str:
    try:
        moment = datetime.strptime(mark[:19], HOSTAWAY_TIME)
    except ValueError:
        return ""
    return (moment - by).strftime(HOSTAWAY_TIME)


class Syncer(FullReads):
    """Everything that reads Hostaway on the mirror's behalf. Only the process holding the sync
    lock runs one. Callers choose the priority (the background loop runs under
    `background_priority()`; a tool waiting for fresh data does not)."""

    # ---- refreshes ------------------------------------------------------------------------------

    async def refresh_reservations(self) -> int:
        """Reservations changed since the high-water mark (normally one request); returns how
        many changed."""
        async with self._locks["reservations"]:
            ds = await self._dataset("reservations")
            if not ds.is_complete:
                return 0
            started = self._clock()
            floor = _earlier(ds.mark or "", OVERLAP)
            newest = ds.mark or ""
            after: int | None = None
            changed: list[tuple[str | None, ReservationRow]] = []
            for _ in range(MAX_REFRESH_PAGES):
                query: dict[str, Any] = {"limit": RESERVATION_PAGE_SIZE}
                if after is not None:
                    query["afterId"] = after
                items, _ = await self._page("/reservations", query)
                rows = [ReservationRow.of(raw) for raw in items]
                changed += await self._db(self.store.put_reservations, rows)
                newest = max([newest, *(r.updated_on for r in rows)])
                if not rows or rows[-1].updated_on < floor or rows[-1].id == after:
                    break
                after = rows[-1].id
            await self._queue_follow_ups(changed)
            ds.mark, ds.refreshed_at = newest, started
            await self._db(self.store.save_dataset, ds)
            if changed:
                logger.info("mirror: reservations changed", extra={"changed": len(changed)})
            return len(changed)

    async def _queue_follow_ups(self, changed: list[tuple[str | None, ReservationRow]]) -> None:
        """A changed booking changes its nights' calendar (before and after the change) and the
        copy of it its conversation embeds."""
        ranges: list[str] = []
        threads: list[str] = []
        for old, row in changed:
            stays = [row.nights()]
            if old is not None:
                previous = Reservation.model_validate_json(old)
                stays.append(stay_of(previous.arrival, previous.departure))
                threads.append(f"r:{row.id}")
            for stay in stays:
                if stay is not None and row.listing_id is not None:
                    first, stop = stay
                    ranges.append(f"{row.listing_id}:{first}:{stop - timedelta(days=1)}")
        await self.queue_calendar(ranges)
        await self._db(self.store.add_pending, "conversation", threads)

    def look_for_queued_calendars(self) -> None:
        """The next calendar refresh reads the queue in the store (not only this process's)."""
        self._calendar_queued = True

    async def queue_calendar(self, ranges: list[str]) -> None:
        """Calendar nights ("listing:first:last") to read again before the next calendar answer."""
        if ranges:
            self._calendar_queued = True
            await self._db(self.store.add_pending, "calendar", ranges)

    async def refresh_conversations(self) -> int:
        """Conversations by latest activity until a page holds nothing new, then the re-reads
        queued by changed bookings and sent messages. Returns how many changed.
        The listings' codes (a whole read of the listings) are fetched only when something did
        change: a restart with nothing new costs the one page."""
        async with self._locks["conversations"]:
            ds = await self._dataset("conversations")
            if not ds.is_complete:
                return 0
            started = self._clock()
            changed = 0
            offset = 0
            count: int | None = None
            for _ in range(MAX_REFRESH_PAGES):
                items, count = await self._page(
                    "/conversations", {"includeResources": 1, "limit": PAGE, "offset": offset}
                )
                rows = await self._conversation_rows(items)
                fresh = await self._db(self.store.put_conversations, rows)
                changed += len(fresh)
                offset += len(items)
                if not items or not fresh or (count is not None and offset >= count):
                    break
            changed += await self._reread_conversations()
            stored = await self._db(_count, self.store, "conversations")
            if count is not None and count != stored:
                ds.pass_at = None  # something moved outside the feed: a full re-read is due
            ds.refreshed_at = started
            ds.total = count if count is not None else ds.total
            await self._db(self.store.save_dataset, ds)
            return changed

    async def _conversation_rows(self, items: list[dict[str, Any]]) -> list[ConversationRow]:
        """Rows with the codes masked. Until the listings' codes are read (after a restart), a
        page whose conversations all have the activity already stored holds nothing new: no
        rows (a text built without the codes must not replace its masked copy)."""
        rows = [self._conversation_row(raw) for raw in items]
        if self._access_loaded:
            return rows
        if not await self._db(self.store.active_conversations, rows):
            return []
        await self.ensure_listing_access()
        return [self._conversation_row(raw) for raw in items]

    async def _reread_conversations(self) -> int:
        keys = await self._db(self.store.pending_keys, "conversation")
        if keys:
            await self.ensure_listing_access()
        changed = 0
        for key in keys:
            kind, _, ident = key.partition(":")
            if kind == "r":
                items, _ = await self._page(
                    "/conversations", {"includeResources": 1, "reservationId": int(ident)}
                )
                rows = [self._conversation_row(raw) for raw in items]
            else:
                try:
                    self.requests += 1
                    raw = await self._client.get(f"/conversations/{ident}", {"includeResources": 1})
                except NotFound:
                    await self._db(self.store.delete_ids, "conversations", [int(ident)])
                    raw = None
                rows = [self._conversation_row(raw)] if isinstance(raw, dict) else []
            changed += len(await self._db(self.store.put_conversations, rows))
            await self._db(self.store.done_pending, "conversation", [key])
        return changed

    async def refresh_listings(self) -> None:
        """Listings with activity since the last refresh (`latestActivityDesc`, from the day
        before it began), paged to the end. Hostaway's listing has no change time and does not
        say what counts as activity, so the whole list is read again instead when that is as
        cheap (it fits in one page) or the hourly re-read is due: it catches any edit, and drops
        what Hostaway no longer lists."""
        async with self._locks["listings"]:
            ds = await self._dataset("listings")
            if not ds.is_complete:
                return
            started = self._clock()
            one_page = (ds.total or 0) <= (ds.page_cap or self.listing_page_size)
            due = (ds.pass_at or 0) + REREAD_EVERY["listings"] <= started
            since = _day_before(ds.mark or "", LISTING_OVERLAP)
            if not (one_page or due or since is None):
                query = {"sortOrder": "latestActivityDesc", "latestActivityStart": since}
                offset = 0
                for _ in range(MAX_REFRESH_PAGES):
                    items, count = await self._page(
                        "/listings", {**query, "limit": self.listing_page_size, "offset": offset}
                    )
                    await self._db(self.store.put_listings, [ListingRow.of(r) for r in items])
                    self.listing_access.update(access_codes(items))
                    offset += len(items)
                    if not items or count is None or offset >= count:
                        break
                ds.mark, ds.refreshed_at = hostaway_time(started), started
                await self._db(self.store.save_dataset, ds)
                return
        await self.full_listings(again=True)

    async def refresh_pending_calendars(self) -> int:
        """Re-read the calendar nights queued by changed bookings and writes; returns requests."""
        async with self._locks["pending-calendars"]:
            if not self._calendar_queued:
                return 0
            self._calendar_queued = False  # a range queued from now on sets it again
            keys = await self._db(self.store.pending_keys, "calendar")
            if not keys:
                return 0
            by_listing: dict[int, list[tuple[date, date]]] = {}
            for key in keys:
                listing, start, end = key.split(":")
                by_listing.setdefault(int(listing), []).append(
                    (date.fromisoformat(start), date.fromisoformat(end))
                )
            low, high = await self.calendar_bounds()
            made = 0
            for listing_id, ranges in sorted(by_listing.items()):
                for first, last in merge_ranges(ranges):
                    first, last = max(first, low), min(last, high)
                    for piece in chunks(first, last) if first <= last else []:
                        await self.read_calendar(listing_id, *piece)
                        made += 1
            await self._db(self.store.done_pending, "calendar", keys)
            return made

    async def calendar_bounds(self) -> tuple[date, date]:
        first = await self._db(self.store.meta, "reservations_first")
        today = self._today()
        low = date.fromisoformat(first) if first else self.window.reservations(today)[0]
        return low, self.window.calendar_last(today)

    async def roll_calendars(self, budget: int = CALENDAR_READS_PER_CYCLE) -> int:
        """Re-read the stalest calendar windows: the next month every NEAR_MAX_AGE, the rest of
        the year every FAR_MAX_AGE, at most ``budget`` requests."""
        ds = await self._dataset("calendars")
        if not ds.is_complete or budget <= 0:
            return 0
        today, now = self._today(), self._clock()
        near = (today - timedelta(days=1), today + timedelta(days=NEAR_DAYS))
        far = (near[1] + timedelta(days=1), self.window.calendar_last(today))
        ids = await self._db(stored_ids, self.store, "listings")
        due: list[tuple[float, int, int, date, date]] = []
        for tier, (first, last), max_age in ((0, near, NEAR_MAX_AGE), (1, far, FAR_MAX_AGE)):
            ages = await self._db(
                self.store.read, lambda c, a=first, b=last: calendar_ages(c, a, b)
            )
            nights = (last - first).days + 1
            for listing_id in ids:
                oldest, stored = ages.get(listing_id, (None, 0))
                age = math.inf if oldest is None or stored < nights else now - oldest
                if age >= max_age:
                    due.append((-age / max_age, tier, listing_id, first, last))
        due.sort()
        for _, _, listing_id, first, last in due[:budget]:
            await self.read_calendar(listing_id, first, last)
        return min(budget, len(due))

    async def reread_due(self) -> None:
        """Datasets without a change feed whose scheduled re-read is due."""
        for name in ("tasks", "expenses", "reviews", "conversations"):
            ds = await self._dataset(name)
            last = ds.finished_at or ds.pass_at or 0  # the data is as of pass_at; read again
            if ds.is_complete and last + REREAD_EVERY[name] <= self._clock():  # after a while
                await self.read_offset(self._spec(name), full=False)

    async def extend_window(self) -> None:
        """As days pass, bring the reservations newly inside the window's far end into the
        store (the change feed brings only what changes)."""
        async with self._locks["reservations"]:
            last = await self._db(self.store.meta, "reservations_last")
            if last is None:
                return
            covered = date.fromisoformat(last)
            target = self.window.reservations(self._today())[1]
            if target <= covered:
                return
            params = reservation_params(
                ReservationQuery(arriving=DateRange(covered + timedelta(days=1), target))
            )
            after: int | None = None
            for _ in range(MAX_REFRESH_PAGES):
                query = {**params, "limit": RESERVATION_PAGE_SIZE}
                if after is not None:
                    query["afterId"] = after
                items, _ = await self._page("/reservations", query)
                rows = [ReservationRow.of(raw) for raw in items]
                await self._db(self.store.put_reservations, rows)
                if not rows or rows[-1].id == after:
                    break
                after = rows[-1].id
            await self._db(self.store.set_meta, {"reservations_last": target.isoformat()})

    # ---- one object (writes through our tools, webhooks) ------------------------------------------

    async def refresh_reservation(self, reservation_id: int) -> None:
        self.requests += 1
        try:
            raw = await self._client.get(f"/reservations/{reservation_id}")
        except NotFound:
            await self._db(self.store.delete_ids, "reservations", [reservation_id])
            return
        if isinstance(raw, dict):
            await self.put_reservation(raw)

    async def put_reservation(self, raw: dict[str, Any]) -> None:
        changed = await self._db(self.store.put_reservations, [ReservationRow.of(raw)])
        await self._queue_follow_ups(changed)

    async def refresh_conversation(self, conversation_id: int) -> None:
        await self.ensure_listing_access()
        await self._db(self.store.add_pending, "conversation", [f"c:{conversation_id}"])
        await self._reread_conversations()


def _count(store: MirrorStore, table: str) -> int:
    return store.read(lambda c: int(c.execute(f"SELECT count(*) FROM {table}").fetchone()[0]))  # noqa: S608
