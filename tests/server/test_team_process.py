"""The team server as a real process on 127.0.0.1 against the sandbox (itself a process, serving
HTTP with its request log on stderr), driven by the SDK's Streamable HTTP client."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import anyio
import httpx
import pytest

from benchmarks.sandbox_proc import SandboxProcess
from hostaway_sandbox import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET
from tests.server.team_harness import TOKENS, tokens_file
from tests.server.team_process import team_process
from tests.support.servers import confirm_write
from tests.support.stdio import clean_env

pytestmark = [pytest.mark.anyio, pytest.mark.slow]  # real server processes
HIGH = 100_000
WEBHOOK = {"HOSTAWAY_WEBHOOK_LOGIN": "hostaway", "HOSTAWAY_WEBHOOK_PASSWORD": "webhook-pw-123"}


def server_env(sandbox: SandboxProcess, tmp_path: Path, **extra: str) -> dict[str, str]:
    return {
        "HOSTAWAY_CLIENT_ID": DEMO_CLIENT_ID,
        "HOSTAWAY_CLIENT_SECRET": DEMO_CLIENT_SECRET,
        "HOSTAWAY_BASE_URL": sandbox.base_url,
        "HOSTAWAY_HTTP_TOKENS_FILE": str(tokens_file(tmp_path)),
        **extra,
    }


async def test_a_real_server_process(tmp_path: Path) -> None:
    """401s, a user's write audited with their name, /healthz, /metrics, a webhook, and a clean
    stop that revokes the token."""
    start = date.today() + timedelta(days=200)
    update = {
        "listing_id": 40161,
        "start_date": start.isoformat(),
        "end_date": (start + timedelta(days=1)).isoformat(),
        "note": "painters",
    }
    with SandboxProcess(ip_limit=HIGH, account_limit=HIGH, token_warmup=0.0) as sandbox:
        env = server_env(
            sandbox,
            tmp_path,
            HOSTAWAY_READ_ONLY="false",
            HOSTAWAY_WRITE_APPROVAL="model",
            **WEBHOOK,
        )
        async with team_process(env, tmp_path) as server:
            async with httpx.AsyncClient(base_url=server.base) as http:
                hello = {"jsonrpc": "2.0", "id": 1, "method": "ping"}
                accept = {"Accept": "application/json, text/event-stream"}
                missing = await http.post("/mcp", json=hello, headers=accept)
                wrong = await http.post(
                    "/mcp", json=hello, headers={**accept, "Authorization": "Bearer hmcp_nope"}
                )
                health = await http.get("/healthz")
                webhook = await http.post(
                    "/webhooks/hostaway",
                    json={"event": "reservation.created", "objectId": 5, "listingMapId": 40161},
                    auth=("hostaway", "webhook-pw-123"),
                )
            async with server.client(TOKENS["maria"], mode="legacy") as client:
                result = await confirm_write(client, "update_calendar", update)
            async with httpx.AsyncClient(base_url=server.base) as http:
                metrics = await http.get(
                    "/metrics", headers={"Authorization": f"Bearer {TOKENS['joao']}"}
                )
            mark = sandbox.mark()
            server.signal()
            assert await server.exit_code() == 0
            revocations = [s for s in sandbox.since(mark) if s.method == "DELETE"]
    for answer in (missing, wrong):
        assert answer.status_code == 401
        assert answer.headers["www-authenticate"].startswith("Bearer ")
    assert health.status_code == 200 and health.json()["mirror"] == "off"
    assert webhook.status_code == 200
    assert not result.is_error, result.content
    [audit] = [line for line in server.lines if line.get("audit") == "write"]
    assert audit["approved_by"] == "maria" and audit["user"] == "maria"
    tool_lines = server.messages("tool call")  # the preview, then the approved write
    assert [line["user"] for line in tool_lines] == ["maria", "maria"]
    assert metrics.status_code == 200
    assert 'hostaway_mcp_tool_calls_total{tool="update_calendar",outcome="ok"} 2' in metrics.text
    assert [(s.path, s.status) for s in revocations] == [("/accessTokens", 200)]
    stderr = "\n".join(server.raw)
    for secret in (*TOKENS.values(), DEMO_CLIENT_SECRET, "webhook-pw-123"):
        assert secret not in stderr


async def test_a_stop_lets_the_calls_in_flight_finish(tmp_path: Path) -> None:
    """The server's own limiter makes one report slow (2 requests a second); SIGTERM arrives
    while it runs: the report still comes back, then the server revokes its token and exits 0."""
    limits = {"RATE_LIMIT_IP": "2", "RATE_LIMIT_ACCOUNT": "2", "RATE_LIMIT_WINDOW": "1"}
    with SandboxProcess(ip_limit=HIGH, account_limit=HIGH, token_warmup=0.0, listings=3) as sandbox:
        async with team_process(server_env(sandbox, tmp_path, **limits), tmp_path) as server:
            # 2026-07-28 (no session): after the stop, a session's client would try to reopen
            # its stream against a closed port
            async with server.client(TOKENS["joao"], mode="2026-07-28") as client:
                await client.list_tools()  # the client checks results against it: read it now
                results = []

                period = {
                    "start_date": date.today().isoformat(),
                    "end_date": (date.today() + timedelta(days=30)).isoformat(),
                }

                async def report() -> None:
                    results.append(await client.call_tool("get_occupancy_report", period))

                async with anyio.create_task_group() as group:
                    group.start_soon(report)
                    async with httpx.AsyncClient(base_url=server.base) as http:
                        with anyio.fail_after(20):
                            while (await http.get("/healthz")).json()["tool_calls_in_flight"] < 1:
                                assert not results, results  # it must still be running
                                await anyio.sleep(0.05)
                    server.signal()
            assert await server.exit_code() == 0
            requests = sandbox.since(0)
    [result] = results
    assert not result.is_error, result.content
    [shutting] = server.messages("shutting down")
    assert shutting["tool_calls_in_flight"] == 1
    assert server.messages("access token revoked")
    assert requests[-1].method == "DELETE" and requests[-1].path == "/accessTokens"


def test_listening_on_every_interface_without_tokens_is_refused(tmp_path: Path) -> None:
    every_interface = "0.0.0.0"  # noqa: S104 - refused before anything is bound
    completed = subprocess.run(  # noqa: S603 - our own interpreter and module
        [
            sys.executable,
            "-m",
            "hostaway_mcp",
            "serve",
            "--http",
            "--demo",
            "--host",
            every_interface,
        ],
        env=clean_env(),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert completed.returncode == 2
    assert completed.stdout == ""
    [line] = completed.stderr.strip().splitlines()
    assert "Refusing to listen on 0.0.0.0 without bearer tokens" in line
    assert "hostaway-mcp token add NAME" in line


# ---- one limiter for everyone ----------------------------------------------------------------

# Hostaway's limits scaled down (5 per IP and 6 per account per 1.8 s at the sandbox; the servers
# count 5 and 6 per 2 s): only the mechanism matters. The 0.2 s between the two windows stands in
# for the slack a real deployment has against Hostaway's clock (the limiter's margin, 0.11 s of
# 10 s, plus network time), so a busy test machine does not turn scheduling delays into 429s.
SCALED = {"ip_limit": 5, "account_limit": 6, "window": 1.8, "token_warmup": 0.0}
SERVER_LIMITS = {"RATE_LIMIT_IP": "5", "RATE_LIMIT_ACCOUNT": "6", "RATE_LIMIT_WINDOW": "2"}
WORK = {"maria": (40160, 40161, 40162, 40163), "joao": (40164, 40165, 40166, 40167)}


async def test_two_stdio_processes_collide_where_one_team_server_does_not(tmp_path: Path) -> None:
    from tests.support.stdio import StdioSession, open_session

    with SandboxProcess(**SCALED) as sandbox:
        env = clean_env(**server_env(sandbox, tmp_path, **SERVER_LIMITS))
        # Two people, each with their own stdio server on the same account.
        stdio_mark = sandbox.mark()
        processes = [await open_session([], env, tmp_path) for _ in WORK]
        try:
            sessions = [StdioSession(process) for process in processes]
            for session in sessions:
                await session.initialize()

            async def stdio_work(session: StdioSession, listings: tuple[int, ...]) -> None:
                for listing_id in listings:
                    reply = await session.request(
                        "tools/call",
                        {"name": "get_property_details", "arguments": {"listing_id": listing_id}},
                    )
                    assert reply["result"]["isError"] is False

            async with anyio.create_task_group() as group:
                for session, listings in zip(sessions, WORK.values(), strict=True):
                    group.start_soon(stdio_work, session, listings)
        finally:
            for process in processes:
                process.kill()
                await process.wait()
        stdio_served = sandbox.since(stdio_mark)

        # The same two people through one team server.
        await anyio.sleep(2.0)  # let the sandbox's windows empty
        async with team_process(env, tmp_path) as server:
            async with httpx.AsyncClient(base_url=server.base) as http:
                with anyio.fail_after(20):  # the check at start has been answered
                    while (await http.get("/healthz")).json()["upstream"]["state"] != "ok":  # noqa: ASYNC110
                        await anyio.sleep(0.05)
            team_mark = sandbox.mark()

            async def team_work(user: str, listings: tuple[int, ...]) -> None:
                async with server.client(TOKENS[user]) as client:
                    for listing_id in listings:
                        result = await client.call_tool(
                            "get_property_details", {"listing_id": listing_id}
                        )
                        assert not result.is_error

            async with anyio.create_task_group() as group:
                for user, listings in WORK.items():
                    group.start_soon(team_work, user, listings)
            team_served = sandbox.since(team_mark)

    stdio_429s = sum(1 for served in stdio_served if served.status == 429)
    team_429s = sum(1 for served in team_served if served.status == 429)
    assert stdio_429s > 0, f"two stdio servers should have collided: {stdio_served}"
    assert team_429s == 0, f"the team server shares one limiter: {team_served}"
    assert sum(1 for s in team_served if s.path.startswith("/listings/")) == 8
