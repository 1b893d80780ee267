"""`Mirror`: the local copy of one account. It opens the store, runs the sync in the background
(only in the process holding the sync lock), keeps what answers need fresh, answers the list
queries Hostaway would answer, and records writes made through our tools at once.

This module holds its lifecycle (open, the background loop, close); its state and status are in
state.py, its answers in answers.py, its freshness and the writes recorded in updates.py."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import anyio

from ...errors import HostawayError
from .._limiter import background_priority
from .answers import CLOSED_FOR, MirrorAnswers
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
from .state import SyncStatus
from .stays import StayIndex
from .store import MirrorStore, is_damage
from .sync import Syncer
from .updates import MirrorUpdates
from .version import fingerprint
from .window import DATASETS

__all__ = ["FIRST_SYNC_CALL_LIMIT", "Mirror", "SyncStatus", "forget_store"]

logger = logging.getLogger(__name__)

READER_POLL = 5.0  # how often a process that does not sync looks at the store again
MIN_CYCLE = 5.0
ERROR_BACKOFF = (10.0, 30.0, 60.0, 300.0)
LISTINGS_EVERY = 600.0
FIRST_SYNC_CALL_LIMIT = 45.0  # no tool call runs longer while the first sync runs
PROGRESS_LOG_EVERY = 30.0


class Mirror(MirrorUpdates, MirrorAnswers):
    """One account's local copy. Its lifecycle is here; its state (and constructor) is
    `MirrorState`, its answers `MirrorAnswers`, its freshness and recorded writes `MirrorUpdates`."""

    # ---- lifecycle ------------------------------------------------------------------------------

    def try_lock(self) -> bool:
        """Become the process that syncs this store, if no other process is."""
        return self._lock is not None and self._lock.try_acquire()

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
        # Listings after ready: they change seldom, answers about them are stamped with their last
        # whole read, and on a busy account every listing has booking activity each day, so the
        # by-activity read pages through them all.
        if now - self._listings_at >= LISTINGS_EVERY:
            await syncer.refresh_listings()
            self._listings_at = now
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

    def call_time_limit(self) -> float | None:
        """While the first sync runs no tool call may take longer than this."""
        return FIRST_SYNC_CALL_LIMIT if self.first_sync_running() else None


def _inode(path: Path) -> int | None:
    try:
        return path.stat().st_ino
    except FileNotFoundError:
        return None


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
