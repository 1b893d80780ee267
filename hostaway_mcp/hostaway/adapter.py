"""`Hostaway`: typed queries and commands over the HTTP client, one mixin per area of the
account. Raw Hostaway dicts are mapped to entities once; slow-changing reads are cached; the
portfolio-wide reads come from the local mirror when it holds the exact answer."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

import httpx

from ..config import STORE_OFF, STORE_THROWAWAY, Settings
from ..errors import StillSyncing
from ._client import HostawayClient
from ._finance import FinanceReads
from ._mirrored import MirroredReads
from ._records import RequestStats
from ._retry import RetryPolicy
from .mirror import Mirror, SyncStatus
from .mirror.files import store_file
from .mirror.mirror import forget_store
from .types import Command

T = TypeVar("T")


class Hostaway(MirroredReads, FinanceReads):
    """The one door to Hostaway: every read and write of the account goes through one of these."""

    @classmethod
    def connect(
        cls,
        settings: Settings,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        retry: RetryPolicy | None = None,
        token_warmup: float | None = None,
    ) -> Hostaway:
        """One per process. ``transport`` lets the demo and tests stand in for the network."""
        options: dict[str, Any] = {}
        if token_warmup is not None:
            options["token_warmup"] = token_warmup
        client = HostawayClient(settings, transport=transport, retry=retry, **options)
        hostaway = cls(client, settings.cache_ttl)
        if settings.store != STORE_OFF and settings.client_id:
            location = None
            if settings.store != STORE_THROWAWAY:
                location = store_file(settings.store, settings.client_id, settings.base_url)
            hostaway._mirror = Mirror(client, settings, location)
        return hostaway

    async def aclose(self) -> None:
        """Close the mirror's store (its sync stopped by now), then revoke the access token (best
        effort, whatever happened to the store) and close the connections."""
        try:
            if self._mirror is not None:
                await self._mirror.close()
        finally:
            await self._client.aclose()

    # ---- the local mirror -----------------------------------------------------------------------

    @staticmethod
    def local_copy_path(settings: Settings) -> Path | None:
        """The mirror's file for these settings (None when off or throwaway)."""
        if settings.store in (STORE_OFF, STORE_THROWAWAY) or not settings.client_id:
            return None
        return store_file(settings.store, settings.client_id, settings.base_url)

    @classmethod
    def forget_local_copy(cls, settings: Settings) -> list[Path] | None:
        """Delete the mirror's file (and copies set aside); None while a process uses it."""
        path = cls.local_copy_path(settings)
        return [] if path is None else forget_store(path)

    @property
    def mirror(self) -> Mirror | None:
        """The local mirror (None with HOSTAWAY_STORE=off)."""
        return self._mirror

    async def run_mirror(self) -> None:
        """The mirror's background sync, for the server's lifespan (returns at once without one;
        never raises)."""
        if self._mirror is not None:
            await self._mirror.run()

    async def sync_status(self) -> SyncStatus:
        if self._mirror is None:
            return SyncStatus(state="off", progress=0.0)
        return await self._mirror.status()

    def call_time_limit(self) -> float | None:
        """Seconds a tool call may take now (only bounded while the first sync runs)."""
        return None if self._mirror is None else self._mirror.call_time_limit()

    def still_syncing(self) -> StillSyncing:
        """The error a read gives when it ran out of time during the first sync."""
        if self._mirror is None:
            return StillSyncing("The account is still syncing.")
        return self._mirror.still_syncing()

    @property
    def stats(self) -> RequestStats:
        """Upstream traffic so far (requests, token mints, retries, 429s, answers by status, the
        last answer and the last failure)."""
        return self._client.stats

    @property
    def has_token(self) -> bool:
        """Whether an access token is held (minted and not dropped or revoked)."""
        return self._client.has_token

    async def check(self) -> int | None:
        """Mint a token and read one listing; the account's listing count."""
        return await self._client.check()

    # ---- writes ---------------------------------------------------------------------------------

    async def execute(self, command: Command[T]) -> T:
        """Send one prepared write and read its answer. Cached data of the listing it touches is
        dropped, even when it fails: it may have landed."""
        try:
            envelope = await self._client.request(
                command.method,
                command.path,
                json_body=command.body,
                creates=not command.idempotent,
            )
        except Exception:
            if self._mirror is not None:
                await self._mirror.after_write(command, None, failed=True)
            raise
        finally:
            if command.listing_id is not None:
                self.forget_listing(command.listing_id)
        result = envelope.get("result")
        if self._mirror is not None:
            await self._mirror.after_write(command, result, failed=False)
        return command.decode(result)
