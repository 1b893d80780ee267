"""The app factory: builds the MCPServer, owns the lifespan (one Hostaway adapter per process),
registers every tool from one list, and translates domain errors into ToolErrors at that boundary."""

from __future__ import annotations

import functools
import json
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from typing import Any

import anyio
from mcp.server import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.types import CallToolResult, TextContent, ToolAnnotations
from pydantic import BaseModel

from .. import __version__
from ..config import Settings
from ..errors import HostawayError
from ..hostaway import Hostaway, track_provenance
from ..logs import correlation_id, new_correlation_id
from .budget import fit_to_budget
from .instructions import server_instructions
from .prompts import PROMPTS
from .provenance import stamped
from .resources import register_resources
from .state import AppState, state
from .tools import bookings, messaging, operations, properties, reports

logger = logging.getLogger(__name__)

DEMO_BASE_URL = "http://demo.sandbox/v1"
ToolFunction = Callable[..., Awaitable[BaseModel]]
Connect = Callable[[Settings], Hostaway]
RENDER_MARGIN_S = 2.0  # of the first-sync time limit, kept for rendering and the way back


@dataclass(frozen=True)
class ToolSpec:
    fn: ToolFunction
    title: str
    annotations: ToolAnnotations
    writes: bool


def read(fn: ToolFunction, title: str) -> ToolSpec:
    hints = ToolAnnotations(title=title, read_only_hint=True, open_world_hint=True)
    return ToolSpec(fn, title, hints, writes=False)


def write(fn: ToolFunction, title: str, *, destructive: bool, idempotent: bool) -> ToolSpec:
    """A write tool exists only when HOSTAWAY_READ_ONLY=false."""
    hints = ToolAnnotations(
        title=title,
        read_only_hint=False,
        open_world_hint=True,
        destructive_hint=destructive,
        idempotent_hint=idempotent,
    )
    return ToolSpec(fn, title, hints, writes=True)


# Every tool, in tools/list order: what a manager asks first comes first, changes last.
TOOLS: tuple[ToolSpec, ...] = (
    read(properties.check_connection, "Check the Hostaway connection"),
    read(properties.get_sync_status, "Local copy status"),
    read(properties.list_all_properties, "List properties"),
    read(properties.get_property_details, "Property details"),
    read(properties.check_availability, "Check availability"),
    read(properties.find_available_properties, "Find available properties"),
    read(properties.get_price_quote, "Price quote"),
    read(bookings.search_bookings, "Search bookings"),
    read(bookings.get_booking_details, "Booking details"),
    read(bookings.get_guest_info, "Guest info"),
    read(bookings.get_arrivals_and_departures, "Arrivals and departures"),
    read(messaging.list_conversations, "List conversations"),
    read(messaging.get_conversation_messages, "Conversation messages"),
    read(messaging.get_inbox_triage, "Inbox triage"),
    read(operations.list_reviews, "List reviews"),
    read(operations.list_tasks, "List tasks"),
    read(operations.list_expenses, "List expenses"),
    read(reports.get_revenue_report, "Revenue report"),
    read(reports.get_occupancy_report, "Occupancy report"),
    read(reports.get_financial_report, "Hostaway financial report"),
    read(reports.list_owner_statements, "List owner statements"),
    read(reports.get_owner_statement, "Owner statement"),
    write(properties.update_calendar, "Update calendar", destructive=True, idempotent=True),
    write(bookings.create_booking, "Create a direct booking", destructive=False, idempotent=False),
    write(bookings.update_booking, "Update a booking", destructive=True, idempotent=True),
    write(bookings.cancel_booking, "Cancel a booking", destructive=True, idempotent=False),
    write(
        messaging.send_guest_message,
        "Send a message to a guest",
        destructive=False,
        idempotent=False,
    ),
    write(operations.create_task, "Create a task", destructive=False, idempotent=False),
    write(
        operations.create_expense,
        "Record an expense or extra",
        destructive=False,
        idempotent=False,
    ),
)


def _render(result: BaseModel, max_chars: int) -> CallToolResult:
    fitted = fit_to_budget(result, max_chars)
    structured = fitted.model_dump(mode="json")
    # The text block is what most hosts put in front of the model: compact, no nulls.
    text = json.dumps(
        fitted.model_dump(mode="json", exclude_none=True), separators=(",", ":"), ensure_ascii=False
    )
    return CallToolResult(
        content=[TextContent(type="text", text=text)], structured_content=structured
    )


async def _answer(
    app: AppState, fn: ToolFunction, kwargs: dict[str, Any], writes: bool
) -> BaseModel:
    """Run the tool. While the first sync runs, a read has FIRST_SYNC_CALL_LIMIT seconds: it is
    answered live if that fits, else it says the account is still syncing (never with partial
    figures). Writes are never cut short."""
    connection = app.connection
    limit = None if writes or connection is None else connection.call_time_limit()
    with track_provenance() as seen:
        if limit is None:
            return stamped(await fn(**kwargs), seen)
        with anyio.move_on_after(max(1.0, limit - RENDER_MARGIN_S)):
            return stamped(await fn(**kwargs), seen)
    assert connection is not None  # noqa: S101 - a limit comes from the connection
    raise connection.still_syncing()


def _wrap(fn: ToolFunction, *, writes: bool = False) -> Callable[..., Awaitable[CallToolResult]]:
    """Per call: a correlation id, one log line, domain errors turned into ToolErrors, and the
    output budget applied."""
    name = fn.__name__

    @functools.wraps(fn)
    async def run(**kwargs: Any) -> CallToolResult:
        app = state(kwargs["ctx"])
        token = correlation_id.set(new_correlation_id())
        started = time.perf_counter()
        outcome = "ok"
        try:
            result = await _answer(app, fn, kwargs, writes)
            return _render(result, app.settings.max_result_chars)
        except HostawayError as exc:
            outcome = type(exc).__name__
            raise ToolError(exc.user_message()) from None
        except ToolError:
            outcome = "ToolError"
            raise
        except Exception:
            outcome = "crash"
            raise
        finally:
            logger.info(
                "tool call",
                extra={
                    "tool": name,
                    "outcome": outcome,
                    "ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
            correlation_id.reset(token)

    return run


# ---- the server ------------------------------------------------------------------------------


def demo_settings(settings: Settings) -> Settings:
    """Demo mode talks to the built-in simulator with its own credentials."""
    from hostaway_sandbox import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET

    return replace(
        settings,
        demo=True,
        client_id=DEMO_CLIENT_ID,
        client_secret=DEMO_CLIENT_SECRET,
        base_url=DEMO_BASE_URL,
    )


def connect(settings: Settings) -> Hostaway:
    """The adapter for these settings: over the network, or in demo mode over the simulator."""
    if not settings.demo:
        return Hostaway.connect(settings)
    from hostaway_sandbox.deferred import sandbox_transport  # only demo mode needs it

    # The same client stack (auth, limiter, retries, pagination) over an in-process transport;
    # the demo data is generated on the first request, not during the MCP handshake.
    return Hostaway.connect(settings, transport=sandbox_transport())


def build_server(
    settings: Settings,
    config_error: str | None = None,
    *,
    connect_to: Connect | None = None,
) -> MCPServer[AppState]:
    """The MCP server for these settings. A config error still starts a server: every tool then
    answers with the error, so the user reads it in their chat instead of a log file.
    ``connect_to`` lets tests supply the adapter (e.g. over a sandbox with fault knobs)."""
    if settings.demo:
        settings = demo_settings(settings)
    open_adapter = connect_to or connect
    running: list[AppState] = []

    @asynccontextmanager
    async def lifespan(_: MCPServer[AppState]) -> AsyncIterator[AppState]:
        app = AppState(settings=settings, config_error=config_error)
        if config_error is None:
            app.connection = open_adapter(settings)
        running.append(app)
        try:
            # The local mirror syncs in the background; the MCP handshake never waits for it.
            async with anyio.create_task_group() as background:
                if app.connection is not None:
                    background.start_soon(app.connection.run_mirror)
                try:
                    yield app
                finally:
                    background.cancel_scope.cancel()
        finally:
            running.remove(app)
            if app.connection is not None:
                await app.connection.aclose()

    def current() -> AppState:
        if not running:
            return AppState(settings=settings, config_error="The server is not running yet.")
        return running[-1]

    server: MCPServer[AppState] = MCPServer(
        "hostaway",
        title="Hostaway",
        version=__version__,
        instructions=server_instructions(settings),
        lifespan=lifespan,
    )
    for spec in TOOLS:
        if spec.writes and settings.read_only:
            continue  # read-only mode: write tools do not exist at all
        server.add_tool(
            _wrap(spec.fn, writes=spec.writes),
            name=spec.fn.__name__,
            title=spec.title,
            description=spec.fn.__doc__,
            annotations=spec.annotations,
        )
    for prompt, title in PROMPTS:
        server.prompt(name=prompt.__name__, title=title)(prompt)
    register_resources(server, current)
    return server
