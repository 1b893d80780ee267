"""The client's OAuth access token (client credentials): minted once for all concurrent callers,
used only after Hostaway's warm-up of about a second, minted again before it expires or once a
403 shows it has, and revoked at shutdown. The client secret and every token are registered for
redaction, so neither ever appears in a log or an error."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Protocol

import anyio
import httpx

from ..config import Settings
from ..errors import AuthenticationError, ConfigurationError, UpstreamUnavailable
from ..logs import register_secret
from ._envelope import decode, parse_count, raise_for_status
from ._limiter import Clock, Sleep
from ._records import Params, RequestStats

logger = logging.getLogger(__name__)

TOKEN_WARMUP_SECONDS = 1.0  # Hostaway: a new token becomes valid about a second after issue
# Revoking the token at shutdown is a courtesy: it never holds the exit up for longer than this.
REVOKE_SECONDS = 5.0


class SendWithRetries(Protocol):
    """The client's request with its retries (the token request goes through them)."""

    def __call__(
        self,
        method: str,
        path: str,
        *,
        data: Mapping[str, Any],
        token: str | None,
        idempotent: bool,
    ) -> Awaitable[httpx.Response]: ...


# The client's single exchange within the limits, never retried (revoking goes through it):
# (method, path, params, json_body, data, token) -> the answer.
SendOnce = Callable[
    [str, str, Params | None, Any, Mapping[str, Any] | None, str | None], Awaitable[httpx.Response]
]


class TokenKeeper:
    """The one access token of a client: it mints, caches, drops and revokes it, sending through
    the client's own request functions (so token requests count in its limits and stats)."""

    def __init__(
        self,
        settings: Settings,
        stats: RequestStats,
        *,
        send_with_retries: SendWithRetries,
        send_once: SendOnce,
        clock: Clock,
        sleep: Sleep,
        warmup: float = TOKEN_WARMUP_SECONDS,
    ) -> None:
        register_secret(settings.client_secret)  # before anything could log it
        self.settings = settings
        self.stats = stats
        self.warmup = warmup
        self._send_with_retries = send_with_retries
        self._send_once = send_once
        self._clock = clock
        self._sleep = sleep
        self._mint_lock = anyio.Lock()
        self._token: str | None = None
        self._token_usable_at = 0.0
        self._token_refresh_at = 0.0

    @property
    def has_token(self) -> bool:
        return self._token is not None

    async def revoke_token(self) -> bool:
        """`DELETE /accessTokens?token=…` for the token in use; True when Hostaway confirmed.
        Best effort and bounded in time: a failure is logged, never raised."""
        token, self._token = self._token, None
        if token is None:
            return False
        revoked = False
        with anyio.move_on_after(min(REVOKE_SECONDS, self.settings.timeout)):
            try:
                response = await self._send_once(
                    "DELETE", "/accessTokens", {"token": token}, None, None, token
                )
                revoked = response.status_code < 400
            except Exception as exc:  # shutting down: report it, never raise
                logger.warning("access token not revoked", extra={"error": type(exc).__name__})
                return False
        if revoked:
            logger.info("access token revoked")
        else:
            logger.warning("access token not revoked")
        return revoked

    async def access_token(self) -> str:
        if self._token is None or self._clock() >= self._token_refresh_at:
            async with self._mint_lock:  # single flight: late arrivals reuse the fresh token
                if self._token is None or self._clock() >= self._token_refresh_at:
                    await self._mint_token()
        token = self._token
        assert token is not None  # noqa: S101 - set by _mint_token or it raised
        wait = self._token_usable_at - self._clock()
        if wait > 0:
            await self._sleep(wait)
        return token

    async def _mint_token(self) -> None:
        settings = self.settings
        if not settings.has_credentials:
            raise ConfigurationError(settings.missing_credentials_message())
        form = {
            "grant_type": "client_credentials",
            "client_id": settings.client_id or "",
            "client_secret": settings.client_secret or "",
            "scope": "general",
        }
        self.stats.token_requests += 1
        response = await self._send_with_retries(
            "POST", "/accessTokens", data=form, token=None, idempotent=True
        )
        if response.status_code in (400, 401, 403):
            self.stats.failed(f"credentials refused (HTTP {response.status_code})")
            raise AuthenticationError(
                f"Hostaway rejected the credentials (HTTP {response.status_code}).",
                status_code=response.status_code,
            )
        body = decode(response)
        if response.status_code >= 400 or not isinstance(body, dict):
            raise_for_status(response, body)
        token = body.get("access_token") if isinstance(body, dict) else None
        if not isinstance(token, str) or not token:
            raise UpstreamUnavailable("Hostaway's token endpoint answered without an access token.")
        register_secret(token)
        expires_in = parse_count(body.get("expires_in")) or 24 * 3600
        refresh_margin = min(settings.token_refresh_days * 86400, expires_in / 2)
        now = self._clock()
        self._token = token
        self._token_usable_at = now + self.warmup
        self._token_refresh_at = now + expires_in - refresh_margin
        logger.info("access token minted", extra={"expires_in": expires_in})

    def drop_token(self, token: str) -> None:
        if self._token == token:  # only the first of several concurrent 403s forces a re-mint
            self._token = None
