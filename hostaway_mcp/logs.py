"""Logging: JSON lines on stderr (stdout is the MCP protocol), one correlation id per tool call,
the user of the request on the team server, and the one redaction step that keeps credentials
inside the process: every log record before it is encoded, and (through the MCP layer) every tool
result, error, resource and prompt."""

from __future__ import annotations

import contextvars
import json
import logging
import re
import sys
import uuid
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any, TextIO

correlation_id: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "correlation_id", default=None
)
# The team server (serve --http) sets the name its bearer token belongs to for each request;
# None over stdio, where the person at the desktop is the only user.
user_name: contextvars.ContextVar[str | None] = contextvars.ContextVar("user_name", default=None)

_STANDARD_ATTRS = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}
MASK = "***"
MIN_SECRET_CHARS = 4
# Longest first, so a token that contains a shorter secret is masked whole.
_secrets: list[str] = []
# Credentials we never registered (another account's secret echoed back, a header dump): masked by
# their shape. Each keeps its label and masks only the value.
_VALUE = r"[^\s\"',;&}]"
_SHAPES = (
    re.compile(r"(?i)\b(bearer)(\s+)[A-Za-z0-9\-._~+/]{16,}=*"),
    re.compile(
        rf"(?i)\b(authorization)([\"']?\s*[:=]\s*[\"']?)(?:bearer\s+|basic\s+)?{_VALUE}{{8,}}"
    ),
    re.compile(
        rf"(?i)\b(client_secret|access_token|refresh_token)([\"']?\s*[:=]\s*[\"']?){_VALUE}+"
    ),
)


def register_secret(value: str | None) -> None:
    """Mask this value (a token, the client secret) wherever it appears from now on, also in its
    JSON-escaped forms (a secret with a quote, a backslash or a tab is written differently)."""
    if not value or len(value) < MIN_SECRET_CHARS:
        return
    forms = {value, json.dumps(value)[1:-1], json.dumps(value, ensure_ascii=False)[1:-1]}
    for form in forms:
        if form not in _secrets:
            _secrets.append(form)
    _secrets.sort(key=len, reverse=True)


def redact(text: str) -> str:
    """The text with every registered secret and every credential-shaped value masked."""
    for secret in _secrets:
        if secret in text:
            text = text.replace(secret, MASK)
    for shape in _SHAPES:
        text = shape.sub(rf"\1\2{MASK}", text)
    return text


def needs_redaction(text: str) -> bool:
    """A cheap test: does this text hold anything `redact` would change?"""
    return any(secret in text for secret in _secrets) or any(
        shape.search(text) for shape in _SHAPES
    )


def redact_data(value: Any) -> Any:
    """`redact` applied to every string inside JSON-like data (dicts, lists, tuples)."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, Mapping):
        return {key: redact_data(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [redact_data(item) for item in value]
    return value


def _plain(value: Any) -> Any:
    """JSON-ready data: what json.dumps would otherwise turn into text later (unredacted)."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(item) for item in value]
    return str(value)


def new_correlation_id() -> str:
    return uuid.uuid4().hex[:12]


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "timestamp": datetime.fromtimestamp(record.created, UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "correlation_id": correlation_id.get(),
        }
        if (user := user_name.get()) is not None:
            entry["user"] = user
        for key, value in vars(record).items():
            if key not in _STANDARD_ATTRS and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        # Redact the values, then encode: masking the encoded line would miss a secret whose
        # JSON form differs from its text (a quote, a backslash, a tab).
        line = json.dumps(redact_data(_plain(entry)), ensure_ascii=False)
        return redact(line) if needs_redaction(line) else line


def configure_logging(level: str = "INFO", stream: TextIO | None = None) -> None:
    """Route every logger to one JSON handler on stderr. Safe to call more than once."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter())
    root.addHandler(handler)
    root.setLevel(level)
    # httpx logs every request URL at INFO; keep it at WARNING so logs stay about our own events.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    # The SDK logs the text of every failed tool call at INFO, and a refusal may quote what a
    # guest wrote; our own "tool call" line records each outcome without it.
    logging.getLogger("mcp.server.mcpserver.server").setLevel(logging.WARNING)
