"""Mapping of Hostaway's finance payloads (official examples) into records keyed by column name."""

from __future__ import annotations

import json
from datetime import date

from hostaway_mcp.hostaway.entities import FinanceTable, OwnerStatementData, OwnerStatementRef
from tests.support.records import example


def test_consolidated_report_rows_become_records_with_typed_values() -> None:
    table = FinanceTable.from_api(example("financialReporting_reportConsolidated")["result"])
    assert len(table.columns) == 36
    assert table.currency == "RUB"
    first = table.rows[0]
    assert first["id"] == 755143  # a string id in the row, a "number" column
    assert first["channelName"] == "direct"
    assert first["status"] == "cancelled"
    assert first["arrivalDate"] == "2019-03-06"
    assert first["pmCommission"] == 420.6
    assert first["damageDeposit"] == 7000
    assert table.rows[1]["id"] == 777736
    assert len(first) == 36


def test_totals_are_keyed_by_column_and_skip_ids_and_text() -> None:
    table = FinanceTable.from_api(example("financialReporting_reportConsolidated")["result"])
    assert table.totals["totalGuestFees"] == 61923
    assert table.totals["totalTax"] == 1354.254  # full precision; rounded at the output
    assert table.totals["subTotalPrice"] == 371210
    assert "id" not in table.totals and "channelName" not in table.totals


def test_listing_financials_totals_align_with_columns() -> None:
    table = FinanceTable.from_api(example("financialReporting_reportListingFinancials")["result"])
    assert table.rows[1]["listingName"] == "(123) A building - Calm place Otteveny"
    assert table.totals["ownerPayout"] == 1417
    assert table.totals["pmCommission"] == 203.4


def test_owner_statement_list_and_detail() -> None:
    refs = [OwnerStatementRef.from_api(r) for r in example("ownerStatement_retrieveList")["result"]]
    assert [(r.id, r.name) for r in refs] == [(1, "statement-test-1"), (1, "statement-test-2")]
    statement = OwnerStatementData.from_api(example("ownerStatement_retrieve")["result"])
    assert statement.name == "owner-statement-test-1"
    assert (statement.from_date, statement.to_date) == (date(2021, 3, 1), date(2021, 3, 19))
    assert statement.listing_ids == [40269, 40270]
    assert statement.statuses == ["new", "modified"]
    assert statement.channel_ids == [2005, 2008]
    assert statement.date_type == "arrivalDate"
    assert [(s.name, s.value) for s in statement.summary][:2] == [
        ("ownerPayout", 37681.7531),
        ("pmCommission", 0),
    ]
    assert statement.grand_total == 17643.5474
    assert statement.expenses_total == 126.7474
    assert [(f.name, f.value) for f in statement.formula_totals] == [
        ("baseRate", 0),
        ("pmCommission", 17516.8),
    ]
    assert statement.table.rows == [] and statement.table.totals == {}
    assert statement.expense_count == 1


def test_owner_statement_json_fields_may_arrive_as_text() -> None:
    raw = example("ownerStatement_retrieve")["result"]
    for key in ("filterParametersJson", "summaryDataJson", "financeDataJson", "grandTotalJson"):
        raw[key] = json.dumps(raw[key])
    statement = OwnerStatementData.from_api(raw)
    assert statement.listing_ids == [40269, 40270]
    assert statement.summary[0].name == "ownerPayout"
    assert statement.grand_total == 17643.5474
    assert len(statement.table.columns) > 10
