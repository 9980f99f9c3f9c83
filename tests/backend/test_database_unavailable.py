"""The database out of reach during a push (issue 21), on PostgreSQL behind a TCP gate, against a real uvicorn:
the push is answered 503 ``service.database_unavailable`` (problem+json, ``Retry-After``), the device keeps its
outbox and retries, and once the database is back everything is applied exactly once."""

import re
import threading
from collections.abc import Iterator

import pytest

from sync.client import SyncHTTPError
from tests.backend.syncserver import SyncServer
from tests.backend.tcpgate import TcpGate
from tests.backend.test_sync_faults import Tablet, assert_exactly_once


@pytest.fixture(scope="module")
def gated(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple]:
    url = request.getfixturevalue("pg_cluster").create_database("db_unavailable")
    port = int(re.search(r":(\d+)/", url)[1])  # type: ignore[index]
    gate = TcpGate(port).start()
    srv = SyncServer(tmp_path_factory.mktemp("db-gate"), url.replace(f":{port}/", f":{gate.port}/")).start()
    yield srv, gate
    srv.stop()
    gate.stop()


def test_a_push_while_the_database_is_down_is_a_503_and_the_retry_loses_nothing(gated, tmp_path):
    server, gate = gated
    tablet = Tablet(server, tmp_path, max_attempts=1)
    est, checklist, items = tablet.reference()
    iid = tablet.create(est, checklist)
    findings = {}
    for n, item in enumerate(items[:3]):
        tablet.record(iid, item, f"before {n}")
        findings[(iid, item)] = f"before {n}"
    tablet.client.sync()
    for n, item in enumerate(items[3:6]):
        tablet.record(iid, item, f"during {n}")
        findings[(iid, item)] = f"during {n}"
    gate.down()
    with pytest.raises(SyncHTTPError) as refused:
        tablet.client.push()
    assert refused.value.status == 503 and refused.value.code == "service.database_unavailable", refused.value.body
    assert tablet.outbox.seq_range() is not None, "the outbox keeps what was not applied"
    # The device retries (backing off) while the database comes back.
    threading.Timer(1.0, gate.up).start()
    tablet.reopen(max_attempts=60, backoff=0.1, max_backoff=0.3)
    assert_exactly_once(server, tablet, [iid], findings, [])
