"""The team server's settings and start-up checks: loopback, the Host/Origin allowlist, the webhook
credentials, refusing to listen beyond this machine without tokens, and the command line."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from hostaway_mcp.__main__ import main
from hostaway_mcp.config import Settings
from hostaway_mcp.errors import ConfigurationError
from hostaway_mcp.server.http_config import HttpSettings, is_loopback, load_http_settings
from hostaway_mcp.server.http_serve import check_exposure, prepare
from hostaway_mcp.server.tokens import TokenFileVerifier
from tests.server.team_harness import tokens_file

ANY = "0.0.0.0"  # noqa: S104 - the address under test; these tests bind loopback only


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.0.0.2", True),
        ("localhost", True),
        ("::1", True),
        ("[::1]", True),
        (ANY, False),
        ("::", False),
        ("192.168.1.10", False),
        ("mcp.example.com", False),
    ],
)
def test_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_the_allowlist_is_loopback_the_bound_address_and_the_configured_names() -> None:
    http = load_http_settings(
        {
            "HOSTAWAY_HTTP_ALLOWED_HOSTS": "mcp.example.com, team.example.com:8443",
            "HOSTAWAY_HTTP_ALLOWED_ORIGINS": "https://claude.example.com",
        },
        host="192.168.1.10",
        port=9000,
    )
    hosts = http.allowed_hosts()
    for name in ("127.0.0.1:*", "localhost", "[::1]:*", "192.168.1.10", "192.168.1.10:*"):
        assert name in hosts
    assert "mcp.example.com" in hosts and "mcp.example.com:*" in hosts
    assert "team.example.com:8443" in hosts and "team.example.com:8443:*" not in hosts
    origins = http.allowed_origins()
    assert "http://localhost:*" in origins and "https://mcp.example.com" in origins
    assert "https://claude.example.com" in origins
    wildcard = HttpSettings(host=ANY).allowed_hosts()
    assert ANY not in wildcard and f"{ANY}:*" not in wildcard
    assert "[::1]:*" in HttpSettings(host="::1").allowed_hosts()


@pytest.mark.parametrize(
    ("env", "problem"),
    [
        ({"HOSTAWAY_WEBHOOK_LOGIN": "hostaway"}, "Set both HOSTAWAY_WEBHOOK_LOGIN"),
        ({"HOSTAWAY_WEBHOOK_PASSWORD": "pw"}, "Set both HOSTAWAY_WEBHOOK_LOGIN"),
        ({"HOSTAWAY_HTTP_ALLOWED_HOSTS": "https://mcp.example.com"}, "HOSTAWAY_HTTP_ALLOWED_HOSTS"),
        ({"HOSTAWAY_HTTP_ALLOWED_HOSTS": "*"}, "HOSTAWAY_HTTP_ALLOWED_HOSTS"),
        ({"HOSTAWAY_HTTP_ALLOWED_ORIGINS": "claude.example.com"}, "HOSTAWAY_HTTP_ALLOWED_ORIGINS"),
        ({"HOSTAWAY_HTTP_SHUTDOWN_TIMEOUT": "soon"}, "HOSTAWAY_HTTP_SHUTDOWN_TIMEOUT"),
        ({"HOSTAWAY_HTTP_SHUTDOWN_TIMEOUT": "-1"}, "HOSTAWAY_HTTP_SHUTDOWN_TIMEOUT"),
    ],
)
def test_bad_values_are_named(env: dict[str, str], problem: str) -> None:
    with pytest.raises(ConfigurationError, match=problem):
        load_http_settings(env)


def test_defaults_and_parsed_values(tmp_path: Path) -> None:
    plain = load_http_settings({})
    assert (plain.host, plain.port, plain.tokens_file) == ("127.0.0.1", 8000, None)
    assert plain.loopback and not plain.webhooks_enabled and plain.shutdown_seconds == 30
    with pytest.raises(ConfigurationError, match="--port"):
        load_http_settings({}, port=70000)
    full = load_http_settings(
        {
            "HOSTAWAY_HTTP_TOKENS_FILE": str(tmp_path / "t"),
            "HOSTAWAY_WEBHOOK_LOGIN": "hostaway",
            "HOSTAWAY_WEBHOOK_PASSWORD": "pw pw",
            "HOSTAWAY_HTTP_SHUTDOWN_TIMEOUT": "5",
        },
        host=ANY,
        port=0,
    )
    assert full.tokens_file == tmp_path / "t" and full.webhooks_enabled
    assert full.webhook_password == "pw pw" and "pw pw" not in repr(full)
    assert full.shutdown_seconds == 5 and not full.loopback


DEMO = Settings(demo=True)


def test_listening_beyond_this_machine_needs_tokens(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match=r"Refusing to listen on 0\.0\.0\.0") as caught:
        prepare(DEMO, None, {}, host=ANY, port=0)
    assert "hostaway-mcp token add NAME" in caught.value.user_message()
    empty = tmp_path / "empty"
    empty.write_text("# nobody yet\n")
    empty.chmod(0o600)
    with pytest.raises(ConfigurationError, match="has no tokens"):
        prepare(DEMO, None, {"HOSTAWAY_HTTP_TOKENS_FILE": str(empty)}, host=ANY, port=0)
    env = {"HOSTAWAY_HTTP_TOKENS_FILE": str(tokens_file(tmp_path))}
    verifier = TokenFileVerifier(tokens_file(tmp_path))
    check_exposure(load_http_settings(env, host=ANY), verifier)  # tokens: allowed
    team, sock = prepare(DEMO, None, env, host="127.0.0.1", port=0)  # binds loopback only
    with sock:
        assert sock.getsockname()[1] > 0
        assert team.verifier is not None and team.verifier.names == ["maria", "joao"]


def test_configuration_problems_stop_the_start(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="HOSTAWAY_TIMEOUT"):
        prepare(DEMO, "HOSTAWAY_TIMEOUT must be ...", {}, host=None, port=0)
    with pytest.raises(ConfigurationError, match="HOSTAWAY_CLIENT_SECRET"):
        prepare(Settings(client_id="1"), None, {}, host=None, port=0)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(ConfigurationError, match=f"Cannot listen on 127.0.0.1:{port}"):
            prepare(DEMO, None, {}, host="127.0.0.1", port=port)


def test_serve_http_reports_a_refusal_in_one_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("HOSTAWAY_HTTP_TOKENS_FILE", raising=False)
    assert main(["serve", "--http", "--demo", "--host", ANY, "--port", "0"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("hostaway-mcp: Refusing to listen on 0.0.0.0")


@pytest.mark.parametrize(
    ("argv", "problem"),
    [
        (["serve", "--port", "9000"], "--host and --port go with serve --http"),
        (["--host", ANY], "--host and --port go with serve --http"),
        (["check", "--http"], "--http goes with serve"),
    ],
)
def test_http_flags_belong_to_serve(
    argv: list[str], problem: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as caught:
        main(argv)
    assert caught.value.code == 2
    assert problem in capsys.readouterr().err
