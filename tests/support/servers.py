"""Every MCP server the tests build, in one place: the only code that hands ``build_server`` a
client factory. A server talks to a sandbox, to a scripted transport, or to nothing at all."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

import httpx

from hostaway_mcp.config import Settings
from hostaway_mcp.hostaway import Hostaway, RetryPolicy
from hostaway_mcp.hostaway._client import HostawayClient
from hostaway_mcp.server.app import build_server

from .clock import FakeClock
from .scripted import Scripted

if TYPE_CHECKING:
    from hostaway_sandbox import Sandbox

BASE_URL = "https://api.test/v1"
CLIENT_ID = "10450"
SECRET = "s3cr3t-client-secret-value"
FAST_RETRY = RetryPolicy(max_attempts=4, timeout_attempts=2, base_delay=0.001, max_delay=0.004)


def settings(**overrides: Any) -> Settings:
    base = Settings(
        client_id=CLIENT_ID,
        client_secret=SECRET,
        base_url=BASE_URL,
        rate_limit_ip=1000,
        rate_limit_account=1000,
        timeout=5.0,
    )
    return replace(base, **overrides)


def make_client(**overrides: Any) -> HostawayClient:
    """A client with tiny retry delays and no token warm-up, on the real (here: mocked) network."""
    return HostawayClient(settings(**overrides), retry=FAST_RETRY, token_warmup=0.0)


def sandbox_server(
    sandbox: Sandbox,
    *,
    retry: RetryPolicy = FAST_RETRY,
    clock: FakeClock | None = None,
    **overrides: Any,
) -> Any:
    """The server with ``sandbox`` as its Hostaway, logging in with the sandbox's credentials.
    ``clock``: the client's limiter, retries and token timing run on it (no real waiting)."""
    overrides.setdefault("client_id", sandbox.client_id)
    overrides.setdefault("client_secret", sandbox.client_secret)
    overrides.setdefault("rate_limit_ip", 10_000)
    overrides.setdefault("rate_limit_account", 10_000)
    return _server(sandbox.transport, retry=retry, clock=clock, **overrides)


def demo_server(sandbox: Sandbox, **overrides: Any) -> Any:
    """Demo mode (HOSTAWAY_DEMO) over ``sandbox``, a generated demo account."""
    return sandbox_server(sandbox, demo=True, **overrides)


def scripted_server(upstream: Scripted, **overrides: Any) -> Any:
    return _server(lambda: upstream, retry=FAST_RETRY, clock=None, **overrides)


def offline_server(**overrides: Any) -> Any:
    """For what needs no Hostaway (tool lists, prompts, instructions): nothing is scripted."""
    return scripted_server(Scripted(), **overrides)


def network_server(**overrides: Any) -> Any:
    """The client on httpx's own transport, for tests that script Hostaway with respx."""
    return _server(lambda: None, retry=FAST_RETRY, clock=None, **overrides)


async def confirm_write(client: Any, name: str, args: dict[str, Any]) -> Any:
    """A write the way it is approved: preview (confirm=false), then confirm=true with the
    preview's approval_id. A refused preview is returned as it is."""
    asked = {key: value for key, value in args.items() if key != "confirm"}
    preview = await client.call_tool(name, asked)
    if preview.is_error:
        return preview
    approval_id = preview.structured_content["approval_id"]
    return await client.call_tool(name, {**asked, "confirm": True, "approval_id": approval_id})


def _server(
    transport: Callable[[], httpx.AsyncBaseTransport | None],
    *,
    retry: RetryPolicy,
    clock: FakeClock | None,
    config_error: str | None = None,
    approval_clock: Callable[[], datetime] | None = None,
    **overrides: Any,
) -> Any:
    """``approval_clock``: the wall clock approval ids expire by."""

    def connect(actual: Settings) -> Hostaway:
        timing: dict[str, Any] = {} if clock is None else {"clock": clock, "sleep": clock.sleep}
        client = HostawayClient(
            actual, transport=transport(), retry=retry, token_warmup=0.0, **timing
        )
        return Hostaway(client, actual.cache_ttl)

    return build_server(
        settings(**overrides), config_error, connect_to=connect, clock=approval_clock
    )
