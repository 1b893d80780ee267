"""Rounding money for answers and shortening free text, with a marker that says so."""

from __future__ import annotations


def round2(value: float) -> float:
    return round(value + 0.0, 2)


def shorten(text: str | None, limit: int, how_to_get_more: str = "") -> str | None:
    """Cut free text at a word boundary and say so (and how to get the rest)."""
    if text is None or len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0] if " " in text[:limit] else text[:limit]
    more = f"; {how_to_get_more}" if how_to_get_more else ""
    return f"{cut.rstrip()}… [cut {len(text) - len(cut):,} more chars{more}]"


def clock(hour: int | None) -> str | None:
    """A listing-local hour as people write it: 15 -> "15:00"."""
    if hour is None or not 0 <= hour <= 24:
        return None
    return f"{hour:02d}:00"
