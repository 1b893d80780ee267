"""The MCP server: builds the MCPServer, owns the lifespan (one Hostaway client per process),
registers the tools of `tools/`, and translates domain errors into ToolErrors at that boundary."""

from __future__ import annotations

import functools
import json
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import replace
from typing import Any

from mcp.server import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.types import CallToolResult, TextContent
from pydantic import BaseModel

from .. import __version__
from ..config import Settings
from ..errors import HostawayError
from ..hostaway._client import HostawayClient
from ..logs import correlation_id, new_correlation_id
from .budget import fit_to_budget
from .instructions import server_instructions
from .prompts import PROMPTS
from .resources import register_resources
from .tools import bookings as _bookings  # noqa: F401 - importing registers the tools
from .tools import messaging as _messaging  # noqa: F401
from .tools import operations as _operations  # noqa: F401
from .tools import properties as _properties  # noqa: F401
from .tools import reports as _reports  # noqa: F401
from .tools import writes as _writes  # noqa: F401 - exist only when HOSTAWAY_READ_ONLY=false
from .tools.registry import TOOLS, AppState, ToolFunction, ToolSpec, state

logger = logging.getLogger(__name__)

DEMO_BASE_URL = "http://demo.sandbox/v1"
# tools/list order: what a manager asks first comes first.
TOOL_MODULE_ORDER = ("properties", "bookings", "messaging", "operations", "reports", "writes")


def _listing_order(spec: ToolSpec) -> int:
    area = spec.fn.__module__.rsplit(".", 1)[-1]
    return TOOL_MODULE_ORDER.index(area) if area in TOOL_MODULE_ORDER else len(TOOL_MODULE_ORDER)


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


def _wrap(fn: ToolFunction) -> Callable[..., Awaitable[CallToolResult]]:
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
            return _render(await fn(**kwargs), app.settings.max_result_chars)
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


def make_client(settings: Settings) -> HostawayClient:
    if not settings.demo:
        return HostawayClient(settings)
    from hostaway_sandbox.deferred import sandbox_transport  # only demo mode needs the simulator

    # The same client stack (auth, limiter, retries, pagination) over an in-process transport;
    # the demo data is generated on the first request, not during the MCP handshake.
    return HostawayClient(settings, transport=sandbox_transport())


def build_server(
    settings: Settings,
    config_error: str | None = None,
    *,
    client_factory: Callable[[Settings], HostawayClient] | None = None,
) -> MCPServer[AppState]:
    """The MCP server for these settings. A config error still starts a server: every tool then
    answers with the error, so the user reads it in their chat instead of a log file.
    ``client_factory`` lets tests supply the client (e.g. over a sandbox with fault knobs)."""
    if settings.demo:
        settings = demo_settings(settings)
    new_client = client_factory or make_client

    running: list[AppState] = []

    @asynccontextmanager
    async def lifespan(_: MCPServer[AppState]) -> AsyncIterator[AppState]:
        app = AppState(settings=settings, config_error=config_error)
        if config_error is None:
            app.client = new_client(settings)
        running.append(app)
        try:
            yield app
        finally:
            running.remove(app)
            if app.client is not None:
                await app.client.aclose()

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
    for spec in sorted(TOOLS, key=_listing_order):
        if spec.writes and settings.read_only:
            continue  # read-only mode: write tools do not exist at all
        server.add_tool(
            _wrap(spec.fn),
            name=spec.fn.__name__,
            title=spec.title,
            description=spec.fn.__doc__,
            annotations=spec.annotations,
        )
    for prompt, title in PROMPTS:
        server.prompt(name=prompt.__name__, title=title)(prompt)
    register_resources(server, current)
    return server
