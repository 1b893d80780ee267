"""Run every benchmark against the demo sandbox served over HTTP on 127.0.0.1, print the results
table (and the size table), and exit non-zero when a target is missed.

uv run python -m benchmarks [--only NAME ...]
"""

from __future__ import annotations

import argparse
import logging
import os
import platform
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

import anyio

from . import coldstart, memory, mirror, overhead, ratelimit, size
from .common import HIGH_LIMIT, RATE_LIMIT, TOKEN_WARMUP, WINDOW, Row, format_table, listing_ids
from .sandbox_proc import SandboxProcess

NAMES = ("size", "overhead", "memory", "coldstart", "ratelimit", "mirror")
# The mirror benchmark reads whole 200- and 500-listing accounts at the real rate limit (about
# half an hour): only when asked for.
DEFAULT = ("size", "overhead", "memory", "coldstart", "ratelimit")


def machine() -> str:
    cpu = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory_kb = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            memory_kb = int(line.split()[1])
    return (
        f"{date.today().isoformat()}, {os.cpu_count()} CPUs ({cpu}), "
        f"{memory_kb / 1024 / 1024:.1f} GiB RAM, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}"
    )


def guarded(name: str, measure: Callable[[], list[Row]]) -> list[Row]:
    """A measurement that crashes is a failed row, and the others still run."""
    started = time.perf_counter()
    print(f"… {name}", file=sys.stderr, flush=True)
    try:
        rows = measure()
    except Exception as exc:
        traceback.print_exc(file=sys.stderr)
        rows = [Row(f"{name}: measurement", f"ERROR {type(exc).__name__}: {exc}", "runs", False)]
    print(f"  {name}: {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
    return rows


def run(
    only: Sequence[str], mirror_listings: Sequence[int] = mirror.PORTFOLIOS
) -> tuple[list[Row], str]:
    today = date.today()
    rows: list[Row] = []
    size_table = ""
    # Everything that is not about the rate limit uses a sandbox with the limits raised.
    with SandboxProcess(ip_limit=HIGH_LIMIT, account_limit=HIGH_LIMIT, token_warmup=0.0) as fast:
        ids = anyio.run(listing_ids, fast.base_url)
        if "size" in only:

            def measure_size() -> list[Row]:
                nonlocal size_table
                size_rows, size_table = anyio.run(size.run, fast.base_url, today)
                return size_rows

            rows += guarded("size", measure_size)
        if "overhead" in only:
            rows += guarded("overhead", lambda: anyio.run(overhead.run, fast.base_url, ids[0]))
        if "memory" in only:
            rows += guarded("memory", lambda: memory.run(fast.base_url, ids))
        if "coldstart" in only:
            rows += guarded("coldstart", lambda: coldstart.run(fast.base_url))
    if "ratelimit" in only:
        rows += guarded("ratelimit", lambda: anyio.run(ratelimit.run, today))
    if "mirror" in only:
        rows += guarded("mirror", lambda: mirror.run(mirror_listings))
    return rows, size_table


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--only", nargs="+", choices=NAMES, default=list(DEFAULT))
    parser.add_argument(
        "--mirror-listings",
        nargs="+",
        type=int,
        default=list(mirror.PORTFOLIOS),
        help="portfolio sizes for the mirror benchmark (default 200 500)",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    started = time.perf_counter()
    rows, size_table = run(args.only, args.mirror_listings)
    print(f"Machine: {machine()}")
    print(
        f"Sandbox: python -m hostaway_sandbox on 127.0.0.1; rate-limit runs with the real "
        f"limits ({RATE_LIMIT}/IP, 20/account per {WINDOW:g} s, token warm-up {TOKEN_WARMUP:g} s)"
    )
    print(f"Rate-limit {ratelimit.describe_minimum()}.\n")
    print(format_table(rows))
    if size_table:
        print("\nSize per read tool (raw = the Hostaway JSON the server read for the answer):\n")
        print(size_table)
    missed = [row for row in rows if row.ok is False]
    print(f"\n{len(missed)} target(s) missed; {time.perf_counter() - started:.0f} s in all.")
    return 1 if missed else 0
