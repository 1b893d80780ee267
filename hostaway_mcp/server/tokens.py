"""Bearer tokens of the team server: the tokens file, the SDK token verifier over it, and the
`hostaway-mcp token add|list|remove` command.

The file (HOSTAWAY_HTTP_TOKENS_FILE) holds one `NAME SHA256HEX` per line: a user name and the
SHA-256 of that user's token, never the token itself. Blank lines and `#` comments are ignored.
It must not be writable by group or others. The server re-reads it when it changes, so `token add`
and `token remove` take effect without a restart.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import logging
import os
import re
import secrets
import stat
import sys
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from mcp.server.auth.provider import AccessToken
from mcp.server.auth.settings import AuthSettings
from pydantic import AnyHttpUrl

from ..errors import ConfigurationError

logger = logging.getLogger(__name__)

TOKENS_FILE_VARIABLE = "HOSTAWAY_HTTP_TOKENS_FILE"
TOKEN_PREFIX = "hmcp_"  # noqa: S105 - recognisable in a leaked paste or to a secret scanner
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")
DIGEST = re.compile(r"^[0-9a-f]{64}$")
HEADER = (
    "# hostaway-mcp bearer tokens: one 'NAME SHA256-OF-TOKEN' per line.\n"
    "# Managed with `hostaway-mcp token add|list|remove`; the tokens themselves are never stored.\n"
)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


@dataclass(frozen=True)
class TokenEntry:
    name: str
    sha256: str


# ---- the file --------------------------------------------------------------------------------


def parse_tokens(text: str, source: str) -> list[TokenEntry]:
    """The entries of a tokens file; ConfigurationError naming the line of the first problem."""
    entries: list[TokenEntry] = []
    names: set[str] = set()
    digests: set[str] = set()
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        where = f"{source}, line {number}"
        fields = line.split()
        if len(fields) != 2:
            raise ConfigurationError(
                f"{where}: expected 'NAME SHA256HEX', got {len(fields)} fields.",
                hint="Create entries with `hostaway-mcp token add NAME`.",
            )
        name, hashed = fields[0], fields[1].lower()
        if not NAME.match(name):
            raise ConfigurationError(
                f"{where}: {name!r} is not a valid user name (letters, digits, . _ @ -; "
                "at most 64 characters)."
            )
        if not DIGEST.match(hashed):
            raise ConfigurationError(
                f"{where}: the second field must be the 64 hex digits of a SHA-256 digest.",
                hint="Create entries with `hostaway-mcp token add NAME`.",
            )
        if name in names:
            raise ConfigurationError(f"{where}: the name {name!r} appears twice.")
        if hashed in digests:
            raise ConfigurationError(f"{where}: the same token is listed twice.")
        names.add(name)
        digests.add(hashed)
        entries.append(TokenEntry(name, hashed))
    return entries


def check_permissions(path: Path) -> None:
    """Refuse a tokens file others could write to (they could add themselves a token)."""
    info = path.stat()
    if not stat.S_ISREG(info.st_mode):
        raise ConfigurationError(f"{path} is not a regular file.")
    if os.name == "posix" and info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        mode = stat.S_IMODE(info.st_mode)
        raise ConfigurationError(
            f"{path} is writable by other users (mode {mode:o}), so anyone could add a token.",
            hint=f"Run: chmod 600 {path}",
        )


def read_tokens(path: Path) -> list[TokenEntry]:
    try:
        check_permissions(path)
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigurationError(
            f"The tokens file {path} ({TOKENS_FILE_VARIABLE}) does not exist.",
            hint="Create it with `hostaway-mcp token add NAME`.",
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigurationError(f"Cannot read the tokens file {path}: {exc}.") from None
    return parse_tokens(text, str(path))


def write_tokens(path: Path, entries: Sequence[TokenEntry]) -> None:
    """Replace the file atomically, created 0600 (its directory 0700 when created here)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    body = HEADER + "".join(f"{entry.name} {entry.sha256}\n" for entry in entries)
    handle, temporary = tempfile.mkstemp(prefix=".tokens-", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(body)
        os.chmod(temporary, 0o600)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def add_token(path: Path, name: str) -> str:
    """Store the hash of a new token for ``name``; return the token (shown once, never stored)."""
    if not NAME.match(name):
        raise ConfigurationError(
            f"{name!r} is not a valid user name: use letters, digits, . _ @ - (at most 64)."
        )
    entries = read_tokens(path) if path.exists() else []
    if any(entry.name == name for entry in entries):
        raise ConfigurationError(
            f"{name} already has a token.",
            hint=f"To replace it: hostaway-mcp token remove {name}, then token add {name}.",
        )
    token = new_token()
    write_tokens(path, [*entries, TokenEntry(name, digest(token))])
    return token


def remove_token(path: Path, name: str) -> bool:
    entries = read_tokens(path)
    kept = [entry for entry in entries if entry.name != name]
    if len(kept) == len(entries):
        return False
    write_tokens(path, kept)
    return True


# ---- the verifier ------------------------------------------------------------------------------


class TokenFileVerifier:
    """The SDK's TokenVerifier over the tokens file. Every entry is compared (in constant time), so
    the answer takes as long whichever entry matches. A changed file is read again on the next
    request; a broken one is reported and the tokens read before stay in force."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._entries = read_tokens(path)
        self._stamp = self._signature()

    @property
    def names(self) -> list[str]:
        return [entry.name for entry in self._entries]

    def _signature(self) -> tuple[int, int, int] | None:
        try:
            info = self.path.stat()
        except OSError:
            return None
        return (info.st_mtime_ns, info.st_size, info.st_ino)

    def _reload_if_changed(self) -> None:
        stamp = self._signature()
        if stamp == self._stamp:
            return
        self._stamp = stamp
        try:
            self._entries = read_tokens(self.path)
        except ConfigurationError as exc:
            logger.error(
                "tokens file not reloaded; the previous tokens stay in force",
                extra={"error": exc.user_message()},
            )
            return
        logger.info("tokens file reloaded", extra={"users": len(self._entries)})

    def user_for(self, token: str) -> str | None:
        """The user name this bearer token belongs to, or None."""
        self._reload_if_changed()
        presented = digest(token)
        found: str | None = None
        for entry in self._entries:
            if hmac.compare_digest(presented, entry.sha256):
                found = entry.name
        return found

    async def verify_token(self, token: str) -> AccessToken | None:
        name = self.user_for(token)
        if name is None:
            return None
        # The SDK keeps this on the request; it needs no copy of the secret itself.
        return AccessToken(token=digest(token), client_id=name, subject=name, scopes=[])


def bearer_auth_settings() -> AuthSettings:
    """Auth settings for static bearer tokens: no authorization server and no protected-resource
    metadata to advertise, so a 401 says only `Bearer` (the issuer is required but never shown)."""
    return AuthSettings(issuer_url=AnyHttpUrl("http://127.0.0.1"), resource_server_url=None)


# ---- the command --------------------------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hostaway-mcp token",
        description=(
            "Manage the bearer tokens of the team server (serve --http). The file holds only "
            f"SHA-256 hashes; its path comes from --file or {TOKENS_FILE_VARIABLE}."
        ),
    )
    parser.add_argument("--file", type=Path, help=f"tokens file (default: ${TOKENS_FILE_VARIABLE})")
    actions = parser.add_subparsers(dest="action", required=True)
    add = actions.add_parser("add", help="create a token for NAME and print it once")
    add.add_argument("name")
    actions.add_parser("list", help="list the user names that have a token")
    remove = actions.add_parser("remove", help="remove NAME's token (takes effect at once)")
    remove.add_argument("name")
    return parser


def token_command(argv: Sequence[str], env: Mapping[str, str]) -> int:
    """`hostaway-mcp token ...`: the new token goes to stdout (once), everything else to stderr."""
    args = _parser().parse_args(list(argv))
    configured = args.file or (env.get(TOKENS_FILE_VARIABLE) or "").strip()
    if not configured:
        sys.stderr.write(
            f"hostaway-mcp: set {TOKENS_FILE_VARIABLE} (or pass --file PATH) to say where the "
            "team server's tokens are kept.\n"
        )
        return 2
    path = Path(configured).expanduser()
    try:
        if args.action == "add":
            token = add_token(path, args.name)
            sys.stdout.write(token + "\n")
            sys.stderr.write(
                f"Token for {args.name} stored (as a hash) in {path}. It is shown only this once: "
                "give it to them privately.\n"
            )
        elif args.action == "list":
            names = [entry.name for entry in read_tokens(path)] if path.exists() else []
            sys.stdout.write("".join(f"{name}\n" for name in names))
            if not names:
                sys.stderr.write(f"No tokens in {path}.\n")
        elif not remove_token(path, args.name):
            sys.stderr.write(f"hostaway-mcp: no token for {args.name} in {path}.\n")
            return 1
        else:
            sys.stderr.write(f"Token of {args.name} removed from {path}.\n")
    except ConfigurationError as exc:
        sys.stderr.write(f"hostaway-mcp: {exc.user_message()}\n")
        return 2
    return 0
