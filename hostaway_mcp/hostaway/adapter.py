"""`Hostaway`: typed queries and commands over the HTTP client, one mixin per area of the
account. Raw Hostaway dicts are mapped to entities once; slow-changing reads are cached."""

from __future__ import annotations

from typing import Any, TypeVar

import httpx

from ..config import Settings
from ._client import HostawayClient, RequestStats
from ._finance import FinanceReads
from ._listings import ListingReads
from ._messaging import MessageReads
from ._operations import OperationReads
from ._reservations import ReservationReads
from ._retry import RetryPolicy
from .types import Command

T = TypeVar("T")


class Hostaway(ListingReads, ReservationReads, MessageReads, OperationReads, FinanceReads):
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
        return cls(client, settings.cache_ttl)

    async def aclose(self) -> None:
        """Revoke the access token (best effort) and close the connections."""
        await self._client.aclose()

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
        finally:
            if command.listing_id is not None:
                self.forget_listing(command.listing_id)
        return command.decode(envelope.get("result"))
