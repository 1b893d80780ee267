"""Test helpers: a fake clock, settings and Hostaway-shaped payloads from the official examples."""

from __future__ import annotations

import copy
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import anyio

from hostaway_mcp.config import Settings
from hostaway_mcp.hostaway import Hostaway, RetryPolicy
from hostaway_mcp.hostaway._client import HostawayClient

BASE_URL = "https://api.test/v1"
# Copies of the official docs' example payloads (shared/hostaway-examples), kept with the tests.
EXAMPLES = Path(__file__).parent / "fixtures"
SECRET = "s3cr3t-client-secret-value"
TOKEN = "tok-aaaaaaaaaaaaaaaa"

FAST_RETRY = RetryPolicy(max_attempts=4, timeout_attempts=2, base_delay=0.001, max_delay=0.004)


def example(name: str) -> Any:
    """A deep copy of an official Hostaway example payload (shared/hostaway-examples)."""
    return copy.deepcopy(json.loads((EXAMPLES / f"{name}.json").read_text()))


def settings(**overrides: Any) -> Settings:
    base = Settings(
        client_id="10450",
        client_secret=SECRET,
        base_url=BASE_URL,
        rate_limit_ip=1000,
        rate_limit_account=1000,
        timeout=5.0,
    )
    return replace(base, **overrides)


def make_client(**overrides: Any) -> HostawayClient:
    return HostawayClient(settings(**overrides), retry=FAST_RETRY, token_warmup=0.0)


class FakeClock:
    """A monotonic clock that only moves when someone sleeps."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += max(0.0, seconds)
        await anyio.lowlevel.checkpoint()


def token_body(token: str = TOKEN, expires_in: int = 63072000) -> dict[str, Any]:
    return {"token_type": "Bearer", "expires_in": expires_in, "access_token": token}


def envelope(result: Any, **extra: Any) -> dict[str, Any]:
    return {"status": "success", "result": result, **extra}


async def confirm_write(client: Any, name: str, args: dict[str, Any]) -> Any:
    """A write the way it is approved: preview (confirm=false), then confirm=true with the
    preview's approval_id. A refused preview is returned as it is."""
    asked = {key: value for key, value in args.items() if key != "confirm"}
    preview = await client.call_tool(name, asked)
    if preview.is_error:
        return preview
    approval_id = preview.structured_content["approval_id"]
    return await client.call_tool(name, {**asked, "confirm": True, "approval_id": approval_id})


def build_test_server(**overrides: Any) -> Any:
    """The real MCP server with a fast client (no token warm-up, tiny retry delays)."""
    from hostaway_mcp.server.app import build_server

    def connect(s: Settings) -> Hostaway:
        return Hostaway.connect(s, retry=FAST_RETRY, token_warmup=0.0)

    config_error = overrides.pop("config_error", None)
    return build_server(settings(**overrides), config_error, connect_to=connect)
