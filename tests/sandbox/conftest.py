"""Fixtures for the sandbox tests.

`shared` is one sandbox for read-only tests (generating data costs a few hundred ms); tests that
write, inject faults or change limits take a fresh `sandbox`. Both accept tokens immediately and
have generous rate limits unless a test says otherwise. `tests/fixtures/` holds official example
payloads from the Hostaway API documentation, used to check object shapes.
"""

from __future__ import annotations

import gc
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest

from hostaway_sandbox import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, Sandbox

SEED = 7
TODAY = date(2025, 6, 15)
BASE_URL = "http://sandbox/v1"
EXAMPLES = Path(__file__).parent.parent / "fixtures"  # the official example payloads
TOKEN_FORM = {
    "grant_type": "client_credentials",
    "client_id": DEMO_CLIENT_ID,
    "client_secret": DEMO_CLIENT_SECRET,
    "scope": "general",
}


def example(name: str) -> Any:
    return json.loads((EXAMPLES / f"{name}.json").read_text())


def open_sandbox(seed: int = SEED, today: date = TODAY) -> Sandbox:
    sandbox = Sandbox(seed=seed, today=today)
    sandbox.token_warmup = 0.0
    sandbox.set_rate_limits(ip=100_000, account=100_000, window=10.0)
    return sandbox


async def mint_token(client: httpx.AsyncClient) -> str:
    response = await client.post("/accessTokens", data=TOKEN_FORM)
    assert response.status_code == 200, response.text
    token: str = response.json()["access_token"]
    return token


@asynccontextmanager
async def authed_client(sandbox: Sandbox) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=sandbox.transport(), base_url=BASE_URL) as client:
        client.headers["Authorization"] = f"Bearer {await mint_token(client)}"
        yield client


@pytest.fixture(scope="session")
def shared() -> Sandbox:
    sandbox = open_sandbox()
    gc.freeze()  # the shared data lives all session: keep the collector from rescanning it
    return sandbox


@pytest.fixture
def sandbox() -> Sandbox:
    return open_sandbox()


@pytest.fixture
async def api(shared: Sandbox) -> AsyncIterator[httpx.AsyncClient]:
    """An authenticated client on the shared (read-only) sandbox."""
    async with authed_client(shared) as client:
        yield client


@pytest.fixture
async def client(sandbox: Sandbox) -> AsyncIterator[httpx.AsyncClient]:
    """An authenticated client on a fresh sandbox."""
    async with authed_client(sandbox) as http:
        yield http


async def get_all(client: httpx.AsyncClient, path: str, **params: Any) -> list[dict[str, Any]]:
    """Every row of an offset-paginated list."""
    rows: list[dict[str, Any]] = []
    while True:
        response = await client.get(path, params={**params, "offset": len(rows), "limit": 500})
        assert response.status_code == 200, response.text
        page = response.json()["result"]
        rows.extend(page)
        if not page or len(rows) >= response.json()["count"]:
            return rows
