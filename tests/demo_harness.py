"""The real server over the demo sandbox, in process: the production client stack (auth, limiter,
retries, pagination) against a simulated Hostaway whose data the tests can inspect."""

from __future__ import annotations

from datetime import date
from typing import Any

from hostaway_mcp.hostaway import Hostaway, RetryPolicy
from hostaway_mcp.server.app import build_server
from hostaway_sandbox import Sandbox

from .helpers import FAST_RETRY, settings

SEED = 7
TODAY = date.today()  # the demo data is dated relative to today, as in production


def open_sandbox(*, fast: bool = True, today: date = TODAY) -> Sandbox:
    sandbox = Sandbox(seed=SEED, today=today)
    if fast:
        sandbox.token_warmup = 0.0
        sandbox.set_rate_limits(ip=10_000, account=10_000, window=10.0)
    return sandbox


def sandbox_server(
    sandbox: Sandbox,
    *,
    retry: RetryPolicy = FAST_RETRY,
    token_warmup: float = 0.0,
    clock: Any = None,
    **overrides: Any,
) -> Any:
    """build_server in demo mode whose client talks to ``sandbox`` (``clock``: the wall clock
    approvals expire by)."""
    overrides.setdefault("rate_limit_ip", 10_000)
    overrides.setdefault("rate_limit_account", 10_000)

    def connect(s: Any) -> Hostaway:
        return Hostaway.connect(
            s, transport=sandbox.transport(), retry=retry, token_warmup=token_warmup
        )

    return build_server(settings(demo=True, **overrides), connect_to=connect, clock=clock)
