"""Keeping the `Mirror` current on demand: a refresh before an answer when the copy is older
than the freshness period, writes made through our tools recorded at once (with what they
invalidate queued), and the single-object refreshes webhooks ask for."""

from __future__ import annotations

import logging
import re
import sqlite3
from datetime import date, timedelta
from typing import Any, Literal

from ...errors import HostawayError, RateLimited, UpstreamUnavailable
from ..types import Command
from .rows import ExpenseRow, calendar_rows
from .state import MirrorState
from .window import chunks

logger = logging.getLogger(__name__)

_RESERVATION_PATH = re.compile(r"^/reservations(?:/(\d+)(?:/statuses/cancelled)?)?$")
_CALENDAR_PATH = re.compile(r"^/listings/(\d+)/calendar$")
_MESSAGE_PATH = re.compile(r"^/conversations/(\d+)/messages$")


class MirrorUpdates(MirrorState):
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
