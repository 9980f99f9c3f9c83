"""Schemathesis against a real uvicorn on a seeded database (tests/backend/syncserver.py), as admin and as
inspector (access tokens) and with a device token: no server error, and every answer as the OpenAPI document
says (status code documented, content type, body matching its schema).

Bounded for ``make test`` (``FUZZ_SECONDS``, 20 s per persona by default); ``make fuzz`` runs 300 s per persona
on SQLite and PostgreSQL. The totals are printed (``pytest -s``) for the closing notes.
"""

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.backend.syncserver import INSPECTOR, PASSWORD, SyncServer

SECONDS = int(os.environ.get("FUZZ_SECONDS", "20"))
DATABASES = os.environ.get("FUZZ_DATABASES", "sqlite").split(",")
CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"
ADMIN = "admin@test.example"


@pytest.fixture(params=DATABASES)  # a fresh database per persona: the admin run changes users
def server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SyncServer]:
    tmp = tmp_path / "server"
    tmp.mkdir()
    url = None
    if request.param == "postgresql":
        url = request.getfixturevalue("pg_cluster").create_database(f"fuzz_{uuid.uuid4().hex[:12]}")
    srv = SyncServer(tmp, url, access_log=False).start()
    yield srv
    srv.stop()


def _token(server: SyncServer, persona: str) -> str:
    if persona == "admin":
        return server.access_token(ADMIN, PASSWORD)
    if persona == "inspector":
        return server.access_token(INSPECTOR, PASSWORD)
    return server.device(INSPECTOR, PASSWORD, name="fuzz")[1]


def run_schemathesis(server: SyncServer, token: str, report: Path, seconds: int) -> subprocess.CompletedProcess[str]:
    cmd = [
        str(Path(sys.executable).with_name("schemathesis")),
        "run",
        f"{server.url}/api/v1/openapi.json",
        "--url",
        server.url,
        "--checks",
        CHECKS,
        "--header",
        f"Authorization: Bearer {token}",
        "--max-time",
        str(seconds),
        "--workers",
        "1",
        "--phases",
        "examples,coverage,fuzzing",
        "--seed",
        "13",
        "--request-timeout",
        "30",
        "--report",
        "ndjson",
        "--report-ndjson-path",
        str(report),
        "--no-color",
    ]
    env = {**os.environ, "SCHEMATHESIS_HOOKS": ""}
    return subprocess.run(cmd, cwd=report.parent, capture_output=True, text=True, env=env, timeout=seconds * 3 + 300)


@pytest.mark.parametrize("persona", ["admin", "inspector", "device"])
def test_schemathesis_finds_no_server_error_and_no_schema_violation(
    server: SyncServer, persona: str, tmp_path: Path
) -> None:
    result = run_schemathesis(server, _token(server, persona), tmp_path / "events.ndjson", SECONDS)
    summary = "\n".join(result.stdout.splitlines()[-40:])
    print(f"\n== schemathesis as {persona} on {server.database_url.split(':')[0]}:\n{summary}")
    assert result.returncode == 0, f"{summary}\n{result.stderr[-2000:]}\n{server.log.read_text()[-4000:]}"
    assert "No issues found" in result.stdout or "passed" in result.stdout, summary
