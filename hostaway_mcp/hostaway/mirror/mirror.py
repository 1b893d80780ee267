"""`Mirror`: the local copy of one account. It opens the store, runs the sync in the background
(only in the process holding the sync lock), keeps what answers need fresh, answers the list
queries Hostaway would answer, and records writes made through our tools at once."""

from __future__ import annotations

import logging
import math
import re
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, Literal, TypeVar

import anyio
from pydantic import BaseModel

from ...config import Settings
from ...errors import HostawayError, RateLimited, StillSyncing, UpstreamUnavailable
from .._client import HostawayClient
from .._limiter import background_priority
from ..entities import (
    CalendarDay,
    Conversation,
    Expense,
    Listing,
    Reservation,
    Review,
    Stay,
    Task,
)
from ..types import Command
from . import queries
from .db import Db
from .files import (
    delete_store,
    lock_file,
    remove_directory,
    set_aside,
    store_file,
    throwaway_directory,
)
from .lock import SyncLock
from .provenance import note
from .queries import NotMirrored, Rows
from .rows import ExpenseRow, calendar_day, calendar_rows
from .stays import StayIndex
from .store import Dataset, MirrorStore, is_damage
from .sync import DATASETS, Syncer, Window
from .version import fingerprint

logger = logging.getLogger(__name__)
T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)
State = Literal["off", "syncing", "ready", "error"]

START_DELAY = 1.0  # let the MCP handshake finish before the first request
READER_POLL = 5.0  # how often a process that does not sync looks at the store again
RELOAD_AFTER = 2.0  # seconds the dataset bookkeeping is trusted in memory (other processes)
MIN_CYCLE = 5.0
ERROR_BACKOFF = (10.0, 30.0, 60.0, 300.0)
LISTINGS_EVERY = 600.0
FIRST_SYNC_CALL_LIMIT = 45.0
PROGRESS_LOG_EVERY = 30.0
CLOSED_FOR = 5.0  # seconds one portfolio-wide read of closed nights serves a report's listings  # no tool call runs longer while the first sync runs
_RESERVATION_PATH = re.compile(r"^/reservations(?:/(\d+)(?:/statuses/cancelled)?)?$")
_CALENDAR_PATH = re.compile(r"^/listings/(\d+)/calendar$")
_MESSAGE_PATH = re.compile(r"^/conversations/(\d+)/messages$")


@dataclass(frozen=True)
class SyncStatus:
    state: State
    progress: float
    counts: dict[str, int] = field(default_factory=dict)
    last_full_sync_at: datetime | None = None
    last_refresh_at: datetime | None = None
    store_path: str | None = None
    error: str | None = None
    seconds_left: float | None = None
    syncing_here: bool = False


def _moment(seconds: float | None) -> datetime | None:
    return None if seconds is None else datetime.fromtimestamp(seconds, UTC).replace(microsecond=0)


class Mirror:
    def __init__(
        self,
        client: HostawayClient,
        settings: Settings,
        path: Path | None,
        *,
        clock: Callable[[], float] = time.time,
        today: Callable[[], date] = date.today,
        start_delay: float = START_DELAY,
    ) -> None:
        self.path = path  # None: a throwaway store in a temporary directory (demo mode)
        self._throwaway: Path | None = None
        self._client = client
        self._settings = settings
        self._clock = clock
        self._today = today
        self._start_delay = start_delay
        self.window = Window(settings.mirror_past_days, settings.mirror_future_days)
        self.freshness = settings.freshness_s
        self._lock: SyncLock | None = None
        self._db: Db | None = None
        self.syncer: Syncer | None = None
        self._datasets: dict[str, Dataset] = {}
        self._meta: dict[str, str] = {}
        self._loaded_at = -math.inf
        self._dirty: set[str] = set()
        self._fresh_locks = {name: anyio.Lock() for name in DATASETS}
        self._open_lock = anyio.Lock()
        self._ready_once = False
        self._broken = False
        self._damaged = False  # a read found the file damaged: answers are live until rebuilt
        self._inode: int | None = None  # of the file opened (a reader follows a rebuilt one)
        self.error: str | None = None
        self._cycle_at = -math.inf
        self._listings_at = -math.inf
        self._window_day: date | None = None
        self._closed_lock = anyio.Lock()
        self._closed: tuple[tuple[date, date, int], float, dict[int, queries.ClosedNights]] | None
        self._closed = None
        self._waiting_lock = anyio.Lock()
        self._stays = StayIndex()
        self._waiting: dict[int, tuple[str, Conversation]] = {}

    # ---- lifecycle ------------------------------------------------------------------------------

    @property
    def syncing_here(self) -> bool:
        return self._lock is not None and self._lock.held

    def try_lock(self) -> bool:
        """Become the process that syncs this store, if no other process is."""
        return self._lock is not None and self._lock.try_acquire()

    @property
    def db(self) -> Db:
        if self._db is None:
            raise NotMirrored("the store is not open")
        return self._db

    async def open(self) -> bool:
        """Open the store (creating or rebuilding it); False when it cannot be used at all."""
        async with self._open_lock:
            if self._db is not None or self._broken:
                return self._db is not None
            account = self._settings.client_id or ""
            if self.path is None:
                self._throwaway = throwaway_directory()
                self.path = store_file(str(self._throwaway), account, self._settings.base_url)
            path = self.path
            try:
                store = await anyio.to_thread.run_sync(
                    lambda: MirrorStore.open(
                        path,
                        account_id=account,
                        base_url=self._settings.base_url,
                        fingerprint=fingerprint(),
                    )
                )
            except (OSError, sqlite3.Error) as exc:
                self._fail_store(exc)
                return False
            self._db = Db(store)
            self._inode = await anyio.to_thread.run_sync(_inode, path)
            # What answers keep in memory belongs to the file it was read from.
            self._stays, self._waiting, self._closed = StayIndex(), {}, None
            self._damaged = False
            self._lock = self._lock or SyncLock(lock_file(path))
            self.syncer = Syncer(
                self._client, self._db, self.window, clock=self._clock, today=self._today
            )
            await self._reload(force=True)
            logger.info("mirror store open", extra={"store": str(self.path)})
            return True

    def _fail_store(self, exc: BaseException) -> None:
        self._broken = True
        self.error = f"The local store at {self.path} cannot be used ({type(exc).__name__}: {exc})."
        logger.error("mirror store unusable; answering live", extra={"error": str(exc)})

    async def close(self) -> None:
        """Close the store and let another process sync it. Call it once `run` has stopped: every
        write is its own transaction, so a sync stopped midway leaves nothing half-written and the
        next start resumes it. Closing twice does nothing."""
        db, self._db = self._db, None
        throwaway, self._throwaway = self._throwaway, None
        try:
            if db is not None:
                await anyio.to_thread.run_sync(db.store.close)
                logger.info("mirror store closed")
        finally:
            if self._lock is not None:
                self._lock.release()
            if throwaway is not None:
                remove_directory(throwaway)

    async def run(self) -> None:
        """The background sync: the first read, then a refresh cycle every freshness period.
        Never raises (a failure is reported in the status and tried again later)."""
        failures = 0
        try:
            await anyio.sleep(self._start_delay)
            if not await self.open():
                return
            while True:
                if not self.syncing_here and not self.try_lock():
                    await self._follow_replaced_file()
                    await self._reload(force=True)
                    await anyio.sleep(READER_POLL)
                    continue
                try:
                    with background_priority():
                        if self._damaged and not await self._rebuild("a read found it damaged"):
                            return
                        await self.cycle()
                    failures, self.error = 0, None
                except Exception as exc:
                    failure = _cause(exc)
                    failures += 1
                    if isinstance(failure, HostawayError):
                        self.error = failure.user_message()
                        logger.warning(
                            "mirror sync failed; will retry", extra={"error": self.error}
                        )
                    elif isinstance(failure, sqlite3.Error) and is_damage(failure):
                        if not await self._rebuild(failure):
                            return
                    elif isinstance(failure, sqlite3.Error):  # e.g. locked by another process
                        self.error = (
                            f"The local copy at {self.path} is busy ({failure}); the sync tries "
                            "again shortly."
                        )
                        logger.warning(
                            "mirror store busy; will retry", extra={"error": str(failure)}
                        )
                    else:
                        raise
                # After a failure, try again sooner than the next refresh would come (then later).
                pause = ERROR_BACKOFF[min(failures, len(ERROR_BACKOFF)) - 1] if failures else None
                await anyio.sleep(max(self.freshness if pause is None else pause, MIN_CYCLE))
        except Exception as exc:  # the server keeps answering live whatever happens here
            logger.exception("mirror stopped")
            self.error = f"The local mirror stopped ({type(exc).__name__}); answers are live."
            self._broken = True

    async def _rebuild(self, why: BaseException | str) -> bool:
        """The file went bad under us: set it aside and start a new one (the syncing process
        only; the others follow, see `_follow_replaced_file`). False when no new one can be
        made (the error says why; answers stay live)."""
        logger.error("mirror store damaged; rebuilding", extra={"error": str(why)})
        db, self._db, self.syncer = self._db, None, None
        if db is not None and self.path is not None:
            await anyio.to_thread.run_sync(db.store.close)
            await anyio.to_thread.run_sync(set_aside, self.path, "corrupt")
        self._datasets = {}
        if not await self.open():
            return False
        self.error = None  # the new copy is being made: `syncing`, with its progress
        return True

    async def sync_now(self) -> None:
        """One cycle in this process (`hostaway-mcp sync`): a damaged file is set aside and the
        copy made again; a failure is raised as itself, not inside an exception group."""
        try:
            try:
                await self.cycle()
            except Exception as exc:
                failure = _cause(exc)
                if not (isinstance(failure, sqlite3.Error) and is_damage(failure)):
                    raise
                if not await self._rebuild(failure):
                    raise failure from None
                await self.cycle()
        except Exception as exc:
            raise _cause(exc) from None

    async def _follow_replaced_file(self) -> None:
        """A process that does not sync: when the syncing one has set the file aside and built
        a new one, read the new one."""
        if self._db is None or self.path is None:
            return
        current = await anyio.to_thread.run_sync(_inode, self.path)
        if current is None or current == self._inode:
            return
        logger.info("mirror store rebuilt by the syncing process; reading the new one")
        db, self._db = self._db, None
        await anyio.to_thread.run_sync(db.store.close)
        self._datasets = {}
        await self.open()

    def _store_failed(self, exc: sqlite3.Error) -> None:
        """A read of the store failed: this answer is read live. A damaged file is not used
        again until rebuilt; anything else (e.g. locked by another process) is tried next time."""
        if not is_damage(exc):
            logger.warning("mirror store read failed; answering live", extra={"error": str(exc)})
            return
        logger.error("mirror store damaged; answering live", extra={"error": str(exc)})
        self._damaged = True
        self.error = (
            f"The local copy at {self.path} is damaged ({exc}); it is set aside and made again. "
            "Answers are read live meanwhile."
        )

    async def cycle(self) -> None:
        """One round of the syncing process: finish the first read if needed, refresh what
        changed, then (once ready) the slower work."""
        syncer = self._syncer()
        await self._reload(force=True)
        if not self._complete(*DATASETS):
            logger.info("mirror: first sync", extra={"progress": round(self.progress()[0], 3)})
            try:
                async with anyio.create_task_group() as group:
                    group.start_soon(self._watch_progress)
                    await syncer.full_sync()
                    group.cancel_scope.cancel()
            finally:  # what did complete is used at once, even if something failed
                await self._reload(force=True)
            logger.info("mirror: first sync done", extra={"requests": syncer.requests})
        now = self._clock()
        await syncer.refresh_reservations()
        await syncer.refresh_conversations()
        if now - self._listings_at >= LISTINGS_EVERY:
            await syncer.refresh_listings()
            self._listings_at = now
        syncer.look_for_queued_calendars()  # other processes may have queued some
        await syncer.refresh_pending_calendars()
        self._dirty.clear()
        await self._reload(force=True)
        # Read into memory now what the reports and the triage use, so their first call is quick.
        if self.ready("reservations"):
            await self._read(self._stays.catch_up)
        if self.ready("conversations"):
            await self.waiting_conversations()
        self._ready_once = True
        await syncer.roll_calendars()
        await syncer.reread_due()
        if self._window_day != self._today():
            await syncer.extend_window()
            first = self.window.reservations(self._today())[0]
            await self.db(self.db.store.prune_calendar, first.isoformat())
            self._window_day = self._today()
        if self._closed is not None and self._clock() - self._closed[1] >= CLOSED_FOR:
            self._closed = None  # a report's closed nights are not kept longer than needed
        await self._reload(force=True)
        self._cycle_at = self._clock()

    async def _watch_progress(self) -> None:
        """While the first sync runs: keep the bookkeeping in memory current (answers switch to
        the store dataset by dataset) and log progress now and then."""
        logged = self._clock()
        while True:
            await anyio.sleep(1.0)
            await self._reload(force=True)
            if self._clock() - logged >= PROGRESS_LOG_EVERY:
                logged = self._clock()
                share, left = self.progress()
                logger.info(
                    "mirror: first sync progress",
                    extra={"progress": round(share, 3), "seconds_left": left and round(left)},
                )

    def _syncer(self) -> Syncer:
        if self.syncer is None:
            raise NotMirrored("the store is not open")
        return self.syncer

    # ---- bookkeeping ----------------------------------------------------------------------------

    async def _reload(self, *, force: bool = False) -> None:
        if self._db is None or (not force and self._clock() - self._loaded_at < RELOAD_AFTER):
            return
        store = self._db.store

        def load() -> tuple[dict[str, Dataset], dict[str, str]]:
            keys = ("reservations_first", "reservations_last")
            return store.datasets(), {k: v for k in keys if (v := store.meta(k)) is not None}

        self._datasets, self._meta = await self._db(load)
        self._loaded_at = self._clock()

    def _complete(self, *names: str) -> bool:
        return all((ds := self._datasets.get(n)) is not None and ds.is_complete for n in names)

    def ready(self, *names: str) -> bool:
        """Can the store answer from these datasets?"""
        usable = self._db is not None and not self._broken and not self._damaged
        return usable and self._complete(*names)

    @property
    def state(self) -> State:
        if self._broken:
            return "error"
        if self.error is not None:
            return "error"
        if self._complete(*DATASETS) and (self._ready_once or not self.syncing_here):
            return "ready"
        return "syncing"

    def lag_seconds(self) -> float | None:
        """Seconds since the copy was last brought up to date from Hostaway's change feeds (the
        older of the reservations' and the conversations' last refresh); None until the first
        sync is done. Read from memory: nothing is sent and the store is not read."""
        if not self._complete(*DATASETS):
            return None
        refreshed = [self._as_of(name) for name in ("reservations", "conversations")]
        if any(moment is None for moment in refreshed):
            return None
        return max(0.0, self._clock() - min(m for m in refreshed if m is not None))

    def first_sync_running(self) -> bool:
        return self._db is not None and not self._broken and not self._complete(*DATASETS)

    def progress(self) -> tuple[float, float | None]:
        """(share of the first read done, seconds left at the rate limit) from the bookkeeping.
        The time left is None until every dataset still to read knows its request count (the
        sync's first requests ask each list for its size): a guess from a part would be low."""
        done = total = 0.0
        sized = True
        for name in DATASETS:
            ds = self._datasets.get(name) or Dataset(name)
            if ds.is_complete:
                weight = float(max(ds.requests_total or 0, ds.requests_done, 1))
                done, total = done + weight, total + weight
            else:
                sized = sized and ds.requests_total is not None
                done += ds.requests_done
                total += max(ds.requests_total or 1, ds.requests_done + 1)
        share = 1.0 if total == 0 else min(1.0, done / total)
        per_request = self._settings.rate_window_seconds / min(
            self._settings.rate_limit_ip, self._settings.rate_limit_account
        )
        left = None if share >= 1.0 or not sized else (total - done) * per_request
        return share, left

    def call_time_limit(self) -> float | None:
        """While the first sync runs no tool call may take longer than this."""
        return FIRST_SYNC_CALL_LIMIT if self.first_sync_running() else None

    def still_syncing(self) -> StillSyncing:
        share, left = self.progress()
        when = f", ready in about {_duration(left)}" if left else ""
        return StillSyncing(
            f"Still syncing: the account is being copied to this computer for the first time "
            f"({share:.0%} done{when}), and answering this question live would take too long. "
            "No figures are given rather than partial ones.",
            hint="Ask again when get_sync_status says ready, or narrow the question (fewer "
            "listings, a shorter period).",
        )

    async def status(self) -> SyncStatus:
        counts: dict[str, int] = {}
        if self._db is not None and not self._broken:
            await self._reload()
            try:
                counts = await self._db(self._db.store.counts)
            except sqlite3.Error as exc:
                self._store_failed(exc)
        share, left = self.progress()
        finished = [ds.finished_at for ds in self._datasets.values() if ds.finished_at]
        refreshed = self._datasets.get("reservations")
        return SyncStatus(
            state=self.state,
            progress=round(share, 4),
            counts=counts,
            last_full_sync_at=_moment(max(finished))
            if self._complete(*DATASETS) and finished
            else None,
            last_refresh_at=_moment(refreshed.refreshed_at if refreshed else None),
            store_path=None if self.path is None else str(self.path),
            error=self.error,
            seconds_left=None if left is None else round(left),
            syncing_here=self.syncing_here,
        )

    # ---- freshness ------------------------------------------------------------------------------

    async def fresh(self, kind: Literal["reservations", "conversations", "calendars"]) -> None:
        """Bring what an answer needs up to date: reservations (and the calendars or
        conversations their changes touch) when older than the freshness period."""
        if self.syncer is None:
            return
        if not self.syncing_here:
            # Another process keeps the copy current. When its last refresh is older than the
            # freshness period anyway (it may be busy with a long re-read), this one asks
            # Hostaway itself: the same one or two requests, ahead of any background work.
            loaded = self._loaded_at
            await self._reload()
            if self._loaded_at != loaded:  # now and then: the other process queues some too
                self.syncer.look_for_queued_calendars()
        try:
            await self._refresh_if_stale("reservations")
            if kind == "conversations":
                await self._refresh_if_stale("conversations")
            if kind == "calendars":
                await self.syncer.refresh_pending_calendars()
        except (UpstreamUnavailable, RateLimited) as exc:
            # Answer from the copy as it is; its data_as_of says how old it is.
            logger.warning(
                "mirror refresh failed; answering from the store", extra={"error": str(exc)}
            )
        except sqlite3.Error as exc:
            self._store_failed(exc)  # damaged: the read that follows goes live

    async def _refresh_if_stale(self, name: Literal["reservations", "conversations"]) -> None:
        async with self._fresh_locks[name]:
            ds = self._datasets.get(name)
            stale = (
                ds is None
                or ds.refreshed_at is None
                or (self._clock() - ds.refreshed_at >= self.freshness)
            )
            if not stale and name not in self._dirty:
                return
            syncer = self._syncer()
            if name == "reservations":
                await syncer.refresh_reservations()
            else:
                await syncer.refresh_conversations()
            self._dirty.discard(name)
            await self._reload(force=True)

    def _as_of(self, name: str) -> float | None:
        ds = self._datasets.get(name)
        if ds is None:
            return None
        # Only a whole read of the listings sees every edit (see Syncer.refresh_listings).
        return ds.pass_at or ds.refreshed_at if name == "listings" else ds.refreshed_at

    # ---- answers --------------------------------------------------------------------------------

    async def _read(self, query: Callable[[sqlite3.Connection], T]) -> T:
        if self._damaged:
            raise NotMirrored("the store is damaged")
        try:
            return await self.db(self.db.store.read, query)
        except sqlite3.Error as exc:
            self._store_failed(exc)
            raise NotMirrored("the store failed") from None

    async def listings(
        self, params: dict[str, Any], free: tuple[date, date] | None
    ) -> list[Listing]:
        rows = await self._read(queries.listings)
        chosen = [row for row in rows if queries.listing_matches(row, params)]
        if free is not None:
            first, last, today = *free, self._today()
            open_ids, checked_at = await self._read(
                lambda c: _open_throughout(c, [r.id for r in chosen], first, last, today)
            )
            chosen = [row for row in chosen if row.id in open_ids]
            note(checked_at, calendar=True)
        note(self._as_of("listings"))
        # With their access codes, as the live path has them (to mask them in texts).
        syncer = self._syncer()
        await syncer.ensure_listing_access()
        codes = syncer.listing_access

        def parse() -> list[Listing]:
            found = [Listing.model_validate_json(r.body) for r in chosen]
            return [
                listing.model_copy(update={"access": codes[listing.id]})
                if listing.id in codes
                else listing
                for listing in found
            ]

        return await anyio.to_thread.run_sync(parse)

    def covers(self, params: dict[str, Any]) -> bool:
        first, last = self._meta.get("reservations_first"), self._meta.get("reservations_last")
        return first is not None and last is not None and queries.covered(params, first, last)

    async def reservation_page(
        self, params: dict[str, Any], after_id: int | None, limit: int
    ) -> tuple[list[Reservation], int]:
        rows = await self._read(lambda c: queries.reservation_page(c, params, after_id, limit))
        note(self._as_of("reservations"))
        return await self._parse(rows, Reservation), rows.count

    async def conversation_page(
        self, reservation_id: int | None, offset: int, limit: int
    ) -> tuple[list[Conversation], int]:
        limit = self._capped("conversations", limit)
        rows = await self._read(
            lambda c: queries.conversation_page(c, reservation_id, offset, limit)
        )
        note(self._as_of("conversations"))
        return await self._parse(rows, Conversation), rows.count

    async def waiting_conversations(self) -> tuple[list[Conversation], int]:
        """Every waiting conversation. They stay parsed in memory between calls (a few thousand
        on a big account): each call reads the rows again and parses only what changed."""
        bodies, total = await self._read(queries.waiting_conversations)
        note(self._as_of("conversations"))
        async with self._waiting_lock:
            known = self._waiting

            def parse() -> dict[int, tuple[str, Conversation]]:
                return {
                    cid: known[cid]
                    if cid in known and known[cid][0] == body
                    else (body, Conversation.model_validate_json(body))
                    for cid, body in bodies.items()
                }

            self._waiting = await anyio.to_thread.run_sync(parse)
            return [conversation for _, conversation in self._waiting.values()], total

    async def review_page(
        self, params: dict[str, Any], offset: int, limit: int
    ) -> tuple[list[Review], int]:
        limit = self._capped("reviews", limit)
        rows = await self._read(lambda c: queries.review_page(c, params, offset, limit))
        note(self._as_of("reviews"))
        return await self._parse(rows, Review), rows.count

    async def task_page(
        self, params: dict[str, Any], offset: int, limit: int
    ) -> tuple[list[Task], int]:
        limit = self._capped("tasks", limit)
        rows = await self._read(lambda c: queries.task_page(c, params, offset, limit))
        note(self._as_of("tasks"))
        return await self._parse(rows, Task), rows.count

    async def expense_page(self, offset: int, limit: int) -> tuple[list[Expense], int]:
        limit = self._capped("expenses", limit)
        rows = await self._read(lambda c: queries.expense_page(c, offset, limit))
        note(self._as_of("expenses"))
        return await self._parse(rows, Expense), rows.count

    def _capped(self, name: str, limit: int) -> int:
        """Hostaway serves at most `page_cap` rows per page of some lists (seen while syncing)."""
        ds = self._datasets.get(name)
        return min(limit, ds.page_cap) if ds is not None and ds.page_cap else limit

    async def _parse(self, rows: Rows, model: type[M]) -> list[M]:
        return await anyio.to_thread.run_sync(
            lambda: [model.model_validate_json(b) for b in rows.bodies]
        )

    async def calendar(self, listing_id: int, first: date, last: date) -> dict[date, CalendarDay]:
        today = self._today()
        span = await self._read(lambda c: queries.calendar_span(c, listing_id, first, last, today))
        if not span.complete:
            raise NotMirrored(f"calendar of listing {listing_id} from {first} to {last}")
        note(span.checked_at, calendar=True)
        return {d.date: d for d in (calendar_day(row) for row in span.rows)}

    async def closed_nights(self, listing_id: int, first: date, last: date) -> set[date]:
        """A portfolio report asks this for every listing over the same nights: the first call
        reads them for all listings at once, the others are served from that read."""
        nights = await self._closed_for_all(first, last)
        found = nights.get(listing_id)
        if found is None or not found.complete:
            raise NotMirrored(f"calendar of listing {listing_id} from {first} to {last}")
        note(found.checked_at, calendar=True)
        return set(found.days)

    async def _closed_for_all(self, first: date, last: date) -> dict[int, queries.ClosedNights]:
        version = self.syncer.calendar_writes if self.syncer is not None else 0
        key = (first, last, version)
        async with self._closed_lock:
            cached = self._closed
            if cached is not None and cached[0] == key and self._clock() - cached[1] < CLOSED_FOR:
                return cached[2]
            today = self._today()
            found = await self._read(lambda c: queries.closed_nights(c, first, last, today))
            self._closed = (key, self._clock(), found)
            return found

    async def stays(self, params: dict[str, Any]) -> list[Stay]:
        index = self._stays
        found = await self._read(lambda c: index.query(c, params))
        note(self._as_of("reservations"))
        return found

    async def all_reservations(self, params: dict[str, Any]) -> list[Reservation]:
        bodies = await self._read(lambda c: queries.all_reservations(c, params))
        note(self._as_of("reservations"))
        return await anyio.to_thread.run_sync(
            lambda: [Reservation.model_validate_json(b) for b in bodies]
        )

    # ---- writes through our tools and single-object refreshes --------------------------------------

    async def after_write(self, command: Command[Any], result: Any, *, failed: bool) -> None:
        """Record a write made through our tools at once (Hostaway's answer is the changed
        object), and queue what it invalidates."""
        if self._db is None or self.syncer is None:
            return
        try:
            await self._record_write(command, result, failed)
        except (sqlite3.Error, HostawayError, ValueError) as exc:
            logger.warning("mirror: could not record a write", extra={"error": str(exc)})
            self._dirty.update({"reservations", "conversations"})
            if isinstance(exc, sqlite3.Error):
                self._store_failed(exc)

    async def _record_write(self, command: Command[Any], result: Any, failed: bool) -> None:
        syncer, store = self._syncer(), self.db.store
        body = command.body
        if (match := _RESERVATION_PATH.match(command.path)) is not None:
            # A new booking opens a thread; a changed one changes the copy its thread embeds.
            self._dirty.add("conversations")
            if not failed and isinstance(result, dict) and result.get("id") is not None:
                await syncer.put_reservation(result)
            else:  # it may have landed: ask Hostaway before the next answer
                self._dirty.add("reservations")
                if match.group(1):
                    await self.db(store.add_pending, "conversation", [f"r:{match.group(1)}"])
        elif (match := _CALENDAR_PATH.match(command.path)) is not None:
            listing_id = int(match.group(1))
            first, last = str(body.get("startDate")), str(body.get("endDate"))
            if not failed and isinstance(result, list) and result:
                rows = calendar_rows(
                    listing_id,
                    result,
                    date.fromisoformat(first),
                    date.fromisoformat(last),
                    self._clock(),
                )
                await self.db(store.put_calendar, rows)
                syncer.calendar_writes += 1
            else:
                await syncer.queue_calendar([f"{listing_id}:{first}:{last}"])
        elif (match := _MESSAGE_PATH.match(command.path)) is not None:
            await self.db(store.add_pending, "conversation", [f"c:{match.group(1)}"])
            self._dirty.add("conversations")
        elif command.path == "/tasks" and not failed and isinstance(result, dict):
            await syncer.ensure_listing_access()
            await self.db(store.put_tasks, [syncer.task_row(result)])
        elif command.path == "/expenses" and not failed and isinstance(result, dict):
            await self.db(store.put_expenses, [ExpenseRow.of(result)])

    async def refresh_reservation(self, reservation_id: int) -> None:
        await self._syncer().refresh_reservation(reservation_id)
        self._dirty.add("conversations")

    async def refresh_conversation(self, conversation_id: int) -> None:
        await self._syncer().refresh_conversation(conversation_id)

    async def refresh_calendar(self, listing_id: int, first: date, last: date) -> None:
        from .sync import chunks

        for piece in chunks(first, last):
            await self._syncer().read_calendar(listing_id, *piece)

    async def refresh_calendar_ahead(self, listing_id: int) -> None:
        """The listing's nights still to come, to the end of the copied calendar (one request):
        nights before today are settled. From yesterday, as the rolling windows: the account's
        time zone may still be a day behind."""
        today = self._today()
        await self.refresh_calendar(
            listing_id, today - timedelta(days=1), self.window.calendar_last(today)
        )


def _open_throughout(
    c: sqlite3.Connection, ids: list[int], first: date, last: date, today: date
) -> tuple[set[int], float | None]:
    """Listings whose every night in [first, last] is stored and available (Hostaway's
    availability filter), and the oldest read of those nights that can still change; a listing
    with a night missing from the store is not mirrored."""
    nights = (last - first).days + 1
    found: set[int] = set()
    for listing_id, stored, open_nights in c.execute(
        "SELECT listing_id, count(*), sum(available) FROM calendar WHERE day BETWEEN ? AND ? "
        "GROUP BY listing_id",
        (first.isoformat(), last.isoformat()),
    ):
        if stored == nights and open_nights == nights:
            found.add(int(listing_id))
    stored_ids = {
        int(r[0])
        for r in c.execute(
            "SELECT listing_id FROM calendar WHERE day BETWEEN ? AND ? GROUP BY listing_id "
            "HAVING count(*) = ?",
            (first.isoformat(), last.isoformat(), nights),
        )
    }
    if any(i not in stored_ids for i in ids):
        raise NotMirrored("a listing's calendar is not in the store for these nights")
    oldest_open, newest = c.execute(
        "SELECT min(CASE WHEN day >= ? THEN checked_at END), max(checked_at) FROM calendar "
        "WHERE day BETWEEN ? AND ?",
        (today.isoformat(), first.isoformat(), last.isoformat()),
    ).fetchone()
    # Nights before today are settled: then the answer is as of their latest read.
    return found, oldest_open if oldest_open is not None else newest


def _inode(path: Path) -> int | None:
    try:
        return path.stat().st_ino
    except FileNotFoundError:
        return None


def _duration(seconds: float) -> str:
    minutes = max(1, round(seconds / 60))
    if minutes < 90:
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    return f"{minutes / 60:.1f} hours"


def forget_store(path: Path) -> list[Path] | None:
    """Delete a store file (with its companions and copies set aside); None when a process is
    using it."""
    lock = SyncLock(lock_file(path))
    if path.exists() and not lock.try_acquire():
        return None
    lock.release()
    return delete_store(path)


def _cause(exc: BaseException) -> BaseException:
    """The error that stopped a cycle: the first Hostaway or store error inside a task group's
    exception group, else the exception itself."""
    if isinstance(exc, BaseExceptionGroup):
        for inner in exc.exceptions:
            found = _cause(inner)
            if isinstance(found, HostawayError | sqlite3.Error):
                return found
    return exc
