"""A Hostaway scripted route by route: only for upstream quirks the sandbox must not imitate
(filters ignored, newest-first threads, the official example payloads served verbatim).

Scripted({("GET", "/conversations"): paged(rows), ("POST", "/tasks"): [(503, fail), created]})
A reply is a JSON body (HTTP 200), a (status, body) pair, a function of the request, or a list of
those served one per request (the last one repeats). The token endpoint always answers; any
other unscripted request gets Hostaway's 404.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import httpx

from .records import envelope, token_body

Reply = Any  # JSON | tuple[int, JSON] | Callable[[httpx.Request], httpx.Response] | list[Reply]


def paged(rows: list[dict[str, Any]], cap: int = 100) -> Callable[[httpx.Request], httpx.Response]:
    """limit/offset pages over ``rows`` in the order given, at most ``cap`` rows each."""

    def serve(request: httpx.Request) -> httpx.Response:
        limit = min(int(request.url.params.get("limit", 100)), cap)
        offset = int(request.url.params.get("offset", 0))
        page = rows[offset : offset + limit]
        return httpx.Response(200, json=envelope(page, count=len(rows), limit=limit, offset=offset))

    return serve


class Scripted(httpx.MockTransport):
    def __init__(self, routes: Mapping[tuple[str, str], Reply] | None = None) -> None:
        self.routes: dict[tuple[str, str], Reply] = {("POST", "/accessTokens"): token_body()}
        self.routes.update(routes or {})
        self.requests: list[httpx.Request] = []
        super().__init__(self._answer)

    def calls(self, method: str, path: str) -> list[httpx.Request]:
        """Requests sent to ``path`` (without /v1)."""
        return [r for r in self.requests if (r.method, r.url.path) == (method, f"/v1{path}")]

    def _answer(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        reply = self.routes.get((request.method, request.url.path.removeprefix("/v1")))
        if isinstance(reply, list):
            reply = reply.pop(0) if len(reply) > 1 else reply[0]
        if reply is None:
            return httpx.Response(404, json={"status": "fail", "result": "Not found"})
        if callable(reply):
            response: httpx.Response = reply(request)
            return response
        if isinstance(reply, tuple):
            status, body = reply
            return httpx.Response(status, json=body)
        return httpx.Response(200, json=reply)
