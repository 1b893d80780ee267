"""HTTP helpers for the route handlers: envelopes, query parameters, bodies, pagination."""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import JSONResponse

from .errors import BadRequest
from .values import as_flag, as_int, as_optional_date

DEFAULT_LIMIT = 100
DEFAULT_CAP = 100  # most lists never return more rows than this, whatever `limit` asked


def success(result: Any) -> JSONResponse:
    return JSONResponse({"status": "success", "result": result})


def failure(message: str, status_code: int, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"status": "fail", "result": message}, status_code, headers=headers)


@dataclass(frozen=True)
class Page:
    limit: int  # what the client asked for (echoed back)
    size: int  # rows actually served per page (capped)
    offset: int


def page_params(request: Request, *, default: int = DEFAULT_LIMIT, cap: int = DEFAULT_CAP) -> Page:
    raw_limit = request.query_params.get("limit")
    limit = default if raw_limit in (None, "") else as_int(raw_limit, "limit", minimum=0)
    limit = limit or default
    raw_offset = request.query_params.get("offset")
    offset = 0 if raw_offset in (None, "") else as_int(raw_offset, "offset", minimum=0)
    smaller = request.app.state.sandbox.page_cap  # a test knob: page through a few rows
    if smaller is not None:
        cap = min(cap, smaller)
    return Page(limit=limit, size=min(limit, cap), offset=offset)


def listing_envelope(rows: list[Any], count: int, page: Page, offset: int | None) -> JSONResponse:
    return JSONResponse(
        {
            "status": "success",
            "result": rows,
            "count": count,
            "limit": page.limit,
            "offset": offset,
            "page": None if offset is None else offset // page.size + 1,
            "totalPages": math.ceil(count / page.size) if count else 0,
        }
    )


def paginated(rows: list[Any], page: Page) -> JSONResponse:
    """Slice with limit/offset; ``count`` is the total before slicing."""
    chunk = rows[page.offset : page.offset + page.size]
    return listing_envelope(chunk, len(rows), page, page.offset)


def q(request: Request, name: str) -> str | None:
    """A query parameter, with empty strings treated as absent."""
    value = request.query_params.get(name)
    return value if value not in (None, "") else None


def q_int(request: Request, name: str) -> int | None:
    value = q(request, name)
    return None if value is None else as_int(value, name)


def q_date(request: Request, name: str) -> Any:
    return as_optional_date(q(request, name), name)


def q_flag(request: Request, name: str) -> bool:
    value = q(request, name)
    return value is not None and as_flag(value, name) == 1


def bracket_values(pairs: list[tuple[str, str]], name: str) -> list[str]:
    """Values of ``name[]`` / ``name[0]`` keys (PHP array syntax); a bare ``name`` is ignored."""
    pattern = re.compile(rf"^{re.escape(name)}\[\d*\]$")
    return [value for key, value in pairs if pattern.match(key) and value != ""]


async def json_body(request: Request) -> dict[str, Any]:
    raw = await request.body()
    if not raw.strip():
        return {}
    try:
        body = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise BadRequest("Request body is not valid JSON") from None
    if not isinstance(body, dict):
        raise BadRequest("Request body must be a JSON object")
    return body


async def form_pairs(request: Request) -> list[tuple[str, str]]:
    """Form fields as (key, value) pairs, from url-encoded or multipart bodies."""
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("multipart/form-data"):
        form = await request.form()
        return [(key, value) for key, value in form.multi_items() if isinstance(value, str)]
    raw = await request.body()
    return parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=True)
