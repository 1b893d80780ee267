"""Settings: read once from the environment (plus an optional `.env`; the real environment wins).

The `.env` is ours, not whatever directory the host happens to start us in: only the working
directory's own `.env` or the file HOSTAWAY_ENV_FILE names is read, never one in a parent."""

from __future__ import annotations

import ipaddress
import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, TypeVar
from urllib.parse import urlsplit

from dotenv import dotenv_values

from .errors import ConfigurationError

DEFAULT_BASE_URL = "https://api.hostaway.com/v1"
MIN_RESULT_CHARS = 2000  # below this not even one booking fits
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}
ENV_FILE_VARIABLE = "HOSTAWAY_ENV_FILE"
ApprovalMode = Literal["host", "model"]
APPROVAL_MODES: tuple[ApprovalMode, ...] = ("host", "model")
LOOPBACK_NAMES = {"localhost"}
# HOSTAWAY_STORE: the local mirror's place. "off" = live only; the throwaway store is demo mode's.
STORE_OFF = "off"
STORE_THROWAWAY = ":throwaway:"
MIRROR_DAYS_MAX = 3650

T = TypeVar("T")


@dataclass(frozen=True)
class Settings:
    client_id: str | None = None
    client_secret: str | None = field(default=None, repr=False)
    base_url: str = DEFAULT_BASE_URL
    rate_limit_ip: int = 15
    rate_limit_account: int = 20
    rate_window_seconds: float = 10.0
    max_concurrent_requests: int = 10
    token_refresh_days: float = 7.0
    timeout: float = 30.0
    log_level: str = "INFO"
    read_only: bool = True
    demo: bool = False
    max_result_chars: int = 20_000
    cache_ttl: float = 300.0
    # Who approves a write when the host cannot ask the user (see README, Writes).
    write_approval: ApprovalMode = "host"
    # The local mirror (issue 13): "off", the throwaway store, or a directory / .sqlite3 file.
    # Settings built in code default to live only; load_settings picks the user's data directory.
    store: str = STORE_OFF
    mirror_past_days: int = 730
    mirror_future_days: int = 730
    freshness_s: float = 60.0

    @property
    def has_credentials(self) -> bool:
        return bool(self.client_id and self.client_secret)

    def missing_credentials_message(self) -> str:
        missing = [
            name
            for name, value in (
                ("HOSTAWAY_CLIENT_ID", self.client_id),
                ("HOSTAWAY_CLIENT_SECRET", self.client_secret),
            )
            if not value
        ]
        return (
            f"Hostaway credentials are not configured: set {' and '.join(missing)} in the MCP "
            "server's env block (or a .env file). HOSTAWAY_CLIENT_ID is your Hostaway account id; "
            "create the secret under Settings > Hostaway API. To try the server without an "
            "account, run it with --demo (or HOSTAWAY_DEMO=true)."
        )


def _parse(name: str, raw: str, convert: Callable[[str], T], expected: str) -> T:
    try:
        return convert(raw.strip())
    except ValueError:
        raise ConfigurationError(f"{name} must be {expected}, got {raw!r}.") from None


def _positive_int(raw: str) -> int:
    value = int(raw)
    if value <= 0:
        raise ValueError
    return value


def _positive_float(raw: str) -> float:
    value = float(raw)
    if not value > 0 or value == float("inf"):
        raise ValueError
    return value


def _non_negative_float(raw: str) -> float:
    value = float(raw)
    if not value >= 0 or value == float("inf"):
        raise ValueError
    return value


def _result_chars(raw: str) -> int:
    value = int(raw)
    if value < MIN_RESULT_CHARS:
        raise ValueError
    return value


def _bool(raw: str) -> bool:
    lowered = raw.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ValueError


def _log_level(raw: str) -> str:
    upper = raw.upper()
    if upper not in LOG_LEVELS:
        raise ValueError
    return upper


def is_loopback(host: str) -> bool:
    """127.0.0.0/8, ::1 or localhost: a listener on this machine."""
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _url(raw: str) -> str:
    """An https URL; plain http only to this machine (the sandbox, a local proxy)."""
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        raise ValueError
    return raw.rstrip("/")


def _approval_mode(raw: str) -> ApprovalMode:
    for mode in APPROVAL_MODES:
        if raw.lower() == mode:
            return mode
    raise ValueError


@dataclass(frozen=True)
class Environment:
    """The variables to build Settings from, and the `.env` file they came from (if any)."""

    values: dict[str, str]
    env_file: Path | None = None


def env_file_path(environ: Mapping[str, str], cwd: Path) -> Path | None:
    """HOSTAWAY_ENV_FILE when set (it must exist), else `.env` in the working directory itself."""
    named = (environ.get(ENV_FILE_VARIABLE) or "").strip()
    if named:
        path = Path(named).expanduser()
        if not path.is_absolute():
            path = cwd / path
        if not path.is_file():
            raise ConfigurationError(f"{ENV_FILE_VARIABLE} names {named!r}, which is not a file.")
        return path
    local = cwd / ".env"
    return local if local.is_file() else None


def _mirror_days(raw: str) -> int:
    value = int(raw)
    if not 0 <= value <= MIRROR_DAYS_MAX:
        raise ValueError
    return value


def default_store_dir(env: Mapping[str, str], platform: str = sys.platform) -> str:
    """The user's data directory for this app: XDG on Linux, Application Support on macOS,
    %LOCALAPPDATA% on Windows."""
    home = env.get("HOME") or env.get("USERPROFILE") or os.path.expanduser("~")
    if platform == "win32":
        base = env.get("LOCALAPPDATA") or os.path.join(home, "AppData", "Local")
    elif platform == "darwin":
        base = os.path.join(home, "Library", "Application Support")
    else:
        base = env.get("XDG_DATA_HOME") or os.path.join(home, ".local", "share")
    return os.path.join(base, "hostaway-mcp")


def _store(env: Mapping[str, str], demo: bool) -> str:
    raw = (env.get("HOSTAWAY_STORE") or "").strip()
    if raw.lower() == STORE_OFF:
        return STORE_OFF
    if not raw:
        return STORE_THROWAWAY if demo else default_store_dir(env)
    return os.path.abspath(os.path.expanduser(raw))


def load_environment(
    environ: Mapping[str, str] | None = None, cwd: Path | None = None
) -> Environment:
    """The process environment over the values of the `.env` file (see env_file_path)."""
    environ = os.environ if environ is None else environ
    path = env_file_path(environ, cwd or Path.cwd())
    values = {k: v for k, v in dotenv_values(path).items() if v is not None} if path else {}
    values.update(environ)
    return Environment(values, path)


def read_environment(dotenv_path: str | None = None) -> dict[str, str]:
    """The process environment over the values of `.env` (this file, or see load_environment)."""
    if dotenv_path is None:
        return load_environment().values
    values = {k: v for k, v in dotenv_values(dotenv_path).items() if v is not None}
    values.update(os.environ)
    return values


def load_settings(env: Mapping[str, str], *, demo: bool | None = None) -> Settings:
    """Build Settings from a mapping of variables; raise ConfigurationError naming the bad one."""

    def get(name: str, convert: Callable[[str], T], default: T, expected: str) -> T:
        raw = env.get(name)
        if raw is None or raw.strip() == "":
            return default
        return _parse(name, raw, convert, expected)

    demo_mode = demo if demo is not None else get("HOSTAWAY_DEMO", _bool, False, "true or false")
    return Settings(
        client_id=(env.get("HOSTAWAY_CLIENT_ID") or "").strip() or None,
        client_secret=(env.get("HOSTAWAY_CLIENT_SECRET") or "").strip() or None,
        base_url=get(
            "HOSTAWAY_BASE_URL",
            _url,
            DEFAULT_BASE_URL,
            "an https URL (plain http only to this machine: 127.0.0.1, ::1 or localhost)",
        ),
        rate_limit_ip=get("RATE_LIMIT_IP", _positive_int, 15, "a positive integer"),
        rate_limit_account=get("RATE_LIMIT_ACCOUNT", _positive_int, 20, "a positive integer"),
        rate_window_seconds=get(
            "RATE_LIMIT_WINDOW", _positive_float, 10.0, "a positive number of seconds"
        ),
        max_concurrent_requests=get(
            "MAX_CONCURRENT_REQUESTS", _positive_int, 10, "a positive integer"
        ),
        token_refresh_days=get(
            "TOKEN_REFRESH_DAYS", _non_negative_float, 7.0, "a number of days (0 or more)"
        ),
        timeout=get("HOSTAWAY_TIMEOUT", _positive_float, 30.0, "a positive number of seconds"),
        log_level=get("HOSTAWAY_LOG_LEVEL", _log_level, "INFO", f"one of {', '.join(LOG_LEVELS)}"),
        read_only=get("HOSTAWAY_READ_ONLY", _bool, True, "true or false"),
        demo=demo_mode,
        max_result_chars=get(
            "HOSTAWAY_MAX_RESULT_CHARS",
            _result_chars,
            20_000,
            f"a whole number of characters, at least {MIN_RESULT_CHARS}",
        ),
        cache_ttl=get(
            "HOSTAWAY_CACHE_TTL", _non_negative_float, 300.0, "a number of seconds (0 disables)"
        ),
        write_approval=get("HOSTAWAY_WRITE_APPROVAL", _approval_mode, "host", "host or model"),
        store=_store(env, demo_mode),
        mirror_past_days=get(
            "HOSTAWAY_MIRROR_PAST_DAYS",
            _mirror_days,
            730,
            f"a number of days, 0 to {MIRROR_DAYS_MAX}",
        ),
        mirror_future_days=get(
            "HOSTAWAY_MIRROR_FUTURE_DAYS",
            _mirror_days,
            730,
            f"a number of days, 0 to {MIRROR_DAYS_MAX}",
        ),
        freshness_s=get(
            "HOSTAWAY_FRESHNESS_S", _non_negative_float, 60.0, "a number of seconds (0 or more)"
        ),
    )


def warnings_for(settings: Settings, env: Mapping[str, str]) -> list[str]:
    """What `check` should point out even when the configuration is valid."""
    notes: list[str] = []
    if not settings.demo and settings.base_url != DEFAULT_BASE_URL:
        notes.append(
            f"HOSTAWAY_BASE_URL is {settings.base_url}, not Hostaway's {DEFAULT_BASE_URL}: the "
            "client secret is sent there. Unset it unless you meant it."
        )
    if settings.demo:
        overridden = [
            name
            for name in ("HOSTAWAY_CLIENT_ID", "HOSTAWAY_CLIENT_SECRET", "HOSTAWAY_BASE_URL")
            if (env.get(name) or "").strip()
        ]
        if overridden:
            notes.append(
                f"Demo mode ignores {', '.join(overridden)}: it answers from the built-in "
                "simulated account, not yours."
            )
    return notes
