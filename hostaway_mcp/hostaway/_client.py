"""Async Hostaway API v1 client: OAuth client credentials, rate and concurrency limits, retries,
envelope parsing and pagination. Knows nothing about MCP."""

from __future__ import annotations

import logging
import random
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import anyio
import httpx

from .. import __version__
from ..config import Settings
from ..errors import (
    AuthenticationError,
    ConfigurationError,
    HostawayError,
    OutcomeUnknown,
    PermissionDenied,
    UpstreamTimeout,
    UpstreamUnavailable,
)
from ..logs import register_secret
from ._envelope import as_list, decode, fail_text, parse_count, raise_fail, raise_for_status
from ._limiter import Clock, Sleep, SlidingWindowLimiter
from ._retry import (
    RetryPolicy,
    may_have_been_sent,
    parse_retry_after,
    rate_limit_wait,
    refused_without_acting,
    resendable,
)

logger = logging.getLogger(__name__)

TOKEN_WARMUP_SECONDS = 1.0  # Hostaway: a new token becomes valid about a second after issue
# Widen each rate window a little (1 % + 10 ms) so clock and network jitter between our stamps and
# Hostaway's never put one request too many into a window.
LIMITER_MARGIN_FRACTION = 0.01
LIMITER_MARGIN_SECONDS = 0.01
# Revoking the token at shutdown is a courtesy: it never holds the exit up for longer than this.
REVOKE_SECONDS = 5.0
JSONValue = Any
Params = Mapping[str, Any]


@dataclass
class RequestStats:
    """Upstream traffic counters (tests, benchmarks, check_connection and the team server's
    /metrics and /healthz read these)."""

    requests: int = 0
    token_requests: int = 0
    retries: int = 0
    rate_limited: int = 0
    by_path: Counter[str] = field(default_factory=Counter)
    by_status: Counter[int] = field(default_factory=Counter)  # every answer, 429s included
    errors: Counter[str] = field(default_factory=Counter)  # no answer: timeout or network
    # Wall-clock times (time.time()) of the last answer and the last failure (no answer, 429,
    # 5xx or refused credentials), so a health check can say "reachable" without a request.
    last_answer_at: float | None = None
    last_failure_at: float | None = None
    last_failure: str | None = None

    def failed(self, reason: str) -> None:
        self.last_failure_at = time.time()
        self.last_failure = reason


@dataclass(frozen=True)
class OffsetPage:
    items: list[dict[str, Any]]
    offset: int
    count: int | None


@dataclass(frozen=True)
class CursorPage:
    items: list[dict[str, Any]]
    last: bool  # no page follows (the count was reached, or this page was empty)
    count: int | None = None  # rows matching the query in all (known when paging from the start)


def _clean_params(params: Params | None) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    for key, value in (params or {}).items():
        if value is None:
            continue
        cleaned[key] = int(value) if isinstance(value, bool) else value
    return cleaned


class HostawayClient:
    """One per process. ``transport`` lets tests and the demo sandbox stand in for the network."""

    def __init__(
        self,
        settings: Settings,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        retry: RetryPolicy | None = None,
        clock: Clock = time.monotonic,
        sleep: Sleep = anyio.sleep,
        rng: Callable[[], float] = random.random,
        token_warmup: float = TOKEN_WARMUP_SECONDS,
    ) -> None:
        self.settings = settings
        self._token_warmup = token_warmup
        self.retry = retry or RetryPolicy()
        self.stats = RequestStats()
        self._clock = clock
        self._sleep = sleep
        self._rng = rng
        self._http = httpx.AsyncClient(
            base_url=settings.base_url,
            transport=transport,
            timeout=httpx.Timeout(settings.timeout, connect=min(10.0, settings.timeout)),
            headers={
                "User-Agent": f"hostaway-mcp/{__version__}",
                "Accept": "application/json",
                "Cache-Control": "no-cache",
            },
        )
        window = settings.rate_window_seconds
        self.limiter = SlidingWindowLimiter(
            [(settings.rate_limit_ip, window), (settings.rate_limit_account, window)],
            margin=window * LIMITER_MARGIN_FRACTION + LIMITER_MARGIN_SECONDS,
            clock=clock,
            sleep=sleep,
        )
        self._semaphore = anyio.Semaphore(settings.max_concurrent_requests)
        self._mint_lock = anyio.Lock()
        self._token: str | None = None
        self._token_usable_at = 0.0
        self._token_refresh_at = 0.0
        register_secret(settings.client_secret)

    async def aclose(self) -> None:
        """Revoke the access token (a live token left behind at every start is a credential
        lying around for two years), then close the connections."""
        try:
            await self.revoke_token()
        finally:
            await self._http.aclose()

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

    @property
    def has_token(self) -> bool:
        return self._token is not None

    # ---- authentication -------------------------------------------------------------------

    async def _access_token(self) -> str:
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
        self._token_usable_at = now + self._token_warmup
        self._token_refresh_at = now + expires_in - refresh_margin
        logger.info("access token minted", extra={"expires_in": expires_in})

    def _drop_token(self, token: str) -> None:
        if self._token == token:  # only the first of several concurrent 403s forces a re-mint
            self._token = None

    async def check(self) -> int | None:
        """Mint a token and read one listing; return the account's listing count."""
        envelope = await self.request("GET", "/listings", params={"limit": 1})
        return parse_count(envelope.get("count"))

    # ---- requests -------------------------------------------------------------------------

    async def get(self, path: str, params: Params | None = None) -> JSONValue:
        return (await self.request("GET", path, params=params)).get("result")

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Params | None = None,
        json_body: Any = None,
        data: Mapping[str, Any] | None = None,
        creates: bool = False,
    ) -> dict[str, Any]:
        """Send an authenticated request and return the success envelope.

        ``creates=True`` marks a request that must never take effect twice (it creates something,
        or reaches a guest or a channel). It is sent again only after a 429, which means Hostaway
        did not act; once Hostaway may have acted (a timeout, a 5xx, a dropped connection, an
        answer that cannot be read) it raises OutcomeUnknown instead. A 401/403 re-mints the
        token once and sends once more (Hostaway did not act on a rejected token either).
        """
        idempotent = not creates
        token = await self._access_token()
        response = await self._send_with_retries(
            method,
            path,
            params=params,
            json_body=json_body,
            data=data,
            token=token,
            idempotent=idempotent,
        )
        if response.status_code in (401, 403):
            self._drop_token(token)
            token = await self._access_token()
            response = await self._send_with_retries(
                method,
                path,
                params=params,
                json_body=json_body,
                data=data,
                token=token,
                idempotent=idempotent,
            )
            if response.status_code in (401, 403):
                body = decode(response, strict=False)
                raise PermissionDenied(
                    f"Hostaway refused {method} {path} (HTTP {response.status_code}) even with a "
                    f"fresh token{fail_text(body)}.",
                    status_code=response.status_code,
                )
        if idempotent:
            return self._read_answer(method, path, response)
        if refused_without_acting(response.status_code):
            raise_for_status(response, decode(response, strict=False))
        try:
            return self._read_answer(method, path, response)
        except UpstreamUnavailable as exc:  # a 5xx, or a success we cannot read
            raise self._outcome_unknown(method, path, exc.message) from None

    def _read_answer(self, method: str, path: str, response: httpx.Response) -> dict[str, Any]:
        body = decode(response)
        if response.status_code >= 400:
            raise_for_status(response, body)
        if not isinstance(body, dict) or "status" not in body:
            raise UpstreamUnavailable(
                f"Hostaway answered {method} {path} with an unexpected body (no status envelope)."
            )
        if body.get("status") != "success":
            raise_fail(body, response.status_code)
        return body

    def _outcome_unknown(self, method: str, path: str, what: str) -> OutcomeUnknown:
        return OutcomeUnknown(
            f"{method} {path} was sent, then: {what.rstrip('.')}. It may or may not have taken "
            "effect.",
            hint="Check in Hostaway (or list the items again) before trying again.",
        )

    async def _send_with_retries(
        self,
        method: str,
        path: str,
        *,
        params: Params | None = None,
        json_body: Any = None,
        data: Mapping[str, Any] | None = None,
        token: str | None,
        idempotent: bool,
    ) -> httpx.Response:
        started = self._clock()
        attempt = 0
        while True:
            attempt += 1
            try:
                response = await self._send_once(method, path, params, json_body, data, token)
            except httpx.TimeoutException as exc:
                sent = may_have_been_sent(exc)
                if not idempotent and sent:
                    raise OutcomeUnknown(
                        f"{method} {path} was sent but Hostaway did not answer within "
                        f"{self.settings.timeout:g} s, so it may or may not have taken effect.",
                        hint="Check in Hostaway (or list the items again) before trying again.",
                    ) from None
                limit = self.retry.timeout_attempts if sent else self.retry.max_attempts
                if not idempotent or not self._may_retry(attempt, limit, started, 0.0):
                    raise UpstreamTimeout(
                        f"Hostaway did not answer {method} {path} within "
                        f"{self.settings.timeout:g} s (HOSTAWAY_TIMEOUT)."
                    ) from None
                await self._backoff(attempt, None, path, "timeout")
                continue
            except httpx.TransportError as exc:
                if not idempotent and may_have_been_sent(exc):
                    raise OutcomeUnknown(
                        f"The connection broke while sending {method} {path}; it may or may not "
                        "have taken effect.",
                        hint="Check in Hostaway before trying again.",
                    ) from None
                if not idempotent or not self._may_retry(
                    attempt, self.retry.max_attempts, started, 0
                ):
                    raise UpstreamUnavailable(
                        f"Could not reach Hostaway at {self.settings.base_url} "
                        f"({type(exc).__name__})."
                    ) from None
                await self._backoff(attempt, None, path, type(exc).__name__)
                continue
            except httpx.DecodingError:
                # The answer arrived (so the request was delivered) but its body cannot be read.
                if not idempotent:
                    raise self._outcome_unknown(
                        method, path, "its answer could not be decoded"
                    ) from None
                if not self._may_retry(attempt, self.retry.max_attempts, started, 0):
                    raise UpstreamUnavailable(
                        f"Hostaway's answer to {method} {path} could not be decoded."
                    ) from None
                await self._backoff(attempt, None, path, "undecodable answer")
                continue
            except HostawayError:
                raise
            except Exception as exc:
                if idempotent:
                    raise
                # Nobody planned for this, and the request may have left: never send it again.
                logger.warning(
                    "unexpected failure after sending",
                    exc_info=True,
                    extra={"path": path, "error": type(exc).__name__},
                )
                raise self._outcome_unknown(
                    method, path, f"the exchange failed unexpectedly ({type(exc).__name__})"
                ) from None

            status = response.status_code
            if status == 429:
                self.stats.rate_limited += 1
            if not resendable(status, idempotent=idempotent):
                return response
            wait = parse_retry_after(response)
            if not idempotent:
                wait = rate_limit_wait(wait, self.settings.rate_window_seconds)
            if not self._may_retry(attempt, self.retry.max_attempts, started, wait):
                return response
            await self._backoff(attempt, wait, path, f"HTTP {status}", resend=not idempotent)

    def _may_retry(self, attempt: int, limit: int, started: float, wait: float | None) -> bool:
        return self.retry.may_retry(attempt, limit, self._clock() - started, wait)

    async def _backoff(
        self, attempt: int, wait: float | None, path: str, reason: str, *, resend: bool = False
    ) -> None:
        delay = wait if wait is not None else self.retry.backoff(attempt, self._rng)
        self.stats.retries += 1
        if reason == "HTTP 429":
            self.limiter.pause(delay)  # everyone backs off, not just this call
        # A request that must not take effect twice is only ever resent after a 429.
        message = f"resending after {reason}" if resend else "retrying upstream request"
        logger.warning(
            message,
            extra={"path": path, "reason": reason, "attempt": attempt, "delay_s": round(delay, 3)},
        )
        await self._sleep(delay)

    async def _send_once(
        self,
        method: str,
        path: str,
        params: Params | None,
        json_body: Any,
        data: Mapping[str, Any] | None,
        token: str | None,
    ) -> httpx.Response:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        # The request holds its place in the rate windows until its answer has arrived.
        async with self._semaphore, self.limiter.slot():
            self.stats.requests += 1
            self.stats.by_path[f"{method} {path}"] += 1
            began = time.perf_counter()
            # httpx enforces its timeouts per network phase only (and not at all for in-process
            # transports); this bounds the whole exchange.
            try:
                with anyio.fail_after(self.settings.timeout):
                    response = await self._http.request(
                        method,
                        path,
                        params=_clean_params(params),
                        json=json_body,
                        data=data,
                        headers=headers,
                    )
            except TimeoutError:
                self.stats.errors["timeout"] += 1
                self.stats.failed("timeout")
                raise httpx.ReadTimeout(f"no answer within {self.settings.timeout:g} s") from None
            except httpx.TransportError as exc:
                kind = "timeout" if isinstance(exc, httpx.TimeoutException) else "network"
                self.stats.errors[kind] += 1
                self.stats.failed(type(exc).__name__)
                raise
        self._count_answer(response.status_code)
        logger.debug(
            "upstream request",
            extra={
                "method": method,
                "path": path,
                "status": response.status_code,
                "ms": round((time.perf_counter() - began) * 1000, 1),
            },
        )
        return response

    def _count_answer(self, status: int) -> None:
        stats = self.stats
        stats.by_status[status] += 1
        stats.last_answer_at = time.time()
        if status == 429 or status >= 500:
            stats.failed(f"HTTP {status}")

    # ---- pagination -----------------------------------------------------------------------

    async def iter_offset_pages(
        self, path: str, params: Params | None = None, *, page_size: int = 100, offset: int = 0
    ) -> AsyncIterator[OffsetPage]:
        """limit/offset pages until an empty page or ``offset >= count``; short pages are fine."""
        while True:
            envelope = await self.request(
                "GET", path, params={**(params or {}), "limit": page_size, "offset": offset}
            )
            items = as_list(envelope.get("result"))
            count = parse_count(envelope.get("count"))
            yield OffsetPage(items=items, offset=offset, count=count)
            offset += len(items)
            if not items or (count is not None and offset >= count):
                return

    async def iter_after_id_pages(
        self,
        path: str,
        params: Params | None = None,
        *,
        page_size: int = 100,
        after_id: int | None = None,
    ) -> AsyncIterator[CursorPage]:
        """Cursor pages (``afterId`` = id of the previous page's last row) until an empty page,
        or until the first page's ``count`` rows have been seen."""
        seen = 0
        total: int | None = None
        while True:
            query = {**(params or {}), "limit": page_size}
            if after_id is not None:
                query["afterId"] = after_id
            envelope = await self.request("GET", path, params=query)
            items = as_list(envelope.get("result"))
            if total is None and after_id is None:
                total = parse_count(envelope.get("count"))
            seen += len(items)
            last_id = parse_count(items[-1].get("id")) if items else None
            done = last_id is None or last_id == after_id or (total is not None and seen >= total)
            yield CursorPage(items=items, last=done, count=total)
            if done:
                return
            after_id = last_id


__all__ = [
    "CursorPage",
    "HostawayClient",
    "HostawayError",
    "OffsetPage",
    "RequestStats",
    "RetryPolicy",
]
