"""Hostaway's consolidated report and owner statements add every amount under one currency when a
selection mixes currencies (the sandbox does the same); our answers never do."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Any

import pytest
from mcp import Client

from hostaway_sandbox import Sandbox
from hostaway_sandbox.finance import consolidated_report, reservation_money, select_reservations
from tests.support.accounts import demo_account
from tests.support.servers import demo_server as sandbox_server

pytestmark = pytest.mark.anyio


def last_month() -> tuple[date, date]:
    first = (date.today().replace(day=1) - timedelta(days=1)).replace(day=1)
    end = date.today().replace(day=1)
    return first, end


def currencies(sandbox: Sandbox) -> dict[int, str]:
    return {listing["id"]: listing["currencyCode"] for listing in sandbox.store.listings}


def expected_payouts(sandbox: Sandbox, first: date, last: date) -> dict[str, float]:
    """Owner payout per currency, from the sandbox's own reservations (the report's defaults:
    arrival in the period, statuses new, modified, cancelled)."""
    by_listing = currencies(sandbox)
    totals: dict[str, float] = defaultdict(float)
    for reservation in select_reservations(
        sandbox.store.reservations, from_date=first, to_date=last
    ):
        currency = by_listing[reservation["listingMapId"]]
        totals[currency] += reservation_money(reservation)["ownerPayout"]
    return {currency: round(total, 2) for currency, total in totals.items()}


async def call(sandbox: Sandbox, name: str, args: dict[str, Any]) -> Any:
    async with Client(sandbox_server(sandbox)) as client:
        return await client.call_tool(name, args)


async def test_financial_report_over_three_currencies_totals_each_currency_apart() -> None:
    sandbox = demo_account()
    first, end = last_month()
    result = await call(
        sandbox,
        "get_financial_report",
        {"start_date": first.isoformat(), "end_date": end.isoformat()},
    )
    assert not result.is_error, result.content[0].text
    data = result.structured_content
    expected = expected_payouts(sandbox, first, end - timedelta(days=1))
    assert set(expected) == {"EUR", "USD", "GBP"}
    assert "currency" not in data  # the rows span several currencies
    assert "totals" not in data  # never one sum over EUR, USD and GBP
    by_currency = {t["currency"]: t for t in data["totals_by_currency"]}
    assert set(by_currency) == {"EUR", "USD", "GBP"}
    for currency, payout in expected.items():
        assert by_currency[currency]["totals"]["ownerPayout"] == pytest.approx(payout, abs=0.01)
    assert sum(t["row_count"] for t in data["totals_by_currency"]) == data["row_count"]
    # every row says its currency: its listing's
    listing_currency = {
        listing["name"]: listing["currencyCode"] for listing in sandbox.store.listings
    }
    for row in data["rows"]:
        assert row["currency"] == listing_currency[row["listingName"]]
    # one request per currency group, each naming its own listings
    assert sandbox.count("POST", "/finance/report/consolidated") == 3


async def test_financial_report_in_one_currency_is_one_request_with_its_totals() -> None:
    sandbox = demo_account()
    first, end = last_month()
    usd = [i for i, currency in currencies(sandbox).items() if currency == "USD"]
    result = await call(
        sandbox,
        "get_financial_report",
        {"start_date": first.isoformat(), "end_date": end.isoformat(), "listing_ids": usd},
    )
    data = result.structured_content
    assert data["currency"] == "USD"
    assert data["totals"] == data["totals_by_currency"][0]["totals"]
    assert [t["currency"] for t in data["totals_by_currency"]] == ["USD"]
    assert sandbox.count("POST", "/finance/report/consolidated") == 1


async def test_financial_report_names_channels_as_every_other_tool_does() -> None:
    sandbox = demo_account()
    first, end = last_month()
    result = await call(
        sandbox,
        "get_financial_report",
        {"start_date": first.isoformat(), "end_date": end.isoformat()},
    )
    channels = {row.get("channelName") for row in result.structured_content["rows"]}
    assert "airbnb" in channels
    assert "airbnbOfficial" not in channels


def add_mixed_statement(sandbox: Sandbox) -> int:
    """An owner statement over one EUR and one USD listing, totalled the way Hostaway does."""
    by_listing = currencies(sandbox)
    eur = next(i for i, c in by_listing.items() if c == "EUR")
    usd = next(i for i, c in by_listing.items() if c == "USD")
    first, end = last_month()
    last = end - timedelta(days=1)
    selected = select_reservations(
        sandbox.store.reservations,
        listing_ids=[eur, usd],
        from_date=first,
        to_date=last,
        statuses=["new", "modified"],
    )
    report = consolidated_report(selected)
    totals = dict(zip((c["name"] for c in report["columns"]), report["totals"], strict=True))
    statement_id = max(s["id"] for s in sandbox.store.owner_statements) + 1
    sandbox.store.owner_statements.append(
        {
            "id": statement_id,
            "statementName": "Mixed portfolio",
            "filterParametersJson": {
                "listingMapIds": [eur, usd],
                "fromDate": first.isoformat(),
                "toDate": last.isoformat(),
                "statuses": ["new", "modified"],
                "dateType": "arrivalDate",
            },
            "summaryDataJson": [
                {"formulaName": "ownerPayout", "totalValue": totals["ownerPayout"]}
            ],
            "financeDataJson": report,
            "grandTotalJson": {
                "expensesTotal": 0,
                "grandTotalAmount": totals["ownerPayout"],
                "formulasTotal": [{"name": "ownerPayout", "amount": totals["ownerPayout"]}],
            },
            "expenses": [],
        }
    )
    return statement_id


async def test_owner_statement_over_two_currencies_withholds_the_mixed_sums() -> None:
    sandbox = demo_account()
    statement_id = add_mixed_statement(sandbox)
    result = await call(sandbox, "get_owner_statement", {"statement_id": statement_id})
    data = result.structured_content
    assert "currency" not in data
    assert "grand_total" not in data and "totals" not in data
    assert all("total" not in item for item in data["summary"])
    by_currency = {t["currency"]: t for t in data["totals_by_currency"]}
    assert set(by_currency) == {"EUR", "USD"}
    first, end = last_month()
    rows = select_reservations(
        sandbox.store.reservations,
        listing_ids=data["listing_ids"],
        from_date=first,
        to_date=end - timedelta(days=1),
        statuses=["new", "modified"],
    )
    by_listing = currencies(sandbox)
    for currency in ("EUR", "USD"):
        payout = sum(
            reservation_money(r)["ownerPayout"]
            for r in rows
            if by_listing[r["listingMapId"]] == currency
        )
        assert by_currency[currency]["totals"]["ownerPayout"] == pytest.approx(payout, abs=0.01)
    assert any("EUR" in note and "USD" in note for note in data["warnings"])


async def test_owner_statement_in_one_currency_keeps_hostaways_totals() -> None:
    sandbox = demo_account()
    result = await call(sandbox, "get_owner_statement", {"statement_id": 1})
    data = result.structured_content
    assert data["currency"] in {"EUR", "USD", "GBP"}
    assert data["grand_total"] is not None
    assert [t["currency"] for t in data["totals_by_currency"]] == [data["currency"]]
