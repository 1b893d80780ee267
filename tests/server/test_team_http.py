"""The team server's HTTP contract in process: bearer tokens on /mcp, the user on every log and
audit line, one adapter for every user, /healthz, draining, and proxied requests without tokens."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import anyio
import pytest

from hostaway_mcp.server.http import OneAdapter
from tests.server.team_harness import TOKENS, json_log_lines, running_team
from tests.support.servers import confirm_write

pytestmark = pytest.mark.anyio

INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {
        "protocolVersion": "2025-06-18",
        "capabilities": {},
        "clientInfo": {"name": "test", "version": "0"},
    },
}
MCP_HEADERS = {"Accept": "application/json, text/event-stream"}


@pytest.mark.parametrize("token", [None, "hmcp_not-a-token", TOKENS["maria"] + "x"])
async def test_mcp_without_a_valid_token_is_401_with_www_authenticate(
    tmp_path: Path, token: str | None
) -> None:
    async with running_team(tmp_path) as team, team.http(token) as http:
        answer = await http.post("/mcp", json=INITIALIZE, headers=MCP_HEADERS)
    assert answer.status_code == 401
    assert answer.headers["www-authenticate"].startswith("Bearer ")
    assert answer.json()["error"] == "invalid_token"


@pytest.mark.parametrize("mode", ["auto", "legacy"])
async def test_a_token_reaches_the_tools_and_names_its_user_on_every_line(
    tmp_path: Path, mode: str
) -> None:
    with json_log_lines() as entries:
        async with running_team(tmp_path) as team, team.client("maria", mode) as client:
            result = await client.call_tool("list_all_properties", {"limit": 2})
    assert not result.is_error
    assert len(result.structured_content["properties"]) == 2  # type: ignore[index]
    [tool_line] = [e for e in entries if e.get("message") == "tool call"]
    assert tool_line["user"] == "maria" and tool_line["outcome"] == "ok"
    requests = [e for e in entries if e.get("message") == "http request" and e["path"] == "/mcp"]
    assert requests and all(e["user"] == "maria" for e in requests)
    for entry in entries:
        for secret in TOKENS.values():
            assert secret not in json.dumps(entry)


async def test_an_executed_write_is_audited_with_who_approved_it(tmp_path: Path) -> None:
    start = date.today() + timedelta(days=300)
    arguments = {
        "listing_id": 40160,
        "start_date": start.isoformat(),
        "end_date": (start + timedelta(days=2)).isoformat(),
        "price": 321,
    }
    with json_log_lines() as entries:
        async with (
            running_team(tmp_path, read_only=False, write_approval="model") as team,
            team.client("joao", "legacy") as client,
        ):
            result = await confirm_write(client, "update_calendar", arguments)
    assert not result.is_error, result.content
    [audit] = [e for e in entries if e.get("audit") == "write"]
    assert audit["approved_by"] == "joao" and audit["user"] == "joao"
    assert audit["tool"] == "update_calendar" and audit["status"] == "ok"


async def test_two_users_at_once_share_one_adapter(tmp_path: Path) -> None:
    async with running_team(tmp_path) as team:
        opened = team.server.adapter.hostaway
        assert opened is not None

        async def work(user: str) -> None:
            async with team.client(user, "legacy" if user == "joao" else "auto") as client:
                for listing_id in (40160, 40161, 40162):
                    result = await client.call_tool(
                        "get_property_details", {"listing_id": listing_id}
                    )
                    assert not result.is_error

        async with anyio.create_task_group() as group:
            group.start_soon(work, "maria")
            group.start_soon(work, "joao")
        assert team.server.adapter.hostaway is opened
        # one token for everyone; listing details are cached, so both users' reads share them
        assert opened.stats.token_requests == 1
        assert opened.stats.by_path["GET /listings/40160"] == 1
        assert team.server.metrics.tool_calls[("get_property_details", "ok")] == 6
    assert team.sandbox.tokens.revoked() == team.sandbox.tokens.issued()  # revoked at shutdown


def test_a_second_adapter_is_refused() -> None:
    from tests.support.servers import settings

    opened: list[object] = []
    adapter = OneAdapter(lambda s: opened.append(s) or object())  # type: ignore[arg-type,func-returns-value]
    adapter(settings())
    with pytest.raises(RuntimeError, match="one Hostaway adapter per process"):
        adapter(settings())
    assert len(opened) == 1


async def test_healthz_needs_no_token_and_shows_no_account_data(tmp_path: Path) -> None:
    async with running_team(tmp_path) as team, team.http() as http:
        with anyio.fail_after(5):
            # the check at start may still be running
            while (await http.get("/healthz")).json()["upstream"]["state"] == "unknown":  # noqa: ASYNC110
                await anyio.sleep(0.01)
        answer = await http.get("/healthz")
        body = answer.json()
        assert answer.status_code == 200
        assert body["status"] == "ok"
        assert body["mirror"] == "off"
        assert body["upstream"]["state"] == "ok" and body["upstream"]["token"] == "held"
        assert body["upstream"]["last_failure"] is None
        text = answer.text
        for private in ("100001", "demo-secret", "Lisbon", "40160"):
            assert private not in text


async def test_healthz_reports_a_failing_upstream_as_degraded(tmp_path: Path) -> None:
    async with running_team(tmp_path) as team, team.http() as http:
        hostaway = team.server.adapter.hostaway
        assert hostaway is not None
        hostaway.stats.failed("HTTP 503")
        body = (await http.get("/healthz")).json()
    assert body["status"] == "degraded"
    assert body["upstream"]["state"] == "failing"
    assert body["upstream"]["last_failure"] == "HTTP 503"


async def test_while_draining_requests_get_503_and_healthz_says_so(tmp_path: Path) -> None:
    async with running_team(tmp_path) as team, team.http(TOKENS["maria"]) as http:
        team.server.draining = True
        refused = await http.post("/mcp", json=INITIALIZE, headers=MCP_HEADERS)
        health = await http.get("/healthz")
        team.server.draining = False
    assert refused.status_code == 503 and refused.headers["retry-after"] == "5"
    assert health.status_code == 503 and health.json()["status"] == "draining"


async def test_without_tokens_only_direct_local_requests_are_served(tmp_path: Path) -> None:
    async with running_team(tmp_path, tokens=None) as team:
        async with team.http() as http:
            direct = await http.post("/mcp", json=INITIALIZE, headers=MCP_HEADERS)
        async with team.http(**{"X-Forwarded-For": "203.0.113.9"}) as http:
            proxied = await http.post("/mcp", json=INITIALIZE, headers=MCP_HEADERS)
        async with team.http(Host="evil.example") as http:
            rebound = await http.post("/mcp", json=INITIALIZE, headers=MCP_HEADERS)
    assert direct.status_code == 200
    assert proxied.status_code == 403 and "HOSTAWAY_HTTP_TOKENS_FILE" in proxied.text
    assert rebound.status_code == 421  # DNS rebinding: the Host header is not ours


async def test_allowed_hosts_and_origins_come_from_the_environment(tmp_path: Path) -> None:
    env = {
        "HOSTAWAY_HTTP_ALLOWED_HOSTS": "mcp.example.com",
        "HOSTAWAY_HTTP_ALLOWED_ORIGINS": "https://claude.example.com",
    }
    async with running_team(tmp_path, env=env) as team:
        token = TOKENS["maria"]
        async with team.http(token, Host="mcp.example.com") as http:
            named = await http.post("/mcp", json=INITIALIZE, headers=MCP_HEADERS)
        async with team.http(
            token, Host="mcp.example.com", Origin="https://claude.example.com"
        ) as http:
            from_origin = await http.post("/mcp", json=INITIALIZE, headers=MCP_HEADERS)
        async with team.http(token, Host="mcp.example.com", Origin="https://evil.example") as http:
            foreign = await http.post("/mcp", json=INITIALIZE, headers=MCP_HEADERS)
    assert named.status_code == 200
    assert from_origin.status_code == 200
    assert foreign.status_code == 403
