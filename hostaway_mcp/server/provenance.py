"""Stamping an answer with how current the local copy behind it is (`data_as_of`,
`calendar_as_of`), from what the reads of the call noted (`track_provenance`)."""

from __future__ import annotations

from typing import TypeVar

from pydantic import BaseModel

from ..hostaway import Provenance

M = TypeVar("M", bound=BaseModel)


def stamped(result: M, seen: Provenance) -> M:
    """The answer with the moments its mirrored data is as of (only fields the model has)."""
    fields = type(result).model_fields
    update = {
        name: value
        for name, value in (
            ("data_as_of", seen.data_as_of),
            ("calendar_as_of", seen.calendar_as_of),
        )
        if value is not None and name in fields
    }
    return result.model_copy(update=update) if update else result
