"""Reference sync client over httpx: pushes the SQLite outbox, pulls changes, uploads blobs resumably.

Usable against a base URL and a bearer device token; tests pass an ``httpx.MockTransport``.
"""

import base64
import hashlib
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel

from .outbox import Outbox, OutboxCorrupt
from .protocol import (
    PROTOCOL_VERSION,
    BlobStatus,
    MutationResult,
    PullRequest,
    PullResponse,
    PushRequest,
    PushResponse,
)  # fmt: skip

__all__ = ["Outbox", "OutboxCorrupt", "PushReport", "SyncAlarm", "SyncClient", "SyncHTTPError"]
CHUNK = 1024 * 1024
RETRY_CODES = {"sync.push_in_progress"}

M = TypeVar("M", bound=BaseModel)


class SyncHTTPError(RuntimeError):
    """A request-level failure that retrying will not fix (the outbox is kept)."""

    def __init__(self, status: int, body: dict[str, Any]) -> None:
        super().__init__(f"{status} {body.get('code', '')}: {body.get('detail', '')}")
        self.status = status
        self.body = body
        self.code = str(body.get("code", ""))


class SyncAlarm(RuntimeError):
    """The server expects mutations this device no longer holds: possible data loss, never auto-skipped."""


@dataclass
class PushReport:
    sent: int = 0
    last_seq: int = 0
    results: list[MutationResult] = field(default_factory=list)


class SyncClient:
    def __init__(
        self,
        base_url: str,
        token: str | Callable[[], str],
        outbox: Outbox,
        *,
        transport: httpx.BaseTransport | None = None,
        prefix: str = "/api/v1",
        batch_size: int = 100,
        pull_limit: int = 500,
        chunk_size: int = CHUNK,
        max_attempts: int = 6,
        backoff: float = 0.25,
        max_backoff: float = 30.0,
        sleep: Callable[[float], None] = time.sleep,
        timeout: float = 30.0,
    ) -> None:
        self.outbox = outbox
        self._token = token
        self._http = httpx.Client(base_url=base_url.rstrip("/") + prefix, transport=transport, timeout=timeout)
        self.batch_size, self.pull_limit, self.chunk_size = batch_size, pull_limit, chunk_size
        self.max_attempts, self.backoff, self.max_backoff, self._sleep = (
            max_attempts,
            backoff,
            max_backoff,
            sleep,
        )

    def close(self) -> None:
        self._http.close()

    # --- transport with retry ------------------------------------------------------------------------------
    def _auth(self) -> dict[str, str]:
        token = self._token() if callable(self._token) else self._token
        return {"Authorization": f"Bearer {token}"}

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """Send with retries (network errors, 5xx, 429, push_in_progress) and one re-auth on 401."""
        extra = kwargs.pop("headers", {})
        reauthed = False
        attempt = 0
        while True:
            attempt += 1
            try:
                response = self._http.request(method, path, headers={**extra, **self._auth()}, **kwargs)
            except httpx.TransportError:
                if attempt >= self.max_attempts:
                    raise
                self._wait(attempt)
                continue
            if response.status_code == 401 and callable(self._token) and not reauthed:
                reauthed = True  # the token callable is expected to refresh; retry once
                continue
            retry = response.status_code >= 500 or response.status_code == 429
            retry = retry or (response.status_code == 409 and _code(response) in RETRY_CODES)
            if not retry or attempt >= self.max_attempts:
                return response
            self._wait(attempt)

    def _wait(self, attempt: int) -> None:
        delay = min(self.max_backoff, self.backoff * 2 ** (attempt - 1))
        self._sleep(delay * (0.5 + random.random() / 2))

    def _post(self, path: str, body: BaseModel, answer: type[M]) -> M:
        """POST a protocol model, parse the 200 answer into ``answer`` (both straight between bytes and models)."""
        content = body.model_dump_json()
        response = self.request("POST", path, content=content, headers={"Content-Type": "application/json"})
        if response.status_code != 200:
            raise SyncHTTPError(response.status_code, _body(response))
        return answer.model_validate_json(response.content)

    # --- push / pull -------------------------------------------------------------------------------------
    def push(self, from_seq: int | None = None) -> PushReport:
        """Push the outbox in batches until it is empty; ``from_seq`` starts later (tests use it)."""
        report = PushReport(last_seq=self.outbox.acked_seq)
        start = from_seq or 0
        resent_for: set[int] = set()
        while batch := self.outbox.pending(self.batch_size, start):
            body = PushRequest.model_construct(
                protocol=PROTOCOL_VERSION, device_id=self.outbox.device_id, mutations=batch
            )
            try:
                response = self._post("/sync/push", body, PushResponse)
            except SyncHTTPError as err:
                if err.code != "sync.seq_gap":
                    raise
                expected = int(err.body["expected_seq"])
                span = self.outbox.seq_range()
                if span is None or not span[0] <= expected <= span[1] or expected in resent_for:
                    raise SyncAlarm(f"server expects seq {expected}; outbox holds {span}") from err
                resent_for.add(expected)
                start = expected
                continue
            if self.outbox.acknowledge(response.last_seq, response.results) == 0:
                raise SyncAlarm(f"server answered seqs {[r.seq for r in response.results]} without consuming any")
            report.sent += len(batch)
            report.last_seq = response.last_seq
            report.results.extend(response.results)
            if response.last_seq < batch[-1].seq:
                raise SyncAlarm(f"server acknowledged {response.last_seq}, sent through {batch[-1].seq}")
            start = 0
        return report

    def pull(self) -> int:
        """Pull pages until ``more`` is false; each page and its cursor are stored in one transaction."""
        applied = 0
        while True:
            body = PullRequest.model_construct(
                protocol=PROTOCOL_VERSION, device_id=self.outbox.device_id, cursor=self.outbox.cursor,
                limit=self.pull_limit,
            )  # fmt: skip
            try:
                page = self._post("/sync/pull", body, PullResponse)
            except SyncHTTPError as err:
                if err.code != "sync.cursor_expired" or self.outbox.cursor == 0:
                    raise
                self.outbox.reset_cursor()  # full resync; the outbox is untouched
                continue
            self.outbox.apply_changes(page.changes, page.cursor)
            applied += len(page.changes)
            if not page.more:
                return applied

    def sync(self) -> tuple[PushReport, int]:
        return self.push(), self.pull()

    # --- blobs -------------------------------------------------------------------------------------------
    def upload_blob(self, content: bytes | Path, mime: str) -> str:
        """Upload (or resume uploading) a blob; returns its SHA-256 once the server has verified it."""
        data = content.read_bytes() if isinstance(content, Path) else content
        sha = hashlib.sha256(data).hexdigest()
        head = self.request("HEAD", f"/blobs/{sha}")
        if head.status_code == 404:
            created = self.request("POST", f"/blobs/{sha}", json={"bytes": len(data), "mime": mime})
            if created.status_code not in (200, 201):
                raise SyncHTTPError(created.status_code, _body(created))
            status = BlobStatus.model_validate(created.json())
            offset, verified, chunk = (
                status.offset,
                status.verified,
                min(self.chunk_size, status.chunk_max or CHUNK),
            )
        elif head.status_code == 200:
            offset = int(head.headers["Upload-Offset"])
            verified = head.headers.get("Blob-Verified") == "true"
            chunk = self.chunk_size
        else:
            raise SyncHTTPError(head.status_code, {"code": "blob.head_failed", "detail": head.text})
        while not verified:
            piece = data[offset : offset + chunk]
            digest = base64.b64encode(hashlib.sha256(piece).digest()).decode()
            headers = {
                "Upload-Offset": str(offset),
                "Content-Type": "application/offset+octet-stream",
                "Upload-Checksum": f"sha256 {digest}",
            }
            response = self.request("PATCH", f"/blobs/{sha}", content=piece, headers=headers)
            if response.status_code == 204:
                offset = int(response.headers["Upload-Offset"])
            elif response.status_code == 200:
                verified = bool(BlobStatus.model_validate(response.json()).verified)
            elif response.status_code == 409 and _code(response) == "blob.offset_mismatch":
                offset = int(_body(response)["offset"])
            else:
                raise SyncHTTPError(response.status_code, _body(response))
        return sha


def _body(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {"status": response.status_code, "code": "", "detail": response.text[:200]}
    return body if isinstance(body, dict) else {"status": response.status_code, "code": "", "detail": str(body)}


def _code(response: httpx.Response) -> str:
    return str(_body(response).get("code", "")) if response.content else ""
