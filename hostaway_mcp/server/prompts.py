"""Prompts: ready-made conversations that tell the model which tools to use for common jobs.
They only read; none of them sends anything to a guest."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Annotated, TypeVar

from pydantic import Field

from .params import Day

PromptFunction = Callable[..., str]
F = TypeVar("F", bound=PromptFunction)
PROMPTS: list[tuple[PromptFunction, str]] = []


def _prompt(title: str) -> Callable[[F], F]:
    def remember(fn: F) -> F:
        PROMPTS.append((fn, title))
        return fn

    return remember


@_prompt("Daily briefing")
def daily_briefing(
    date_: Annotated[
        Day | None, Field(alias="date", description="Day to brief on, YYYY-MM-DD; default today.")
    ] = None,
) -> str:
    """A morning briefing: arrivals, departures, turnovers and guests waiting for a reply."""
    day = date_ or date.today()
    return (
        f"Give me my Hostaway briefing for {day.isoformat()}.\n"
        f"1. Call get_arrivals_and_departures with start_date={day.isoformat()} and days=1: list "
        "arrivals (guest, property, party size, channel) and departures, and name every turnover "
        "(a departure and an arrival at the same property that day: cleaning must fit between).\n"
        "2. Call get_inbox_triage: list guests waiting for a reply, most urgent first, with how "
        "long they have waited and what they asked.\n"
        f"3. Call list_tasks with start_date={day.isoformat()} and "
        f"end_date={(day + timedelta(days=1)).isoformat()} to check the day's cleaning and "
        "maintenance tasks against the turnovers.\n"
        "Finish with the three things I should do first. Keep it short; do not send any message."
    )


@_prompt("Revenue review")
def revenue_review(
    start_date: Annotated[Day, Field(description="First day of the period, YYYY-MM-DD.")],
    end_date: Annotated[
        Day, Field(description="Day after the period's last night, YYYY-MM-DD (exclusive).")
    ],
) -> str:
    """Review revenue, occupancy, ADR and unsellable gaps for a period, per property and channel."""
    if end_date <= start_date:
        raise ValueError("end_date must be after start_date (it is exclusive).")
    period = f"start_date={start_date.isoformat()} and end_date={end_date.isoformat()}"
    return (
        f"Review my revenue for the nights from {start_date.isoformat()} up to (not including) "
        f"{end_date.isoformat()}.\n"
        f"1. Call get_revenue_report with {period} and group_by=listing, then again with "
        "group_by=channel.\n"
        f"2. Call get_occupancy_report with {period}.\n"
        "Report per currency (never add different currencies): total revenue, booked nights, ADR, "
        "occupancy and RevPAR; the best and weakest properties; the channel mix; and the orphan "
        "gaps worth a discount or a shorter minimum stay. Say how revenue is defined (confirmed "
        "bookings, pro-rated by nights in the period)."
    )


@_prompt("Draft a guest reply")
def guest_reply(
    conversation_id: Annotated[int, Field(ge=1, description="Hostaway conversation id.")],
) -> str:
    """Draft a reply to a guest from the conversation and their booking. It never sends anything."""
    return (
        f"Draft a reply to the guest in Hostaway conversation {conversation_id}.\n"
        f"1. Call get_conversation_messages with conversation_id={conversation_id} and read the "
        "thread, newest message last.\n"
        "2. If it belongs to a booking, call get_booking_details for that reservation (and "
        "get_property_details for the property if the guest asks about it). Only include door "
        "codes or wifi passwords if I explicitly ask.\n"
        "Write a short, warm reply in the guest's language that answers every open question, and "
        "list anything you could not answer from the data. Do NOT send it: show me the draft. If I "
        "approve it later, sending is a separate step that shows a preview first."
    )
