"""Problems: the errors services raise, rendered once as ``application/problem+json``.

Every problem carries a stable ``code``; the catalogue lives in ARCHITECTURE.md.
"""

from typing import Any, ClassVar


class Problem(Exception):
    """An expected failure with an HTTP status, a stable code and a human detail."""

    status: ClassVar[int] = 400
    title: ClassVar[str] = "Bad request"
    headers: ClassVar[dict[str, str]] = {}

    def __init__(self, code: str, detail: str, **context: Any) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail
        self.context = context

    def body(self) -> dict[str, Any]:
        return {
            "type": f"https://labour-inspection.example/problems/{self.code}",
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
            "code": self.code,
            **self.context,
        }


class Invalid(Problem):
    status = 422
    title = "Invalid input"


class NotFound(Problem):
    status = 404
    title = "Not found"


class Conflict(Problem):
    status = 409
    title = "Conflict"


class Forbidden(Problem):
    status = 403
    title = "Forbidden"


class Unauthorized(Problem):
    status = 401
    title = "Not authenticated"
    headers = {"WWW-Authenticate": "Bearer"}


class TooLarge(Problem):
    status = 413
    title = "Payload too large"


class Gone(Problem):
    """exports (issue 19): what was there is no longer (an expired download link)."""

    status = 410
    title = "Gone"
