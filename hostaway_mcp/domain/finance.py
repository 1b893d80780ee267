"""Hostaway's own finance data: the consolidated financial report and owner statements."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, Literal

from ..errors import (
    BadRequest,
    NotFound,
    PermissionDenied,
    UpstreamUnavailable,
    ValidationFailed,
)
from ..hostaway.adapter import Gateway, last_night
from ..hostaway.entities import FinanceTable, OwnerStatementData, OwnerStatementRef
from .formatting import round2, shorten
from .models.reports import (
    FinancialReport,
    FormulaTotal,
    OwnerStatementDetails,
    OwnerStatementItem,
    OwnerStatementList,
    ReportColumn,
)
from .reports import check_listing_ids, check_period

DateType = Literal["arrivalDate", "departureDate", "reservationDate"]

CONSOLIDATED_PATH = "/finance/report/consolidated"
MAX_CHANNEL_IDS = 30
NOTES_CHARS = 300
USE_REVENUE_REPORT = (
    "Use get_revenue_report instead: it computes revenue from the reservations themselves and "
    "needs no financial-reporting feature."
)


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == 0


def _round_money(table: FinanceTable, row: dict[str, Any], keep: list[str]) -> dict[str, Any]:
    money = {c.name for c in table.columns if c.value_type == "money"}
    return {
        name: round2(row[name])
        if name in money and isinstance(row[name], float | int)
        else row[name]
        for name in keep
        if name in row
    }


async def get_financial_report(
    gateway: Gateway,
    *,
    start: date,
    end: date,
    listing_ids: Sequence[int] | None,
    date_type: DateType,
    channel_ids: Sequence[int] | None,
    statuses: Sequence[str] | None,
) -> FinancialReport:
    """POST /finance/report/consolidated (form data, format=json). Creates nothing, so it may be
    retried. Hostaway's toDate is inclusive: it gets end_date - 1 day."""
    check_period(start, end)
    ids = check_listing_ids(listing_ids)
    channels = list(dict.fromkeys(channel_ids or []))
    if len(channels) > MAX_CHANNEL_IDS:
        raise ValidationFailed(f"At most {MAX_CHANNEL_IDS} channel ids per report.")
    to_date = last_night(end)
    form: dict[str, Any] = {
        "fromDate": start.isoformat(),
        "toDate": to_date.isoformat(),
        "dateType": date_type,
        "format": "json",
    }
    if ids:
        form["listingMapIds[]"] = ids
    if channels:
        form["channelIds[]"] = channels
    if statuses:
        form["statuses[]"] = list(dict.fromkeys(statuses))
    try:
        envelope = await gateway.client.request("POST", CONSOLIDATED_PATH, data=form)
    except (PermissionDenied, BadRequest, NotFound) as exc:
        raise PermissionDenied(
            "Hostaway refused the consolidated financial report: financial reporting is "
            f"probably not enabled for this account (Hostaway said: {exc.message})",
            hint=USE_REVENUE_REPORT,
            status_code=exc.status_code,
        ) from None
    result = envelope.get("result")
    if not isinstance(result, dict) and result not in (None, [], {}):
        raise UpstreamUnavailable(
            "Hostaway answered the financial report in an unexpected shape (not a JSON table)."
        )
    table = FinanceTable.from_api(result)
    filled = [
        c
        for c in table.columns
        if not table.rows
        or any(not _empty(row.get(c.name)) for row in table.rows)
        or not _empty(table.totals.get(c.name))
    ]
    keep = [c.name for c in filled]
    return FinancialReport(
        start_date=start,
        end_date=end,
        from_date=start,
        to_date=to_date,
        date_type=date_type,
        currency=table.currency,
        row_count=len(table.rows),
        columns=[ReportColumn(name=c.name, title=c.title, value_type=c.value_type) for c in filled],
        empty_columns=[c.name for c in table.columns if c.name not in keep],
        totals={name: round2(value) for name, value in table.totals.items() if name in keep},
        rows=[_round_money(table, row, keep) for row in table.rows],
    )


async def list_owner_statements(gateway: Gateway) -> OwnerStatementList:
    result = await gateway.client.get("/ownerStatements")
    refs = [
        OwnerStatementRef.from_api(raw)
        for raw in (result if isinstance(result, list) else [])
        if isinstance(raw, dict)
    ]
    return OwnerStatementList(
        total=len(refs),
        statements=[OwnerStatementItem(id=ref.id, name=ref.name) for ref in refs],
    )


async def get_owner_statement(gateway: Gateway, statement_id: int) -> OwnerStatementDetails:
    try:
        raw = await gateway.client.get(f"/ownerStatement/{statement_id}")  # singular path
    except NotFound:
        raw = None
    if not isinstance(raw, dict) or not raw.get("id"):
        raise NotFound(
            f"Owner statement {statement_id} was not found.",
            hint="Use list_owner_statements to find statement ids.",
        )
    statement = OwnerStatementData.from_api(raw)
    table = statement.table
    return OwnerStatementDetails(
        id=statement.id,
        name=statement.name,
        invoice_name=statement.invoice_name,
        period_from=statement.from_date,
        period_to=statement.to_date,
        date_type=statement.date_type,
        listing_ids=statement.listing_ids,
        statuses=statement.statuses,
        channel_ids=statement.channel_ids,
        currency=table.currency,
        summary=[FormulaTotal.of(item) for item in statement.summary],
        grand_total=None if statement.grand_total is None else round2(statement.grand_total),
        expenses_total=None
        if statement.expenses_total is None
        else round2(statement.expenses_total),
        formula_totals=[FormulaTotal.of(item) for item in statement.formula_totals],
        totals={
            name: round2(value)
            for name, value in table.totals.items()
            if value and any(c.name == name and c.value_type == "money" for c in table.columns)
        },
        row_count=len(table.rows),
        expense_count=statement.expense_count,
        owner_name=statement.owner_name,
        notes=shorten(statement.notes, NOTES_CHARS),
        updated_at=statement.updated_on,
    )
