"""Request bodies are bounded before they are read, and a request without a token reads none (pure ASGI).

Wraps ``receive``: when the endpoint first asks for the body, the route is known (``scope["route"]``), so its
limit is looked up by name (``limits``; ``default`` otherwise; ``None``: the route bounds its own body while it
streams it). A route that needs a token and got none answers 401 before a byte is read; a declared
``Content-Length`` over the limit answers 413 before a byte is read, and a chunked body as soon as it passes it.
"""

from collections.abc import Callable, Mapping
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from backend.errors import TooLarge, Unauthorized
from backend.problems import RaisedProblem


class BodyLimit:
    def __init__(
        self,
        app: ASGIApp,
        *,
        default: int,
        limits: Mapping[str, int | None],
        needs_token: Callable[[Any], bool],
    ) -> None:
        self.app = app
        self.default = default
        self.limits = dict(limits)
        self.needs_token = needs_token
        self._token_routes: dict[int, bool] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        await self.app(scope, _Guard(self, scope, receive), send)

    def limit_of(self, route: Any) -> int | None:
        name = getattr(route, "name", None)
        return self.limits.get(name, self.default)  # a listed None stays None

    def token_required(self, route: Any) -> bool:
        key = id(route)
        if key not in self._token_routes:
            self._token_routes[key] = route is not None and self.needs_token(route)
        return self._token_routes[key]


class _Guard:
    """The ``receive`` of one request: checks once, when the body is first asked for, then counts."""

    def __init__(self, limit: BodyLimit, scope: Scope, receive: Receive) -> None:
        self.owner, self.scope, self.inner = limit, scope, receive
        self.checked = False
        self.max: int | None = None
        self.seen = 0

    async def __call__(self) -> Message:
        if not self.checked:
            self._check()
        message = await self.inner()
        if self.max is not None and message["type"] == "http.request":
            self.seen += len(message.get("body", b""))
            if self.seen > self.max:
                raise _too_large(self.max)
        return message

    def _check(self) -> None:
        self.checked = True
        headers = dict(self.scope.get("headers") or [])
        declared = headers.get(b"content-length", b"").decode("latin-1").strip()
        has_body = (declared.isdigit() and int(declared) > 0) or b"transfer-encoding" in headers
        route = self.scope.get("route")
        if has_body and b"authorization" not in headers and self.owner.token_required(route):
            raise RaisedProblem(Unauthorized("auth.not_authenticated", "Sign in first: this needs a bearer token."))
        self.max = self.owner.limit_of(route)
        if self.max is not None and declared.isdigit() and int(declared) > self.max:
            raise _too_large(self.max)


def _too_large(max_bytes: int) -> RaisedProblem:
    return RaisedProblem(TooLarge("request.too_large", f"The body is over {max_bytes} bytes.", max_bytes=max_bytes))
