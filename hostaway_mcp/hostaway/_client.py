"""Async Hostaway API v1 client: rate and concurrency limits, retries, envelope parsing and
pagination, with the OAuth access token (client credentials) kept by `_token.TokenKeeper`. Knows
nothing about MCP."""

from __future__ import annotations

import logging
import random
import time
from collections.abc import AsyncIterator, Callable, Mapping
from typing import Any

import anyio
import httpx

from .. import __version__
from ..config import Settings
from ..errors import (
    HostawayError,
    OutcomeUnknown,
    PermissionDenied,
    UpstreamTimeout,
    UpstreamUnavailable,
)
from ._envelope import as_list, decode, fail_text, parse_count, raise_for_status, read_answer
from ._limiter import Clock, Sleep, SlidingWindowLimiter
from ._records import CursorPage, OffsetPage, Params, RequestStats, clean_params
from ._retry import (
    RetryPolicy,
    may_have_been_sent,
    outcome_unknown,
    parse_retry_after,
    rate_limit_wait,
    refused_without_acting,
    resendable,
)
from ._token import TOKEN_WARMUP_SECONDS, TokenKeeper

logger = logging.getLogger(__name__)

# Widen each rate window a little (1 % + 10 ms) so clock and network jitter between our stamps and
# Hostaway's never put one request too many into a window.
LIMITER_MARGIN_FRACTION = 0.01
LIMITER_MARGIN_SECONDS = 0.01
JSONValue = Any


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
        self._tokens = TokenKeeper(
            settings,
            self.stats,
            send_with_retries=self._send_with_retries,
            send_once=self._send_once,
            clock=clock,
            sleep=sleep,
            warmup=token_warmup,
        )

    async def aclose(self) -> None:
        """Revoke the access token (a live token left behind at every start is a credential
        lying around for two years), then close the connections."""
        try:
            await self.revoke_token()
        finally:
            await self._http.aclose()

    async def revoke_token(self) -> bool:
        """Revoke the token in use (TokenKeeper.revoke_token); True when Hostaway confirmed.
        Best effort and bounded in time: a failure is logged, never raised."""
        return await self._tokens.revoke_token()

    @property
    def has_token(self) -> bool:
        return self._tokens.has_token

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
        token = await self._tokens.access_token()
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
            self._tokens.drop_token(token)
            token = await self._tokens.access_token()
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
            return read_answer(method, path, response)
        if refused_without_acting(response.status_code):
            raise_for_status(response, decode(response, strict=False))
        try:
            return read_answer(method, path, response)
        except UpstreamUnavailable as exc:  # a 5xx, or a success we cannot read
            raise outcome_unknown(method, path, exc.message) from None

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
                    raise outcome_unknown(method, path, "its answer could not be decoded") from None
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
                raise outcome_unknown(
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
                        params=clean_params(params),
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
