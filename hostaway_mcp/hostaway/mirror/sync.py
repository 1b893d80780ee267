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
"""

from __future__ import annotations

import json
import logging
import math
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar

import anyio

from ...errors import HostawayError, NotFound
from .._client import HostawayClient
from .._envelope import as_list, parse_count
from .._listings import LISTING_PAGE_SIZE
from .._reservations import RESERVATION_PAGE_SIZE, reservation_params
from ..entities import AccessInfo, Listing, Reservation
from ..types import DateRange, ReservationQuery
from .db import Db
from .queries import REVIEW_SCOPE, calendar_ages
from .rows import (
    ConversationRow,
    ExpenseRow,
    ListingRow,
    ReservationRow,
    ReviewRow,
    TaskRow,
    calendar_rows,
    stay_of,
)
from .store import Dataset, MirrorStore

logger = logging.getLogger(__name__)
R = TypeVar("R")

PAGE = 100
EXPENSE_PAGE = 500  # Hostaway's documented maximum for /expenses
CALENDAR_CHUNK_DAYS = 730  # days per calendar request (Hostaway serves up to two years)
CALENDAR_AHEAD_DAYS = 365  # calendars are mirrored up to a year ahead
OVERLAP = timedelta(minutes=10)  # re-read this much before the high-water mark
# Listings carry no change time, and `latestActivityStart` takes a day (in a zone Hostaway does
# not name): a listing refresh asks for activity from the day before the last one began.
LISTING_OVERLAP = timedelta(days=1)
MAX_REFRESH_PAGES = 200
NEAR_DAYS = 30  # the rolling calendar windows: the next month, then the rest of the year
NEAR_MAX_AGE = 30 * 60.0
FAR_MAX_AGE = 6 * 3600.0
CALENDAR_READS_PER_CYCLE = 6
CALENDAR_WORKERS = 1
# Datasets without a change feed are read again in full this often (seconds).
REREAD_EVERY = {
    "listings": 3600.0,
    "conversations": 6 * 3600.0,
    "reviews": 2 * 3600.0,
    "tasks": 15 * 60.0,
    "expenses": 30 * 60.0,
}
HOSTAWAY_TIME = "%Y-%m-%d %H:%M:%S"
DATASETS = (
    "listings",
    "reservations",
    "conversations",
    "reviews",
    "tasks",
    "expenses",
    "calendars",
)


@dataclass(frozen=True)
class Window:
    """What the mirror covers: reservations departing from `first` and arriving by `last`;
    calendars from `first` to a year ahead."""

    past_days: int
    future_days: int

    def reservations(self, today: date) -> tuple[date, date]:
        return today - timedelta(days=self.past_days), today + timedelta(days=self.future_days)

    def calendar_last(self, today: date) -> date:
        return today + timedelta(days=CALENDAR_AHEAD_DAYS)


@dataclass(frozen=True)
class OffsetSpec:
    """An offset-paged list the mirror copies whole."""

    name: str
    path: str
    params: dict[str, Any]
    page_size: int
    row: Callable[[dict[str, Any]], Any]
    put: Callable[..., Any]


def chunks(first: date, last: date, days: int = CALENDAR_CHUNK_DAYS) -> list[tuple[date, date]]:
    """[first, last] in consecutive pieces of at most ``days`` days."""
    pieces = []
    while first <= last:
        end = min(last, first + timedelta(days=days - 1))
        pieces.append((first, end))
        first = end + timedelta(days=1)
    return pieces


def merge_ranges(ranges: Sequence[tuple[date, date]]) -> list[tuple[date, date]]:
    merged: list[list[date]] = []
    for first, last in sorted(ranges):
        if merged and first <= merged[-1][1] + timedelta(days=1):
            merged[-1][1] = max(merged[-1][1], last)
        else:
            merged.append([first, last])
    return [(a, b) for a, b in merged]


def _hostaway_time(moment: float) -> str:
    return datetime.fromtimestamp(moment, UTC).strftime(HOSTAWAY_TIME)


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


class Syncer:
    """Everything that reads Hostaway on the mirror's behalf. Only the process holding the sync
    lock runs one. Callers choose the priority (the background loop runs under
    `background_priority()`; a tool waiting for fresh data does not)."""

    def __init__(
        self,
        client: HostawayClient,
        db: Db,
        window: Window,
        *,
        clock: Callable[[], float] = time.time,
        today: Callable[[], date] = date.today,
    ) -> None:
        self._client = client
        self._db = db
        self.window = window
        self._clock = clock
        self._today = today
        self._locks = {name: anyio.Lock() for name in (*DATASETS, "pending-calendars", "access")}
        self.requests = 0  # upstream requests made by the sync (tests, the CLI)
        self.listing_page_size = LISTING_PAGE_SIZE
        # The listings' access codes, in memory only: texts are stored with them masked, and
        # answers mask them as the live path does. Read whole once per process.
        self.listing_access: dict[int, AccessInfo] = {}
        self._access_loaded = False
        self.calendar_writes = 0  # bumped by every calendar read stored (answers cache on it)
        self._calendar_queued = True  # calendar nights may be waiting to be read again

    @property
    def store(self) -> MirrorStore:
        return self._db.store

    async def _page(
        self, path: str, params: dict[str, Any]
    ) -> tuple[list[dict[str, Any]], int | None]:
        self.requests += 1
        envelope = await self._client.request("GET", path, params=params)
        return as_list(envelope.get("result")), parse_count(envelope.get("count"))

    async def _dataset(self, name: str) -> Dataset:
        return await self._db(self.store.dataset, name)

    # ---- the first read -------------------------------------------------------------------------

    async def full_sync(self) -> None:
        """Read every dataset not yet complete, resuming where an earlier run stopped. A dataset
        Hostaway keeps failing on does not hold the others back: its error is raised at the end."""
        await self.full_listings()
        failures: list[HostawayError] = []
        await self._chain([self.census], failures)
        # Two requests in flight at most: the big lists one after another (bookings first, what
        # most answers need), and the calendars beside them. That is enough to keep the rate
        # limit busy, and never piles work on Hostaway.
        big_lists = [
            self.full_reservations,
            self._full("conversations"),
            self._full("tasks"),
            self._full("expenses"),
            self._full("reviews"),
        ]
        async with anyio.create_task_group() as group:
            group.start_soon(self._chain, big_lists, failures)
            group.start_soon(self._chain, [self.full_calendars], failures)
        if failures:
            raise failures[0]

    @staticmethod
    async def _chain(
        steps: Sequence[Callable[[], Awaitable[None]]], failures: list[HostawayError]
    ) -> None:
        for step in steps:
            try:
                await step()
            except HostawayError as exc:
                failures.append(exc)

    def _full(self, name: str) -> Callable[[], Awaitable[None]]:
        async def run() -> None:
            await self.read_offset(self._spec(name), full=True)

        return run

    def _spec(self, name: str) -> OffsetSpec:
        store = self.store
        if name == "conversations":
            return OffsetSpec(
                name,
                "/conversations",
                {"includeResources": 1},
                PAGE,
                self._conversation_row,
                store.put_conversations,
            )
        if name == "reviews":
            scope = {**REVIEW_SCOPE, "sortBy": "id", "sortOrder": "asc"}
            return OffsetSpec(name, "/reviews", scope, PAGE, ReviewRow.of, store.put_reviews)
        if name == "tasks":
            return OffsetSpec(name, "/tasks", {}, PAGE, self.task_row, store.put_tasks)
        if name == "expenses":
            return OffsetSpec(
                name, "/expenses", {}, EXPENSE_PAGE, ExpenseRow.of, store.put_expenses
            )
        raise ValueError(name)

    def _conversation_row(self, raw: dict[str, Any]) -> ConversationRow:
        return ConversationRow.of(raw, self.listing_access)

    def task_row(self, raw: dict[str, Any]) -> TaskRow:
        return TaskRow.of(raw, self.listing_access)

    async def ensure_listing_access(self) -> None:
        """Know every listing's access codes before storing texts that may quote them (once
        per process: a whole read of the listings, which the first sync makes anyway)."""
        async with self._locks["access"]:
            if self._access_loaded or not (await self._dataset("listings")).is_complete:
                return
            await self.full_listings(again=True)

    async def census(self) -> None:
        """One small request per dataset not yet counted, so progress and the time left are
        known from the start."""
        first, last = self.window.reservations(self._today())
        window = reservation_params(
            ReservationQuery(departing=DateRange(first), arriving=DateRange(last=last))
        )
        probes = {
            "reservations": ("/reservations", window, RESERVATION_PAGE_SIZE),
            **{
                name: (spec.path, spec.params, spec.page_size)
                for name in ("conversations", "reviews", "tasks", "expenses")
                for spec in [self._spec(name)]
            },
        }
        datasets = await self._db(self.store.datasets)
        listings = (datasets.get("listings") or Dataset("listings")).total or 0
        for name, (path, params, size) in probes.items():
            ds = datasets.get(name) or Dataset(name)
            if ds.is_complete or ds.requests_total is not None:
                continue
            _, count = await self._page(path, {**params, "limit": 1})
            ds.total = count
            ds.requests_total = max(1, math.ceil((count or 0) / size))
            await self._db(self.store.save_dataset, ds)
        calendars = datasets.get("calendars") or Dataset("calendars")
        if not calendars.is_complete and calendars.requests_total is None:
            cal_first = self.window.reservations(self._today())[0]
            per_listing = len(chunks(cal_first, self.window.calendar_last(self._today())))
            calendars.requests_total = max(1, listings * per_listing)
            await self._db(self.store.save_dataset, calendars)

    async def full_listings(self, *, again: bool = False) -> None:
        """Every listing in Hostaway's default order. ``again`` re-reads a complete copy (and
        drops listings Hostaway no longer has)."""
        async with self._locks["listings"]:
            ds = await self._dataset("listings")
            if ds.is_complete and not again:
                return
            started = self._clock()
            before = set(await self._db(_ids, self.store, "listings"))
            seen: set[int] = set()
            access: dict[int, AccessInfo] = {}
            offset = 0
            while True:
                items, count = await self._page(
                    "/listings", {"limit": self.listing_page_size, "offset": offset}
                )
                rows = [ListingRow.of(raw) for raw in items]
                access.update(_access(items))
                seen.update(r.id for r in rows)
                ds.requests_done += 1
                done = not items or (count is not None and offset + len(items) >= count)
                if items and not done and len(items) < self.listing_page_size:
                    ds.page_cap = len(items)
                ds.total = count
                if done:
                    ds.complete, ds.refreshed_at, ds.pass_at = 1, started, started
                    ds.mark = _hostaway_time(started)
                    ds.started_at = ds.started_at or started
                    ds.finished_at = self._clock()
                await self._db(self.store.put_listings, rows, first_position=offset, dataset=ds)
                offset += len(items)
                if done:
                    break
            self.listing_access, self._access_loaded = access, True
            await self._db(self.store.delete_ids, "listings", before - seen)

    async def full_reservations(self) -> None:
        """The reservations of the window, newest change first (an `afterId` chain). Resumes from
        the last page saved; changes made meanwhile are caught by the next refresh, which pages
        back to the first page's newest change."""
        ds = await self._dataset("reservations")
        if ds.is_complete:
            return
        cursor = ds.cursor_value()
        if not cursor:
            first, last = self.window.reservations(self._today())
            cursor = {"first": first.isoformat(), "last": last.isoformat(), "after": None}
            cursor["seen"] = 0
            ds.started_at, ds.requests_done = self._clock(), 0
        params = reservation_params(
            ReservationQuery(
                departing=DateRange(date.fromisoformat(cursor["first"])),
                arriving=DateRange(last=date.fromisoformat(cursor["last"])),
            )
        )
        while True:
            after = cursor.get("after")
            query = {**params, "limit": RESERVATION_PAGE_SIZE}
            if after is not None:
                query["afterId"] = after
            items, count = await self._page("/reservations", query)
            rows = [ReservationRow.of(raw) for raw in items]
            if after is None:
                ds.total = count
                ds.requests_total = max(1, math.ceil((count or 0) / RESERVATION_PAGE_SIZE))
                ds.mark = max((r.updated_on for r in rows), default=ds.mark)
            cursor["seen"] = cursor.get("seen", 0) + len(rows)
            ds.requests_done += 1
            last_id = rows[-1].id if rows else None
            done = (
                last_id is None
                or last_id == after
                or (ds.total is not None and cursor["seen"] >= ds.total)
            )
            cursor["after"] = last_id
            if done:
                ds.complete, ds.cursor = 1, None
                ds.refreshed_at, ds.finished_at = ds.started_at, self._clock()
                await self._db(
                    self.store.set_meta,
                    {"reservations_first": cursor["first"], "reservations_last": cursor["last"]},
                )
            else:
                ds.cursor = json.dumps(cursor)
            await self._db(self.store.put_reservations, rows, ds)
            if done:
                return

    async def read_offset(self, spec: OffsetSpec, *, full: bool) -> None:
        """Read a whole offset list. ``full``: the first read (resumable; nothing to drop).
        Otherwise a re-read: what Hostaway no longer lists is dropped at the end."""
        await self.ensure_listing_access()
        async with self._locks[spec.name]:
            ds = await self._dataset(spec.name)
            if full and ds.is_complete:
                return
            cursor = ds.cursor_value() if full else {}
            if not cursor:
                cursor = {"offset": 0}
                ds.started_at, ds.requests_done = self._clock(), 0
            started = ds.started_at or self._clock()
            before = set() if full else set(await self._db(_ids, self.store, spec.name))
            seen: set[int] = set()
            while True:
                offset = int(cursor["offset"])
                items, count = await self._page(
                    spec.path, {**spec.params, "limit": spec.page_size, "offset": offset}
                )
                rows = [spec.row(raw) for raw in items]
                seen.update(r.id for r in rows)
                ds.requests_done += 1
                ds.total = count if count is not None else ds.total
                if count is not None:
                    ds.requests_total = max(1, math.ceil(count / (ds.page_cap or spec.page_size)))
                done = not items or (count is not None and offset + len(items) >= count)
                if items and not done and len(items) < spec.page_size:
                    ds.page_cap = len(items)
                cursor["offset"] = offset + len(items)
                if done:
                    ds.cursor = None
                    ds.complete, ds.pass_at = 1, started
                    ds.refreshed_at, ds.finished_at = started, self._clock()
                elif full:
                    ds.cursor = json.dumps(cursor)
                await self._db(spec.put, rows, ds)
                if done:
                    break
            if not full:
                await self._db(self.store.delete_ids, spec.name, before - seen)

    async def full_calendars(self) -> None:
        """Every listing's calendar over the window, listing by listing (resumable)."""
        ds = await self._dataset("calendars")
        if ds.is_complete:
            return
        today = self._today()
        cursor = ds.cursor_value()
        if not cursor:
            first = self.window.reservations(today)[0]
            cursor = {
                "first": first.isoformat(),
                "last": self.window.calendar_last(today).isoformat(),
            }
            ids = await self._db(_ids, self.store, "listings")
            await self._db(self.store.add_pending, "calendar-full", [str(i) for i in ids])
            ds.started_at, ds.requests_done, ds.cursor = self._clock(), 0, json.dumps(cursor)
            await self._db(self.store.save_dataset, ds)
        first, last = date.fromisoformat(cursor["first"]), date.fromisoformat(cursor["last"])
        todo = [int(k) for k in await self._db(self.store.pending_keys, "calendar-full")]
        pieces = chunks(first, last)
        ds.requests_total = ds.requests_done + len(todo) * len(pieces)
        queue = list(reversed(todo))

        async def worker() -> None:
            while queue:
                listing_id = queue.pop()
                for piece in pieces:
                    await self.read_calendar(listing_id, *piece)
                    ds.requests_done += 1
                await self._db(_done_calendar, self.store, listing_id, ds)

        async with anyio.create_task_group() as group:
            for _ in range(CALENDAR_WORKERS):
                group.start_soon(worker)
        ds.complete, ds.cursor = 1, None
        ds.refreshed_at, ds.finished_at = ds.started_at, self._clock()
        await self._db(self.store.save_dataset, ds)

    async def read_calendar(self, listing_id: int, first: date, last: date) -> None:
        """One calendar request (at most CALENDAR_CHUNK_DAYS days) into the store."""
        checked_at = self._clock()
        self.requests += 1
        try:
            raw = await self._client.get(
                f"/listings/{listing_id}/calendar",
                {"startDate": first.isoformat(), "endDate": last.isoformat()},
            )
        except NotFound:
            logger.info("mirror: listing gone, calendar skipped", extra={"listing_id": listing_id})
            return
        days = raw if isinstance(raw, list) else []
        rows = calendar_rows(listing_id, days, first, last, checked_at)
        await self._db(self.store.put_calendar, rows)
        self.calendar_writes += 1

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
        queued by changed bookings and sent messages. Returns how many changed."""
        await self.ensure_listing_access()
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
                rows = [self._conversation_row(raw) for raw in items]
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

    async def _reread_conversations(self) -> int:
        keys = await self._db(self.store.pending_keys, "conversation")
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
                    self.listing_access.update(_access(items))
                    offset += len(items)
                    if not items or count is None or offset >= count:
                        break
                ds.mark, ds.refreshed_at = _hostaway_time(started), started
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
        ids = await self._db(_ids, self.store, "listings")
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


def _access(raw_listings: Sequence[dict[str, Any]]) -> dict[int, AccessInfo]:
    found = {}
    for raw in raw_listings:
        listing = Listing.from_api(raw)
        found[listing.id] = listing.access
    return found


def _ids(store: MirrorStore, table: str) -> list[int]:
    return store.read(lambda c: [int(r[0]) for r in c.execute(f"SELECT id FROM {table}")])  # noqa: S608


def _count(store: MirrorStore, table: str) -> int:
    return store.read(lambda c: int(c.execute(f"SELECT count(*) FROM {table}").fetchone()[0]))  # noqa: S608


def _done_calendar(store: MirrorStore, listing_id: int, ds: Dataset) -> None:
    store.done_pending("calendar-full", [str(listing_id)])
    store.save_dataset(ds)
