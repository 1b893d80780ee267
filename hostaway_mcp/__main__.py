"""Command line: `hostaway-mcp` serves MCP over stdio; `check` tests the setup; `tools` lists the
tools; `call TOOL name=value ...` runs one tool and prints its answer, without an MCP host;
`sync` makes (or finishes) the local copy of the account and `forget` deletes it; `serve --http`
serves a team; `token ...` manages the team's tokens."""

from __future__ import annotations

import argparse
import difflib
import gc
import json
import logging
import os
import sys
from collections.abc import Sequence
from typing import Any

import anyio

from . import __version__
from .config import Environment, Settings, load_environment, load_settings, warnings_for
from .errors import ConfigurationError, HostawayError
from .logs import configure_logging

logger = logging.getLogger("hostaway_mcp")

USAGE_ERROR = 2
TOOL_ERROR = 1
QUIET_LOG_LEVEL = "WARNING"  # `call` and `tools` print answers, not routine log lines

TTY_NOTE = """\
hostaway-mcp is an MCP server: it talks the Model Context Protocol over stdin/stdout and is now
waiting for an MCP host (Claude Desktop, MCP Inspector, ...) to start it. Typing here does nothing.
  Add it to Claude Desktop: Settings > Developer > Edit Config, then under "mcpServers":
    "hostaway": {{"command": "uvx", "args": [{args}]}}
  Try it by hand:
    hostaway-mcp tools                                   what each tool answers
    hostaway-mcp call list_all_properties limit=3{demo}   run one tool, print its JSON answer
    hostaway-mcp check{demo}                             verify the setup
Still serving on stdio; Ctrl-C stops it.
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hostaway-mcp",
        description="MCP server for Hostaway. With no command it serves MCP over stdio.",
        epilog="examples: hostaway-mcp --demo | hostaway-mcp check --demo | hostaway-mcp tools | "
        "hostaway-mcp call get_price_quote listing_id=40160 start_date=2026-12-24 "
        "end_date=2026-12-27 guests=2 --demo",
    )
    parser.add_argument(
        "command",
        nargs="?",
        choices=["serve", "check", "tools", "call", "sync", "forget", "token"],
        default="serve",
        help=(
            "serve (default): run the MCP server on stdio (or, with --http, for a team); "
            "check: verify config and credentials; tools: list the tools; "
            "call: run one tool and print its JSON answer; "
            "sync: make or finish the local copy of the account, with a progress bar, then exit; "
            "forget: delete the local copy; "
            "token: manage the team server's bearer tokens (hostaway-mcp token --help)"
        ),
    )
    parser.add_argument(
        "arguments",
        nargs="*",
        metavar="TOOL name=value",
        help="for call: the tool, then its arguments (a value is read as JSON when it parses, "
        "else as text: limit=3 status='[\"new\"]' guest_name=Ana)",
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


# ---- tools and call ------------------------------------------------------------------------------


def _purpose(doc: str | None) -> str:
    """The first sentence of a tool's description."""
    text = " ".join((doc or "").split())
    end = text.find(". ")
    return text if end < 0 else text[: end + 1]


def _tools(settings: Settings) -> int:
    from .server.app import TOOLS

    width = max(len(spec.fn.__name__) for spec in TOOLS)
    for spec in TOOLS:
        mark = " [write]" if spec.writes else ""
        sys.stdout.write(f"{spec.fn.__name__:<{width}}  {_purpose(spec.fn.__doc__)}{mark}\n")
    if settings.read_only:
        sys.stdout.write(
            "\n[write] tools exist only with HOSTAWAY_READ_ONLY=false; each previews first.\n"
        )
    return 0


def parse_arguments(pairs: Sequence[str]) -> dict[str, Any]:
    """name=value pairs; a value is JSON when it parses as JSON, else text."""
    arguments: dict[str, Any] = {}
    for pair in pairs:
        name, sep, raw = pair.partition("=")
        if not sep or not name:
            raise ValueError(f"{pair!r} is not name=value (e.g. limit=3).")
        try:
            arguments[name] = json.loads(raw)
        except ValueError:
            arguments[name] = raw
    return arguments


def _unknown_tool(name: str, settings: Settings) -> str | None:
    from .server.app import TOOLS

    names = [spec.fn.__name__ for spec in TOOLS]
    spec = next((s for s in TOOLS if s.fn.__name__ == name), None)
    if spec is None:
        close = difflib.get_close_matches(name, names, n=1)
        hint = f" Did you mean {close[0]}?" if close else ""
        return f"Unknown tool {name!r}.{hint} `hostaway-mcp tools` lists them."
    if spec.writes and settings.read_only:
        return (
            f"{name} changes Hostaway, so it exists only with HOSTAWAY_READ_ONLY=false (with "
            "--demo only the in-memory demo account changes). It previews unless confirm=true."
        )
    return None


async def _call_tool(
    settings: Settings, config_error: str | None, name: str, arguments: Any
) -> Any:
    from mcp import Client

    from .server.app import build_server

    async with Client(build_server(settings, config_error)) as client:
        return await client.call_tool(name, arguments)


def _call(settings: Settings, config_error: str | None, words: Sequence[str]) -> int:
    if not words:
        sys.stderr.write("hostaway-mcp: call needs a tool: hostaway-mcp call TOOL name=value ...\n")
        return USAGE_ERROR
    name, pairs = words[0], words[1:]
    problem = _unknown_tool(name, settings)
    try:
        arguments = parse_arguments(pairs)
    except ValueError as exc:
        problem = problem or str(exc)
    if problem:
        sys.stderr.write(f"hostaway-mcp: {problem}\n")
        return USAGE_ERROR
    result = anyio.run(_call_tool, settings, config_error, name, arguments)
    text = "".join(getattr(block, "text", "") for block in result.content)
    if result.is_error:
        sys.stderr.write(f"hostaway-mcp: {name}: {text}\n")
        return TOOL_ERROR
    answer = result.structured_content if result.structured_content is not None else text
    sys.stdout.write(json.dumps(answer, indent=2, ensure_ascii=False) + "\n")
    return 0


# ---- main ----------------------------------------------------------------------------------------


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
    if args.arguments and args.command != "call":
        parser.error(f"{args.command} takes no arguments: {' '.join(args.arguments)}")
    settings, config_error, env = _settings(args.demo)
    level_chosen = bool(env.values.get("HOSTAWAY_LOG_LEVEL", "").strip())
    quiet = args.command in ("call", "tools") and not level_chosen
    configure_logging(QUIET_LOG_LEVEL if quiet else settings.log_level)
    if env.env_file is not None:
        logger.info("settings file loaded", extra={"env_file": str(env.env_file)})
    if args.command == "tools":
        return _tools(settings)
    if args.command == "call":
        return _call(settings, config_error, args.arguments)
    if args.command in ("sync", "forget"):
        if config_error:
            sys.stderr.write(f"hostaway-mcp: {config_error}\n")
            return USAGE_ERROR
        from .mirror_cli import forget, sync

        return sync(settings) if args.command == "sync" else forget(settings)
    if args.command == "check":
        if config_error:
            sys.stderr.write(f"hostaway-mcp: {config_error}\n")
            return USAGE_ERROR
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
    if sys.stdin.isatty():
        # A person started it in a terminal: say what it is. It keeps serving all the same.
        demo = " --demo" if settings.demo else ""
        args_json = '"hostaway-mcp", "--demo"' if settings.demo else '"hostaway-mcp"'
        sys.stderr.write(TTY_NOTE.format(args=args_json, demo=demo))
        sys.stderr.flush()
    gc.enable()
    gc.freeze()  # what start-up built lives as long as the process: keep it out of collections
    server.run("stdio")
    return 0


if __name__ == "__main__":
    sys.exit(main())
