"""The pure helpers of benchmarks/ (the timing targets themselves live only in the benchmarks)."""

from __future__ import annotations

import json
import math

import pytest

from benchmarks.common import (
    Exchange,
    Row,
    efficiency_ratio,
    format_table,
    median,
    minimum_seconds,
    relative_target,
    result_rows,
    size_ratio,
)
from benchmarks.size import shown_items


@pytest.mark.parametrize(
    ("requests", "expected"),
    [(0, 0.0), (1, 0.0), (15, 0.0), (16, 10.0), (30, 10.0), (31, 20.0), (38, 20.0), (46, 30.0)],
)
def test_minimum_is_whole_windows_after_the_first(requests: int, expected: float) -> None:
    assert minimum_seconds(requests, limit=15, window=10.0) == expected
    if requests:
        assert expected == (math.ceil(requests / 15) - 1) * 10.0


@pytest.mark.parametrize(
    ("requests", "expected"),
    # the token at 0, the next 14 at 1.0 (warm-up); #16 when the token leaves the window (10),
    # #17-#30 when the requests of second 1 leave it (11), #31 at 20, #32 at 21.
    [(1, 0.0), (2, 1.0), (15, 1.0), (16, 10.0), (17, 11.0), (30, 11.0), (31, 20.0), (32, 21.0)],
)
def test_minimum_with_a_token_warmup(requests: int, expected: float) -> None:
    assert minimum_seconds(requests, limit=15, window=10.0, warmup=1.0) == expected


def test_minimum_respects_any_limit_and_rejects_nonsense() -> None:
    assert minimum_seconds(5, limit=2, window=3.0) == 6.0  # starts 0, 0, 3, 3, 6
    with pytest.raises(ValueError, match="limit"):
        minimum_seconds(5, limit=0)


def test_ratios_are_none_without_a_denominator() -> None:
    assert efficiency_ratio(11.0, 10.0) == pytest.approx(1.1)
    assert efficiency_ratio(3.0, 0.0) is None
    assert size_ratio(5, 100) == 0.05
    assert size_ratio(5, 0) is None
    assert median([3.0, 1.0, 2.0, 10.0]) == 2.5


def test_result_rows_counts_what_the_envelope_holds() -> None:
    assert result_rows(json.dumps({"status": "success", "result": [{}, {}, {}]}).encode()) == 3
    assert result_rows(json.dumps({"status": "success", "result": {"id": 1}}).encode()) == 1
    report = {"columns": ["id"], "rows": [["1"], ["2"]], "totals": []}
    assert result_rows(json.dumps({"status": "success", "result": report}).encode()) == 2
    assert result_rows(b"<html>oops</html>") == 0
    assert result_rows(b"[1, 2]") == 0


def test_shown_items_only_for_list_answers() -> None:
    assert shown_items({"truncated": True, "bookings": [1, 2], "filters_applied": ["x"]}) == 2
    assert shown_items({"id": 7, "previous_stays": []}) is None


def test_relative_target_keeps_the_query() -> None:
    with_query = Exchange("GET", "/reservations", "limit=100&afterId=9", 200, 10, 0.0)
    assert relative_target(with_query) == "/reservations?limit=100&afterId=9"
    assert relative_target(Exchange("GET", "/listings/1", "", 200, 10, 0.0)) == "/listings/1"


def test_table_marks_pass_fail_and_information() -> None:
    table = format_table(
        [Row("a", "1", "≤ 2", True), Row("b", "3", "≤ 2", False), Row("c", "info only")]
    ).splitlines()
    assert table[0].startswith("| measure")
    assert [line.rsplit("|", 2)[1].strip() for line in table[2:]] == ["pass", "FAIL", "info"]
