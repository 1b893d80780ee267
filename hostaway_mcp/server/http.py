"""The team server's app (`hostaway-mcp serve --http`): one process and one Hostaway adapter (one
rate limiter, one access token, one local mirror) for every connected user.

The SDK's Streamable HTTP app serves MCP at /mcp behind bearer tokens (server/tokens.py) and a
Host/Origin allowlist; beside it `GET /healthz`, `GET /metrics` and `POST /webhooks/hostaway`; in
front of all of them a gate that knows each request's user. server/http_serve.py runs it."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import anyio
from mcp.server.transport_security import TransportSecurityMiddleware, TransportSecuritySettings
from starlette.applications import Starlette
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..config import Settings
from ..errors import HostawayError
from ..hostaway import Hostaway, RequestStats
from ..logs import user_name
from .app import Connect, build_server, connect
from .health import health, mirror_status
from .http_config import HttpSettings, is_loopback
from .metrics import CONTENT_TYPE, Metrics, render
from .tokens import TOKENS_FILE_VARIABLE, TokenFileVerifier
from .webhooks import Refresher, WebhookEndpoint, WebhookQueue, refresher_for

logger = logging.getLogger(__name__)

MCP_PATH = "/mcp"
HEALTH_PATH = "/healthz"
METRICS_PATH = "/metrics"
WEBHOOK_PATH = "/webhooks/hostaway"
ROUTES = (MCP_PATH, HEALTH_PATH, METRICS_PATH, WEBHOOK_PATH)
FORWARDING_HEADERS = ("forwarded", "x-forwarded-for", "x-real-ip")


class OneAdapter:
    """`connect_to` for build_server that opens the adapter once per process and refuses a
    second: every session and request shares one limiter and one token."""

    def __init__(self, open_adapter: Connect) -> None:
        self._open = open_adapter
        self.hostaway: Hostaway | None = None

    def __call__(self, settings: Settings) -> Hostaway:
        if self.hostaway is not None:
            raise RuntimeError("The team server opens one Hostaway adapter per process.")
        self.hostaway = self._open(settings)
        return self.hostaway


def _forwarded(headers: Headers) -> bool:
    return any(name in headers for name in FORWARDING_HEADERS)


def _peer(scope: Scope) -> str:
    client = scope.get("client")
    return str(client[0]) if client else "?"


def _peer_is_loopback(scope: Scope) -> bool:
    return is_loopback(_peer(scope))


@dataclass
class TeamServer:
    """What one process shares: the MCP server and its adapter (with the adapter's local mirror),
    the metrics, the webhook queue, and whether it is draining. ``refresher`` picks what webhooks
    refresh through, once the adapter is open."""

    settings: Settings
    http: HttpSettings
    verifier: TokenFileVerifier | None = None
    open_adapter: Connect = connect
    refresher: Callable[[Hostaway], Refresher] = refresher_for

    def __post_init__(self) -> None:
        self.metrics = Metrics()
        self.adapter = OneAdapter(self.open_adapter)
        self.mcp = build_server(
            self.settings,
            connect_to=self.adapter,
            token_verifier=self.verifier,
            metrics=self.metrics,
        )
        self.queue = WebhookQueue(self.metrics)
        self.webhook = WebhookEndpoint(
            self.queue, self.http.webhook_login, self.http.webhook_password, self.metrics
        )
        self.security = TransportSecuritySettings(
            enable_dns_rebinding_protection=True,
            allowed_hosts=self.http.allowed_hosts(),
            allowed_origins=self.http.allowed_origins(),
        )
        self.draining = False
        self.starlette = self._starlette()
        self.app: ASGIApp = Gate(self.starlette, self)

    # ---- the app -------------------------------------------------------------------------

    def _starlette(self) -> Starlette:
        mcp_app = self.mcp.streamable_http_app(
            streamable_http_path=MCP_PATH, transport_security=self.security, host=self.http.host
        )
        return Starlette(
            routes=[
                Route(HEALTH_PATH, self.healthz, methods=["GET"]),
                Route(METRICS_PATH, self.metrics_page, methods=["GET"]),
                Route(WEBHOOK_PATH, self.webhook.handle, methods=["POST"]),
                Mount("/", app=mcp_app),
            ],
            lifespan=self._lifespan(mcp_app),
        )

    def _lifespan(self, mcp_app: Starlette) -> Callable[[Starlette], Any]:
        @asynccontextmanager
        async def lifespan(_: Starlette) -> AsyncIterator[None]:
            # The SDK's session manager enters the MCP lifespan (server/app.py) once for the whole
            # process: that is where the one adapter is opened and its mirror's sync started in
            # the background, as in stdio mode. On the way out, after the webhook worker here has
            # stopped, it stops the sync, closes the mirror's store, then revokes the token.
            async with mcp_app.router.lifespan_context(mcp_app):
                hostaway = self.adapter.hostaway
                if hostaway is None:  # pragma: no cover - serve_http refuses a config error
                    raise RuntimeError("The Hostaway adapter did not open.")
                async with anyio.create_task_group() as tasks:
                    tasks.start_soon(self.queue.run, self.refresher(hostaway))
                    tasks.start_soon(self._check_upstream, hostaway)
                    yield
                    tasks.cancel_scope.cancel()
                if self.queue.pending:
                    logger.warning(
                        "webhook refreshes not done at shutdown",
                        extra={"pending": self.queue.pending},
                    )

        return lifespan

    async def _check_upstream(self, hostaway: Hostaway) -> None:
        """One check at start (a token and one listing), so /healthz and the log say at once
        whether the credentials work. It shares the rate limit with everyone."""
        try:
            listings = await hostaway.check()
        except HostawayError as exc:
            logger.error("Hostaway check at start failed", extra={"error": exc.user_message()})
            return
        logger.info("Hostaway reachable", extra={"listings": listings})

    # ---- routes ---------------------------------------------------------------------------

    def _stats_and_token(self) -> tuple[RequestStats | None, bool]:
        hostaway = self.adapter.hostaway
        return (hostaway.stats, hostaway.has_token) if hostaway else (None, False)

    async def healthz(self, request: Request) -> Response:
        stats, token_held = self._stats_and_token()
        report = health(
            stats=stats,
            token_held=token_held,
            mirror=mirror_status(self.adapter.hostaway),
            started_at=self.metrics.started_at,
            in_flight=self.metrics.in_flight,
            draining=self.draining,
        )
        return JSONResponse(report.body, report.http_status, headers={"Cache-Control": "no-store"})

    async def metrics_page(self, request: Request) -> Response:
        """Behind the bearer tokens; without tokens (a loopback-only server), for this machine
        only, with the Host header checked like /mcp."""
        if self.verifier is not None:
            if user_name.get() is None:  # the gate found no valid bearer token
                return JSONResponse(
                    {"error": "invalid_token", "error_description": "Authentication required"},
                    401,
                    headers={
                        "WWW-Authenticate": (
                            'Bearer error="invalid_token", '
                            'error_description="Authentication required"'
                        )
                    },
                )
        elif not _peer_is_loopback(request.scope):
            return JSONResponse({"error": "metrics are served to this machine only"}, 403)
        else:
            refused = await TransportSecurityMiddleware(self.security).validate_request(request)
            if refused is not None:
                return refused
        stats, token_held = self._stats_and_token()
        mirror = mirror_status(self.adapter.hostaway)
        text = render(self.metrics, stats, mirror, token_held=token_held)
        return Response(text, media_type=CONTENT_TYPE)

    # ---- the request gate -------------------------------------------------------------------

    def user_for(self, headers: Headers) -> str | None:
        scheme, _, value = headers.get("authorization", "").partition(" ")
        if self.verifier is None or scheme.lower() != "bearer" or not value.strip():
            return None
        return self.verifier.user_for(value.strip())

    def refusal(self, route: str, headers: Headers) -> Response | None:
        """An early answer for a request that must not go further, or None."""
        if self.draining and route != HEALTH_PATH:
            return JSONResponse(
                {"error": "the server is shutting down; retry in a moment"},
                503,
                headers={"Retry-After": "5", "Connection": "close"},
            )
        if self.verifier is None and route in (MCP_PATH, METRICS_PATH) and _forwarded(headers):
            return JSONResponse(
                {
                    "error": (
                        "This server has no bearer tokens, so it serves only its own machine. "
                        f"To serve through a proxy, create tokens and set {TOKENS_FILE_VARIABLE}."
                    )
                },
                403,
            )
        return None


class Gate:
    """In front of every route: refuses requests while draining (and proxied ones when there are
    no tokens), puts the token's user name on every log line of the request, counts and logs the
    request."""

    def __init__(self, app: ASGIApp, team: TeamServer) -> None:
        self.app = app
        self.team = team

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        route = path if path in ROUTES else "other"
        headers = Headers(scope=scope)
        status = 500
        started = anyio.current_time()

        async def counted(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        token = user_name.set(self.team.user_for(headers))
        try:
            refused = self.team.refusal(route, headers)
            if refused is not None:
                await refused(scope, receive, counted)
            else:
                await self.app(scope, receive, counted)
        finally:
            self.team.metrics.http_requests[(route, status)] += 1
            quiet = route in (HEALTH_PATH, METRICS_PATH) and status < 400
            logger.log(
                logging.DEBUG if quiet else logging.INFO,
                "http request",
                extra={
                    "method": scope["method"],
                    "path": route,
                    "status": status,
                    "ms": round((anyio.current_time() - started) * 1000, 1),
                    "client": _peer(scope),
                },
            )
            user_name.reset(token)
