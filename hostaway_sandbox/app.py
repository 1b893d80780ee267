"""The Sandbox: an in-memory Hostaway API v1 simulator as an ASGI app, with fault knobs.

Every request passes, in order: request log -> injected fault -> rate limits (per IP and per
account) -> bearer token check (except POST /accessTokens) -> route handler.

Tests can also start from ``Sandbox.empty()`` and seed the records they need (``add_listing``,
``add_reservation``, ``set_calendar``, ``add_conversation``, ...), as Hostaway would send them.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs

import anyio
import httpx
from starlette.applications import Starlette
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import Message, Receive, Scope, Send

from . import routes_finance, routes_listings, routes_messages, routes_ops, routes_reservations
from .data import SNAPSHOT_TIME, Dataset, generate
from .errors import ApiError, BadRequest, Forbidden
from .faults import (
    AFTER_ROUTE_KINDS,
    RATE_LIMIT_MESSAGE,
    UNDECODABLE_BODY,
    Fault,
    FaultInjector,
    normalize_path,
    path_matches,
)
from .security import (
    DEMO_CLIENT_ID,
    DEMO_CLIENT_SECRET,
    TOKEN_LIFETIME_SECONDS,
    RateLimiter,
    TokenRegistry,
)
from .store import Store
from .web import failure, form_pairs

logger = logging.getLogger(__name__)

TRANSPORT_CLIENT = ("127.0.0.1", 50000)


@dataclass
class RequestRecord:
    method: str
    path: str  # without the /v1 prefix
    query: dict[str, list[str]]
    status: int  # 0 until the response starts
    at: float  # the sandbox clock (time.monotonic() by default) when the request arrived
    body: bytes = b""

    @property
    def params(self) -> dict[str, str]:
        """The query as one value per name (the last one sent)."""
        return {name: values[-1] for name, values in self.query.items()}

    def json(self) -> Any:
        return json.loads(self.body)


async def access_tokens(request: Request) -> JSONResponse:
    """Client-credentials grant; the response is a bare object, not an envelope."""
    sandbox: Sandbox = request.app.state.sandbox
    fields = dict(await form_pairs(request))
    if fields.get("grant_type") != "client_credentials":
        raise BadRequest("grant_type must be client_credentials")
    if fields.get("scope", "general") != "general":
        raise BadRequest("scope must be general")
    if (
        fields.get("client_id") != sandbox.client_id
        or fields.get("client_secret") != sandbox.client_secret
    ):
        raise Forbidden("Invalid client credentials")
    token = sandbox.tokens.issue(sandbox.client_id, sandbox.clock())
    return JSONResponse(
        {"token_type": "Bearer", "expires_in": TOKEN_LIFETIME_SECONDS, "access_token": token}
    )


async def revoke_token(request: Request) -> JSONResponse:
    sandbox: Sandbox = request.app.state.sandbox
    token = request.query_params.get("token")
    if not token:
        raise BadRequest("token is required")
    sandbox.tokens.revoke(token)
    return JSONResponse({"status": "success", "result": []})


async def _api_error(request: Request, exc: Exception) -> Response:
    if not isinstance(exc, ApiError):  # registered for ApiError only
        raise exc
    return failure(exc.message, exc.status_code)


async def _http_error(request: Request, exc: Exception) -> Response:
    if not isinstance(exc, HTTPException):  # registered for HTTPException only
        raise exc
    message = {404: "Not found", 405: "Method not allowed"}.get(exc.status_code, str(exc.detail))
    return failure(message, exc.status_code, headers=dict(exc.headers or {}))


def _build_router(sandbox: Sandbox) -> Starlette:
    routes: list[Route] = [
        Route("/v1/accessTokens", access_tokens, methods=["POST"]),
        Route("/v1/accessTokens", revoke_token, methods=["DELETE"]),
        *routes_listings.routes,
        *routes_reservations.routes,
        *routes_messages.routes,
        *routes_ops.routes,
        *routes_finance.routes,
    ]
    app = Starlette(
        routes=routes,
        exception_handlers={ApiError: _api_error, HTTPException: _http_error},
    )
    app.state.sandbox = sandbox
    app.state.store = sandbox.store
    return app


async def _read_body(receive: Receive) -> bytes:
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _form_client_id(body: bytes, headers: Headers) -> str | None:
    if "application/x-www-form-urlencoded" not in headers.get("content-type", ""):
        return None
    values = parse_qs(body.decode("utf-8", "replace")).get("client_id")
    return values[0] if values else None


def _undecodable_start(message: Message) -> Message:
    """The route's status, with headers announcing a gzip body that will not decode."""
    headers = [
        (name, value)
        for name, value in message.get("headers", [])
        if name.lower() not in (b"content-length", b"content-encoding")
    ]
    headers += [
        (b"content-encoding", b"gzip"),
        (b"content-length", str(len(UNDECODABLE_BODY)).encode()),
    ]
    return {**message, "headers": headers}


class SandboxApp:
    """ASGI entry point: the gatekeeping pipeline in front of the Starlette router."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox
        self.router = _build_router(sandbox)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.router(scope, receive, send)
            return
        sandbox = self.sandbox
        method: str = scope["method"]
        path = normalize_path(scope["path"]) if scope["path"].startswith("/v1") else scope["path"]
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
        record = RequestRecord(method, path, query, 0, sandbox.clock())
        sandbox.request_log.append(record)
        body = record.body = await _read_body(receive)

        fault = sandbox.faults.take(method, path)
        spoil = fault is not None and fault.kind in AFTER_ROUTE_KINDS

        async def logged_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                record.status = message["status"]
                if record.status == 429:
                    sandbox.rate_limited_count += 1
                if spoil:
                    message = _undecodable_start(message)
            elif spoil and message["type"] == "http.response.body":
                message = {"type": "http.response.body", "body": UNDECODABLE_BODY}
            await send(message)

        delivered = False

        async def replay() -> Message:
            nonlocal delivered
            if delivered:  # the body was read already: wait for the disconnect as usual
                return await receive()
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}

        response = await self._gate(scope, method, path, body, None if spoil else fault)
        if response is not None:
            await response(scope, replay, logged_send)
        else:
            await self.router(scope, replay, logged_send)
        logger.debug(
            "sandbox request", extra={"method": method, "path": path, "status": record.status}
        )

    async def _gate(
        self, scope: Scope, method: str, path: str, body: bytes, fault: Fault | None
    ) -> Response | None:
        """An early response (fault, 429, 403) or None to let the request through."""
        sandbox = self.sandbox
        if fault is not None and fault.kind == "latency":
            await anyio.sleep(fault.delay)
        elif fault is not None and fault.kind == "timeout":
            raise httpx.ReadTimeout(f"sandbox: no answer to {method} {path} (injected timeout)")
        elif fault is not None:
            status, content_type, payload = fault.response()
            return Response(payload, status, media_type=content_type)

        headers = Headers(scope=scope)
        client = scope.get("client")
        ip = client[0] if client else "unknown"
        token_request = method == "POST" and path == "/accessTokens"
        if token_request:
            account = _form_client_id(body, headers)
        else:
            bearer = headers.get("authorization", "").partition(" ")[2].strip()
            known = sandbox.tokens.get(bearer) if bearer else None
            account = known.client_id if known else None
        if not sandbox.limiter.admit(ip, account, sandbox.clock()):
            return JSONResponse({"status": "fail", "message": RATE_LIMIT_MESSAGE}, 429)
        if not token_request:
            token, reason = sandbox.tokens.check(
                headers.get("authorization"), sandbox.token_warmup, sandbox.clock()
            )
            if token is None:
                return failure(reason, 403)
        return None


class Sandbox:
    """A deterministic demo Hostaway account behind a simulated API v1 (routes under /v1)."""

    def __init__(
        self,
        seed: int = 7,
        today: date | None = None,
        *,
        listings: int | None = None,
        dataset: Dataset | None = None,
    ) -> None:
        """``listings``: portfolio size (default: the standard 24-listing demo account);
        ``dataset``: serve this data instead of generating it (see ``empty``)."""
        self.seed = seed
        self.today = dataset.today if dataset else today or date.today()
        self.store = Store(dataset or generate(seed, self.today, listings=listings))
        self.faults = FaultInjector()
        self.tokens = TokenRegistry()
        self.limiter = RateLimiter()
        self.token_warmup = 1.0
        self.finance_enabled = True
        self.client_id = DEMO_CLIENT_ID
        self.client_secret = DEMO_CLIENT_SECRET
        self.page_cap: int | None = None  # tests: serve at most this many rows per list page
        self.clock: Callable[[], float] = time.monotonic  # tokens, rate limits, request log
        self.request_log: list[RequestRecord] = []
        self.rate_limited_count = 0
        self.app = SandboxApp(self)

    @classmethod
    def empty(cls, today: date | None = None) -> Sandbox:
        """An account without any data, for tests to seed with the records they need."""
        day = today or date.today()
        empty = Dataset(
            today=day,
            now=datetime.combine(day, SNAPSHOT_TIME),
            listings=[],
            reservations=[],
            blocks={},
            conversations=[],
            messages={},
            reviews=[],
            tasks=[],
            expenses=[],
            owner_statements=[],
            users=[],
        )
        return cls(today=day, dataset=empty)

    def transport(self) -> httpx.ASGITransport:
        return httpx.ASGITransport(app=self.app, client=TRANSPORT_CLIENT)

    def expire_tokens(self) -> None:
        """Every token issued so far is now rejected with 403; new tokens work."""
        self.tokens.expire_all()

    def set_rate_limits(self, ip: int = 15, account: int = 20, window: float = 10.0) -> None:
        """Replace the limits (and forget the requests counted so far)."""
        self.limiter = RateLimiter(ip, account, window)

    def requests(self, method: str | None = None, path: str | None = None) -> list[RequestRecord]:
        """Logged requests matching ``method`` and ``path`` (no /v1; trailing * = prefix)."""
        pattern = normalize_path(path) if path is not None else None
        return [
            record
            for record in self.request_log
            if (method is None or record.method == method.upper())
            and (pattern is None or path_matches(pattern, record.path))
        ]

    def count(self, method: str | None = None, path: str | None = None) -> int:
        """How many logged requests match (see ``requests``)."""
        return len(self.requests(method, path))

    def describe(self) -> dict[str, Any]:
        """A short summary of the generated account (for logs and the CLI)."""
        store = self.store
        return {
            "seed": self.seed,
            "today": self.today.isoformat(),
            "listings": len(store.listings),
            "reservations": len(store.reservations),
            "conversations": len(store.conversations),
        }

    # ---- seeding (tests) ---------------------------------------------------------------------
    # Records are raw Hostaway objects, stored as given (no copy) and served as GET returns them.

    def add_listing(
        self, raw: dict[str, Any], *, calendar: Mapping[str, Any] | None = None
    ) -> None:
        """``calendar``: the day values (price, minimumStay, ...) every date of this listing
        starts from; without it the demo pricing rules of the listing's city apply."""
        store = self.store
        store.listings.append(raw)
        store.listings.sort(key=lambda listing: listing["id"])
        store.index_listing(raw)
        if calendar is not None:
            store.calendar.set_defaults(raw["id"], dict(calendar))

    def add_reservation(self, raw: dict[str, Any]) -> None:
        """A reservation with a blocking status (new, modified, ownerStay) occupies its nights.
        ``updatedOn``, ``insertedOn`` and ``latestActivityOn`` default to ``reservationDate``
        (the docs' example omits them; the default list order needs ``updatedOn``)."""
        for name in ("updatedOn", "insertedOn", "latestActivityOn"):
            raw.setdefault(name, raw.get("reservationDate"))
        self.store.add_reservation(raw)

    def set_calendar(
        self, listing_id: int, first: date, last: date | None = None, **fields: Any
    ) -> None:
        """Override days ``first``..``last`` (inclusive; default: one day) with Hostaway's
        calendar fields, e.g. ``isAvailable=0`` for a night blocked by hand, or
        ``isAvailable=0, status="reserved"`` for one held by a booking the account cannot list."""
        self.store.listing(listing_id)
        day = first
        while day <= (last or first):
            self.store.calendar.override(listing_id, day, fields)
            day += timedelta(days=1)

    def add_conversation(
        self, raw: dict[str, Any], messages: Iterable[dict[str, Any]] = ()
    ) -> None:
        """``messages``: the thread, oldest first. The conversation is served exactly as given
        (its ``conversationMessages``, stamps and embedded ``Reservation`` are not recomputed)."""
        self.store.add_conversation(raw)
        self.store.messages[raw["id"]].extend(messages)

    def add_review(self, raw: dict[str, Any]) -> None:
        self.store.reviews.append(raw)

    def add_task(self, raw: dict[str, Any]) -> None:
        self.store.tasks.append(raw)

    def add_expense(self, raw: dict[str, Any]) -> None:
        self.store.expenses.append(raw)

    def add_user(self, raw: dict[str, Any]) -> None:
        """A user as GET /users lists it (a task's assigneeUserId names one)."""
        self.store.users.append(raw)

    def add_owner_statement(self, raw: dict[str, Any]) -> None:
        """The statement as GET /ownerStatement/{id} returns it; the list shows id and name."""
        self.store.owner_statements.append(raw)
