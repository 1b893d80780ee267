"""Shared output-model pieces: the list contract (truncation + resumable cursor)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar, Self

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr


def _drop_titles(schema: dict[str, Any]) -> None:
    """Output schemas travel with every tools/list: the generated titles ("Listing Id") only
    repeat the property names, so leave them out."""
    schema.pop("title", None)
    for prop in schema.get("properties", {}).values():
        if isinstance(prop, dict):
            prop.pop("title", None)


class Output(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra=_drop_titles)


class Cuttable(Output):
    """A result holding one list that the output budget may cut at item boundaries."""

    items_field: ClassVar[str] = "items"
    # Keep the newest items when cutting (e.g. a message thread ordered oldest -> newest).
    cut_from_start: ClassVar[bool] = False

    truncated: bool = Field(
        default=False, description="True when the list was cut to fit the output budget."
    )

    def condensed(self, level: int) -> Self | None:
        """A smaller form of the same answer (level 1, 2, ... ever smaller), tried before whole
        items are cut; None when there is nothing more to condense."""
        return None


class Page(Cuttable):
    """A list tool's result: `next_cursor` resumes right after the last item shown."""

    next_cursor: str | None = Field(
        default=None, description="Pass as `cursor` to get the next page; null when done."
    )
    _resume: list[str | None] = PrivateAttr(default_factory=list)

    def with_resume(self, resume: list[str | None]) -> Self:
        """Attach, per item, the cursor that resumes right after it."""
        self._resume = resume
        return self


class FromStore(Output):
    """An answer the local mirror may give: how current its data is."""

    data_as_of: datetime | None = Field(
        default=None,
        description="Built from the local copy of the account, current as of this moment (UTC); "
        "null when read live from Hostaway.",
    )


class FromStoreCalendar(FromStore):
    calendar_as_of: datetime | None = Field(
        default=None,
        description="The calendar nights used were read from Hostaway at or after this moment "
        "(UTC); null when read live.",
    )
