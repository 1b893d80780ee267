"""Financial reports: form-encoded requests, positional rows computed from reservations."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import pytest

from hostaway_sandbox import Sandbox

from .conftest import TODAY, example

pytestmark = pytest.mark.anyio
# The last full month before TODAY.
MONTH_END = TODAY.replace(day=1) - timedelta(days=1)
MONTH_START = MONTH_END.replace(day=1)
FIRST, LAST = MONTH_START.isoformat(), MONTH_END.isoformat()
MONTH = {"fromDate": FIRST, "toDate": LAST, "format": "json"}


def as_dicts(report: dict[str, Any]) -> list[dict[str, Any]]:
    names = [column["name"] for column in report["columns"]]
    return [dict(zip(names, row, strict=True)) for row in report["rows"]]


async def consolidated(client: httpx.AsyncClient, form: Any) -> httpx.Response:
    return await client.post("/finance/report/consolidated", data=form)


async def test_consolidated_report_rows_come_from_reservations(
    api: httpx.AsyncClient, shared: Sandbox
) -> None:
    form = {**MONTH, "listingMapIds[]": ["40160", "40161"], "dateType": "arrivalDate"}
    report = (await consolidated(api, form)).json()["result"]
    assert set(report) == set(example("financialReporting_reportConsolidated")["result"])
    rows = as_dicts(report)
    expected = {
        str(r["id"]): r
        for r in shared.store.reservations
        if r["listingMapId"] in (40160, 40161)
        and FIRST <= r["arrivalDate"] <= LAST
        and r["status"] in ("new", "modified", "cancelled")
    }
    assert rows
    assert {row["id"] for row in rows} == set(expected)
    for row in rows:
        assert isinstance(row["id"], str)  # as in Hostaway's example
        reservation = expected[row["id"]]
        assert row["nights"] == reservation["nights"]
        if reservation["status"] == "cancelled":
            assert row["ownerPayout"] == 0
        else:
            assert row["subTotalPrice"] + row["totalTax"] == pytest.approx(
                reservation["totalPrice"]
            )
            assert row["ownerPayout"] == pytest.approx(
                row["accommodationFee"] - row["hostChannelFee"] - row["pmCommission"]
            )
    names = [column["name"] for column in report["columns"]]
    assert report["totals"][0] == "Totals"
    assert len(report["totals"]) == len(names)
    payout_total = report["totals"][names.index("ownerPayout")]
    assert payout_total == pytest.approx(sum(row["ownerPayout"] for row in rows))
    assert report["currency"] == "EUR"


async def test_filters_by_status_channel_and_departure(
    api: httpx.AsyncClient, shared: Sandbox
) -> None:
    form = {
        **MONTH,
        "dateType": "departureDate",
        "statuses[0]": "new",
        "channelIds[0]": "2018",
        "sortBy": "departureDate",
        "sortOrder": "desc",
    }
    rows = as_dicts((await consolidated(api, form)).json()["result"])
    assert rows
    assert all(row["status"] == "new" and row["channelName"] == "airbnbOfficial" for row in rows)
    departures = [row["departureDate"] for row in rows]
    assert departures == sorted(departures, reverse=True)
    assert all(FIRST <= d <= LAST for d in departures)


async def test_multipart_form_is_accepted(api: httpx.AsyncClient) -> None:
    files = {
        "format": (None, "json"),
        "fromDate": (None, FIRST),
        "toDate": (None, (MONTH_START + timedelta(days=2)).isoformat()),
    }
    response = await api.post("/finance/report/consolidated", files=files)
    assert response.status_code == 200
    assert response.json()["result"]["rows"]


async def test_mixed_currencies_report_the_first_rows_currency(api: httpx.AsyncClient) -> None:
    report = (await consolidated(api, MONTH)).json()["result"]
    rows = as_dicts(report)
    assert len({row["listingName"] for row in rows}) > 10
    assert report["currency"] in ("EUR", "USD", "GBP")


async def test_csv_format(api: httpx.AsyncClient) -> None:
    response = await consolidated(api, {**MONTH, "format": "csv", "listingMapIds[]": "40160"})
    assert response.headers["content-type"].startswith("text/csv")
    lines = response.text.strip().splitlines()
    assert lines[0].startswith("Reservation ID,")
    assert lines[-1].startswith("Totals,")


async def test_listing_financials_sum_the_consolidated_rows(api: httpx.AsyncClient) -> None:
    form = {**MONTH, "listingMapIds[]": ["40160", "40170"]}
    per_listing = (await api.post("/finance/report/listingFinancials", data=form)).json()["result"]
    per_reservation = as_dicts((await consolidated(api, form)).json()["result"])
    rows = as_dicts(per_listing)
    assert len(rows) == 2
    for row in rows:
        mine = [r for r in per_reservation if r["listingName"] == row["listingName"]]
        assert row["ownerPayout"] == pytest.approx(sum(r["ownerPayout"] for r in mine))


@pytest.mark.parametrize(
    "form",
    [
        {"fromDate": FIRST},
        {**MONTH, "dateType": "checkinDate"},
        {**MONTH, "fromDate": "May 1"},
    ],
)
async def test_report_validation(api: httpx.AsyncClient, form: dict[str, str]) -> None:
    response = await consolidated(api, form)
    assert response.status_code == 400
    assert response.json()["status"] == "fail"


async def test_disabled_financial_reporting_is_403(
    client: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    sandbox.finance_enabled = False
    response = await consolidated(client, MONTH)
    assert response.status_code == 403
    assert response.json() == {
        "status": "fail",
        "result": "Financial reporting is not enabled for this account",
    }
    assert (await client.get("/ownerStatements")).status_code == 200
