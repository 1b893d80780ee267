"""Strict parsing of request values (query strings and JSON bodies) into Python values."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from .errors import BadRequest

DATE_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DATETIME_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}(:\d{2})?)?$")
TRUE_WORDS = {"1", "true", "yes"}
FALSE_WORDS = {"0", "false", "no", ""}


def as_date(value: Any, name: str) -> date:
    if isinstance(value, str) and DATE_PATTERN.match(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise BadRequest(f"Invalid {name}: expected a date in Y-m-d format, got {value!r}")


def as_optional_date(value: Any, name: str) -> date | None:
    return None if value in (None, "") else as_date(value, name)


def as_datetime(value: Any, name: str) -> datetime:
    """Accepts 'Y-m-d', 'Y-m-d H:i' or 'Y-m-d H:i:s'."""
    if isinstance(value, str) and DATETIME_PATTERN.match(value):
        text = value if len(value) != 16 else value + ":00"
        text = text if len(text) != 10 else text + " 00:00:00"
        try:
            return datetime.strptime(text, "%Y-%m-%d %H:%M:%S")
        except ValueError:
            pass
    raise BadRequest(f"Invalid {name}: expected a datetime in Y-m-d H:i:s format, got {value!r}")


def as_int(value: Any, name: str, minimum: int | None = None) -> int:
    if isinstance(value, bool):
        number = int(value)
    elif isinstance(value, int):
        number = value
    elif isinstance(value, str) and re.fullmatch(r"-?\d+", value.strip()):
        number = int(value.strip())
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    else:
        raise BadRequest(f"Invalid {name}: expected an integer, got {value!r}")
    if minimum is not None and number < minimum:
        raise BadRequest(f"Invalid {name}: must be at least {minimum}")
    return number


def as_number(value: Any, name: str) -> float:
    if isinstance(value, bool):
        raise BadRequest(f"Invalid {name}: expected a number, got {value!r}")
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            pass
    raise BadRequest(f"Invalid {name}: expected a number, got {value!r}")


def as_flag(value: Any, name: str) -> int:
    """0/1 from 0, 1, true, false (JSON or query string)."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int) and value in (0, 1):
        return value
    if isinstance(value, str) and value.strip().lower() in TRUE_WORDS | FALSE_WORDS:
        return int(value.strip().lower() in TRUE_WORDS)
    raise BadRequest(f"Invalid {name}: expected 0 or 1, got {value!r}")


def as_text(value: Any, name: str, max_length: int | None = None) -> str:
    if not isinstance(value, str) or not value.strip():
        raise BadRequest(f"{name} is required")
    if max_length is not None and len(value) > max_length:
        raise BadRequest(f"{name} must be at most {max_length} characters")
    return value
