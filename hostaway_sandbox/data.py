"""Build the whole demo account deterministically from (seed, today)."""

from __future__ import annotations

import logging
import pickle
import random
import time as timer
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from .gen_guests import GuestBook
from .gen_listings import generate_listings
from .gen_messages import generate_conversations
from .gen_ops import generate_expenses, generate_tasks, generate_users
from .gen_reservations import assign_ids, build_reservation
from .gen_reviews import generate_reviews
from .gen_statements import generate_statements
from .gen_stays import plan_listing

logger = logging.getLogger(__name__)

SNAPSHOT_TIME = time(8, 0)  # generated activity stops at 08:00 on `today`
CACHE_SIZE = 4
# (seed, today) -> pickled Dataset. Unpickling a private copy is ~5x faster than generating,
# which keeps test suites that build many sandboxes quick.
_cache: OrderedDict[tuple[int, date, int | None], bytes] = OrderedDict()


@dataclass
class Dataset:
    today: date
    now: datetime
    listings: list[dict[str, Any]]
    reservations: list[dict[str, Any]]
    blocks: dict[int, dict[date, dict[str, Any]]]
    conversations: list[dict[str, Any]]
    messages: dict[int, list[dict[str, Any]]]
    reviews: list[dict[str, Any]]
    tasks: list[dict[str, Any]]
    expenses: list[dict[str, Any]]
    owner_statements: list[dict[str, Any]]
    users: list[dict[str, Any]]


def _rng(seed: int, stage: int) -> random.Random:
    return random.Random(seed * 1_000 + stage)  # noqa: S311 - demo data, not cryptography


def generate(
    seed: int, today: date, *, listings: int | None = None, use_cache: bool = True
) -> Dataset:
    """A fresh, private copy of the demo account for (seed, today[, number of listings])."""
    key = (seed, today, listings)
    if use_cache and key in _cache:
        _cache.move_to_end(key)
        dataset: Dataset = pickle.loads(_cache[key])  # noqa: S301 - bytes we pickled ourselves
        return dataset
    dataset = _build(seed, today, listings)
    if use_cache:
        _cache[key] = pickle.dumps(dataset, protocol=pickle.HIGHEST_PROTOCOL)
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return dataset


def _build(seed: int, today: date, listing_count: int | None = None) -> Dataset:
    started = timer.perf_counter()
    now = datetime.combine(today, SNAPSHOT_TIME)
    listings = generate_listings(_rng(seed, 1), listing_count)
    by_id = {listing["id"]: listing for listing in listings}

    stay_rng, booking_rng = _rng(seed, 2), _rng(seed, 3)
    guests = GuestBook(_rng(seed, 4))
    reservations: list[dict[str, Any]] = []
    blocks: dict[int, dict[date, dict[str, Any]]] = {}
    for index, listing in enumerate(listings):
        stays, blocks[listing["id"]] = plan_listing(stay_rng, listing, index, today)
        for stay in sorted(stays, key=lambda s: (s.arrival, s.status)):
            reservations.append(build_reservation(booking_rng, stay, guests, today, now))
    assign_ids(reservations)

    conversations, messages = generate_conversations(_rng(seed, 5), reservations, by_id, today, now)
    reviews = generate_reviews(_rng(seed, 6), reservations, by_id, today)
    tasks = generate_tasks(_rng(seed, 7), reservations, by_id, today, now)
    expenses = generate_expenses(_rng(seed, 8), reservations, by_id, today)
    statements = generate_statements(reservations, by_id, expenses, today, now)
    elapsed = timer.perf_counter() - started
    logger.info(
        "sandbox data generated",
        extra={"seed": seed, "reservations": len(reservations), "seconds": round(elapsed, 3)},
    )
    return Dataset(
        today=today,
        now=now,
        listings=listings,
        reservations=reservations,
        blocks=blocks,
        conversations=conversations,
        messages=messages,
        reviews=reviews,
        tasks=tasks,
        expenses=expenses,
        owner_statements=statements,
        users=generate_users(now),
    )
