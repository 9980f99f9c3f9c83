"""The reference client end to end, over an in-process transport that runs the real engine."""

import hashlib
import os
from pathlib import Path

import httpx
import pytest

import sync.client
from sync.client import SyncAlarm, SyncClient, SyncHTTPError
from sync.hashing import content_hash, finding_key, inspection_content
from sync.ids import uuid7
from sync.outbox import Outbox
from sync.protocol import Status


@pytest.fixture
def tablet(server, tmp_path: Path):
    """Make a registered tablet: (client, outbox) for a user, sharing the fake server."""
    made: list[SyncClient] = []

    def make(user_id: str = "u-lead", role: str = "inspector", name: str = "t", **options) -> SyncClient:
        device_id, token = server.device(user_id, role)
        box = Outbox(tmp_path / f"{name}.sqlite", device_id=device_id)
        client = SyncClient("http://sync.test", token, box, transport=server.transport(), sleep=lambda s: None,
                            **options)  # fmt: skip
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()
        client.outbox.close()


def new_inspection(client: SyncClient, team: list[str] | None = None) -> str:
    iid = str(uuid7())
    client.outbox.enqueue("inspection.create", {"inspection_id": iid, "establishment_id": "e-1",
                                                "checklist": "construction@1", "team": team or []})  # fmt: skip
    return iid


def record(client: SyncClient, iid: str, item: str, base: int = 0, **fields) -> None:
    client.outbox.enqueue("finding.record", {"inspection_id": iid, "item_id": item, "base_version": base,
                                             "fields": fields})  # fmt: skip


def test_full_inspection_round_trip(tablet, server, store) -> None:
    client = tablet(batch_size=3)
    iid = new_inspection(client)
    for i in range(7):
        record(client, iid, f"item.{i}", status="compliant" if i % 2 else "non_compliant")
    photo = os.urandom(5000)
    sha = client.upload_blob(photo, "image/jpeg")
    client.outbox.enqueue("photo.attach", {"photo_id": str(uuid7()), "inspection_id": iid, "sha256": sha,
                                           "bytes": len(photo), "mime": "image/jpeg"})  # fmt: skip
    report, pulled = client.sync()
    assert report.sent == 9 and report.last_seq == 9 and pulled == store.current_version()
    assert all(r.outcome == Status.applied for r in report.results)
    actor = server.tokens[client._token]
    assert client.outbox.pending() == [] and client.outbox.replica() == store.visible(actor)
    client.outbox.check()
    digest = content_hash(inspection_content(client.outbox.replica(), iid))
    client.outbox.enqueue("inspection.submit", {"inspection_id": iid, "content_hash": digest})
    report = client.push()
    assert report.results[0].outcome == Status.applied, report.results[0]
    assert report.results[0].data["server_hash"] == digest
    assert sum(path.endswith("/sync/push") for _, path in server.requests) == 4, "batches of 3+3+3, then 1"


@pytest.mark.parametrize("fault", ["drop_after", "drop_before", "503", "in_progress"])
def test_retries_apply_each_mutation_exactly_once(tablet, server, store, fault: str) -> None:
    client = tablet()
    iid = new_inspection(client)
    for i in range(3):
        client.outbox.enqueue("finding.note", {"note_id": str(uuid7()), "inspection_id": iid, "item_id": "a.1",
                                               "text": f"n{i}"})  # fmt: skip
    server.faults = [fault, fault]
    report = client.push()
    assert report.last_seq == 4 and client.outbox.pending() == []
    assert len(store.applied_records()) == 4 and len(store.rows("note")) == 3, "exactly once"
    expected = Status.duplicate if fault == "drop_after" else Status.applied
    assert [r.outcome for r in report.results] == [expected] * 4
    assert all(r.final().outcome == Status.applied for r in report.results)


def test_gives_up_after_max_attempts_and_keeps_the_outbox(tablet, server) -> None:
    client = tablet(max_attempts=3)
    new_inspection(client)
    server.faults = ["503"] * 3
    with pytest.raises(SyncHTTPError) as err:
        client.push()
    assert err.value.status == 503 and len(client.outbox.pending()) == 1
    server.faults = ["drop_before"] * 3
    with pytest.raises(httpx.ConnectError):
        client.push()
    assert len(client.outbox.pending()) == 1
    assert client.push().last_seq == 1


def test_token_refresh_on_401(tablet, server) -> None:
    client = tablet()
    token = next(iter(server.tokens))
    calls: list[int] = []
    client._token = lambda: (calls.append(1), token)[1]
    new_inspection(client)
    server.faults = ["401"]
    assert client.push().last_seq == 1 and len(calls) == 2
    client._token = "wrong"
    new_inspection(client)
    with pytest.raises(SyncHTTPError) as err:
        client.push()
    assert err.value.status == 401 and len(client.outbox.pending()) == 1


def test_resends_from_the_expected_seq_after_a_gap(tablet, server, store) -> None:
    client = tablet()
    iid = new_inspection(client)
    record(client, iid, "a.1", status="compliant")
    record(client, iid, "a.2", status="compliant")
    report = client.push(from_seq=2)
    assert report.last_seq == 3 and client.outbox.pending() == []
    assert len(store.applied_records()) == 3


def test_alarm_when_the_server_lost_what_the_device_pruned(tablet, server, store) -> None:
    client = tablet()
    new_inspection(client)
    client.push()
    store._state.devices[client.outbox.device_id] = ("u-lead", 0)  # the server was restored from an old backup
    store._state.applied.clear()
    store._state.seqs.clear()
    new_inspection(client)
    with pytest.raises(SyncAlarm):
        client.push()
    assert [m.seq for m in client.outbox.pending()] == [2], "nothing skipped, nothing dropped"


def test_conflicts_and_rejections_are_final_and_kept_for_the_user(tablet, server, store) -> None:
    lead = tablet("u-lead", name="lead")
    second = tablet("u-two", name="second")
    iid = new_inspection(lead, team=["u-two"])
    lead.push()
    record(lead, iid, "a.1", status="compliant")
    record(second, iid, "a.1", status="non_compliant")
    second.outbox.enqueue("nothing.known", {})
    lead.push()
    report = second.push()
    assert [(r.outcome, r.reason) for r in report.results] == [
        (Status.conflict, "field_conflict"), (Status.rejected, "unknown_mutation"),
    ]  # fmt: skip
    assert second.outbox.pending() == []
    assert [r.outcome for r in second.outbox.outcomes()] == [Status.conflict, Status.rejected]
    second.pull()
    finding = second.outbox.replica()["finding"][finding_key(iid, "a.1")]
    assert finding["fields"]["status"] == "compliant" and "status" in finding["fields_conflicts"]


def test_pull_in_small_pages_resumes_after_a_lost_page(tablet, server, store) -> None:
    client = tablet(pull_limit=2)
    iid = new_inspection(client)
    for i in range(6):
        record(client, iid, f"a.{i}", status="compliant")
    client.push()
    server.faults = [None, "drop_after"]  # the second page's response is lost
    with pytest.raises(httpx.ReadError):
        client.max_attempts = 1
        client.pull()
    assert client.outbox.cursor == 2
    client.max_attempts = 3
    assert client.pull() == store.current_version() - 2
    assert client.outbox.cursor == store.current_version()


def test_blob_upload_resumes_from_the_server_offset(tablet, server, store) -> None:
    client = tablet(chunk_size=1000)
    data = os.urandom(3500)
    sha = hashlib.sha256(data).hexdigest()
    # first attempt: the second chunk's response is lost, then the connection dies for good
    server.faults = [None, None, None, "drop_after"] + ["drop_before"] * 10
    with pytest.raises(httpx.ConnectError):
        client.upload_blob(data, "image/jpeg")
    assert len(server.uploads[sha].data) == 2000 and not server.uploads[sha].verified
    server.faults = []
    assert client.upload_blob(data, "image/jpeg") == sha
    assert bytes(server.uploads[sha].data) == data and store.blob_verified(sha)
    patches = [r for r in server.requests if r[0] == "PATCH"]
    assert len(patches) == 4, "chunks 1-2, then 3-4 after resuming (nothing sent twice)"
    before = len(server.requests)
    assert client.upload_blob(data, "image/jpeg") == sha
    assert server.requests[before:] == [("HEAD", f"/api/v1/blobs/{sha}")], "a verified blob is not re-sent"


def test_blob_with_wrong_bytes_is_never_verified(tablet, server, store, monkeypatch) -> None:
    client = tablet(chunk_size=1000)
    data = os.urandom(1500)
    sha = hashlib.sha256(data).hexdigest()
    liar = tablet(chunk_size=1000, name="liar")
    liar_data = os.urandom(1500)
    real_sha256 = hashlib.sha256

    class Lie:  # the liar's client claims its bytes hash to ``sha``
        def __init__(self, payload: bytes = b"") -> None:
            self._h = real_sha256(payload)

        def hexdigest(self) -> str:
            return sha if self._h.digest() == real_sha256(liar_data).digest() else self._h.hexdigest()

        def digest(self) -> bytes:
            return self._h.digest()

    with monkeypatch.context() as patch:
        patch.setattr(sync.client, "hashlib", type("H", (), {"sha256": Lie}))
        with pytest.raises(SyncHTTPError) as err:
            liar.upload_blob(liar_data, "image/jpeg")
    assert err.value.code == "blob.hash_mismatch"
    assert not store.blob_verified(sha) and len(server.uploads[sha].data) == 0, "the partial upload is discarded"
    assert client.upload_blob(data, "image/jpeg") == sha and store.blob_verified(sha)
    assert bytes(server.uploads[sha].data) == data


def test_concurrent_tablets_each_apply_exactly_once(tablet, server, store) -> None:
    import threading

    clients = [tablet(f"u-{i}", name=f"t{i}", batch_size=4) for i in range(4)]
    for c in clients:
        iid = new_inspection(c)
        for i in range(10):
            record(c, iid, f"a.{i}", status="compliant")
    server.faults = ["drop_after", None, "503", None, "drop_after"] * 4
    errors: list[BaseException] = []

    def run(c: SyncClient) -> None:
        try:
            c.sync()
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(store.applied_records()) == 44 and len(store.rows("finding")) == 40
    for c in clients:
        assert c.outbox.pending() == [] and store.device_last_seq(c.outbox.device_id) == 11
        c.outbox.check()
