"""Rendering every error as ``application/problem+json`` with a stable ``code``."""

import logging
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from backend.errors import Problem

log = logging.getLogger("backend.problems")
MEDIA_TYPE = "application/problem+json"
HTTP_CODES = {404: "http.not_found", 405: "http.method_not_allowed", 401: "auth.not_authenticated"}


class RaisedProblem(HTTPException):
    """A ``Problem`` raised where FastAPI lets only an ``HTTPException`` through (while it reads a body)."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.status, problem.detail, headers=problem.headers or None)
        self.problem = problem


def _response(status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE, headers=headers)


def _clean(errors: list[Any]) -> list[dict[str, Any]]:
    return [
        {"loc": [str(p) for p in e.get("loc", ())], "msg": e.get("msg", ""), "type": e.get("type", "")} for e in errors
    ]


def install(app: FastAPI) -> None:
    @app.exception_handler(Problem)
    async def _problem(_request: Request, exc: Problem) -> JSONResponse:
        return _response(exc.status, exc.body(), exc.headers or None)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        problem = Problem("request.invalid", "The request does not match the expected shape.")
        body = problem.body() | {
            "status": 422,
            "title": "Invalid request",
            "errors": _clean(list(exc.errors())),
        }
        return _response(422, body)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        # Starlette's outermost middleware calls this for any exception no other handler took (and re-raises it
        # afterwards for the server's own log): the client gets problem+json, never a plain-text 500.
        log.error("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
        problem = Problem("internal.error", "An unexpected error occurred; it has been logged.")
        return _response(500, problem.body() | {"status": 500, "title": "Internal server error"})

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if isinstance(exc, RaisedProblem):
            return _response(exc.problem.status, exc.problem.body(), exc.problem.headers or None)
        code = HTTP_CODES.get(exc.status_code, f"http.{exc.status_code}")
        problem = Problem(code, str(exc.detail))
        body = problem.body() | {"status": exc.status_code, "title": str(exc.detail)}
        return _response(exc.status_code, body, getattr(exc, "headers", None))


def not_found(request: Request) -> JSONResponse:
    body = Problem("http.not_found", f"No route {request.url.path}.").body() | {
        "status": 404,
        "title": "Not found",
    }
    return _response(404, body)


def pwa_missing() -> JSONResponse:
    detail = "The web app is not built: run `make pwa` (or `make run`, which builds it)."
    body = Problem("pwa.not_built", detail).body() | {"status": 503, "title": "Web app not built"}
    return _response(503, body)
