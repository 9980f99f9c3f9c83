"""Network and process faults against a real uvicorn over real HTTP, on SQLite and on PostgreSQL, driven by the
reference client (``sync/client.py``) and its durable outbox (SYNC.md §3.5, §5.7 invariants 1, 2, 4, 8, 10).

* a lost response after the commit (the proxy reads the server's answer and drops it): retries come back
  ``duplicate``, nothing is applied twice;
* a connection cut in the middle of a blob chunk: the client resumes from the ``HEAD`` offset and the stored
  blob hashes to its name;
* ``kill -9`` of the server while a 200-mutation push is in flight: the batch is all or nothing in the database,
  and after a restart the client resyncs exactly once;
* authorization: another user's device id, or an access token, cannot push.

Every scenario ends with the client resynced and checked against the pulled rows and the database itself.
"""

import hashlib
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx
import pytest

from sync.client import SyncClient, SyncHTTPError
from sync.hashing import content_hash, inspection_content
from sync.ids import uuid7
from sync.outbox import Outbox
from tests.backend.faultproxy import Fault, FaultProxy
from tests.backend.syncserver import INSPECTOR, PASSWORD, SECOND, SyncServer
from tests.images import jpeg

CHECKLIST = "general-administration"
PUSH = "/api/v1/sync/push"
BLOBS = "/api/v1/blobs/"
PULL = "/api/v1/sync/pull"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SyncServer]:
    tmp = tmp_path_factory.mktemp(f"faults-{request.param}")
    url = None
    if request.param == "postgresql":  # pg_cluster fails (never skips) when PostgreSQL is not installed
        url = request.getfixturevalue("pg_cluster").create_database("sync_faults")
    srv = SyncServer(tmp, url).start()
    yield srv
    srv.stop()


@pytest.fixture
def proxy(server: SyncServer) -> Iterator[FaultProxy]:
    p = FaultProxy(server.port).start()
    yield p
    p.stop()


class Tablet:
    """A registered device: its own outbox file and a reference client (fast retries for the tests)."""

    def __init__(self, server: SyncServer, tmp: Path, url: str | None = None, email: str = INSPECTOR, **kw: Any):
        self.server, self.url, self.kw = server, url or server.url, kw
        self.device_id, self.token = server.device(email, PASSWORD)
        self.path = tmp / f"outbox-{self.device_id}.db"
        self.outbox = Outbox(self.path, UUID(self.device_id))
        self.client = self._client()

    def _client(self) -> SyncClient:
        opts = {"backoff": 0.02, "max_backoff": 0.2, "max_attempts": 4, "timeout": 60.0, **self.kw}
        return SyncClient(self.url, self.token, self.outbox, **opts)

    def reopen(self, **kw: Any) -> None:
        """The app restarts: the outbox file is opened again and a new client made."""
        self.client.close()
        self.outbox.close()
        self.kw.update(kw)
        self.outbox = Outbox(self.path, UUID(self.device_id))
        self.client = self._client()

    def reference(self) -> tuple[str, str, list[str]]:
        """Pull, then: the Riverside Garments establishment id, the checklist ``key@version`` and its item ids."""
        self.client.pull()
        held = self.outbox.replica()
        est = next(k for k, v in held["establishment"].items() if v["name"] == "Riverside Garments")
        # the row id is ``key@version``; the row's ``version`` field is its change version (PROTOCOL.md §5)
        ref = max((k for k in held["checklist"] if k.startswith(f"{CHECKLIST}@")), key=lambda k: int(k.split("@")[1]))
        items = [i["id"] for s in held["checklist"][ref]["definition"]["sections"] for i in s["items"]]
        return est, ref, items

    def create(self, est: str, checklist: str) -> str:
        iid = str(uuid7())
        self.outbox.enqueue(
            "inspection.create",
            {"inspection_id": iid, "establishment_id": est, "checklist": checklist, "team": [],
             "header": {"visit_date": "2026-11-20", "location": "Gate 2"}},
        )  # fmt: skip
        return iid

    def record(self, iid: str, item: str, remark: str) -> None:
        self.outbox.enqueue(
            "finding.record",
            {"inspection_id": iid, "item_id": item, "base_version": 0,
             "fields": {"status": "compliant", "remark": remark}},
        )  # fmt: skip

    def photo(self, iid: str, item: str, data: bytes) -> str:
        sha = hashlib.sha256(data).hexdigest()
        self.outbox.enqueue(
            "photo.attach",
            {"photo_id": str(uuid7()), "inspection_id": iid, "item_id": item, "sha256": sha, "bytes": len(data),
             "mime": "image/jpeg"},
        )  # fmt: skip
        return sha

    def submit(self, iid: str) -> str:
        """Queue ``inspection.submit`` with the content hash of the pulled rows (PROTOCOL.md §7)."""
        self.client.pull()
        digest = content_hash(inspection_content(self.outbox.replica(), iid))
        self.outbox.enqueue("inspection.submit", {"inspection_id": iid, "content_hash": digest})
        return digest


def count(server: SyncServer, table: str, column: str, values: list[str], where: str = "") -> int:
    """Rows of ``table`` whose ``column`` (a UUID) is one of ``values``, with an extra SQL condition."""
    if not values:
        return 0
    names = ", ".join(f":v{i}" for i in range(len(values)))
    params = {f"v{i}": server.uuid(v) for i, v in enumerate(values)}
    return int(server.scalar(f"SELECT count(*) FROM {table} WHERE {column} IN ({names}) {where}", **params))


def db_state(server: SyncServer, tablet: Tablet, inspections: list[str]) -> dict[str, int]:
    """What the database holds for this device and these inspections."""
    dev = [tablet.device_id]
    return {
        "applied": count(server, "applied_mutation", "device_id", dev),
        "max_seq": int(server.scalar("SELECT coalesce(max(seq), 0) FROM applied_mutation WHERE device_id = :d",
                                     d=server.uuid(tablet.device_id))),
        "last_seq": int(server.scalar("SELECT coalesce(max(last_seq), 0) FROM device_sync_state WHERE device_id = :d",
                                      d=server.uuid(tablet.device_id))),
        "inspections": count(server, "inspection", "id", inspections),
        "findings": count(server, "finding", "inspection_id", inspections),
        "finding_records": count(server, "sync_record", "inspection_id", inspections, "AND entity = 'finding'"),
    }  # fmt: skip


def assert_exactly_once(
    server: SyncServer, tablet: Tablet, inspections: list[str], findings: dict[tuple[str, str], str], blobs: list[str]
) -> dict[str, int]:
    """Resync, then check the outbox, the outcomes, the pulled rows and the database against what was queued."""
    tablet.client.sync()
    tablet.outbox.check()
    last = tablet.outbox.next_seq - 1
    assert tablet.outbox.seq_range() is None, "outbox not empty"
    assert tablet.outbox.acked_seq == last
    outcomes = tablet.outbox.outcomes()
    assert [o.seq for o in outcomes] == list(range(1, last + 1))
    for o in outcomes:
        final = o.original if o.outcome.value == "duplicate" else o
        assert final is not None and final.outcome.value == "applied", o
    state = db_state(server, tablet, inspections)
    assert state == {
        "applied": last, "max_seq": last, "last_seq": last, "inspections": len(inspections),
        "findings": len(findings), "finding_records": len(findings),
    }  # fmt: skip
    held = tablet.outbox.replica()
    for (iid, item), remark in findings.items():
        row = held["finding"][f"{iid}/{item}"]
        assert row["fields"]["remark"] == remark
    for sha in blobs:
        stored = server.tmp / "attachments" / "blobs" / sha[:2] / sha
        assert hashlib.sha256(stored.read_bytes()).hexdigest() == sha
        got = httpx.get(f"{server.url}/api/v1/blobs/{sha}", headers={"Authorization": f"Bearer {tablet.token}"})
        assert got.status_code == 200 and hashlib.sha256(got.content).hexdigest() == sha
    return state


def test_lost_responses_after_commit_come_back_as_duplicates(server, proxy, tmp_path):
    tablet = Tablet(server, tmp_path, proxy.url, batch_size=10, max_attempts=3)
    est, checklist, items = tablet.reference()
    iid = tablet.create(est, checklist)
    findings = {(iid, item): f"remark {n}" for n, item in enumerate(items)}  # every item: it can be submitted
    for (i, item), remark in findings.items():
        tablet.record(i, item, remark)
    photo = jpeg(20_000)
    sha = tablet.photo(iid, items[0], photo)
    assert tablet.client.upload_blob(photo, "image/jpeg") == sha

    drops = proxy.add(Fault("POST", PUSH, times=4, drop_response=True))
    with pytest.raises(httpx.TransportError):  # three attempts, three lost acks: the client gives up for now
        tablet.client.push()
    assert drops.hits == 3
    assert db_state(server, tablet, [iid])["applied"] == 10  # the first batch was committed once
    total = 2 + len(items)
    assert tablet.outbox.seq_range() == (1, total)  # ... but the device never heard: everything is kept
    report = tablet.client.push()  # one more lost ack, then the answers arrive
    assert drops.hits == 4
    kinds = [r.outcome.value for r in report.results]
    assert kinds == ["duplicate"] * 10 + ["applied"] * (total - 10)
    assert all(r.original is not None and r.original.outcome.value == "applied" for r in report.results[:10])

    digest = tablet.submit(iid)
    proxy.add(Fault("POST", PUSH, times=1, drop_response=True))
    result = tablet.client.push().results[0]
    assert result.outcome.value == "duplicate" and result.original is not None
    assert result.original.data["server_hash"] == digest
    assert [e.action for e in proxy.events if e.path == PUSH].count("dropped") == 5
    assert_exactly_once(server, tablet, [iid], findings, [sha])
    status = server.scalar("SELECT status FROM inspection WHERE id = :i", i=server.uuid(iid))
    assert status == "submitted"
    assert int(server.scalar("SELECT count(*) FROM inspection_submission WHERE inspection_id = :i",
                             i=server.uuid(iid))) == 1  # fmt: skip


def test_blob_upload_cut_mid_chunk_resumes_from_the_head_offset(server, proxy, tmp_path):
    chunk = 64 * 1024
    tablet = Tablet(server, tmp_path, proxy.url, chunk_size=chunk, max_attempts=2)
    est, checklist, items = tablet.reference()
    iid = tablet.create(est, checklist)
    findings = {(iid, item): f"checked {item}" for item in items}
    for (i, item), remark in findings.items():
        tablet.record(i, item, remark)
    photo = jpeg(3 * chunk + 5000)
    sha = tablet.photo(iid, items[1], photo)
    tablet.client.push()  # the photo's metadata may precede its bytes

    cut = proxy.add(Fault("PATCH", BLOBS, times=2, cut_after=10_000, skip=1))  # the 2nd chunk, twice
    with pytest.raises(httpx.TransportError):
        tablet.client.upload_blob(photo, "image/jpeg")
    assert cut.hits == 2
    head = httpx.head(f"{server.url}{BLOBS}{sha}", headers={"Authorization": f"Bearer {tablet.token}"})
    assert head.headers["Upload-Offset"] == str(chunk) and head.headers["Blob-Verified"] == "false"

    tablet.reopen()  # the app restarts; the new client asks the server where to resume
    lost = proxy.add(Fault("PATCH", BLOBS, times=1, drop_response=True, skip=1))  # and one chunk's ack is lost
    before = len(proxy.events)
    assert tablet.client.upload_blob(photo, "image/jpeg") == sha
    assert lost.hits == 1
    resumed = [e for e in proxy.events[before:] if e.method in ("HEAD", "PATCH")]
    assert resumed[0].method == "HEAD"
    offsets = [int(e.headers["upload-offset"]) for e in resumed[1:]]
    assert offsets == [chunk, 2 * chunk, 2 * chunk, 3 * chunk]  # the lost ack: 409 offset_mismatch, then on
    assert resumed[-1].action == "forwarded"

    tablet.submit(iid)
    tablet.client.push()
    assert_exactly_once(server, tablet, [iid], findings, [sha])
    assert server.scalar("SELECT status FROM inspection WHERE id = :i", i=server.uuid(iid)) == "submitted"


@pytest.mark.parametrize("when", ["processing", "committed"])
def test_sigkill_during_a_push_leaves_all_or_nothing_and_the_resync_applies_once(server, proxy, tmp_path, when):
    """``processing``: killed 50 ms after the 200-mutation request reached the server (normally before its
    commit); ``committed``: killed once the server has answered, its answer lost on the way."""
    tablet = Tablet(server, tmp_path, proxy.url, batch_size=200, max_attempts=2)
    est, checklist, items = tablet.reference()
    inspections = [tablet.create(est, checklist) for _ in range(10)]
    tablet.client.push()
    findings = {(iid, item): f"{n}:{item}" for n, iid in enumerate(inspections) for item in items[:20]}
    for (iid, item), remark in findings.items():
        tablet.record(iid, item, remark)
    assert tablet.outbox.seq_range() == (11, 210)

    errors: list[BaseException] = []

    def push() -> None:
        try:
            tablet.client.push()
        except (httpx.TransportError, SyncHTTPError) as err:
            errors.append(err)

    if when == "committed":
        proxy.add(Fault("POST", PUSH, times=1, drop_response=True))
    proxy.forwarded.clear()
    proxy.answered.clear()
    worker = threading.Thread(target=push)
    worker.start()
    if when == "processing":
        assert proxy.forwarded.wait(10)  # the whole request has reached the server
        time.sleep(0.05)
    else:
        assert proxy.answered.wait(30)
    server.kill()
    worker.join(30)
    assert not worker.is_alive()

    state = db_state(server, tablet, inspections)  # the server is down: what did the database keep?
    committed = state["applied"] == 210
    if committed:
        assert state == {"applied": 210, "max_seq": 210, "last_seq": 210, "inspections": 10, "findings": 200,
                         "finding_records": 200}  # fmt: skip
    else:
        assert state == {"applied": 10, "max_seq": 10, "last_seq": 10, "inspections": 10, "findings": 0,
                         "finding_records": 0}  # fmt: skip
    assert committed or when == "processing"
    print(f"kill -9 while {when}: the batch was {'' if committed else 'not '}committed")

    server.start()
    tablet.reopen(max_attempts=4)
    report = tablet.client.push()
    if tablet.outbox.acked_seq == 210 and not report.results:
        assert not errors  # the answer arrived before the kill
    else:
        kinds = {r.outcome.value for r in report.results}
        assert kinds == ({"duplicate"} if committed else {"applied"})
    assert_exactly_once(server, tablet, inspections, findings, [])


def test_a_device_token_cannot_push_for_another_device_and_an_access_token_cannot_push(server, tmp_path):
    mine = Tablet(server, tmp_path)
    theirs = Tablet(server, tmp_path, email=SECOND)
    est, checklist, _ = mine.reference()
    body = {
        "protocol": 1,
        "device_id": theirs.device_id,
        "mutations": [
            {"id": str(uuid7()), "seq": 1, "name": "inspection.create", "v": 1,
             "args": {"inspection_id": str(uuid7()), "establishment_id": est, "checklist": checklist, "team": [],
                      "header": {}}},
        ],
    }  # fmt: skip
    r = httpx.post(f"{server.url}{PUSH}", json=body, headers={"Authorization": f"Bearer {mine.token}"})
    assert r.status_code == 403 and r.json()["code"] == "sync.device_mismatch", r.text
    access = server.access_token(SECOND, PASSWORD)
    r = httpx.post(f"{server.url}{PUSH}", json=body, headers={"Authorization": f"Bearer {access}"})
    assert r.status_code == 403 and r.json()["code"] == "sync.device_mismatch", r.text
    pull = {"protocol": 1, "device_id": theirs.device_id, "cursor": 0}
    r = httpx.post(f"{server.url}/api/v1/sync/pull", json=pull, headers={"Authorization": f"Bearer {mine.token}"})
    assert r.status_code == 403 and r.json()["code"] == "sync.device_mismatch", r.text

    # the reference client with a foreign token keeps its outbox and reports the code
    theirs.create(est, checklist)
    stolen = SyncClient(server.url, mine.token, theirs.outbox, max_attempts=1)
    with pytest.raises(SyncHTTPError) as err:
        stolen.push()
    assert err.value.status == 403 and err.value.code == "sync.device_mismatch"
    assert theirs.outbox.seq_range() == (1, 1)
    assert db_state(server, theirs, [])["applied"] == 0
    assert theirs.client.push().results[0].outcome.value == "applied"  # with its own token
    assert db_state(server, theirs, [])["applied"] == 1


def test_more_devices_at_once_than_worker_threads_all_get_answers(server):
    # 60 tablets pull at the same moment, more than uvicorn's 40 worker threads. Requests beyond the database's
    # admission limit wait without a thread (``backend.api``), so the one using the database always finds a
    # thread for its next step; without that, every thread waited for the database and half the requests
    # failed with 500 after the 30 s lock timeout.
    device_id, token = server.device(name="crowd")
    body = {"protocol": 1, "device_id": device_id, "cursor": 0, "limit": 1000}
    codes: list[int | str] = []

    def pull() -> None:
        try:
            r = httpx.post(f"{server.url}{PULL}", json=body, headers={"Authorization": f"Bearer {token}"}, timeout=25)
            codes.append(r.status_code)
        except httpx.HTTPError as exc:
            codes.append(type(exc).__name__)

    threads = [threading.Thread(target=pull) for _ in range(60)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert codes == [200] * 60, Counter(codes)
    assert time.monotonic() - started < 25
