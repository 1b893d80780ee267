"""Coercion of raw Hostaway values: string ids, 0/1 flags, zone-less UTC datetimes, null money."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any


def as_int(value: Any) -> int | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        try:
            return int(float(value))
        except (TypeError, ValueError):
            return None


def as_float(value: Any) -> float | None:
    if value is None or isinstance(value, bool) or value == "":
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def as_bool(value: Any) -> bool | None:
    """0/1, "0"/"1", true/false -> bool; null -> None."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        lowered = value.strip().lower()
        if lowered in {"true", "yes"}:
            return True
        if lowered in {"false", "no"}:
            return False
    number = as_int(value)
    return None if number is None else number != 0


def as_str(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def as_date(value: Any) -> date | None:
    """`YYYY-MM-DD` (or the date part of `YYYY-MM-DD HH:MM:SS`)."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    text = as_str(value)
    if text is None or len(text) < 10:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def as_datetime(value: Any) -> datetime | None:
    """Hostaway datetimes carry no zone and are UTC."""
    text = as_str(value)
    if text is None:
        return None
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def money(value: Any) -> float | None:
    number = as_float(value)
    return None if number is None else round(number, 2)


def percent_off(value: Any) -> float | None:
    """Hostaway stores a listing's weekly/monthly discount as the share of the price paid (0.95 =
    5 % off, the official example has 0.71); as percent off. A value above 1 is taken as a percent
    already; 0 or nothing means no discount set."""
    factor = as_float(value)
    if factor is None or factor <= 0 or factor > 100:
        return None
    return round((1 - factor) * 100, 2) if factor <= 1 else round(factor, 2)
