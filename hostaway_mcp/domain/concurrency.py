"""Run upstream reads concurrently without hiding their errors in an ExceptionGroup."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio
import anyio.abc

from ..errors import HostawayError


@asynccontextmanager
async def concurrently() -> AsyncIterator[anyio.abc.TaskGroup]:
    """A task group that fails with the first domain error of its tasks (not an ExceptionGroup),
    so the user reads Hostaway's message with its next step."""
    try:
        async with anyio.create_task_group() as group:
            yield group
    except BaseExceptionGroup as failed:
        first = _first_domain_error(failed)
        if first is None:
            raise
        raise first from None


def _first_domain_error(group: BaseExceptionGroup[BaseException]) -> HostawayError | None:
    for exc in group.exceptions:
        if isinstance(exc, HostawayError):
            return exc
        if isinstance(exc, BaseExceptionGroup) and (inner := _first_domain_error(exc)):
            return inner
    return None
