"""The operations routes and wiring: readiness (database reachable, schema at the newest migration), Prometheus
metrics, and the API docs with Swagger UI 5's assets served from the ``swagger-ui-bundle-v2`` package (no CDN)."""

from pathlib import Path

from alembic.script import ScriptDirectory
from fastapi import Depends, FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, Response
from sqlalchemy import text
from sqlmodel import Session
from swagger_ui_bundle import swagger_ui_path

from backend import migrate, problems
from backend.config import settings
from backend.db import get_session
from backend.errors import Problem
from backend.ops import logs, metrics
from backend.ops.middleware import RequestContext

DOCS = "/api/docs"
ASSETS = {"swagger-ui-bundle.js", "swagger-ui.css", "favicon-32x32.png", "oauth2-redirect.html"}


class NotReady(Problem):
    status = 503


def _head() -> str:
    return str(ScriptDirectory.from_config(migrate.alembic_config()).get_current_head())


def _offline_docs(app: FastAPI) -> None:
    app.router.routes[:] = [r for r in app.router.routes if getattr(r, "path", None) != DOCS]
    assets = Path(swagger_ui_path)

    @app.get(DOCS, include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=str(app.openapi_url),
            title=f"{app.title} - API",
            swagger_js_url=f"{DOCS}/assets/swagger-ui-bundle.js",
            swagger_css_url=f"{DOCS}/assets/swagger-ui.css",
            swagger_favicon_url=f"{DOCS}/assets/favicon-32x32.png",
            oauth2_redirect_url=app.swagger_ui_oauth2_redirect_url,
        )

    @app.get(f"{DOCS}/assets/{{name}}", include_in_schema=False)
    def docs_asset(name: str, request: Request) -> Response:
        if name not in ASSETS:
            return problems.not_found(request)
        return FileResponse(assets / name, headers={"Cache-Control": "public, max-age=86400"})


def install(app: FastAPI, api: str) -> None:
    """Add the middleware, /api/v1/ready, /metrics and the offline docs to ``app`` (before the PWA's catch-all)."""
    if settings.log_format == "json":
        logs.configure("json", settings.log_level)
    app.add_middleware(RequestContext, prefix=api, top_level=lambda: {id(r) for r in app.router.routes})
    _offline_docs(app)
    head = _head()

    @app.get(
        f"{api}/ready",
        tags=["meta"],
        responses={503: {"description": "Not ready: the database is unreachable or not at the newest schema"}},
    )
    def ready(session: Session = Depends(get_session)) -> dict[str, str]:
        """Ready to serve: the database answers and its schema is the newest migration (a load balancer or
        compose healthcheck routes traffic only then)."""
        try:
            current = session.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
        except Exception as exc:
            raise NotReady("ops.not_ready", "The database is unreachable or not migrated.") from exc
        if head not in current:
            raise NotReady("ops.not_ready", "The database schema is not the newest: run the migrations.",
                           schema=",".join(current), expected=head)  # fmt: skip
        return {"status": "ready", "schema": head}

    @app.get("/metrics", include_in_schema=False)
    def prometheus(session: Session = Depends(get_session)) -> Response:
        return Response(metrics.render(session), media_type=metrics.CONTENT_TYPE)
