"""Hostaway's own finance data: the consolidated financial report and owner statements."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from ..errors import (
    BadRequest,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from ..hostaway import (
    DateRange,
    FinanceDateType,
    FinanceTable,
    Hostaway,
    Listing,
    OwnerStatementData,
    Progress,
    no_progress,
)
from .availability import validate_period
from .formatting import round2, shorten
from .models.reports import (
    ColumnTotals,
    FinancialReport,
    FormulaTotal,
    OwnerStatementDetails,
    OwnerStatementItem,
    OwnerStatementList,
    ReportColumn,
    StatementCurrencyTotals,
    money2,
)
from .reports import MAX_REPORT_NIGHTS, check_listing_ids
from .status_words import BOOKING_WORDS, expand

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


def currency_groups(
    listing_ids: Sequence[int], listings: Mapping[int, Listing]
) -> dict[str | None, list[int]]:
    """The listings by currency (unknown listings under None), in the order given."""
    groups: dict[str | None, list[int]] = {}
    for listing_id in listing_ids:
        listing = listings.get(listing_id)
        groups.setdefault(listing.currency if listing else None, []).append(listing_id)
    return groups


async def _report_per_currency(
    hostaway: Hostaway,
    *,
    days: DateRange,
    listing_ids: list[int] | None,
    date_type: DateType,
    channels: list[int],
    statuses: list[str],
    progress: Progress,
) -> list[tuple[str | None, FinanceTable]]:
    """Hostaway's report, once per currency among the listings: Hostaway adds every amount of a
    mixed selection under one currency, so a mixed selection is never asked for at once."""
    listings = await hostaway.listings_by_id()
    groups = currency_groups(listing_ids or list(listings), listings)
    asks = list(groups.items()) if len(groups) > 1 else [(next(iter(groups), None), listing_ids)]
    tables = []
    for done, (currency, ids) in enumerate(asks):
        table = await hostaway.financial_report(
            days=days,
            listing_ids=ids or [],
            date_type=date_type,
            channel_ids=channels,
            statuses=statuses,
        )
        tables.append((table.currency or currency, table))
        await progress(done + 1, len(asks), f"read the report for {table.currency or currency}")
    return tables


async def get_financial_report(
    hostaway: Hostaway,
    *,
    start: date,
    end: date,
    listing_ids: Sequence[int] | None,
    date_type: DateType,
    channel_ids: Sequence[int] | None,
    statuses: Sequence[str] | None,
    progress: Progress = no_progress,
) -> FinancialReport:
    """Hostaway's consolidated report (it creates nothing, so it may be retried), one per
    currency. The period's last night is the report's last day."""
    validate_period(start, end, max_nights=MAX_REPORT_NIGHTS)
    ids = check_listing_ids(listing_ids)
    channels = list(dict.fromkeys(channel_ids or []))
    if len(channels) > MAX_CHANNEL_IDS:
        raise ValidationFailed(f"At most {MAX_CHANNEL_IDS} channel ids per report.")
    days = DateRange.of_nights(start, end)
    try:
        tables = await _report_per_currency(
            hostaway,
            days=days,
            listing_ids=ids,
            date_type=date_type,
            channels=channels,
            statuses=expand(statuses or [], BOOKING_WORDS)[0],
            progress=progress,
        )
    except (PermissionDenied, BadRequest, NotFound) as exc:
        raise PermissionDenied(
            "Hostaway refused the consolidated financial report: financial reporting is "
            f"probably not enabled for this account (Hostaway said: {exc.message})",
            hint=USE_REVENUE_REPORT,
            status_code=exc.status_code,
        ) from None
    columns = list({c.name: c for _, table in tables for c in table.columns}.values())
    rows = [(currency, table, row) for currency, table in tables for row in table.rows]
    every_total = [table.totals for _, table in tables]
    keep = [
        c.name
        for c in columns
        if not rows
        or any(not _empty(row.get(c.name)) for _, _, row in rows)
        or any(not _empty(totals.get(c.name)) for totals in every_total)
    ]
    by_currency: dict[str | None, ColumnTotals] = {}
    for currency, table in tables:
        entry = by_currency.setdefault(
            currency, ColumnTotals(currency=currency, row_count=0, totals={})
        )
        entry.row_count += len(table.rows)
        for name, value in table.totals.items():
            if name in keep:
                entry.totals[name] = entry.totals.get(name, 0.0) + value
    totals_by_currency = [
        t.model_copy(update={"totals": {k: round2(v) for k, v in t.totals.items()}})
        for t in by_currency.values()
    ]
    single = totals_by_currency[0] if len(totals_by_currency) == 1 else None
    return FinancialReport(
        start_date=start,
        end_date=end,
        from_date=start,
        to_date=days.last,
        date_type=date_type,
        currency=single.currency if single else None,
        row_count=len(rows),
        columns=[
            ReportColumn(name=c.name, title=c.title, value_type=c.value_type)
            for c in columns
            if c.name in keep
        ],
        empty_columns=[c.name for c in columns if c.name not in keep],
        totals=single.totals if single else None,
        totals_by_currency=totals_by_currency,
        rows=[
            {**_round_money(table, row, keep), "currency": row.get("currency") or currency}
            for currency, table, row in rows
        ],
    )


async def list_owner_statements(hostaway: Hostaway) -> OwnerStatementList:
    refs = await hostaway.owner_statements()
    return OwnerStatementList(
        total=len(refs),
        statements=[OwnerStatementItem(id=ref.id, name=ref.name) for ref in refs],
    )


def _row_currencies(
    statement: OwnerStatementData, listings: Mapping[int, Listing]
) -> list[str | None]:
    """Each row's currency: its listing's, found by the listing name the row carries."""
    by_name: dict[str, str | None] = {}
    for listing in listings.values():
        # Two listings of one name in different currencies: the name cannot tell.
        known = by_name.setdefault(listing.name, listing.currency)
        if known != listing.currency:
            by_name[listing.name] = None
    return [by_name.get(name) if name else None for name in statement.table.row_listing_names()]


def _statement_totals_by_currency(
    statement: OwnerStatementData,
    row_currencies: list[str | None],
    listings: Mapping[int, Listing],
) -> list[StatementCurrencyTotals]:
    table = statement.table
    money = table.money_columns()
    sums: dict[str | None, dict[str, float]] = {}
    counts: dict[str | None, int] = {}
    for currency, row in zip(row_currencies, table.rows, strict=True):
        counts[currency] = counts.get(currency, 0) + 1
        totals = sums.setdefault(currency, {})
        for name in money:
            value = row.get(name)
            if isinstance(value, int | float):
                totals[name] = totals.get(name, 0.0) + value
    expenses: dict[str | None, float] = {}
    for expense in statement.expenses:
        listing = listings.get(expense.listing_id) if expense.listing_id else None
        currency = listing.currency if listing else None
        expenses[currency] = expenses.get(currency, 0.0) + (expense.amount or 0.0)
    return [
        StatementCurrencyTotals(
            currency=currency,
            row_count=counts.get(currency, 0),
            totals={k: round2(v) for k, v in sums.get(currency, {}).items() if v},
            expenses_total=money2(expenses.get(currency)),
        )
        for currency in sorted({*sums, *expenses}, key=lambda c: (c is None, c or ""))
    ]


async def get_owner_statement(hostaway: Hostaway, statement_id: int) -> OwnerStatementDetails:
    statement = await hostaway.owner_statement(statement_id)
    table = statement.table
    listings = await hostaway.listings_by_id()
    row_currencies = _row_currencies(statement, listings)
    currencies = {c for c in row_currencies if c} or {
        listing.currency
        for i in statement.listing_ids
        if (listing := listings.get(i)) is not None and listing.currency
    }
    totals = {
        name: round2(value)
        for name, value in table.totals.items()
        if value and any(c.name == name and c.value_type == "money" for c in table.columns)
    }
    details = OwnerStatementDetails(
        id=statement.id,
        name=statement.name,
        invoice_name=statement.invoice_name,
        period_from=statement.from_date,
        period_to=statement.to_date,
        date_type=statement.date_type,
        listing_ids=statement.listing_ids,
        statuses=statement.statuses,
        channel_ids=statement.channel_ids,
        currency=table.currency or next(iter(currencies), None),
        summary=[FormulaTotal.of(item) for item in statement.summary],
        grand_total=money2(statement.grand_total),
        expenses_total=money2(statement.expenses_total),
        formula_totals=[FormulaTotal.of(item) for item in statement.formula_totals],
        totals=totals,
        totals_by_currency=[],
        row_count=len(table.rows),
        expense_count=statement.expense_count,
        owner_name=statement.owner_name,
        notes=shorten(statement.notes, NOTES_CHARS),
        updated_at=statement.updated_on,
    )
    if len(currencies) <= 1:
        return details.model_copy(
            update={
                "totals_by_currency": [
                    StatementCurrencyTotals(
                        currency=details.currency,
                        row_count=details.row_count,
                        totals=totals,
                        expenses_total=details.expenses_total,
                    )
                ]
            }
        )
    return _withhold_mixed_sums(details, statement, row_currencies, listings, sorted(currencies))


def _withhold_mixed_sums(
    details: OwnerStatementDetails,
    statement: OwnerStatementData,
    row_currencies: list[str | None],
    listings: Mapping[int, Listing],
    currencies: list[str],
) -> OwnerStatementDetails:
    """Hostaway adds a mixed statement's amounts into one figure: keep none of those sums and
    give each currency's own, from the rows."""
    by_currency = _statement_totals_by_currency(statement, row_currencies, listings)
    warnings = [
        f"This statement covers listings in {', '.join(currencies)}. Hostaway adds their amounts "
        "together, so its summary, grand total and column totals are left out; "
        "totals_by_currency gives each currency's sums from the statement's rows."
    ]
    unmatched = sum(1 for c in row_currencies if c is None)
    if unmatched:
        warnings.append(
            f"{unmatched} row(s) name no listing of this account; their sums are listed under "
            "currency null."
        )
    return details.model_copy(
        update={
            "currency": None,
            "summary": [FormulaTotal(name=f.name, total=None) for f in details.summary],
            "formula_totals": [
                FormulaTotal(name=f.name, total=None) for f in details.formula_totals
            ],
            "grand_total": None,
            "expenses_total": None,
            "totals": None,
            "totals_by_currency": by_currency,
            "warnings": warnings,
        }
    )
