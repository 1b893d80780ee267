"""Access tokens (with Hostaway's warm-up second) and the per-IP / per-account rate limits."""

from __future__ import annotations

import secrets
import time
from collections import defaultdict, deque
from dataclasses import dataclass

DEMO_CLIENT_ID = "100001"  # Hostaway's client_id is the numeric account id
DEMO_CLIENT_SECRET = "demo-secret-not-real"  # noqa: S105 - a public demo credential
TOKEN_LIFETIME_SECONDS = 63_072_000  # 730 days, as real responses report


@dataclass
class Token:
    client_id: str
    issued_at: float
    expired: bool = False


class TokenRegistry:
    def __init__(self) -> None:
        self._tokens: dict[str, Token] = {}
        self._revoked: list[str] = []

    def issue(self, client_id: str, now: float) -> str:
        token = secrets.token_urlsafe(48)
        self._tokens[token] = Token(client_id, now)
        return token

    def get(self, token: str) -> Token | None:
        return self._tokens.get(token)

    def revoke(self, token: str) -> bool:
        if self._tokens.pop(token, None) is None:
            return False
        self._revoked.append(token)
        return True

    def expire_all(self) -> None:
        for token in self._tokens.values():
            token.expired = True

    def issued(self) -> list[str]:
        """Every token handed out so far, revoked ones included (tests check none leaks)."""
        return [*self._revoked, *self._tokens]

    def revoked(self) -> list[str]:
        """The tokens revoked so far, in order."""
        return list(self._revoked)

    def __len__(self) -> int:
        return len(self._tokens)

    def check(self, header: str | None, warmup: float, now: float) -> tuple[Token | None, str]:
        """(token, "") when the Authorization header carries a usable token, else (None, why)."""
        if not header:
            return None, "Authorization header is missing: send 'Authorization: Bearer <token>'"
        scheme, _, value = header.partition(" ")
        if scheme.lower() != "bearer" or not value.strip():
            return None, "Authorization header must be 'Bearer <token>'"
        token = self._tokens.get(value.strip())
        if token is None:
            return None, "Invalid access token"
        if token.expired:
            return None, "Access token has expired; request a new one"
        if now - token.issued_at < warmup:
            return None, "Access token is not active yet; retry in a second"
        return token, ""


class RateLimiter:
    """Sliding windows: ``ip_limit`` requests per IP and ``account_limit`` per account within
    ``window`` seconds. A rejected request consumes no budget."""

    def __init__(self, ip_limit: int = 15, account_limit: int = 20, window: float = 10.0) -> None:
        if ip_limit < 1 or account_limit < 1 or window <= 0:
            raise ValueError("limits must be >= 1 and the window > 0")
        self.ip_limit = ip_limit
        self.account_limit = account_limit
        self.window = window
        self._by_ip: dict[str, deque[float]] = defaultdict(deque)
        self._by_account: dict[str, deque[float]] = defaultdict(deque)

    def _room(self, stamps: deque[float], limit: int, now: float) -> bool:
        while stamps and stamps[0] <= now - self.window:
            stamps.popleft()
        return len(stamps) < limit

    def admit(self, ip: str, account: str | None, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        ip_stamps = self._by_ip[ip]
        if not self._room(ip_stamps, self.ip_limit, now):
            return False
        if account is not None:
            account_stamps = self._by_account[account]
            if not self._room(account_stamps, self.account_limit, now):
                return False
            account_stamps.append(now)
        ip_stamps.append(now)
        return True
