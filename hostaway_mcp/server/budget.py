"""The output budget: every tool result, serialized, stays under HOSTAWAY_MAX_RESULT_CHARS.

Lists are cut at item boundaries (with a cursor that resumes exactly after the last item shown);
anything else has its longest free texts shortened, with a marker saying so.
"""

from __future__ import annotations

import json
from typing import Any, TypeVar

from pydantic import BaseModel

from ..domain.models.common import Cuttable
from ..errors import HostawayError

M = TypeVar("M", bound=BaseModel)

TEXT_MARKER = (
    "… [cut {n:,} chars to fit the output budget; ask for less (a smaller limit or range)]"
)


# How current an answer from the local copy is (`data_as_of`, `calendar_as_of`): counted at their
# longest whether the answer has them or not (read live), so an answer cuts at the same item from
# either source: '"calendar_as_of":"2026-12-02T17:07:09.123456+00:00",' is 52 characters.
STAMPS = ("data_as_of", "calendar_as_of")
STAMP_CHARS = 56


def serialized_size(model: BaseModel) -> int:
    """Characters of the result as sent: the text block (structuredContent is the same JSON)."""
    data = model.model_dump(mode="json", exclude_none=True)
    stamps = [name for name in STAMPS if name in type(model).model_fields]
    body = {key: value for key, value in data.items() if key not in stamps}
    text = json.dumps(body, separators=(",", ":"), ensure_ascii=False)
    return len(text) + STAMP_CHARS * len(stamps)


def fit_to_budget(model: M, max_chars: int) -> M:
    if serialized_size(model) <= max_chars:
        return model
    if isinstance(model, Cuttable):
        level, smallest = 1, model
        while (condensed := smallest.condensed(level)) is not None:
            if serialized_size(condensed) <= max_chars:
                return condensed
            level, smallest = level + 1, condensed
        return _cut_list(smallest, max_chars)
    return _shorten_texts(model, max_chars)


def _cut_list(page: M, max_chars: int) -> M:
    assert isinstance(page, Cuttable)  # noqa: S101 - narrowed by the caller
    units = page.cut_units()
    low, high = 0, units  # the largest `keep` that fits lies in [low, high)
    while low < high:
        middle = (low + high + 1) // 2
        if serialized_size(page.cut_to(middle)) <= max_chars:
            low = middle
        else:
            high = middle - 1
    if low == 0 and units:
        # Not even one piece fits: shorten the texts instead of returning nothing.
        return _shorten_texts(page.cut_to(1), max_chars)
    return page.cut_to(low)


def _shorten_texts(model: M, max_chars: int) -> M:
    data = model.model_dump(mode="json")
    limit = 4000
    while limit >= 40:
        shrunk = _shrink(data, limit)
        candidate = type(model).model_validate(shrunk)
        if serialized_size(candidate) <= max_chars:
            return candidate
        limit //= 2
    raise HostawayError(
        "The answer is too large for the output budget (HOSTAWAY_MAX_RESULT_CHARS).",
        hint="Ask for less: a smaller limit, a shorter date range, or one item at a time.",
    )


def _shrink(value: Any, limit: int) -> Any:
    if isinstance(value, str) and len(value) > limit:
        kept = value[:limit]
        return kept + TEXT_MARKER.format(n=len(value) - len(kept))
    if isinstance(value, list):
        return [_shrink(item, limit) for item in value]
    if isinstance(value, dict):
        return {key: _shrink(item, limit) for key, item in value.items()}
    return value
