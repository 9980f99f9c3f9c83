"""Request-level sync errors (rendered as problem+json with a stable ``code``) and handler rejections."""

from typing import Any


class SyncError(Exception):
    """A request-level failure: nothing in the request was applied and the device keeps its outbox."""

    def __init__(self, status: int, code: str, detail: str, **context: Any) -> None:
        super().__init__(detail)
        self.status = status
        self.code = code
        self.detail = detail
        self.context = context

    def body(self) -> dict[str, Any]:
        return {"status": self.status, "code": self.code, "detail": self.detail, **self.context}


def seq_gap(expected_seq: int) -> SyncError:
    return SyncError(409, "sync.seq_gap", f"the next mutation must have seq {expected_seq}", expected_seq=expected_seq)


class Rejected(Exception):
    """Raised by a mutation handler: the mutation is consumed with outcome ``rejected`` and ``reason``.

    Everything the handler wrote inside the mutation's savepoint is rolled back.
    """

    def __init__(self, reason: str, detail: str | None = None, data: dict[str, Any] | None = None) -> None:
        super().__init__(detail or reason)
        self.reason = reason
        self.detail = detail
        self.data = data
