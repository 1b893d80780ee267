"""Serve the sandbox over HTTP: python -m hostaway_sandbox --port 8765 [--host] [--seed].

Logs go to stderr only. Point the server at it with HOSTAWAY_BASE_URL=http://127.0.0.1:8765/v1.
"""

from __future__ import annotations

import argparse
import logging
from collections.abc import Sequence
from datetime import date

from hostaway_mcp.logs import configure_logging

from .security import DEMO_CLIENT_ID

logger = logging.getLogger(__name__)


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m hostaway_sandbox",
        description="Serve an in-memory Hostaway API v1 simulator with demo data.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="interface to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8765, help="TCP port (default 8765)")
    parser.add_argument("--seed", type=int, default=7, help="demo data seed (default 7)")
    parser.add_argument(
        "--today",
        type=date.fromisoformat,
        default=None,
        help="date the demo data is relative to, YYYY-MM-DD (default: the real today)",
    )
    parser.add_argument(
        "--token-warmup",
        type=float,
        default=1.0,
        help="seconds before a new token is accepted (default 1.0, as Hostaway)",
    )
    parser.add_argument("--ip-limit", type=int, default=15, help="requests per window per IP")
    parser.add_argument(
        "--account-limit", type=int, default=20, help="requests per window per account"
    )
    parser.add_argument("--window", type=float, default=10.0, help="rate window in seconds")
    parser.add_argument(
        "--no-finance",
        action="store_true",
        help="answer /finance/report/* with 403, as for accounts without financial reporting",
    )
    parser.add_argument(
        "--listings",
        type=int,
        default=None,
        help="portfolio size (default: the standard 24-listing demo account)",
    )
    parser.add_argument("--log-level", default="INFO", help="logging level (default INFO)")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> None:
    import uvicorn

    from .app import Sandbox

    args = parse_args(argv)
    configure_logging(args.log_level)
    sandbox = Sandbox(seed=args.seed, today=args.today, listings=args.listings)
    sandbox.token_warmup = args.token_warmup
    sandbox.finance_enabled = not args.no_finance
    sandbox.set_rate_limits(ip=args.ip_limit, account=args.account_limit, window=args.window)
    logger.info(
        "sandbox ready",
        extra={
            **sandbox.describe(),
            "base_url": f"http://{args.host}:{args.port}/v1",
            "client_id": DEMO_CLIENT_ID,
        },
    )
    # log_config=None: uvicorn's loggers propagate to our stderr handler (its default config
    # would print access logs to stdout).
    uvicorn.run(sandbox.app, host=args.host, port=args.port, log_config=None)


if __name__ == "__main__":
    main()
