"""Nightly price and minimum-stay rules, and the stay quote shared by reservations and priceDetails."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from .catalog import CITY_BY_NAME
from .shapes import PRICE_COMPONENT_KEYS, blank

WEEKEND_FACTOR = 1.15  # Friday and Saturday nights
HOLIDAY_FACTOR = 1.35
PEAK_FACTOR = 1.25  # a month at or above this is peak season: longer minimum stays


def is_holiday(day: date) -> bool:
    return (day.month == 12 and day.day >= 20) or (day.month == 1 and day.day <= 2)


def season_factor(listing: dict[str, Any], day: date) -> float:
    """1.0 for a seeded listing outside the demo cities: no seasons there."""
    city = CITY_BY_NAME.get(listing["city"])
    return city.month_factors[day.month - 1] if city else 1.0


def rule_price(listing: dict[str, Any], day: date) -> float:
    """The nightly price before any calendar override: base price, season, weekend, holidays."""
    factor = season_factor(listing, day)
    if day.weekday() in (4, 5):
        factor *= WEEKEND_FACTOR
    if is_holiday(day):
        factor *= HOLIDAY_FACTOR
    return float(round(listing["price"] * factor))


def rule_minimum_stay(listing: dict[str, Any], day: date) -> int:
    stay = int(listing["minNights"])
    if season_factor(listing, day) >= PEAK_FACTOR:
        stay += 1
    if is_holiday(day):
        stay += 1
    return max(1, min(4, stay))


def tax_rate(listing: dict[str, Any]) -> tuple[str, str, float]:
    """The city's tax; none for a seeded listing outside the demo cities."""
    city = CITY_BY_NAME.get(listing["city"])
    return (city.tax_name, city.tax_title, city.tax_rate) if city else ("vat", "VAT / GST", 0.0)


@dataclass(frozen=True)
class Quote:
    nights: int
    base_rate: float
    extra_person: float
    extra_guests: int
    cleaning_fee: float
    tax_name: str
    tax_title: str
    tax: float
    damage_deposit: float

    @property
    def total(self) -> float:
        return round(self.base_rate + self.extra_person + self.cleaning_fee + self.tax, 2)

    def components(self) -> list[dict[str, Any]]:
        """priceDetails components; the damage deposit is listed but not in the total."""
        parts: list[tuple[str, str, str, int | None, float, int]] = [
            ("price", "baseRate", "Base rate", None, self.base_rate, 1),
        ]
        if self.extra_person:
            parts.append(
                (
                    "fee",
                    "priceForExtraPerson",
                    "Price for extra person",
                    self.extra_guests,
                    self.extra_person,
                    1,
                )
            )
        parts.append(("fee", "cleaningFee", "Cleaning fee", None, self.cleaning_fee, 1))
        parts.append(("tax", self.tax_name, self.tax_title, None, self.tax, 1))
        if self.damage_deposit:
            parts.append(("fee", "damageDeposit", "Damage deposit", None, self.damage_deposit, 0))
        result = []
        for kind, name, title, quantity, value, included in parts:
            component = blank(PRICE_COMPONENT_KEYS)
            component.update(
                type=kind,
                name=name,
                title=title,
                quantity=quantity,
                value=value,
                total=value,
                isIncludedInTotalPrice=included,
                isOverriddenByUser=0,
                isQuantitySelectable=0,
                isDeleted=0,
            )
            result.append(component)
        return result


def quote(
    listing: dict[str, Any],
    arrival: date,
    departure: date,
    guests: int,
    nightly: Callable[[date], float],
) -> Quote:
    """Price a stay: the sum of nightly prices, extra-guest fees, cleaning and the local tax."""
    nights = (departure - arrival).days
    base = round(sum(nightly(arrival + timedelta(days=n)) for n in range(nights)), 2)
    extra_guests = max(0, guests - int(listing["guestsIncluded"] or 0))
    extra_person = round(extra_guests * float(listing["priceForExtraPerson"] or 0) * nights, 2)
    cleaning = float(listing["cleaningFee"] or 0)
    name, title, rate = tax_rate(listing)
    tax = round((base + extra_person + cleaning) * rate, 2)
    return Quote(
        nights=nights,
        base_rate=base,
        extra_person=extra_person,
        extra_guests=extra_guests,
        cleaning_fee=cleaning,
        tax_name=name,
        tax_title=title,
        tax=tax,
        damage_deposit=float(listing["refundableDamageDeposit"] or 0),
    )
