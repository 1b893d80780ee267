"""Reading whole datasets into the store: the first read of the account (resumable page by
page) and the whole re-reads of the lists without a change feed. `FullReads` is the base of
`Syncer` (sync.py), which adds the refreshes that ask Hostaway only for what changed."""

from __future__ import annotations

import json
import logging
import math
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import anyio

from ...errors import HostawayError, NotFound
from .._client import HostawayClient
from .._envelope import as_list, parse_count
from .._listings import LISTING_PAGE_SIZE
from .._reservations import RESERVATION_PAGE_SIZE, reservation_params
from ..entities import AccessInfo, Listing
from ..types import DateRange, ReservationQuery
from .datasets import Dataset
from .db import Db
from .queries import REVIEW_SCOPE
from .rows import (
    ConversationRow,
    ExpenseRow,
    ListingRow,
    ReservationRow,
    ReviewRow,
    TaskRow,
    calendar_rows,
)
from .store import MirrorStore
from .window import DATASETS, Window, chunks

logger = logging.getLogger(__name__)

PAGE = 100
EXPENSE_PAGE = 500  # Hostaway's documented maximum for /expenses
CALENDAR_WORKERS = 1
HOSTAWAY_TIME = "%Y-%m-%d %H:%M:%S"


@dataclass(frozen=True)
class OffsetSpec:
    """An offset-paged list the mirror copies whole."""

    name: str
    path: str
    params: dict[str, Any]
    page_size: int
    row: Callable[[dict[str, Any]], Any]
    put: Callable[..., Any]


def hostaway_time(moment: float) -> str:
    return datetime.fromtimestamp(moment, UTC).strftime(HOSTAWAY_TIME)


class FullReads:
    """The base of `Syncer`: its state, one page of a list, and every whole read."""

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
            before = set(await self._db(stored_ids, self.store, "listings"))
            seen: set[int] = set()
            access: dict[int, AccessInfo] = {}
            offset = 0
            while True:
                items, count = await self._page(
                    "/listings", {"limit": self.listing_page_size, "offset": offset}
                )
                rows = [ListingRow.of(raw) for raw in items]
                access.update(access_codes(items))
                seen.update(r.id for r in rows)
                ds.requests_done += 1
                done = not items or (count is not None and offset + len(items) >= count)
                if items and not done and len(items) < self.listing_page_size:
                    ds.page_cap = len(items)
                ds.total = count
                if done:
                    ds.complete, ds.refreshed_at, ds.pass_at = 1, started, started
                    ds.mark = hostaway_time(started)
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
            before = set() if full else set(await self._db(stored_ids, self.store, spec.name))
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
            ids = await self._db(stored_ids, self.store, "listings")
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


def access_codes(raw_listings: Sequence[dict[str, Any]]) -> dict[int, AccessInfo]:
    found = {}
    for raw in raw_listings:
        listing = Listing.from_api(raw)
        found[listing.id] = listing.access
    return found


def stored_ids(store: MirrorStore, table: str) -> list[int]:
    return store.read(lambda c: [int(r[0]) for r in c.execute(f"SELECT id FROM {table}")])  # noqa: S608


def _done_calendar(store: MirrorStore, listing_id: int, ds: Dataset) -> None:
    store.done_pending("calendar-full", [str(listing_id)])
    store.save_dataset(ds)
