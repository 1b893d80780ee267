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
from datetime import datetime
from typing import Any

import anyio
from mcp.server import MCPServer
from mcp.server.apps import Visibility
from mcp.server.auth.provider import TokenVerifier
from mcp.server.mcpserver.exceptions import ToolError
from mcp.server.mcpserver.tools import Tool
from mcp.types import CallToolResult, TextContent, ToolAnnotations
from pydantic import BaseModel

from .. import __version__
from ..config import Settings
from ..domain.writes.approvals import ApprovalRegistry
from ..errors import HostawayError
from ..hostaway import Hostaway, track_provenance
from ..logs import correlation_id, needs_redaction, new_correlation_id, redact, redact_data
from .approval import approve_write, guard
from .apps import APPROVE, CALENDAR, REPORT, AppsVisibility, View, apps_extension, tool_meta
from .arguments import PlainArgumentsServer
from .budget import fit_to_budget
from .instructions import server_instructions
from .metrics import Metrics
from .prompts import PROMPTS, PromptFunction
from .provenance import stamped
from .resources import register_resources
from .schemas import compact_input, complete_output
from .state import AppState, state
from .tokens import bearer_auth_settings
from .tools import bookings, calendar, messaging, operations, properties, reports

logger = logging.getLogger(__name__)

DEMO_BASE_URL = "http://demo.sandbox/v1"
OUT_OF_RANGE = (
    "A date or number is out of the range this server works with (dates from 2000 to 2100). "
    "Ask again with values in that range."
)
ToolFunction = Callable[..., Awaitable[BaseModel]]
Connect = Callable[[Settings], Hostaway]
RENDER_MARGIN_S = 2.0  # of the first-sync time limit, kept for rendering and the way back


@dataclass(frozen=True)
class ToolSpec:
    fn: ToolFunction
    title: str
    annotations: ToolAnnotations
    writes: bool
    ui: View | None = None  # MCP Apps: the view a host with Apps draws the result in
    visibility: tuple[Visibility, ...] | None = None  # ("app",): only a view may call it

    @property
    def app_only(self) -> bool:
        return self.visibility is not None and "model" not in self.visibility

    @property
    def previews(self) -> bool:
        """A write tool the model calls: preview first, then an approval (server/approval.py).
        The approval card's own tool is a write too, but it only runs such an approval."""
        return self.writes and not self.app_only


def read(fn: ToolFunction, title: str, *, ui: View | None = None) -> ToolSpec:
    # The title is the tool's own (tools/list carries it once, not again in the annotations), and
    # openWorldHint is left at the protocol's default (true: it reaches Hostaway).
    hints = ToolAnnotations(read_only_hint=True)
    return ToolSpec(fn, title, hints, writes=False, ui=ui)


def write(
    fn: ToolFunction,
    title: str,
    *,
    destructive: bool,
    idempotent: bool,
    visibility: tuple[Visibility, ...] | None = None,
) -> ToolSpec:
    """A write tool exists only when HOSTAWAY_READ_ONLY=false; hosts with MCP Apps draw its
    preview (and its outcome) as the approval card."""
    hints = ToolAnnotations(
        read_only_hint=False,
        open_world_hint=True,
        destructive_hint=destructive,
        idempotent_hint=idempotent,
    )
    return ToolSpec(fn, title, hints, writes=True, ui=APPROVE, visibility=visibility)


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
    read(calendar.show_calendar, "Multi-calendar", ui=CALENDAR),
    read(messaging.list_conversations, "List conversations"),
    read(messaging.get_conversation_messages, "Conversation messages"),
    read(messaging.get_inbox_triage, "Inbox triage"),
    read(operations.list_reviews, "List reviews"),
    read(operations.list_tasks, "List tasks"),
    read(operations.list_expenses, "List expenses"),
    read(reports.get_revenue_report, "Revenue report", ui=REPORT),
    read(reports.get_occupancy_report, "Occupancy report", ui=REPORT),
    read(reports.get_financial_report, "Hostaway financial report"),
    read(reports.list_owner_statements, "List owner statements"),
    read(reports.get_owner_statement, "Owner statement"),
    write(properties.update_calendar, "Update calendar", destructive=True, idempotent=True),
    # A booking and a guest message reach a person or a channel and cannot be taken back.
    write(bookings.create_booking, "Create a direct booking", destructive=True, idempotent=False),
    write(bookings.update_booking, "Update a booking", destructive=True, idempotent=True),
    write(bookings.cancel_booking, "Cancel a booking", destructive=True, idempotent=False),
    write(
        messaging.send_guest_message,
        "Send a message to a guest",
        destructive=True,
        idempotent=False,
    ),
    write(operations.create_task, "Create a task", destructive=False, idempotent=False),
    write(
        operations.create_expense,
        "Record an expense or extra",
        destructive=False,
        idempotent=False,
    ),
    # The approval card's Approve button (app-only): it sends any previewed write.
    write(
        approve_write,
        "Approve a previewed change",
        destructive=True,
        idempotent=False,
        visibility=("app",),
    ),
)


def _render(result: BaseModel, max_chars: int) -> CallToolResult:
    fitted = fit_to_budget(result, max_chars)
    # What is not known is left out, never null: the output schemas say so (server/schemas.py),
    # and the text block, which most hosts put in front of the model, is the same JSON, compact.
    structured = fitted.model_dump(mode="json", exclude_none=True)
    text = json.dumps(structured, separators=(",", ":"), ensure_ascii=False)
    if needs_redaction(text):
        # An upstream that echoes a credential back: mask it in both forms we send.
        structured = redact_data(structured)
        text = json.dumps(structured, separators=(",", ":"), ensure_ascii=False)
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
        app.metrics.call_started()
        try:
            result = await _answer(app, fn, kwargs, writes)
            return _render(result, app.settings.max_result_chars)
        except HostawayError as exc:
            outcome = type(exc).__name__
            raise ToolError(redact(exc.user_message())) from None
        except OverflowError:
            outcome = "OverflowError"
            raise ToolError(OUT_OF_RANGE) from None
        except ToolError:
            outcome = "ToolError"
            raise
        except Exception:
            outcome = "crash"
            raise
        except BaseException:  # cancelled: the client went away, or a stop ran out of time
            outcome = "cancelled"
            raise
        finally:
            elapsed = time.perf_counter() - started
            app.metrics.call_finished(name, outcome, elapsed)
            logger.info(
                "tool call",
                extra={"tool": name, "outcome": outcome, "ms": round(elapsed * 1000, 1)},
            )
            correlation_id.reset(token)

    return run


def _redacted(prompt: PromptFunction) -> PromptFunction:
    """A prompt whose text passes the same redaction as every tool result."""

    @functools.wraps(prompt)
    def render(**kwargs: Any) -> str:
        return redact(prompt(**kwargs))

    return render


def _tool(spec: ToolSpec) -> Tool:
    """One tool as tools/list shows it: the SDK's registration, with compact schemas."""
    # A tool bound to a view only adds `_meta.ui` (not the SDK's Apps.tool, which would register
    # it apart and first in tools/list).
    tool = Tool.from_function(
        _wrap(guard(spec.fn) if spec.previews else spec.fn, writes=spec.writes),
        name=spec.fn.__name__,
        title=spec.title,
        description=" ".join((spec.fn.__doc__ or "").split()),
        annotations=spec.annotations,
        meta=tool_meta(spec.ui, spec.visibility),
    )
    tool.parameters = compact_input(tool.parameters)
    if tool.fn_metadata.output_schema is not None:
        # Read live by the SDK. The answer is the model's own dump without nulls (`_render`), which
        # this schema describes and the model itself would not take back (its nullable fields have
        # no defaults): published, not re-validated (tests check every answer against it).
        tool.fn_metadata.output_schema = complete_output(tool.fn_metadata.output_schema)
        tool.fn_metadata.output_model = None
    return tool


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
    token_verifier: TokenVerifier | None = None,
    metrics: Metrics | None = None,
    clock: Callable[[], datetime] | None = None,
) -> MCPServer[AppState]:
    """The MCP server for these settings. A config error still starts a server: every tool then
    answers with the error, so the user reads it in their chat instead of a log file.
    ``connect_to`` lets tests supply the adapter (e.g. over a sandbox with fault knobs), ``clock``
    the wall clock approvals expire by; the team server (server/http.py) passes its bearer-token
    verifier and the metrics registry it exposes."""
    if settings.demo:
        settings = demo_settings(settings)
    open_adapter = connect_to or connect
    running: list[AppState] = []

    @asynccontextmanager
    async def lifespan(_: MCPServer[AppState]) -> AsyncIterator[AppState]:
        approvals = ApprovalRegistry(clock=clock) if clock else ApprovalRegistry()
        app = AppState(
            settings=settings,
            config_error=config_error,
            metrics=metrics or Metrics(),
            approvals=approvals,
        )
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
        except BaseExceptionGroup as group:
            # The background task group wraps whatever the session raised through `yield`: let
            # it out as it was raised (a transport, Starlette or a test catches it by its type).
            raise (group.exceptions[0] if len(group.exceptions) == 1 else group) from None
        finally:
            running.remove(app)
            if app.connection is not None:
                await app.connection.aclose()

    def current() -> AppState:
        if not running:
            return AppState(settings=settings, config_error="The server is not running yet.")
        return running[-1]

    # read-only mode: write tools do not exist at all
    specs = [spec for spec in TOOLS if not (spec.writes and settings.read_only)]
    server: MCPServer[AppState] = PlainArgumentsServer(
        "hostaway",
        title="Hostaway",
        version=__version__,
        instructions=server_instructions(settings),
        lifespan=lifespan,
        extensions=[apps_extension()],
        middleware=[AppsVisibility(spec.fn.__name__ for spec in specs if spec.app_only)],
        token_verifier=token_verifier,
        auth=bearer_auth_settings() if token_verifier else None,
        tools=[_tool(spec) for spec in specs],
    )
    for prompt, title in PROMPTS:
        server.prompt(name=prompt.__name__, title=title)(_redacted(prompt))
    register_resources(server, current)
    return server
