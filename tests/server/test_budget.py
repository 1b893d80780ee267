"""The output budget: lists cut at item boundaries with a resume cursor, threads keep the
newest items, free text shortened with a marker, condensing before cutting."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import ClassVar

from hostaway_mcp.domain.models.common import FromStoreCalendar, Output, Page
from hostaway_mcp.server.budget import fit_to_budget, serialized_size


class Item(Output):
    id: int
    text: str


class Items(Page):
    items_field: ClassVar[str] = "items"
    items: list[Item]


class Thread(Page):
    items_field: ClassVar[str] = "items"
    cut_from_start: ClassVar[bool] = True
    items: list[Item]


class Note(Output):
    body: str


class StoredItems(Items, FromStoreCalendar):
    """A list the local copy may answer: it carries data_as_of and calendar_as_of from there."""


def sent(model: Output) -> str:
    return json.dumps(model.model_dump(mode="json", exclude_none=True), separators=(",", ":"))


def test_an_answer_cuts_at_the_same_item_from_the_local_copy_or_live() -> None:
    items = [Item(id=i, text="z" * 90) for i in range(50)]
    live = StoredItems(items=items)
    # Stamps at their longest: microseconds and an offset that is not written as Z.
    moment = datetime(2026, 12, 2, 17, 7, 9, 123456, tzinfo=timezone(timedelta(hours=1)))
    stored = StoredItems(items=items, data_as_of=moment, calendar_as_of=moment)
    assert serialized_size(live) == serialized_size(stored)
    assert len(sent(stored)) <= serialized_size(stored)
    assert len(sent(live)) < serialized_size(live)  # room kept for the stamps
    cut_live, cut_stored = fit_to_budget(live, 2000), fit_to_budget(stored, 2000)
    assert len(cut_live.items) == len(cut_stored.items) < 50
    assert len(sent(cut_stored)) <= 2000


def test_budget_cuts_lists_at_item_boundaries_with_a_resume_cursor() -> None:
    page = Items(items=[Item(id=i, text="x" * 90) for i in range(50)], next_cursor="end")
    page.with_resume([f"after-{i}" for i in range(50)])
    cut = fit_to_budget(page, 1500)
    assert serialized_size(cut) <= 1500
    kept = len(cut.items)
    assert 0 < kept < 50
    assert [item.id for item in cut.items] == list(range(kept))
    assert cut.truncated is True
    assert cut.next_cursor == f"after-{kept - 1}"
    assert fit_to_budget(page, 100_000) is page


def test_budget_keeps_the_newest_items_of_a_thread() -> None:
    thread = Thread(items=[Item(id=i, text="y" * 90) for i in range(50)])
    cut = fit_to_budget(thread, 1500)
    assert cut.items[-1].id == 49 and cut.truncated


def test_budget_shortens_free_text_with_a_marker() -> None:
    note = Note(body="word " * 5000)
    cut = fit_to_budget(note, 3000)
    assert serialized_size(cut) <= 3000
    assert "cut" in cut.body and "output budget" in cut.body


class Shelf(Page):
    items_field: ClassVar[str] = "items"
    items: list[Item]

    def condensed(self, level: int) -> Shelf | None:
        if level > 2:
            return None
        keep = (40, 10)[level - 1]
        return self.model_copy(
            update={"items": [Item(id=i.id, text=i.text[:keep]) for i in self.items]}
        )


def test_budget_condenses_before_cutting_items() -> None:
    shelf = Shelf(items=[Item(id=i, text="z" * 90) for i in range(20)])
    mild = fit_to_budget(shelf, 1400)
    assert len(mild.items) == 20
    assert len(mild.items[0].text) == 40
    assert mild.truncated is False
    hard = fit_to_budget(shelf, 500)  # even the most condensed form is too big: cut items
    assert hard.truncated is True
    assert 0 < len(hard.items) < 20
    assert len(hard.items[0].text) == 10
