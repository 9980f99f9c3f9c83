"""Web security headers, as a pure ASGI middleware: a strict Content-Security-Policy (no inline script or style,
no framing), Referrer-Policy, Permissions-Policy (camera and geolocation for the app's own origin only),
``X-Content-Type-Options: nosniff`` everywhere, and ``Cache-Control: no-store`` on every API answer (personal data).

The Swagger UI page (``/api/docs``, FastAPI's HTML) has one inline script and loads its code from the app itself
(``/api/docs/assets``, no CDN): that page alone gets a policy allowing the SHA-256 of each inline script it actually
sends (computed from the body, so it cannot drift from FastAPI's template); still no 'unsafe-inline'.
"""

import base64
import hashlib
import re
from collections.abc import Iterable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

APP_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' blob: data:",  # photos are shown from blob: URLs made of IndexedDB bytes
        "connect-src 'self'",
        "worker-src 'self'",
        "manifest-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
DOCS_PATH = "/api/docs"
PERMISSIONS_POLICY = "camera=(self), geolocation=(self), microphone=(), payment=(), usb=(), interest-cohort=()"
COMMON = {
    b"x-content-type-options": b"nosniff",
    b"referrer-policy": b"no-referrer",
    b"permissions-policy": PERMISSIONS_POLICY.encode(),
    b"cross-origin-opener-policy": b"same-origin",
    b"x-frame-options": b"DENY",
}
_INLINE_SCRIPT = re.compile(rb"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.S | re.I)


def docs_policy(html: bytes) -> str:
    hashes = " ".join(
        f"'sha256-{base64.b64encode(hashlib.sha256(body).digest()).decode()}'" for body in _INLINE_SCRIPT.findall(html)
    )
    return "; ".join(
        (
            "default-src 'none'",
            f"script-src 'self' {hashes}".strip(),  # 'self': /api/docs/assets
            "style-src 'self'",
            "img-src 'self' data: https://fastapi.tiangolo.com",
            "connect-src 'self'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        )
    )


def _with(headers: Iterable[tuple[bytes, bytes]], extra: dict[bytes, bytes], *, replace: bool) -> list:
    kept = [(k, v) for k, v in headers if not (replace and k.lower() in extra) and k.lower() not in COMMON]
    present = {k.lower() for k, _ in kept}
    return kept + [(k, v) for k, v in extra.items() if k not in present]


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        if path == DOCS_PATH:
            await self._docs(scope, receive, send)
            return
        api = path.startswith("/api/")
        extra = dict(COMMON) | {b"content-security-policy": APP_POLICY.encode()}
        if api:
            extra[b"cache-control"] = b"no-store"

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = _with(message.get("headers", []), extra, replace=api)
            await send(message)

        await self.app(scope, receive, send_with_headers)

    async def _docs(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Buffer the docs page (a few KB) to hash its inline scripts into its policy."""
        start: Message = {}
        body = bytearray()

        async def buffer(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
                return
            if message["type"] == "http.response.body":
                body.extend(message.get("body", b""))
                if message.get("more_body"):
                    return
                policy = docs_policy(bytes(body)).encode()
                extra = dict(COMMON) | {b"content-security-policy": policy, b"cache-control": b"no-store"}
                start["headers"] = _with(start.get("headers", []), extra, replace=True)
                await send(start)
                await send({"type": "http.response.body", "body": bytes(body)})
                return
            await send(message)

        await self.app(scope, receive, buffer)
