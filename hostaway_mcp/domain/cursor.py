"""Opaque list cursors: a position (an upstream offset, an afterId, or an index) bound to the query
that produced it, so a cursor reused with different filters is refused instead of skipping rows."""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Mapping
from typing import Any

from ..errors import ValidationFailed


def _fingerprint(tool: str, filters: Mapping[str, Any]) -> str:
    canonical = json.dumps([tool, filters], sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()[:10]


def encode_cursor(
    tool: str, position: int, filters: Mapping[str, Any], *, shown: int | None = None
) -> str:
    """``shown``: how many matching items the pages up to this cursor showed (so a later page can
    still say how many match in all)."""
    payload: dict[str, Any] = {"p": position, "q": _fingerprint(tool, filters)}
    if shown is not None:
        payload["s"] = shown
    text = json.dumps(payload, separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _payload(cursor: str) -> dict[str, Any]:
    padded = cursor.strip() + "=" * (-len(cursor.strip()) % 4)
    payload = json.loads(base64.urlsafe_b64decode(padded.encode()))
    if not isinstance(payload, dict):
        raise TypeError("not a cursor")
    return payload


def shown_before(cursor: str | None) -> int:
    """Matching items the pages before this cursor showed (0 on the first page). Call after
    `decode_cursor` accepted the cursor."""
    if cursor is None or cursor.strip() == "":
        return 0
    shown = _payload(cursor).get("s", 0)
    return shown if isinstance(shown, int) and shown >= 0 else 0


def decode_cursor(cursor: str | None, tool: str, filters: Mapping[str, Any]) -> int | None:
    """The position inside ``cursor``, or None for the first page."""
    if cursor is None or cursor.strip() == "":
        return None
    try:
        payload = _payload(cursor)
        position = payload["p"]
        fingerprint = payload["q"]
    except (ValueError, KeyError, TypeError):
        raise ValidationFailed(
            "The cursor is not valid. Pass the next_cursor value from the previous result "
            "unchanged, or omit cursor to start from the beginning."
        ) from None
    if not isinstance(position, int) or position < 0:
        raise ValidationFailed("The cursor is not valid; omit cursor to start from the beginning.")
    if fingerprint != _fingerprint(tool, filters):
        raise ValidationFailed(
            f"This cursor belongs to a different {tool} query. Repeat the same filters with it, "
            "or omit cursor to start a new listing."
        )
    return position
