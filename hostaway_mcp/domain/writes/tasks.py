"""create_task: a task for the team on a property or a booking."""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ...errors import ValidationFailed
from ...hostaway import TASK_CATEGORY_IDS, CreatedObject, Hostaway, Listing, NewTask, commands
from ..models.writes import WriteOutcome, WriteResult
from .checks import as_utc, booking_label, utc_text
from .engine import PlannedWrite, booking_and_listing, created, execute, listing_label, not_blank

CREATED = {"title": "Title", "starts_at": "Starts", "due_at": "Due", "category": "Category",
           "assignee": "Assignee"}  # fmt: skip
TaskCategory = Literal["cleaning", "maintenance", "check-in", "check-out", "back office", "other"]


def _task_outcome(task: CreatedObject) -> WriteOutcome:
    return WriteOutcome(kind="task", id=task.id, status=task.status)


def _when(moment: datetime, listing: Listing | None) -> str:
    text = f"{utc_text(moment)[:16]} UTC"
    zone_name = listing.time_zone if listing else None
    if zone_name:
        try:
            local = as_utc(moment).astimezone(ZoneInfo(zone_name))
        except (ZoneInfoNotFoundError, ValueError):
            local = None
        if local is not None:
            text += f" ({local:%Y-%m-%d %H:%M} in {zone_name})"
    return text


def _timing(
    details: dict[str, str],
    listing: Listing | None,
    starts_at: datetime | None,
    due_at: datetime | None,
) -> list[str]:
    """Say when, in UTC and the property's own time; warn about times given without a zone."""
    warnings: list[str] = []
    for label, moment in (("starts_at", starts_at), ("due_at", due_at)):
        if moment is not None:
            details[label] = _when(moment, listing)
            if moment.tzinfo is None:
                warnings.append(f"{label} has no time zone, so it was taken as UTC.")
    return warnings


async def create_task(
    hostaway: Hostaway,
    *,
    title: str,
    listing_id: int | None,
    reservation_id: int | None,
    description: str | None,
    starts_at: datetime | None,
    due_at: datetime | None,
    category: TaskCategory | None,
    assignee_user_id: int | None,
    confirm: bool,
) -> WriteResult:
    name = not_blank(title, "title")
    if starts_at and due_at and as_utc(due_at) < as_utc(starts_at):
        raise ValidationFailed(f"due_at ({due_at}) is before starts_at ({starts_at}).")
    listing, booking = await booking_and_listing(hostaway, listing_id, reservation_id)
    details = {"title": name}
    map_id = listing_id
    if booking is not None:
        details["booking"] = booking_label(booking)
        if map_id is None and booking.listing_id is not None:
            map_id = booking.listing_id  # a booking's task belongs to its property
            listing = await hostaway.listing(map_id)
    if map_id is not None:
        details["property"] = await listing_label(
            hostaway, map_id, listing.name if listing else None
        )
    warnings = _timing(details, listing, starts_at, due_at)
    if category:
        details["category"] = category
    if assignee_user_id:
        details["assignee"] = f"user {assignee_user_id}"
    if description:
        details["description"] = description
    command = commands.create_task(
        NewTask(
            title=name,
            description=description,
            listing_id=map_id,
            reservation_id=reservation_id,
            starts_at=as_utc(starts_at) if starts_at else None,
            due_at=as_utc(due_at) if due_at else None,
            category_id=TASK_CATEGORY_IDS[category] if category else None,
            assignee_user_id=assignee_user_id,
        )
    )
    target_type, target_id = (
        ("listing", map_id)
        if map_id
        else ("reservation", reservation_id)
        if reservation_id
        else ("task", None)
    )
    plan = PlannedWrite(
        tool="create_task",
        command=command,
        verbs=("create", "created"),
        # The title is the caller's text: it stays in `details`, out of our sentence.
        what="a task" + (f" for {details['property']}" if map_id else ""),
        details=details,
        changes=created(details, CREATED),
        target_type=target_type,
        target_id=target_id,
        outcome=_task_outcome,
        how_to_check=(
            f'First look for a task titled "{name}" in Hostaway (Tasks, or {command.lookup}); '
            "another create_task could make a duplicate."
        ),
        warnings=warnings,
    )
    return await execute(hostaway, plan, confirm=confirm)
