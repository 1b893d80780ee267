"""A naive Hostaway client for comparison: the same upstream reads, one after another, with no
rate limiter; on a 429 it waits a fixed second and tries the same request again."""

from __future__ import annotations

import time
from dataclasses import dataclass

import anyio
import httpx

from .common import TOKEN_WARMUP, mint_token

BACKOFF = 1.0  # seconds after a 429 (Hostaway sends no Retry-After)
MAX_ATTEMPTS = 60  # per request
TIME_BOUND = 180.0  # the whole replay


@dataclass(frozen=True)
class NaiveRun:
    wall: float
    sent: int  # every request sent, token and repeats after a 429 included
    rate_limited: int
    failed: int  # gave up after MAX_ATTEMPTS or the time bound


async def replay(base_url: str, targets: list[str]) -> NaiveRun:
    """Mint a token (and wait its warm-up second, as the docs say), then GET each target (a path
    and query relative to ``base_url``)."""
    started = time.perf_counter()
    sent = rate_limited = failed = 0
    async with httpx.AsyncClient(base_url=base_url, timeout=30.0) as http:
        sent += 1
        headers = {"Authorization": f"Bearer {await mint_token(http)}"}
        await anyio.sleep(TOKEN_WARMUP)
        for target in targets:
            answered = False
            for _ in range(MAX_ATTEMPTS):
                if time.perf_counter() - started > TIME_BOUND:
                    break
                sent += 1
                response = await http.get(target, headers=headers)
                if response.status_code != 429:
                    answered = True
                    break
                rate_limited += 1
                await anyio.sleep(BACKOFF)
            failed += 0 if answered else 1
    return NaiveRun(time.perf_counter() - started, sent, rate_limited, failed)
