"""Hostaway's own finance data: the consolidated financial report and owner statements."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from ..errors import (
    BadRequest,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from ..hostaway import DateRange, FinanceDateType, FinanceTable, Hostaway
from .availability import validate_period
from .formatting import round2, shorten
from .models.reports import (
    FinancialReport,
    FormulaTotal,
    OwnerStatementDetails,
    OwnerStatementItem,
    OwnerStatementList,
    ReportColumn,
)
from .reports import MAX_REPORT_NIGHTS, check_listing_ids

DateType = FinanceDateType
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
    hostaway: Hostaway,
    *,
    start: date,
    end: date,
    listing_ids: Sequence[int] | None,
    date_type: DateType,
    channel_ids: Sequence[int] | None,
    statuses: Sequence[str] | None,
) -> FinancialReport:
    """Hostaway's consolidated report (it creates nothing, so it may be retried). The period's
    last night is the report's last day."""
    validate_period(start, end, max_nights=MAX_REPORT_NIGHTS)
    ids = check_listing_ids(listing_ids)
    channels = list(dict.fromkeys(channel_ids or []))
    if len(channels) > MAX_CHANNEL_IDS:
        raise ValidationFailed(f"At most {MAX_CHANNEL_IDS} channel ids per report.")
    days = DateRange.of_nights(start, end)
    try:
        table = await hostaway.financial_report(
            days=days,
            listing_ids=ids or [],
            date_type=date_type,
            channel_ids=channels,
            statuses=list(dict.fromkeys(statuses or [])),
        )
    except (PermissionDenied, BadRequest, NotFound) as exc:
        raise PermissionDenied(
            "Hostaway refused the consolidated financial report: financial reporting is "
            f"probably not enabled for this account (Hostaway said: {exc.message})",
            hint=USE_REVENUE_REPORT,
            status_code=exc.status_code,
        ) from None
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
        to_date=days.last,
        date_type=date_type,
        currency=table.currency,
        row_count=len(table.rows),
        columns=[ReportColumn(name=c.name, title=c.title, value_type=c.value_type) for c in filled],
        empty_columns=[c.name for c in table.columns if c.name not in keep],
        totals={name: round2(value) for name, value in table.totals.items() if name in keep},
        rows=[_round_money(table, row, keep) for row in table.rows],
    )


async def list_owner_statements(hostaway: Hostaway) -> OwnerStatementList:
    refs = await hostaway.owner_statements()
    return OwnerStatementList(
        total=len(refs),
        statements=[OwnerStatementItem(id=ref.id, name=ref.name) for ref in refs],
    )


async def get_owner_statement(hostaway: Hostaway, statement_id: int) -> OwnerStatementDetails:
    statement = await hostaway.owner_statement(statement_id)
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
