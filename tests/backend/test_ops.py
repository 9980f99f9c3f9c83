"""Production operations against a real uvicorn: refusals at start, readiness, JSON logs carrying the request id,
Prometheus metrics (requests, sync mutations, device lag, job queue depth) and the API docs without internet."""

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from backend import simulate
from backend.complaints import identity
from backend.config import DEV_SECRET, Settings
from backend.ops import prodcheck
from tests.backend.syncserver import INSPECTOR, PASSWORD, ROOT, SyncServer, free_port

STRONG = "a-private-key-for-production-0123456789abcdef"


def test_refusals_list_every_development_default() -> None:
    dev = Settings(
        environment="dev",
        secret_key=DEV_SECRET,
        demo_data=True,
        first_admin_email="a@b.example",
        first_admin_password="admin",
        database_url="postgresql+psycopg://li:postgres@db/li",
    )
    found = prodcheck.refusals(dev)
    assert len(found) == 5, found  # with LI_COMPLAINANT_KEYS unset
    assert any("LI_SECRET_KEY" in r for r in found) and any("LI_DEMO_DATA" in r for r in found)
    good = Settings(
        environment="prod",
        secret_key=STRONG,
        first_admin_email="a@b.example",
        first_admin_password="a long private passphrase",
        database_url="postgresql+psycopg://li:Xk3-long-db-pass@db/li",
        complainant_keys=identity.new_key(),
    )
    assert prodcheck.refusals(good) == []
    prodcheck.enforce(good)
    weak = Settings(first_admin_password="admin").first_admin_password
    with pytest.raises(prodcheck.ProductionRefused, match="LI_FIRST_ADMIN_PASSWORD"):
        prodcheck.enforce(good.model_copy(update={"first_admin_password": weak}))


def test_other_areas_extend_the_refusals(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(prodcheck, "REFUSALS", [*prodcheck.REFUSALS, lambda s: "LI_X is not set"])
    prod = Settings(environment="prod", secret_key=STRONG, complainant_keys=identity.new_key())
    assert prodcheck.refusals(prod) == ["LI_X is not set"]


def _uvicorn(env: dict[str, str], port: int, log: Path) -> subprocess.Popen[bytes]:
    cmd = [sys.executable, "-m", "uvicorn", "backend.main:app", "--host", "127.0.0.1", "--port", str(port)]
    with open(log, "ab") as out:
        return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)


def test_production_refuses_to_start_with_a_default_password(tmp_path: Path) -> None:
    env = {**os.environ, "LI_ENVIRONMENT": "prod", "LI_SECRET_KEY": STRONG, "LI_FIRST_ADMIN_EMAIL": "a@b.example",
           "LI_FIRST_ADMIN_PASSWORD": "admin",
           "LI_COMPLAINANT_KEYS": identity.new_key(), "LI_DATABASE_URL": f"sqlite:///{tmp_path / 'p.db'}"}  # fmt: skip
    proc = _uvicorn(env, free_port(), tmp_path / "log")
    assert proc.wait(60) != 0
    text = (tmp_path / "log").read_text()
    assert "refusing to start in production" in text and "LI_FIRST_ADMIN_PASSWORD" in text, text[-2000:]
    env["LI_SECRET_KEY"] = "dev-secret-change-me-0123456789abcdef"
    env["LI_FIRST_ADMIN_PASSWORD"] = "a long private passphrase"
    proc = _uvicorn(env, free_port(), tmp_path / "log2")
    assert proc.wait(60) != 0
    assert "LI_SECRET_KEY" in (tmp_path / "log2").read_text()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SyncServer]:
    srv = SyncServer(tmp_path_factory.mktemp("ops"))
    srv.env["LI_LOG_FORMAT"] = "json"
    srv.start()
    yield srv
    srv.stop()


def test_ready_and_health(server: SyncServer) -> None:
    assert httpx.get(f"{server.url}/api/v1/health").json() == {"status": "ok"}
    ready = httpx.get(f"{server.url}/api/v1/ready")
    assert ready.status_code == 200 and ready.json()["status"] == "ready", ready.text


def test_not_ready_before_the_migrations(tmp_path: Path) -> None:
    env = {**os.environ, "LI_ENVIRONMENT": "test", "LI_DATABASE_URL": f"sqlite:///{tmp_path / 'empty.db'}",
           "LI_FIRST_ADMIN_EMAIL": "", "LI_FIRST_ADMIN_PASSWORD": ""}  # fmt: skip
    port = free_port()
    proc = _uvicorn(env, port, tmp_path / "log")
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/api/v1/ready", timeout=1)
                break
            except httpx.HTTPError:
                assert time.monotonic() < deadline and proc.poll() is None, (tmp_path / "log").read_text()[-2000:]
                time.sleep(0.1)
        assert r.status_code == 503 and r.json()["code"] == "ops.not_ready", r.text
        assert r.headers["content-type"] == "application/problem+json"
    finally:
        proc.terminate()
        proc.wait(10)


def test_json_logs_carry_the_request_id(server: SyncServer) -> None:
    r = httpx.get(f"{server.url}/api/v1/health", headers={"X-Request-ID": "tablet-42-abc"})
    assert r.headers["x-request-id"] == "tablet-42-abc"
    made = httpx.get(f"{server.url}/api/v1/health", headers={"X-Request-ID": "bad id with spaces"})
    assert len(made.headers["x-request-id"]) == 32
    time.sleep(0.3)
    lines = [json.loads(line) for line in server.log.read_text().splitlines() if line.startswith("{")]
    mine = [e for e in lines if e.get("request_id") == "tablet-42-abc" and e["logger"] == "backend.access"]
    assert not [e for e in lines if e["logger"] == "uvicorn.access"]
    assert mine and mine[0]["path"] == "/api/v1/health" and mine[0]["status"] == 200, lines[-5:]
    assert {"time", "level", "logger", "message", "duration_ms"} <= set(mine[0])


def test_metrics(server: SyncServer) -> None:
    report = simulate.run(server.url, INSPECTOR, PASSWORD, 1, 1, 0, "general-administration")
    assert not report.errors and len(report.submitted) == 1
    httpx.get(f"{server.url}/api/v1/health")
    text = httpx.get(f"{server.url}/metrics").text
    assert 'li_http_requests_total{method="GET",route="/api/v1/health",status="200"}' in text
    assert 'li_http_request_duration_seconds_bucket{le="0.005",method="GET",route="/api/v1/health"}' in text
    assert 'route="/api/v1/sync/push"' in text
    applied = next(line for line in text.splitlines() if line.startswith("li_sync_mutations_applied "))
    assert float(applied.split()[1]) >= 3  # the inspection's mutations (create, answers, submit)
    lags = [line for line in text.splitlines() if line.startswith("li_sync_device_push_lag_seconds{device=")]
    assert len(lags) == 1 and 0 <= float(lags[0].split()[1]) < 60, lags
    assert "li_jobs_queue_depth 0.0" in text


def test_api_docs_need_no_internet(server: SyncServer) -> None:
    page = httpx.get(f"{server.url}/api/docs").text
    assert "cdn" not in page.lower() and "/api/docs/assets/swagger-ui-bundle.js" in page
    js = httpx.get(f"{server.url}/api/docs/assets/swagger-ui-bundle.js")
    assert js.status_code == 200 and len(js.content) > 500_000
    assert httpx.get(f"{server.url}/api/docs/assets/swagger-ui.css").status_code == 200
    missing = httpx.get(f"{server.url}/api/docs/assets/..%2Fsecret")
    assert missing.status_code == 404


def test_the_worker_and_prestart_refuse_too(tmp_path: Path) -> None:
    env = {**os.environ, "LI_ENVIRONMENT": "prod", "LI_SECRET_KEY": STRONG, "LI_DEMO_DATA": "true",
           "LI_DATABASE_URL": f"sqlite:///{tmp_path / 'w.db'}"}  # fmt: skip
    for args in (["worker", "--once"], ["prestart", "--no-demo"]):
        done = subprocess.run([sys.executable, "-m", "backend.cli", *args], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=120)  # fmt: skip
        assert done.returncode != 0 and "LI_DEMO_DATA" in done.stderr, (args, done.stderr[-1500:])
    assert not (tmp_path / "w.db").exists() or (tmp_path / "w.db").stat().st_size == 0  # nothing migrated
