"""Memory: peak RSS, and RSS growth between call 100 and call 1,000 of a cheap tool in one server
process (a subprocess, so the benchmark's own memory does not count)."""

from __future__ import annotations

import json
import subprocess
import sys

from .common import Row

TARGET_GROWTH_MB = 5.0
TIME_BOUND = 180.0


def run(base_url: str, listing_ids: list[int]) -> list[Row]:
    completed = subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "benchmarks.memory_worker", base_url, *map(str, listing_ids)],
        capture_output=True,
        text=True,
        timeout=TIME_BOUND,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"the memory worker failed:\n{completed.stderr[-2000:]}")
    figures = json.loads(completed.stdout.strip().splitlines()[-1])
    rss = {int(call): kb / 1024 for call, kb in figures["rss_kb"].items()}
    growth = rss[1000] - rss[100]
    trail = ", ".join(f"{call}: {mb:.1f}" for call, mb in sorted(rss.items()))
    return [
        Row(
            "memory: peak RSS of the server process",
            f"{figures['peak_kb'] / 1024:.1f} MB (RSS MB after call {trail})",
        ),
        Row(
            "memory: RSS growth, call 100 → 1,000 (get_property_details, cache off)",
            f"{growth:+.2f} MB ({figures['upstream_requests']} upstream requests)",
            f"≤ {TARGET_GROWTH_MB:g} MB",
            growth <= TARGET_GROWTH_MB,
        ),
    ]
