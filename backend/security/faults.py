"""Faults answered clearly (issue 21): the database out of reach (connection refused, lost or timed out) is a 503
``service.database_unavailable`` problem with ``Retry-After``, never a 500, so a device keeps its outbox and
retries (sync/client.py retries every 5xx). The request's transaction was rolled back: nothing half-written."""

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from backend.errors import Problem

RETRY_AFTER = 5  # seconds


def unavailable(exc: Exception) -> bool:
    """A database that cannot be reached, not a bug in a statement."""
    if isinstance(exc, PoolTimeout):
        return True
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    return isinstance(exc, OperationalError)


def install(app: FastAPI) -> None:
    async def _database(request: Request, exc: Exception) -> JSONResponse:
        if not unavailable(exc):
            raise exc
        problem = Problem("service.database_unavailable", "The database is out of reach; try again shortly. / "
                          "数据库暂时无法访问，请稍后重试。")  # fmt: skip
        body = problem.body() | {"status": 503, "title": "Service unavailable", "retry_after": RETRY_AFTER}
        return JSONResponse(body, status_code=503, media_type="application/problem+json",
                            headers={"Retry-After": str(RETRY_AFTER)})  # fmt: skip

    for kind in (OperationalError, DBAPIError, PoolTimeout):
        app.add_exception_handler(kind, _database)
