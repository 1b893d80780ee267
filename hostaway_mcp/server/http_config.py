"""Settings of the team server (`serve --http`), read once from the same environment as the rest:
where it listens, its bearer tokens, the Host/Origin allowlist and the webhook credentials."""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ConfigurationError
from .tokens import TOKENS_FILE_VARIABLE

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
DEFAULT_SHUTDOWN_SECONDS = 30.0
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")
WILDCARD_BINDS = ("0.0.0.0", "::", "")  # noqa: S104 - names the wildcard, binds nothing


def is_loopback(host: str) -> bool:
    if host.strip("[]").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name other than localhost may resolve to anything


def _host_header(host: str) -> str:
    """How a bound address appears in a Host header (IPv6 in brackets)."""
    bare = host.strip("[]")
    return f"[{bare}]" if ":" in bare else bare


def _list(raw: str | None) -> list[str]:
    return [item.strip() for item in (raw or "").split(",") if item.strip()]


@dataclass(frozen=True)
class HttpSettings:
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    tokens_file: Path | None = None
    extra_hosts: tuple[str, ...] = ()
    extra_origins: tuple[str, ...] = ()
    webhook_login: str | None = None
    webhook_password: str | None = field(default=None, repr=False)
    shutdown_seconds: float = DEFAULT_SHUTDOWN_SECONDS

    @property
    def loopback(self) -> bool:
        return is_loopback(self.host)

    @property
    def webhooks_enabled(self) -> bool:
        return self.webhook_login is not None and self.webhook_password is not None

    def allowed_hosts(self) -> list[str]:
        """Host header values accepted (DNS-rebinding protection): loopback, the bound address
        when it is a specific one, and HOSTAWAY_HTTP_ALLOWED_HOSTS; each with or without a port."""
        names = list(LOOPBACK_NAMES)
        if self.host not in WILDCARD_BINDS:
            names.append(_host_header(self.host))
        names.extend(self.extra_hosts)
        allowed: list[str] = []
        for name in dict.fromkeys(names):
            allowed.append(name)
            if not name.endswith("]") and ":" in name:
                continue  # already has a port
            allowed.append(f"{name}:*")
        return allowed

    def allowed_origins(self) -> list[str]:
        """Origin header values accepted: loopback pages, https:// on every allowed name, and
        HOSTAWAY_HTTP_ALLOWED_ORIGINS. Requests without an Origin (non-browser clients) pass."""
        origins = [f"http://{name}:*" for name in LOOPBACK_NAMES]
        origins += [f"http://{name}" for name in LOOPBACK_NAMES]
        origins += [f"https://{name}" for name in self.extra_hosts]
        origins += list(self.extra_origins)
        return list(dict.fromkeys(origins))


def load_http_settings(
    env: Mapping[str, str], *, host: str | None = None, port: int | None = None
) -> HttpSettings:
    """HttpSettings from the environment and the command line; ConfigurationError names the bad
    variable."""
    tokens = (env.get(TOKENS_FILE_VARIABLE) or "").strip()
    login = (env.get("HOSTAWAY_WEBHOOK_LOGIN") or "").strip() or None
    password = env.get("HOSTAWAY_WEBHOOK_PASSWORD") or None
    if (login is None) != (password is None):
        raise ConfigurationError(
            "Set both HOSTAWAY_WEBHOOK_LOGIN and HOSTAWAY_WEBHOOK_PASSWORD (the basic-auth "
            "credentials entered in Hostaway's webhook settings), or neither."
        )
    raw_shutdown = (env.get("HOSTAWAY_HTTP_SHUTDOWN_TIMEOUT") or "").strip()
    try:
        shutdown = float(raw_shutdown) if raw_shutdown else DEFAULT_SHUTDOWN_SECONDS
        if not 0 <= shutdown < float("inf"):
            raise ValueError
    except ValueError:
        raise ConfigurationError(
            f"HOSTAWAY_HTTP_SHUTDOWN_TIMEOUT must be a number of seconds, got {raw_shutdown!r}."
        ) from None
    hosts = _list(env.get("HOSTAWAY_HTTP_ALLOWED_HOSTS"))
    for name in hosts:
        if "/" in name or name == "*":
            raise ConfigurationError(
                "HOSTAWAY_HTTP_ALLOWED_HOSTS lists host names as clients send them in the Host "
                f"header (e.g. mcp.example.com or mcp.example.com:8443), got {name!r}."
            )
    origins = _list(env.get("HOSTAWAY_HTTP_ALLOWED_ORIGINS"))
    for origin in origins:
        if not origin.startswith(("http://", "https://")):
            raise ConfigurationError(
                "HOSTAWAY_HTTP_ALLOWED_ORIGINS lists origins such as https://claude.example.com, "
                f"got {origin!r}."
            )
    chosen_port = DEFAULT_PORT if port is None else port
    if not 0 <= chosen_port <= 65535:
        raise ConfigurationError(f"--port must be between 0 and 65535, got {chosen_port}.")
    return HttpSettings(
        host=host or DEFAULT_HOST,
        port=chosen_port,
        tokens_file=Path(tokens).expanduser() if tokens else None,
        extra_hosts=tuple(hosts),
        extra_origins=tuple(origins),
        webhook_login=login,
        webhook_password=password,
        shutdown_seconds=shutdown,
    )
