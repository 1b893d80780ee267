"""Per-process state, built by the lifespan, and what a tool reaches through its request context."""

from __future__ import annotations

from dataclasses import dataclass, field

from mcp.server.mcpserver import Context

from ..config import Settings
from ..domain.writes.approvals import ApprovalRegistry
from ..errors import ConfigurationError
from ..hostaway import Hostaway, Progress
from .metrics import Metrics


@dataclass
class AppState:
    """One adapter per process (none when the configuration is invalid), and the approvals of
    the writes previewed in this process."""

    settings: Settings
    config_error: str | None = None
    connection: Hostaway | None = None
    metrics: Metrics = field(default_factory=Metrics)  # read by the team server's /metrics
    approvals: ApprovalRegistry = field(default_factory=ApprovalRegistry)

    @property
    def hostaway(self) -> Hostaway:
        if self.config_error is not None or self.connection is None:
            raise ConfigurationError(self.config_error or "The Hostaway client is not running.")
        return self.connection


def state(ctx: Context) -> AppState:
    current = ctx.request_context.lifespan_context
    if not isinstance(current, AppState):  # pragma: no cover - the lifespan always yields one
        raise ConfigurationError("The server is not running yet.")
    return current


def hostaway(ctx: Context) -> Hostaway:
    return state(ctx).hostaway


def progress(ctx: Context) -> Progress:
    """Forward service progress to the client; MCP wants strictly increasing values."""
    last = -1.0

    async def report(done: float, total: float | None, message: str) -> None:
        nonlocal last
        if done > last:
            last = done
            await ctx.report_progress(done, total, message)

    return report
