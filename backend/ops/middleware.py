"""One ASGI middleware around every request: its request id (``X-Request-ID`` if the client or the proxy sent a
sane one, else a new one, echoed in the answer), an access log line and the request metrics."""

import logging
import re
import time
import uuid
from collections.abc import Callable
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from backend.ops import logs, metrics

log = logging.getLogger("backend.access")
SANE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestContext:
    """``prefix``: the one prefix every included router is mounted under (a route of an included router knows
    only its own path; a route of the app itself, its full path)."""

    def __init__(self, app: ASGIApp, prefix: str, top_level: Callable[[], set[int]]) -> None:
        self.app = app
        self.prefix = prefix
        self.top_level = top_level
        self._top: set[int] | None = None

    def template(self, route: Any) -> str:
        path = getattr(route, "path", None)
        if path is None:
            return "unmatched"
        if self._top is None:
            self._top = self.top_level()
        return str(path) if id(route) in self._top else self.prefix + str(path)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = dict(scope.get("headers") or []).get(b"x-request-id", b"").decode("latin-1")
        rid = given if SANE_ID.match(given) else uuid.uuid4().hex
        token = logs.request_id.set(rid)
        status = 500
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                message["headers"] = [*message.get("headers", []), (b"x-request-id", rid.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            elapsed = time.perf_counter() - started
            template = self.template(scope.get("route"))
            method = scope.get("method", "")
            metrics.requests_total.labels(method, template, str(status)).inc()
            metrics.request_seconds.labels(method, template).observe(elapsed)
            client = scope.get("client")
            log.info(
                "%s %s %s %.1fms", method, scope.get("path"), status, elapsed * 1000,
                extra={"method": method, "path": scope.get("path"), "status": status,
                       "duration_ms": round(elapsed * 1000, 1), "client": client[0] if client else None},
            )  # fmt: skip
            logs.request_id.reset(token)
