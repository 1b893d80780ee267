"""Running the team server: the start-up checks (valid settings, tokens before listening beyond
this machine, the port free), uvicorn with JSON logs on stderr, and the graceful stop: on SIGTERM or
SIGINT stop accepting, answer new requests 503, let the tool calls in flight finish, then close
(the webhook worker, the mirror's sync and store, then the token's revocation) and exit 0."""

from __future__ import annotations

import contextlib
import logging
import signal
import socket
import sys
import threading
from collections.abc import Generator, Mapping

import uvicorn

from ..config import Settings
from ..errors import ConfigurationError
from ..logs import register_secret
from .app import Connect, connect
from .http import MCP_PATH, TeamServer
from .http_config import HttpSettings, load_http_settings
from .tokens import TOKENS_FILE_VARIABLE, TokenFileVerifier

logger = logging.getLogger(__name__)

# After the calls in flight are done, streams still open (a client's idle GET stream) get this
# long to close before they are cut.
CLOSE_STREAMS_SECONDS = 3


def run(team: TeamServer, sock: socket.socket) -> int:
    """Serve until stopped; 0 after a clean stop."""
    for name in ("uvicorn", "uvicorn.error"):
        logging.getLogger(name).addFilter(_without_color)
    config = uvicorn.Config(
        team.app,
        log_config=None,  # uvicorn's loggers reach our JSON handler on stderr
        access_log=False,  # the gate logs each request, with its user
        lifespan="on",
        server_header=False,
        timeout_graceful_shutdown=CLOSE_STREAMS_SECONDS,
    )
    server = GracefulServer(config, team, sock)
    try:
        server.run(sockets=[sock])
    except SystemExit as stop:  # uvicorn exits this way when the start-up fails
        return stop.code if isinstance(stop.code, int) else 1
    return 0 if server.started else 1


def _without_color(record: logging.LogRecord) -> bool:
    """uvicorn adds an ANSI-coloured copy of some messages; JSON lines need only the plain one."""
    record.__dict__.pop("color_message", None)
    return True


class GracefulServer(uvicorn.Server):
    """uvicorn with the team server's shutdown: drain the tool calls in flight first, and exit 0
    after a signal instead of re-raising it."""

    def __init__(self, config: uvicorn.Config, team: TeamServer, sock: socket.socket) -> None:
        super().__init__(config)
        self.team = team
        self.sock = sock

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        host, port = self.sock.getsockname()[:2]
        shown = f"[{host}]" if ":" in host else host
        team = self.team
        logger.info(
            "http server listening",
            extra={
                "url": f"http://{shown}:{port}{MCP_PATH}",
                "host": host,
                "port": port,
                "auth": "bearer tokens" if team.verifier else "none (this machine only)",
                "users": len(team.verifier.names) if team.verifier else 0,
                "allowed_hosts": team.security.allowed_hosts,
                "webhooks": team.http.webhooks_enabled,
            },
        )

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        team = self.team
        team.draining = True
        for listener in getattr(self, "servers", []):
            listener.close()  # no new connections; open ones get 503 from the gate
        busy = team.metrics.in_flight
        logger.info("shutting down", extra={"tool_calls_in_flight": busy})
        if busy and not await team.metrics.drained(team.http.shutdown_seconds):
            logger.warning(
                "tool calls still running at the shutdown timeout are cancelled",
                extra={
                    "tool_calls_in_flight": team.metrics.in_flight,
                    "timeout_s": team.http.shutdown_seconds,
                },
            )
        await super().shutdown(sockets)

    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        # uvicorn re-raises the signal after its graceful shutdown, which ends the process "killed
        # by SIGTERM"; a clean stop here exits 0.
        if threading.current_thread() is not threading.main_thread():  # pragma: no cover
            yield
            return
        handled = (signal.SIGINT, signal.SIGTERM)
        previous = {sig: signal.signal(sig, self.handle_exit) for sig in handled}
        try:
            yield
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)


def listen(http: HttpSettings) -> socket.socket:
    """Bind the address now, so a taken port is a clear error before anything starts."""
    host = http.host.strip("[]")
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, http.port))
    except OSError as exc:
        sock.close()
        raise ConfigurationError(
            f"Cannot listen on {http.host}:{http.port}: {exc.strerror or exc}.",
            hint="Choose another --port (0 picks a free one) or stop what is using it.",
        ) from None
    sock.set_inheritable(True)
    return sock


def check_exposure(http: HttpSettings, verifier: TokenFileVerifier | None) -> None:
    """Refuse to serve beyond this machine without bearer tokens."""
    if http.loopback:
        return
    if verifier is None or not verifier.names:
        where = "has no tokens" if verifier else f"is not set ({TOKENS_FILE_VARIABLE})"
        raise ConfigurationError(
            f"Refusing to listen on {http.host} without bearer tokens: anyone who can reach "
            f"this port could use your Hostaway account, and the tokens file {where}.",
            hint=(
                "Create a token per user with `hostaway-mcp token add NAME` and set "
                f"{TOKENS_FILE_VARIABLE} to that file, or listen on 127.0.0.1 behind a "
                "reverse proxy (see the README's For teams)."
            ),
        )


def prepare(
    settings: Settings,
    config_error: str | None,
    env: Mapping[str, str],
    *,
    host: str | None,
    port: int | None,
    open_adapter: Connect = connect,
) -> tuple[TeamServer, socket.socket]:
    """Everything serve_http checks before it starts; ConfigurationError says what to fix."""
    if config_error is not None:
        raise ConfigurationError(config_error)
    if not settings.demo and not settings.has_credentials:
        raise ConfigurationError(settings.missing_credentials_message())
    http = load_http_settings(env, host=host, port=port)
    verifier = TokenFileVerifier(http.tokens_file) if http.tokens_file is not None else None
    check_exposure(http, verifier)
    if verifier is None:
        logger.warning(
            "no bearer tokens: every program on this machine can use the server "
            f"(set {TOKENS_FILE_VARIABLE} to require tokens)"
        )
    elif not verifier.names:
        logger.warning(
            "the tokens file has no tokens yet: every request will be refused "
            "(add one with `hostaway-mcp token add NAME`)"
        )
    register_secret(http.webhook_password)
    sock = listen(http)
    return TeamServer(settings, http, verifier, open_adapter), sock


def serve_http(
    settings: Settings,
    config_error: str | None,
    env: Mapping[str, str],
    *,
    host: str | None = None,
    port: int | None = None,
) -> int:
    """Run the team server until SIGTERM/SIGINT. 2: configuration refused (one line on stderr)."""
    try:
        team, sock = prepare(settings, config_error, env, host=host, port=port)
    except ConfigurationError as exc:
        sys.stderr.write(f"hostaway-mcp: {exc.user_message()}\n")
        return 2
    return run(team, sock)
