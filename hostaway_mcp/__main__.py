"""Command line: `hostaway-mcp` serves MCP over stdio; `hostaway-mcp check` tests the setup;
`hostaway-mcp serve --http` serves a team; `hostaway-mcp token ...` manages the team's tokens."""

from __future__ import annotations

import argparse
import gc
import logging
import os
import sys
from collections.abc import Sequence

import anyio

from . import __version__
from .config import Environment, Settings, load_environment, load_settings, warnings_for
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
        choices=["serve", "check", "token"],
        default="serve",
        help=(
            "serve (default): run the MCP server on stdio (or, with --http, for a team); "
            "check: verify config and credentials; "
            "token: manage the team server's bearer tokens (hostaway-mcp token --help)"
        ),
    )
    parser.add_argument(
        "--http",
        action="store_true",
        help="serve: Streamable HTTP for a team instead of stdio (README: For teams)",
    )
    parser.add_argument("--host", help="serve --http: address to listen on (default 127.0.0.1)")
    parser.add_argument(
        "--port", type=int, help="serve --http: TCP port (default 8000; 0 picks a free one)"
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="use the built-in simulated Hostaway account (no credentials needed)",
    )
    parser.add_argument("--version", action="version", version=f"hostaway-mcp {__version__}")
    return parser


def _environment_values() -> dict[str, str]:
    try:
        return load_environment().values
    except ConfigurationError:
        return dict(os.environ)


def _settings(demo: bool) -> tuple[Settings, str | None, Environment]:
    try:
        env = load_environment()
    except ConfigurationError as exc:
        return Settings(demo=demo), exc.user_message(), Environment({})
    try:
        return load_settings(env.values, demo=True if demo else None), None, env
    except ConfigurationError as exc:
        return Settings(demo=demo), exc.user_message(), env


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
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments[:1] == ["token"]:  # its own sub-commands and arguments
        from .server.tokens import token_command

        return token_command(arguments[1:], _environment_values())
    parser = _parser()
    args = parser.parse_args(arguments)
    if (args.host is not None or args.port is not None) and not args.http:
        parser.error("--host and --port go with serve --http")
    if args.http and args.command != "serve":
        parser.error("--http goes with serve")
    settings, config_error, env = _settings(args.demo)
    configure_logging(settings.log_level)
    if env.env_file is not None:
        logger.info("settings file loaded", extra={"env_file": str(env.env_file)})
    if args.command == "check":
        if config_error:
            sys.stderr.write(f"hostaway-mcp: {config_error}\n")
            return 2
        for note in warnings_for(settings, env.values):
            sys.stderr.write(f"hostaway-mcp: warning: {note}\n")
        try:
            line = anyio.run(_check, settings)
        except HostawayError as exc:
            sys.stderr.write(f"hostaway-mcp: {exc.user_message()}\n")
            return 1
        sys.stderr.write(line + "\n")
        return 0

    if args.http:
        from .server.http_serve import serve_http

        gc.enable()
        return serve_http(settings, config_error, env.values, host=args.host, port=args.port)

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
