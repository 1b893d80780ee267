"""Generate reviews for past stays: guest-to-host with a spread of ratings (0-10), host-to-guest."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import Any

from .catalog import ACCOUNT_ID, LIVE_STATUSES
from .shapes import REVIEW_KEYS, blank, fmt_dt, parse_day

FIRST_REVIEW_ID = 88_001
AWAITING_DAYS = 14  # reviews of very recent stays are still awaited
RATINGS = (10,) * 24 + (9,) * 5 + (8, 8, 8, 6, 4, 2)
PUBLIC_TEXT = {
    "great": (
        "Fantastic stay! The apartment was spotless and exactly like the pictures.",
        "Perfect location, very comfortable beds and a super responsive host.",
        "We loved everything, from the view to the little welcome basket. Highly recommended!",
    ),
    "fine": (
        "Nice place in a good location, although the street was a bit noisy at night.",
        "Good value overall; the kitchen could use a few more utensils.",
    ),
    "poor": (
        "The apartment was not clean when we arrived and the air conditioning did not work.",
        "Disappointing: the check-in instructions were confusing and we waited an hour outside.",
    ),
}
PRIVATE_FEEDBACK = (
    "The shower drains slowly.",
    "One of the bedside lamps is broken.",
    "The mattress in the second bedroom is quite soft.",
)
HOST_REPLIES = {
    "great": "Thank you so much, it was a pleasure to host you!",
    "fine": "Thanks for the feedback, we will look into it before the next guests arrive.",
    "poor": "We are truly sorry about your experience; we have fixed the issues you mentioned.",
}


def _band(rating: int) -> str:
    return "great" if rating >= 9 else "fine" if rating >= 7 else "poor"


def _review(
    reservation: dict[str, Any], listing: dict[str, Any], kind: str, status: str
) -> dict[str, Any]:
    arrival = datetime.combine(
        parse_day(reservation["arrivalDate"]), time(int(listing["checkInTimeStart"]))
    )
    departure = datetime.combine(
        parse_day(reservation["departureDate"]), time(int(listing["checkOutTime"]))
    )
    review = blank(REVIEW_KEYS)
    review.update(
        accountId=ACCOUNT_ID,
        listingMapId=reservation["listingMapId"],
        reservationId=reservation["id"],
        channelId=reservation["channelId"],
        type=kind,
        status=status,
        isCancelled=0,
        reviewCategory=[],
        arrivalDate=fmt_dt(arrival),
        departureDate=fmt_dt(departure),
        listingName=listing["name"],
        guestName=reservation["guestName"],
    )
    return review


def generate_reviews(
    rng: random.Random,
    reservations: list[dict[str, Any]],
    listings: dict[int, dict[str, Any]],
    today: date,
) -> list[dict[str, Any]]:
    reviews: list[dict[str, Any]] = []
    past = [
        r
        for r in reservations
        if r["status"] in LIVE_STATUSES and parse_day(r["departureDate"]) <= today
    ]
    for reservation in sorted(past, key=lambda r: (r["departureDate"], r["id"])):
        listing = listings[reservation["listingMapId"]]
        departure = parse_day(reservation["departureDate"])
        recent = departure > today - timedelta(days=AWAITING_DAYS)
        from_channel = reservation["channelId"] != 2000
        if rng.random() < (0.7 if from_channel else 0.25):
            if recent and rng.random() < 0.6:
                reviews.append(_review(reservation, listing, "guest-to-host", "awaiting"))
            else:
                rating = rng.choice(RATINGS)
                if reservation["channelId"] == 2018 and rating % 2:
                    rating += 1  # Airbnb stars scale to even numbers
                band = _band(rating)
                review = _review(reservation, listing, "guest-to-host", "published")
                review.update(
                    rating=rating,
                    publicReview=rng.choice(PUBLIC_TEXT[band]),
                    privateFeedback=rng.choice(PRIVATE_FEEDBACK) if rng.random() < 0.2 else None,
                    revieweeResponse=HOST_REPLIES[band]
                    if rng.random() < (0.8 if band == "poor" else 0.3)
                    else None,
                    isRevieweeRecommended=None,
                )
                reviews.append(review)
        if reservation["channelId"] == 2018 and rng.random() < 0.6:
            review = _review(reservation, listing, "host-to-guest", "published")
            review.update(
                rating=rng.choice((10, 10, 10, 10, 8)),
                publicReview=f"{reservation['guestFirstName']} was a wonderful guest, "
                "welcome back anytime!",
                isRevieweeRecommended=1,
            )
            reviews.append(review)
    for offset, review in enumerate(reviews):
        review["id"] = FIRST_REVIEW_ID + offset
    _rate_listings(reviews, listings)
    return reviews


def _rate_listings(reviews: list[dict[str, Any]], listings: dict[int, dict[str, Any]]) -> None:
    """averageReviewRating = mean of the listing's published guest ratings (0-10)."""
    ratings: dict[int, list[int]] = {}
    for review in reviews:
        if review["type"] == "guest-to-host" and review["rating"] is not None:
            ratings.setdefault(review["listingMapId"], []).append(review["rating"])
    for listing_id, listing in listings.items():
        values = ratings.get(listing_id)
        listing["averageReviewRating"] = round(sum(values) / len(values), 2) if values else None
