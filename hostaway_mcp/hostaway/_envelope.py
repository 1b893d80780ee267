"""Reading Hostaway's answers: the success/fail envelope, error bodies, counts and lists."""

from __future__ import annotations

import json
from typing import Any, NoReturn

import httpx

from ..errors import BadRequest, NotFound, RateLimited, UpstreamUnavailable


def parse_count(value: Any) -> int | None:
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def as_list(result: Any) -> list[dict[str, Any]]:
    if isinstance(result, list):
        return [item for item in result if isinstance(item, dict)]
    return []


def decode(response: httpx.Response, *, strict: bool = True) -> Any:
    try:
        return response.json()
    except (json.JSONDecodeError, UnicodeDecodeError, ValueError):
        if not strict:
            return None
        kind = response.headers.get("content-type", "unknown type").split(";")[0]
        if response.status_code >= 500:
            raise UpstreamUnavailable(
                f"Hostaway is failing (HTTP {response.status_code}, {kind} body).",
                status_code=response.status_code,
            ) from None
        if response.status_code == 429:
            raise RateLimited(
                "Hostaway is rate-limiting this account (HTTP 429).", status_code=429
            ) from None
        raise UpstreamUnavailable(
            f"Hostaway returned an unreadable response (HTTP {response.status_code}, {kind}, "
            f"{len(response.content)} bytes) where JSON was expected.",
            status_code=response.status_code,
        ) from None


def fail_text(body: Any) -> str:
    if isinstance(body, dict):
        message = body.get("result") if isinstance(body.get("result"), str) else None
        message = message or (body.get("message") if isinstance(body.get("message"), str) else None)
        if message:
            return f": {message[:300]}"
    return ""


def raise_for_status(response: httpx.Response, body: Any) -> NoReturn:
    status = response.status_code
    detail = fail_text(body)
    if status == 429:
        raise RateLimited(
            f"Hostaway kept refusing requests with HTTP 429 (too many requests){detail}.",
            status_code=status,
        )
    if status == 404:
        raise NotFound(f"Not found in Hostaway{detail}.", status_code=status)
    if status >= 500:
        raise UpstreamUnavailable(
            f"Hostaway is failing (HTTP {status}){detail}.", status_code=status
        )
    raise BadRequest(f"Hostaway refused the request (HTTP {status}){detail}.", status_code=status)


def raise_fail(body: dict[str, Any], status: int) -> NoReturn:
    text = fail_text(body)[2:] or "no reason given"
    lowered = text.lower()
    if "not found" in lowered or "does not exist" in lowered or "doesn't exist" in lowered:
        raise NotFound(f"Hostaway: {text}", status_code=status)
    if "too many requests" in lowered or "rate limit" in lowered:
        raise RateLimited(f"Hostaway: {text}", status_code=status)
    raise BadRequest(f"Hostaway refused the request: {text}", status_code=status)


def read_answer(method: str, path: str, response: httpx.Response) -> dict[str, Any]:
    """The success envelope of an answer, or the error its status or fail envelope means."""
    body = decode(response)
    if response.status_code >= 400:
        raise_for_status(response, body)
    if not isinstance(body, dict) or "status" not in body:
        raise UpstreamUnavailable(
            f"Hostaway answered {method} {path} with an unexpected body (no status envelope)."
        )
    if body.get("status") != "success":
        raise_fail(body, response.status_code)
    return body
