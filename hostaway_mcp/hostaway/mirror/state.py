"""The `Mirror`'s state in memory, and what its bookkeeping says: which datasets can answer,
the first sync's progress and the time left, the lag behind Hostaway, the status tools show.
`MirrorState` is the base of `Mirror` (mirror.py); answers.py and updates.py build on it."""

from __future__ import annotations

import logging
import math
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Literal

import anyio

from ...config import Settings
from ...errors import StillSyncing
from .._client import HostawayClient
from ..entities import Conversation
from . import queries
from .datasets import Dataset
from .db import Db
from .lock import SyncLock
from .queries import NotMirrored
from .stays import StayIndex
from .store import is_damage
from .sync import Syncer
from .window import DATASETS, Window

logger = logging.getLogger(__name__)
State = Literal["off", "syncing", "ready", "error"]

START_DELAY = 1.0  # let the MCP handshake finish before the first request
RELOAD_AFTER = 2.0  # seconds the dataset bookkeeping is trusted in memory (other processes)


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


class MirrorState:
    """What every part of the mirror reads: the store, its syncer, the bookkeeping."""

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

    @property
    def syncing_here(self) -> bool:
        return self._lock is not None and self._lock.held

    @property
    def db(self) -> Db:
        if self._db is None:
            raise NotMirrored("the store is not open")
        return self._db

    def _syncer(self) -> Syncer:
        if self.syncer is None:
            raise NotMirrored("the store is not open")
        return self.syncer

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

    def _as_of(self, name: str) -> float | None:
        ds = self._datasets.get(name)
        if ds is None:
            return None
        # Only a whole read of the listings sees every edit (see Syncer.refresh_listings).
        return ds.pass_at or ds.refreshed_at if name == "listings" else ds.refreshed_at


def _duration(seconds: float) -> str:
    minutes = max(1, round(seconds / 60))
    if minutes < 90:
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    return f"{minutes / 60:.1f} hours"
