"""The first sync's progress and time left, from the datasets' bookkeeping."""

from __future__ import annotations

from typing import Any, cast

from hostaway_mcp.hostaway._client import HostawayClient
from hostaway_mcp.hostaway.mirror.datasets import Dataset
from hostaway_mcp.hostaway.mirror.mirror import Mirror
from hostaway_mcp.hostaway.mirror.sync import DATASETS
from tests.support.servers import settings

# 15 requests per 10 s: each request still to make costs 2/3 s at the rate limit.
PER_REQUEST = 10.0 / 15


def mirror(**datasets: Dataset) -> Mirror:
    m = Mirror(
        cast(HostawayClient, object()),
        settings(rate_limit_ip=15, rate_limit_account=20, rate_window_seconds=10.0),
        None,
    )
    m._datasets = dict(datasets)  # the bookkeeping the store would hold
    return m


def sized(name: str, done: int, total: int, **extra: Any) -> Dataset:
    return Dataset(name, requests_done=done, requests_total=total, **extra)


def test_no_time_left_is_given_before_every_dataset_knows_its_size() -> None:
    # The sync has just started: only the listings are counted; a guess from them alone would
    # say seconds when the calendars alone take minutes.
    share, left = mirror(listings=sized("listings", 1, 3)).progress()
    assert left is None
    assert 0 < share < 1


def test_time_left_counts_every_request_still_to_make_at_the_rate_limit() -> None:
    datasets = {name: sized(name, 0, 10) for name in DATASETS}
    datasets["listings"] = sized("listings", 4, 4, complete=1)
    datasets["calendars"] = sized("calendars", 20, 100)
    share, left = mirror(**datasets).progress()
    still = 10 * (len(DATASETS) - 2) + 80
    total = 10 * (len(DATASETS) - 2) + 4 + 100
    assert left == still * PER_REQUEST
    assert share == (total - still) / total


def test_a_finished_first_sync_has_no_time_left() -> None:
    done = {name: sized(name, 5, 5, complete=1) for name in DATASETS}
    assert mirror(**done).progress() == (1.0, None)
