"""The FastAPI application: routers under /api/v1, problem+json errors, and the PWA served at /."""

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, Response
from fastapi.routing import APIRoute

from backend import openapi, problems
from backend.accidents.routes import router as accidents_router  # complaints, accidents, planning (cpl)
from backend.attachments.routes import router as attachments_router
from backend.auth.deps import needs_token
from backend.auth.routes import router as auth_router
from backend.body_limit import BodyLimit
from backend.bootstrap import ensure_first_admin
from backend.checklists.routes import router as checklists_router
from backend.complaints.routes import router as complaints_router
from backend.config import settings

# supervisor desk (issue 16)
from backend.desk.routes import router as desk_router
from backend.device_sync.routes import router as device_sync_router
from backend.enforcement.case_routes import router as enforcement_case_router  # enforcement cases (issue 17)
from backend.enforcement.disclosure_routes import router as disclosure_router  # per inspection: APL Art. 48 (ntc2)
from backend.enforcement.list_routes import router as enforcement_lists_router  # the desk's enforcement lists
from backend.enforcement.routes import router as enforcement_router
from backend.exports.opendata_routes import router as opendata_router  # per inspection: open data (ntc2)
from backend.exports.routes import router as exports_router  # exports and reports (rep)
from backend.inspections.interview_routes import router as interviews_router
from backend.inspections.routes import router as inspections_router
from backend.ops import prodcheck  # ops
from backend.ops import routes as ops_routes  # ops
from backend.orgs import importer
from backend.orgs.routes import router as orgs_router
from backend.planning.routes import router as planning_router  # planning (cpl)
from backend.reports.audit_trail import router as audit_router
from backend.reports.denominators import router as denominators_router  # standards reporting (rpt)
from backend.reports.document_routes import router as documents_router  # per inspection (ntc2)
from backend.reports.routes import router as reports_router  # standards reporting (rpt)

# hardening (issue 21): security headers on every answer
from backend.security import faults
from backend.security.headers import SecurityHeaders

API = "/api/v1"
JSON_MAX = 1024 * 1024  # bytes, for every other route: the largest JSON form (4000-character texts) is tens of KB
# Routes with another limit; None: the route bounds the body itself while streaming it, with its own code
# (a blob chunk: blob.chunk_too_large; a push or pull: sync.body_too_large after authentication, PROTOCOL.md §9).
BODY_LIMITS: dict[str, int | None] = {
    "import_establishments": importer.MAX_BYTES + 1024 * 1024,  # the CSV file and its multipart framing
    "append_blob": None,
    "push": None,
    "pull": None,
}


def _operation_id(route: APIRoute) -> str:
    return route.name


@asynccontextmanager
async def _lifespan(_app: FastAPI) -> AsyncIterator[None]:
    prodcheck.enforce(settings)  # ops: production refuses to start with development secrets
    ensure_first_admin()
    _freeze_startup_objects()
    yield


GC_YOUNG = 10_000  # new container objects between two collections of the youngest generation (Python: 700)


def _freeze_startup_objects() -> None:
    """What exists once the app has started (modules, the app, mappers, validators: ~120k objects) lives as long
    as the process: out of the collector's generations, each full collection no longer walks it (~50 ms each).
    Garbage is collected first, so none is kept; done once per process (tests start the app many times).

    The youngest generation is then collected every ``GC_YOUNG`` new container objects instead of Python's 700:
    a request builds tens of thousands (a push of 200 findings, ~100 000), most freed by reference counting
    before a collection would find them. Measured on a device push: the collector's time per round of 3 200
    findings fell from 32-41 ms to about 5 ms; at most ``GC_YOUNG`` cyclic objects wait a little longer."""
    global _frozen
    if not _frozen:
        gc.collect()
        gc.freeze()
        _, older, oldest = gc.get_threshold()
        gc.set_threshold(GC_YOUNG, older, oldest)
        _frozen = True


_frozen = False


def _serve_pwa(app: FastAPI, dist: Path) -> None:
    """Static files from pwa/dist, index.html for app routes; /api is never answered from here."""

    @app.get("/{path:path}", include_in_schema=False)
    def pwa(path: str, request: Request) -> Response:
        if path.startswith("api/") or path == "api":
            return problems.not_found(request)
        index = dist / "index.html"
        if not index.is_file():
            return problems.pwa_missing()
        target = (dist / path).resolve()
        if path and target.is_file() and target.is_relative_to(dist.resolve()):
            immutable = "/assets/" in f"/{path}"
            cache = "public, max-age=31536000, immutable" if immutable else "no-cache"
            return FileResponse(target, headers={"Cache-Control": cache})
        return FileResponse(index, headers={"Cache-Control": "no-cache"})


def create_app() -> FastAPI:
    app = FastAPI(
        title="Labour inspection",
        version="0.1.0",
        openapi_url=f"{API}/openapi.json",
        docs_url="/api/docs",
        redoc_url=None,
        generate_unique_id_function=_operation_id,
        lifespan=_lifespan,
    )
    problems.install(app)
    openapi.install(app)
    app.add_middleware(BodyLimit, default=JSON_MAX, limits=BODY_LIMITS, needs_token=needs_token)

    @app.get(f"{API}/health", tags=["meta"])
    def health() -> dict[str, str]:
        return {"status": "ok"}

    for router in (
        auth_router,
        orgs_router,
        checklists_router,
        attachments_router,
        inspections_router,
        interviews_router,
        complaints_router,
        enforcement_router,
        audit_router,
        device_sync_router,
        # supervisor desk (issue 16)
        desk_router,
        # complaints, accidents and planning (cpl)
        accidents_router,
        planning_router,
        # enforcement cases (issue 17)
        enforcement_case_router,
        # exports and reports (rep)
        exports_router,
        # standards reporting (rpt)
        reports_router,
        denominators_router,
        # per inspection: printed documents (ntc2)
        documents_router,
        opendata_router,
        disclosure_router,
        # the desk's lists of measures and violations (issue 17)
        enforcement_lists_router,
    ):
        app.include_router(router, prefix=API)
    ops_routes.install(app, API)  # ops: request ids, logs, metrics, /ready, offline API docs
    _serve_pwa(app, settings.pwa_dir)
    faults.install(app)  # hardening (issue 21): the database out of reach is a 503, not a 500
    app.add_middleware(SecurityHeaders)  # hardening (issue 21): outermost, so every answer carries the headers
    return app


app = create_app()
