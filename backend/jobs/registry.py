"""Which handler runs which kind of job, and which kinds run once a day. Areas register at import time:

    from backend.jobs import registry
    registry.register("enforcement.overdue_sweep", sweep)            # sweep(ctx: JobContext) -> None
    registry.register_daily("enforcement.overdue_sweep", time(6, 0))  # every day at 06:00 local time

and list their module in ``backend.jobs.kinds.MODULES`` so the worker imports it.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from backend.jobs.worker import JobContext

Handler = Callable[["JobContext"], None]


@dataclass(frozen=True)
class Daily:
    kind: str
    at: time  # local time of day, in LI_DEFAULT_TIMEZONE


_handlers: dict[str, Handler] = {}
_daily: dict[str, Daily] = {}


def register(kind: str, handler: Handler) -> None:
    """Run ``handler`` for jobs of ``kind``. Registering another handler for a taken kind is a programming error."""
    if len(kind) > 64:
        raise ValueError(f"job kind {kind!r} is longer than 64 characters")
    existing = _handlers.get(kind)
    if existing is not None and existing is not handler:
        raise ValueError(f"job kind {kind!r} already has a handler")
    _handlers[kind] = handler


def register_daily(kind: str, at_local_time: time) -> None:
    """Enqueue one job of ``kind`` (empty payload) every day at ``at_local_time`` (LI_DEFAULT_TIMEZONE). A day
    the worker was down is caught up once when it starts, not once per missed day."""
    _daily[kind] = Daily(kind, at_local_time)


def handler_for(kind: str) -> Handler | None:
    return _handlers.get(kind)


def daily_jobs() -> list[Daily]:
    return list(_daily.values())


def kinds() -> list[str]:
    return sorted(_handlers)
