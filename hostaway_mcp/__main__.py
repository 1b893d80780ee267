"""Command line: `hostaway-mcp` serves MCP over stdio; `hostaway-mcp check` tests the setup;
`hostaway-mcp sync` makes (or finishes) the local copy of the account; `hostaway-mcp forget`
deletes it."""

from __future__ import annotations

import argparse
import gc
import logging
import sys
from collections.abc import Sequence

import anyio

from . import __version__
from .config import Settings, load_settings, read_environment
from .errors import ConfigurationError, HostawayError
from .logs import configure_logging

logger = logging.getLogger("hostaway_mcp")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hostaway-mcp",
        description="MCP server for Hostaway. With no command it serves MCP over stdio.",
    )
    parser.add_argument(
        "command",
        nargs="?",
        choices=["serve", "check", "sync", "forget"],
        default="serve",
        help="serve (default): run the MCP server on stdio; check: verify config and credentials; "
        "sync: make or finish the local copy of the account, with a progress bar, then exit; "
        "forget: delete the local copy",
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="use the built-in simulated Hostaway account (no credentials needed)",
    )
    parser.add_argument("--version", action="version", version=f"hostaway-mcp {__version__}")
    return parser


def _settings(demo: bool) -> tuple[Settings, str | None]:
    env = read_environment()
    try:
        return load_settings(env, demo=True if demo else None), None
    except ConfigurationError as exc:
        return Settings(demo=demo), exc.user_message()


async def _check(settings: Settings) -> str:
    from .server.app import connect, demo_settings

    if settings.demo:
        settings = demo_settings(settings)
    if not settings.has_credentials:
        raise ConfigurationError(settings.missing_credentials_message())
    hostaway = connect(settings)
    try:
        total = await hostaway.check()
    finally:
        await hostaway.aclose()
    where = "demo sandbox" if settings.demo else settings.base_url
    return f"OK: Hostaway account {settings.client_id} at {where}, {total} listings."


def main(argv: Sequence[str] | None = None) -> int:
    # Start-up allocates many long-lived objects (the SDK's and our pydantic models); collecting
    # garbage while importing them only costs time. Collection resumes before serving.
    gc.disable()
    try:
        return _run(argv)
    finally:
        gc.enable()


def _run(argv: Sequence[str] | None) -> int:
    args = _parser().parse_args(argv)
    settings, config_error = _settings(args.demo)
    configure_logging(settings.log_level)
    if args.command in ("sync", "forget"):
        if config_error:
            sys.stderr.write(f"hostaway-mcp: {config_error}\n")
            return 2
        from .mirror_cli import forget, sync

        return sync(settings) if args.command == "sync" else forget(settings)
    if args.command == "check":
        if config_error:
            sys.stderr.write(f"hostaway-mcp: {config_error}\n")
            return 2
        try:
            line = anyio.run(_check, settings)
        except HostawayError as exc:
            sys.stderr.write(f"hostaway-mcp: {exc.user_message()}\n")
            return 1
        sys.stderr.write(line + "\n")
        return 0

    from .server.app import build_server

    if config_error:
        logger.error("configuration error: %s", config_error)
    elif not settings.has_credentials and not settings.demo:
        logger.warning(settings.missing_credentials_message())
    server = build_server(settings, config_error)
    gc.enable()
    gc.freeze()  # what start-up built lives as long as the process: keep it out of collections
    server.run("stdio")
    return 0


if __name__ == "__main__":
    sys.exit(main())
