"""Generate guest conversations: short realistic threads, some left unanswered, a few scheduled."""

from __future__ import annotations

import hashlib
import random
from datetime import date, datetime, time, timedelta
from typing import Any

from .catalog import ACCOUNT_ID, LIVE_STATUSES
from .shapes import MESSAGE_KEYS, blank, fmt_dt, parse_day, parse_dt
from .views import conversation_shell, refresh_conversation

FIRST_CONVERSATION_ID = 610_001
FIRST_MESSAGE_ID = 9_000_001
MAX_MESSAGES = 8
CONVERSATION_SHARE = 0.93

QUESTIONS = (
    (
        "Is there parking nearby?",
        "Yes, there is a public garage two minutes away (about 15 a day).",
    ),
    (
        "Do you have a crib for our baby?",
        "Of course, we will set up a travel cot before you arrive.",
    ),
    ("Is the apartment suitable for working remotely?", "Yes, there is a desk and fast Wi-Fi."),
    (
        "How far is it from the airport?",
        "About 25 minutes by taxi; we can book a transfer for you.",
    ),
    ("Can we drop our bags before check-in?", "Sure, you can leave them from 11:00."),
)
STAY_QUESTIONS = (
    (
        "How do we turn on the hot water?",
        "The switch is next to the bathroom door, give it 10 minutes.",
    ),
    ("Where can we find extra towels?", "Extra towels are in the hallway closet, top shelf."),
    ("The TV remote is not working.", "Sorry! Spare batteries are in the kitchen drawer."),
)
PENDING_QUESTIONS = (
    "Hi, would an early check-in around 12:00 be possible?",
    "Could you send us the address and the access details again?",
    "Is there a supermarket close to the apartment?",
    "We are running late, is it OK to arrive after 23:00?",
    "I think I left my phone charger in the bedroom, could you check?",
)


def _script(
    rng: random.Random, reservation: dict[str, Any], listing: dict[str, Any], now: datetime
) -> list[tuple[datetime, int, str]]:
    """(moment, isIncoming, body) in order, all before ``now``, ending with a host message."""
    first = reservation["guestFirstName"] or reservation["guestName"]
    booked = parse_dt(reservation["reservationDate"])
    arrival = parse_day(reservation["arrivalDate"])
    departure = parse_day(reservation["departureDate"])
    status = reservation["status"]
    steps: list[tuple[datetime, int, str]] = []

    def exchange(moment: datetime, question: str, answer: str) -> None:
        steps.append((moment, 1, question))
        steps.append((moment + timedelta(minutes=rng.randint(8, 150)), 0, answer))

    question, answer = rng.choice(QUESTIONS)
    opener = booked + timedelta(minutes=rng.randint(2, 90))
    guests = reservation["numberOfGuests"]
    exchange(opener, f"Hi! We are {guests} guests. {question}", f"Hi {first}! {answer}")
    if status == "cancelled" and reservation["cancellationDate"]:
        cancelled = max(parse_dt(reservation["cancellationDate"]), opener + timedelta(hours=1))
        exchange(
            cancelled,
            "Unfortunately we have to cancel our trip.",
            "Sorry to hear that, the cancellation is processed. Hope to host you another time!",
        )
    if status in LIVE_STATUSES:
        welcome = datetime.combine(arrival - timedelta(days=1), time(10, rng.randint(0, 59)))
        if welcome > opener:
            text = (
                f"Hi {first}, looking forward to hosting you at {listing['name']} tomorrow! "
                f"Check-in is from {listing['checkInTimeStart']}:00; the access details follow "
                "on the day."
            )
            steps.append((welcome, 0, text))
            if rng.random() < 0.6:
                exchange(
                    welcome + timedelta(hours=rng.randint(1, 6)),
                    f"Thanks! We should arrive around {rng.randint(15, 21)}:00.",
                    "Perfect, see you then. Safe travels!",
                )
        if rng.random() < 0.4:
            moment = datetime.combine(arrival, time(19, rng.randint(0, 59)))
            exchange(moment, *rng.choice(STAY_QUESTIONS))
        if rng.random() < 0.6:
            thanks = datetime.combine(departure, time(14, rng.randint(0, 59)))
            text = (
                f"Thanks for staying with us, {first}! Safe travels home, and we would love to "
                "hear about your stay in a review."
            )
            steps.append((thanks, 0, text))
    steps = sorted(step for step in steps if step[0] < now)[: MAX_MESSAGES - 1]
    while steps and steps[-1][1] == 1:  # the host always answered, unless chosen as pending
        steps.pop()
    if not steps:
        moment = min(booked + timedelta(minutes=1), now - timedelta(minutes=1))
        steps.append((moment, 0, f"Thanks for your booking, {first}! Let us know any questions."))
    return steps


def _message(
    conversation_id: int,
    reservation: dict[str, Any],
    listing: dict[str, Any],
    moment: datetime,
    incoming: int,
    body: str,
    status: str = "sent",
) -> dict[str, Any]:
    channel = "email" if reservation["channelId"] == 2000 else "channel"
    digest = hashlib.sha256(f"{conversation_id}|{moment}|{body}".encode()).hexdigest()[:32]
    message = blank(MESSAGE_KEYS)
    message.update(
        accountId=ACCOUNT_ID,
        listingMapId=listing["id"],
        reservationId=reservation["id"],
        conversationId=conversation_id,
        body=body,
        communicationType=channel,
        status=status,
        isIncoming=incoming,
        isSeen=1,
        sentUsingHostaway=0 if incoming else 1,
        hash=digest,
        listingTimeZoneName=listing["timeZoneName"],
        date=fmt_dt(moment),
        sentChannelDate=fmt_dt(moment) if status == "sent" else None,
        attachments=[],
        insertedOn=fmt_dt(moment),
        updatedOn=fmt_dt(moment),
    )
    return message


def _pending_question(
    rng: random.Random, reservation: dict[str, Any], last: datetime, today: date, now: datetime
) -> tuple[datetime, str] | None:
    departure = parse_day(reservation["departureDate"])
    if departure < today:
        moment = datetime.combine(departure + timedelta(days=1), time(rng.randint(8, 20), 5))
        body = PENDING_QUESTIONS[-1]
    else:
        moment = now - timedelta(minutes=rng.randint(20, 2400))
        body = rng.choice(PENDING_QUESTIONS[:-1])
    moment = max(moment, last + timedelta(minutes=5))
    return (moment, body) if moment < now else None


def generate_conversations(
    rng: random.Random,
    reservations: list[dict[str, Any]],
    listings: dict[int, dict[str, Any]],
    today: date,
    now: datetime,
) -> tuple[list[dict[str, Any]], dict[int, list[dict[str, Any]]]]:
    conversations: list[dict[str, Any]] = []
    threads: dict[int, list[dict[str, Any]]] = {}
    pending: list[dict[str, Any]] = []
    for reservation in sorted(reservations, key=lambda r: r["id"]):
        if reservation["status"] == "ownerStay" or rng.random() > CONVERSATION_SHARE:
            continue
        listing = listings[reservation["listingMapId"]]
        conversation_id = FIRST_CONVERSATION_ID + len(conversations)
        script = _script(rng, reservation, listing, now)
        messages = [_message(conversation_id, reservation, listing, *step) for step in script]
        arrival = parse_day(reservation["arrivalDate"])
        soon = today <= arrival <= today + timedelta(days=7)
        if rng.random() < (0.45 if soon else 0.16):
            last = parse_dt(messages[-1]["date"])
            question = _pending_question(rng, reservation, last, today, now)
            if question:
                unread = _message(
                    conversation_id, reservation, listing, question[0], 1, question[1]
                )
                unread["isSeen"] = 0
                messages.append(unread)
        if messages and not messages[-1]["isIncoming"]:
            messages[-1]["isSeen"] = 0  # the guest has not opened the host's last reply yet
        if reservation["status"] in LIVE_STATUSES and today < arrival <= today + timedelta(days=14):
            scheduled = datetime.combine(arrival - timedelta(days=1), time(10, 0))
            if scheduled > now:
                text = (
                    f"Your check-in details for {listing['name']}: the door code and directions "
                    "will be shared here."
                )
                message = _message(
                    conversation_id, reservation, listing, scheduled, 0, text, status="awaiting"
                )
                message.update(
                    communicationEvent="arrival",
                    communicationTimeDelta=-86400,
                    communicationApplyListingTimeZone=1,
                    communicationAlwaysTrigger=0,
                )
                pending.append(message)
        conversation = conversation_shell(
            conversation_id,
            reservation,
            host_email=f"c-{rng.getrandbits(128):032x}@host.sandbox.example.com",
            guest_email=f"c-{rng.getrandbits(128):032x}@guest.sandbox.example.com",
        )
        conversations.append(conversation)
        threads[conversation_id] = messages
    for message in pending:
        threads[message["conversationId"]].append(message)
    _number_messages(threads)
    by_reservation = {r["id"]: r for r in reservations}
    for conversation in conversations:
        reservation = by_reservation[conversation["reservationId"]]
        messages = threads[conversation["id"]]
        sent_dates = [m["date"] for m in messages if m["status"] == "sent"]
        if sent_dates:
            reservation["latestActivityOn"] = max(reservation["updatedOn"], max(sent_dates))
        refresh_conversation(conversation, messages, reservation)
    return conversations, threads


def _number_messages(threads: dict[int, list[dict[str, Any]]]) -> None:
    """Message ids grow with time across the account; each thread is kept oldest first."""
    everything = [m for thread in threads.values() for m in thread]
    everything.sort(key=lambda m: (m["date"], m["conversationId"]))
    for offset, message in enumerate(everything):
        message["id"] = FIRST_MESSAGE_ID + offset
    for thread in threads.values():
        thread.sort(key=lambda m: (m["date"], m["id"]))
