"""The demo sandbox as a subprocess serving HTTP on 127.0.0.1, with its request log read from its
stderr (one JSON line per request at DEBUG), so upstream counts and 429s are seen from its side."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from types import TracebackType
from typing import IO, Any

from .common import ACCOUNT_LIMIT, RATE_LIMIT, TOKEN_WARMUP, WINDOW, free_port

START_TIMEOUT = 30.0
START_PER_LISTING = 0.2  # a big portfolio takes a while to generate (500 listings: ~10-40 s)
STOP_TIMEOUT = 5.0


@dataclass(frozen=True)
class Served:
    method: str
    path: str  # without /v1
    status: int


class SandboxProcess:
    """``python -m hostaway_sandbox`` on a free loopback port; use as a context manager."""

    def __init__(
        self,
        *,
        ip_limit: int = RATE_LIMIT,
        account_limit: int = ACCOUNT_LIMIT,
        window: float = WINDOW,
        token_warmup: float = TOKEN_WARMUP,
        seed: int = 7,
        listings: int | None = None,
    ) -> None:
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}/v1"
        self.args = [
            sys.executable,
            "-m",
            "hostaway_sandbox",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--seed",
            str(seed),
            "--ip-limit",
            str(ip_limit),
            "--account-limit",
            str(account_limit),
            "--window",
            str(window),
            "--token-warmup",
            str(token_warmup),
            *(["--listings", str(listings)] if listings else []),
            "--log-level",
            "DEBUG",
        ]
        self.limits = f"{ip_limit}/IP, {account_limit}/account per {window:g} s"
        self.start_timeout = START_TIMEOUT + START_PER_LISTING * (listings or 0)
        self.served: list[Served] = []
        self._tail: list[str] = []
        self._ready = threading.Event()
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._reader: threading.Thread | None = None

    def __enter__(self) -> SandboxProcess:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def start(self) -> None:
        self._process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            self.args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        assert self._process.stderr is not None
        self._reader = threading.Thread(
            target=self._read, args=(self._process.stderr,), daemon=True
        )
        self._reader.start()
        deadline = time.monotonic() + self.start_timeout
        while not self._ready.wait(0.05):
            if self._process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                tail = "\n".join(self._tail[-10:])
                raise RuntimeError(f"the sandbox did not start on port {self.port}:\n{tail}")

    def stop(self) -> None:
        process = self._process
        if process is None:
            return
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(STOP_TIMEOUT)
        if self._reader is not None:
            self._reader.join(STOP_TIMEOUT)
        self._process = None

    def _read(self, stream: IO[bytes]) -> None:
        for raw in stream:
            line = raw.decode("utf-8", "replace").strip()
            try:
                entry: dict[str, Any] = json.loads(line)
            except json.JSONDecodeError:
                entry = {}
            message = entry.get("message", "")
            if message == "sandbox request":
                with self._lock:
                    self.served.append(Served(entry["method"], entry["path"], int(entry["status"])))
                continue
            self._tail = [*self._tail[-50:], line]
            if "Uvicorn running" in message:
                self._ready.set()

    # ---- the request log ---------------------------------------------------------------------

    def mark(self) -> int:
        with self._lock:
            return len(self.served)

    def since(self, mark: int, settle: float = 0.3, bound: float = 3.0) -> list[Served]:
        """Requests logged after ``mark``, once the log has been quiet for ``settle`` seconds (a
        request is logged after its response is sent)."""
        deadline = time.monotonic() + bound
        seen = -1
        while time.monotonic() < deadline:
            count = self.mark()
            if count == seen:
                break
            seen = count
            time.sleep(settle)
        with self._lock:
            return self.served[mark:]
