"""Shared HTTP plumbing for every domain's routes: the per-request session dependency, admitted first.

Sync dependencies and endpoints run on anyio's worker threads (40 by default), one hop at a time per request.
A request waiting for the database (SQLite's one writer, or PostgreSQL's pool) holds its thread; were every
thread held so, the request holding the database could not get one for its next hop (the endpoint, or the
commit) and all would wait out their timeouts. So at most ``LI_DB_REQUESTS`` requests use the database at once;
the others wait here, on the event loop, holding no thread.
"""

import asyncio
import weakref
from collections.abc import AsyncIterator
from typing import Annotated

import anyio
from fastapi import Depends
from sqlmodel import Session

from backend.config import settings
from backend.db import get_session

_limiters: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, anyio.CapacityLimiter]" = weakref.WeakKeyDictionary()


async def admitted() -> AsyncIterator[None]:
    """Held from before the request's first database use until its response is sent."""
    loop = asyncio.get_running_loop()
    limiter = _limiters.get(loop)
    if limiter is None:
        limiter = _limiters[loop] = anyio.CapacityLimiter(settings.db_requests)
    async with limiter:
        yield


async def _session(
    _: Annotated[None, Depends(admitted)], session: Annotated[Session, Depends(get_session, scope="function")]
) -> Session:
    return session


# scope="function": the commit runs before the response is sent, so a 200 always means committed.
SessionDep = Annotated[Session, Depends(_session)]
