"""`POST /webhooks/hostaway`: Hostaway's unified webhooks. Checked with the basic-auth login and
password entered in Hostaway, answered 200 at once (also for events we do not use), and handed to a
background worker that refreshes the objects named (a reservation or a conversation, and the
listing's calendar) through a `Refresher`: the local mirror when there is one. Deliveries may
repeat; a refresh already waiting absorbs its duplicates."""

from __future__ import annotations

import base64
import binascii
import hmac
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, Protocol

import anyio
from anyio.streams.memory import MemoryObjectReceiveStream, MemoryObjectSendStream
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from ..hostaway import Hostaway, WebhookEvent, parse_webhook
from .metrics import Metrics

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 1024 * 1024
QUEUE_CAPACITY = 10_000  # distinct objects waiting; beyond this a delivery is dropped (and logged)
REALM = "hostaway-mcp webhooks"

JobKind = Literal["reservation", "conversation", "listing"]
Offer = Literal["queued", "duplicate", "ignored", "dropped"]


class Refresher(Protocol):
    """What a webhook refreshes: `MirrorRefresher` with the local mirror, else `CacheRefresher`."""

    async def refresh_reservation(self, reservation_id: int) -> None: ...

    async def refresh_conversation(self, conversation_id: int) -> None: ...

    async def refresh_listing(self, listing_id: int) -> None: ...


class CacheRefresher:
    """Without the mirror (HOSTAWAY_STORE=off): drop what the adapter has cached about the
    object. It caches no reservation or conversation (every read of them is live), only listing
    details and calendars, which the listing hint drops."""

    def __init__(self, forget_listing: Callable[[int], None]) -> None:
        self._forget_listing = forget_listing

    async def refresh_reservation(self, reservation_id: int) -> None:
        logger.debug("nothing cached for the reservation", extra={"reservation_id": reservation_id})

    async def refresh_conversation(self, conversation_id: int) -> None:
        logger.debug(
            "nothing cached for the conversation", extra={"conversation_id": conversation_id}
        )

    async def refresh_listing(self, listing_id: int) -> None:
        self._forget_listing(listing_id)


class MirrorRefresher:
    """With the mirror: read the object named into the local copy now, so the next answer has it
    without waiting for the next refresh cycle (one request each). The listing hint reads the
    listing's calendar ahead (a booking changed it) and drops what the adapter cached of it."""

    def __init__(self, hostaway: Hostaway) -> None:
        self._hostaway = hostaway

    async def refresh_reservation(self, reservation_id: int) -> None:
        if not await self._hostaway.refresh_reservation(reservation_id):
            logger.debug("mirror not open: reservation not refreshed")

    async def refresh_conversation(self, conversation_id: int) -> None:
        if not await self._hostaway.refresh_conversation(conversation_id):
            logger.debug("mirror not open: conversation not refreshed")

    async def refresh_listing(self, listing_id: int) -> None:
        self._hostaway.forget_listing(listing_id)
        if not await self._hostaway.refresh_listing_calendar(listing_id):
            logger.debug("mirror not open: calendar not refreshed")


def refresher_for(hostaway: Hostaway) -> Refresher:
    """The mirror when this adapter has one (HOSTAWAY_STORE not off), else the cache."""
    if hostaway.mirror is not None:
        return MirrorRefresher(hostaway)
    return CacheRefresher(hostaway.forget_listing)


@dataclass(frozen=True)
class Job:
    kind: JobKind
    object_id: int


def jobs_for(event: WebhookEvent) -> list[Job]:
    """A reservation event refreshes the reservation; a message event its conversation (or, when
    the delivery names none, its reservation). A listing named by either refreshes that listing's
    calendar: a booking may have changed it."""
    jobs: list[Job] = []
    if event.kind == "reservation" and event.reservation_id is not None:
        jobs.append(Job("reservation", event.reservation_id))
    elif event.kind == "message":
        if event.conversation_id is not None:
            jobs.append(Job("conversation", event.conversation_id))
        elif event.reservation_id is not None:
            jobs.append(Job("reservation", event.reservation_id))
    if jobs and event.listing_id is not None:
        jobs.append(Job("listing", event.listing_id))
    return jobs


class WebhookQueue:
    """Jobs waiting for the worker, each object at most once."""

    def __init__(self, metrics: Metrics, capacity: int = QUEUE_CAPACITY) -> None:
        self.metrics = metrics
        self._pending: set[Job] = set()
        self._send: MemoryObjectSendStream[Job]
        self._receive: MemoryObjectReceiveStream[Job]
        self._send, self._receive = anyio.create_memory_object_stream[Job](capacity)

    @property
    def pending(self) -> int:
        return len(self._pending)

    def offer(self, event: WebhookEvent) -> Offer:
        jobs = jobs_for(event)
        if not jobs:
            result: Offer = "ignored"
        else:
            result = "duplicate"
            for job in jobs:
                if job in self._pending:
                    continue
                try:
                    self._send.send_nowait(job)
                except anyio.WouldBlock:
                    result = "dropped"
                    break
                self._pending.add(job)
                result = "queued"
        self.metrics.webhooks[(event.kind, result)] += 1
        return result

    async def run(self, refresher: Refresher) -> None:
        """Work through the queue until cancelled. A failed refresh is logged, never fatal."""
        async for job in self._receive:
            # Taken off before the work, so a change arriving meanwhile is refreshed again.
            self._pending.discard(job)
            try:
                if job.kind == "reservation":
                    await refresher.refresh_reservation(job.object_id)
                elif job.kind == "conversation":
                    await refresher.refresh_conversation(job.object_id)
                else:
                    await refresher.refresh_listing(job.object_id)
            except Exception as exc:  # one object's failure must not stop the worker
                logger.warning(
                    "webhook refresh failed",
                    extra={"job": job.kind, "object_id": job.object_id, "error": repr(exc)},
                )


def _credentials(header: str | None) -> tuple[bytes, bytes] | None:
    scheme, _, value = (header or "").partition(" ")
    if scheme.lower() != "basic" or not value.strip():
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True)
    except (binascii.Error, ValueError):
        return None
    login, colon, password = decoded.partition(b":")
    return (login, password) if colon else None


class WebhookEndpoint:
    """The route handler. ``login``/``password`` None: webhooks are not configured (404)."""

    def __init__(
        self, queue: WebhookQueue, login: str | None, password: str | None, metrics: Metrics
    ) -> None:
        self.queue = queue
        self._expected = (
            (login.encode(), password.encode())
            if login is not None and password is not None
            else None
        )
        self.metrics = metrics

    def _authorized(self, header: str | None, expected: tuple[bytes, bytes]) -> bool:
        given = _credentials(header) or (b"", b"")
        # Both compared every time, in constant time: no early exit tells which one was wrong.
        login_ok = hmac.compare_digest(given[0], expected[0])
        password_ok = hmac.compare_digest(given[1], expected[1])
        return login_ok and password_ok

    async def handle(self, request: Request) -> Response:
        if self._expected is None:
            logger.warning(
                "webhook received but not configured: set HOSTAWAY_WEBHOOK_LOGIN and "
                "HOSTAWAY_WEBHOOK_PASSWORD"
            )
            return JSONResponse({"error": "webhooks are not configured"}, 404)
        if not self._authorized(request.headers.get("authorization"), self._expected):
            self.metrics.webhooks[("unknown", "refused")] += 1
            logger.warning("webhook refused: wrong or missing basic-auth credentials")
            return JSONResponse(
                {"error": "wrong or missing credentials"},
                401,
                headers={"WWW-Authenticate": f'Basic realm="{REALM}", charset="UTF-8"'},
            )
        body = bytearray()
        async for chunk in request.stream():
            body.extend(chunk)
            if len(body) > MAX_BODY_BYTES:
                return JSONResponse({"error": "body too large"}, 413)
        event = parse_webhook(bytes(body))
        result = self.queue.offer(event)
        logger.info(
            "webhook received",
            extra={
                "event": event.name,
                "kind": event.kind,
                "reservation_id": event.reservation_id,
                "conversation_id": event.conversation_id,
                "listing_id": event.listing_id,
                "result": result,
            },
        )
        return JSONResponse({"status": "ok", "result": result})
