"""Fault injection: make the next N matching requests fail the way real upstreams do."""

from __future__ import annotations

import json
from dataclasses import dataclass
from http import HTTPStatus

# "timeout": the request arrives (and is logged) but no answer ever leaves; in process the
# transport raises httpx.ReadTimeout at once, as the client's own timeout would after a wait.
FAULT_KINDS = ("status", "html", "malformed", "empty", "fail", "latency", "timeout", "undecodable")
# Kinds that let the request through to its route (it takes effect) and spoil only the answer.
AFTER_ROUTE_KINDS = frozenset({"undecodable"})
# A body declared gzip-encoded that is not gzip: the client cannot decode what Hostaway answered.
UNDECODABLE_BODY = b"\x1f\x8b not really gzip"
RATE_LIMIT_MESSAGE = (
    "This error occurs because a server detects that your application has exceeded the rate "
    "limits or has made too many requests in a given period of time."
)
HTML_PAGE = (
    "<html>\r\n<head><title>{status} {phrase}</title></head>\r\n<body>\r\n"
    "<center><h1>{status} {phrase}</h1></center>\r\n<hr><center>nginx</center>\r\n"
    "</body>\r\n</html>\r\n"
)
TRUNCATED_JSON = b'{"status":"success","result":[{"id":40160,"name":"Sunny'


def normalize_path(path: str) -> str:
    """Paths are matched without the /v1 prefix."""
    if path.startswith("/v1/") or path == "/v1":
        path = path[3:] or "/"
    return path if path.startswith("/") else "/" + path


def path_matches(pattern: str, path: str) -> bool:
    if pattern.endswith("*"):
        return path.startswith(pattern[:-1])
    return path == pattern


@dataclass
class Fault:
    path: str
    kind: str
    remaining: int
    method: str | None = None
    delay: float = 0.0
    status: int | None = None
    message: str | None = None

    def matches(self, method: str, path: str) -> bool:
        if self.method is not None and self.method != method.upper():
            return False
        return path_matches(self.path, path)

    def response(self) -> tuple[int, str, bytes]:
        """(HTTP status, content type, body) for every kind answered before the route (not
        latency and timeout)."""
        if self.kind == "status":
            status = self.status or 500
            if status == 429:
                payload = {"status": "fail", "message": self.message or RATE_LIMIT_MESSAGE}
            else:
                payload = {"status": "fail", "result": self.message or "Internal server error"}
            return status, "application/json", json.dumps(payload).encode()
        if self.kind == "html":
            status = self.status or 502
            try:
                phrase = HTTPStatus(status).phrase
            except ValueError:
                phrase = "Error"
            page = HTML_PAGE.format(status=status, phrase=phrase)
            return status, "text/html; charset=utf-8", page.encode()
        if self.kind == "malformed":
            return 200, "application/json", TRUNCATED_JSON
        if self.kind == "empty":
            return 200, "application/json", b""
        payload = {"status": "fail", "result": self.message or "Something went wrong"}
        return self.status or 200, "application/json", json.dumps(payload).encode()


class FaultInjector:
    def __init__(self) -> None:
        self.pending: list[Fault] = []
        self.served = 0

    def inject(
        self,
        path: str,
        kind: str,
        count: int = 1,
        method: str | None = None,
        delay: float = 0.0,
        status: int | None = None,
        message: str | None = None,
    ) -> None:
        """Affect the next ``count`` requests to ``path`` (no /v1; a trailing * matches a prefix)."""
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; use one of {', '.join(FAULT_KINDS)}")
        if count < 1:
            raise ValueError("count must be at least 1")
        if delay < 0:
            raise ValueError("delay must not be negative")
        self.pending.append(
            Fault(
                path=normalize_path(path),
                kind=kind,
                remaining=count,
                method=method.upper() if method else None,
                delay=delay,
                status=status,
                message=message,
            )
        )

    def clear(self) -> None:
        self.pending.clear()

    def take(self, method: str, path: str) -> Fault | None:
        """The first pending fault matching this request, consuming one of its uses."""
        for fault in self.pending:
            if fault.matches(method, path):
                fault.remaining -= 1
                if fault.remaining <= 0:
                    self.pending.remove(fault)
                self.served += 1
                return fault
        return None
