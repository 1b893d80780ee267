"""What every tool module needs: the registry (read vs write tools), the per-process state, and
access to the gateway and progress reporting from a request context."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from mcp.server.mcpserver import Context
from mcp.types import ToolAnnotations
from pydantic import BaseModel

from ...config import Settings
from ...errors import ConfigurationError
from ...hostaway._client import HostawayClient
from ...hostaway.adapter import Gateway, Progress

ToolFunction = Callable[..., Awaitable[BaseModel]]


@dataclass
class AppState:
    """Yielded by the server lifespan: one client (and gateway) per process."""

    settings: Settings
    config_error: str | None = None
    client: HostawayClient | None = None
    extras: dict[str, Any] = field(default_factory=dict)

    @property
    def gateway(self) -> Gateway:
        if self.config_error is not None or self.client is None:
            raise ConfigurationError(self.config_error or "The Hostaway client is not running.")
        gateway = self.extras.get("gateway")
        if gateway is None:
            gateway = self.extras["gateway"] = Gateway(self.client, self.settings.cache_ttl)
        assert isinstance(gateway, Gateway)  # noqa: S101 - set just above
        return gateway


@dataclass(frozen=True)
class ToolSpec:
    fn: ToolFunction
    title: str
    annotations: ToolAnnotations
    writes: bool


TOOLS: list[ToolSpec] = []


def tool_annotations(title: str, *, read_only: bool = True, **hints: bool) -> ToolAnnotations:
    return ToolAnnotations(title=title, read_only_hint=read_only, open_world_hint=True, **hints)


def read_tool(title: str) -> Callable[[ToolFunction], ToolFunction]:
    """Register a read-only tool (always available)."""

    def remember(fn: ToolFunction) -> ToolFunction:
        TOOLS.append(ToolSpec(fn, title, tool_annotations(title), writes=False))
        return fn

    return remember


def write_tool(
    title: str, *, destructive: bool, idempotent: bool
) -> Callable[[ToolFunction], ToolFunction]:
    """Register a write tool: it exists only when HOSTAWAY_READ_ONLY=false."""

    def remember(fn: ToolFunction) -> ToolFunction:
        hints = tool_annotations(
            title, read_only=False, destructive_hint=destructive, idempotent_hint=idempotent
        )
        TOOLS.append(ToolSpec(fn, title, hints, writes=True))
        return fn

    return remember


def state(ctx: Context) -> AppState:
    current = ctx.request_context.lifespan_context
    assert isinstance(current, AppState)  # noqa: S101 - the lifespan always yields one
    return current


def gateway(ctx: Context) -> Gateway:
    return state(ctx).gateway


def progress(ctx: Context) -> Progress:
    """Forward service progress to the client; MCP wants strictly increasing values."""
    last = -1.0

    async def report(done: float, total: float | None, message: str) -> None:
        nonlocal last
        if done > last:
            last = done
            await ctx.report_progress(done, total, message)

    return report
