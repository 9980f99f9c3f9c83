"""``backend.cli simulate-devices`` against a real uvicorn (SQLite and PostgreSQL): two tablets, two inspections
each, every one submitted, and the server holds exactly what they did; ``cli audit-verify`` then finds the audit
chain of that test data intact (issue 21: audit-verify in ``make test``)."""

import subprocess
import sys
from collections.abc import Iterator

import pytest
from typer.testing import CliRunner

from backend.cli import app
from tests.backend.syncserver import INSPECTOR, PASSWORD, SyncServer

DEVICES, PER_DEVICE, NON_COMPLIANT = 2, 2, 3


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SyncServer]:
    url = None
    if request.param == "postgresql":  # pg_cluster fails (never skips) when PostgreSQL is not installed
        url = request.getfixturevalue("pg_cluster").create_database("simulate")
    with SyncServer(tmp_path_factory.mktemp(f"simulate-{request.param}"), url, access_log=False) as srv:
        yield srv


def test_simulate_devices_submits_every_inspection_exactly_once(server: SyncServer) -> None:
    args = ["simulate-devices", str(DEVICES), "--url", server.url, "--email", INSPECTOR, "--password", PASSWORD]
    args += ["--inspections-per-device", str(PER_DEVICE), "--findings", str(NON_COMPLIANT)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    items = int(server.scalar("SELECT count(*) FROM sync_record WHERE entity = 'finding'")) // (DEVICES * PER_DEVICE)
    inspections = DEVICES * PER_DEVICE
    expected = inspections * (1 + items + NON_COMPLIANT + 1)  # create, answers, photos, submit
    assert f"inspections: {inspections} created, {inspections} submitted" in result.output
    assert f"mutations pushed: {expected} " in result.output
    assert f"outcomes: applied {expected}\n" in result.output
    assert items >= 20  # every item of general-administration was answered
    q = server.scalar
    assert q("SELECT count(*) FROM inspection") == inspections
    assert q("SELECT count(*) FROM inspection WHERE status = 'submitted'") == inspections
    assert q("SELECT count(*) FROM inspection_submission") == inspections
    assert q("SELECT count(*) FROM finding") == inspections * items
    assert q("SELECT count(*) FROM finding WHERE status = 'non_compliant'") == inspections * NON_COMPLIANT
    assert q("SELECT count(*) FROM applied_mutation") == expected
    assert q("SELECT count(DISTINCT device_id) FROM applied_mutation") == DEVICES
    assert q("SELECT count(*) FROM sync_record WHERE entity = 'photo'") == inspections * NON_COMPLIANT
    assert q("SELECT count(*) FROM blob WHERE verified_at IS NOT NULL") == inspections * NON_COMPLIANT
    assert q("SELECT count(*) FROM device_sync_state WHERE last_seq = :n", n=expected // DEVICES) == DEVICES
    verified = subprocess.run([sys.executable, "-m", "backend.cli", "audit-verify"], env=server.env,
                              capture_output=True, text=True, timeout=120)  # fmt: skip
    assert verified.returncode == 0 and verified.stdout.strip() == "audit chain intact", verified.stderr
    assert q("SELECT count(*) FROM audit_event") > expected  # the pushes' events are in the chain it verified
