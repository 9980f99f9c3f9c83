"""Counters beyond 32 bits, and check-then-insert races answering what the API documents (issue 13, item 7)."""

import hashlib
import os
import threading
import uuid
from collections import Counter
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from devices import create
from sqlalchemy import update
from sqlmodel import Session

from backend.checklists import loader
from backend.checklists import service as checklists
from backend.complaints import service as complaints
from backend.config import settings
from backend.device_sync.models import DeviceSyncState, SyncCounter
from backend.enforcement import service as enforcement
from backend.inspections.models import Inspection, InspectionInterview
from tests.backend.syncserver import SyncServer

BEYOND_32 = 2**31 + 1


# --- 64-bit counters --------------------------------------------------------------------------------------------


def test_a_pull_cursor_beyond_32_bits_is_answered_by_the_protocol(lead):
    r = lead.pull(cursor=2**31 + 5)
    assert r.status_code == 200, r.text
    assert r.json()["changes"] == [] and r.json()["cursor"] == 2**31 + 5


def test_counters_beyond_32_bits_keep_working(lead, world, checklist, session: Session):
    iid = create(lead, world, checklist)
    session.execute(update(SyncCounter).values(version=BEYOND_32))
    device = DeviceSyncState.device_id == uuid.UUID(lead.id)
    session.execute(update(DeviceSyncState).where(device).values(last_seq=BEYOND_32))
    session.expire_all()
    lead.seq = BEYOND_32
    item = checklist["definition"]["sections"][0]["items"][0]["id"]
    result = lead.send("finding.record", inspection_id=iid, item_id=item, base_version=0,
                       fields={"status": "compliant"})  # fmt: skip
    assert result["outcome"] == "applied", result
    page = lead.pull(cursor=BEYOND_32).json()
    assert page["last_seq"] == BEYOND_32 + 1
    assert page["changes"] and min(c["version"] for c in page["changes"]) > BEYOND_32


# --- the same POST /blobs/{sha} six times at once, on a real server ---------------------------------------------


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SyncServer]:
    tmp = tmp_path_factory.mktemp(f"races-{request.param}")
    url = request.getfixturevalue("pg_cluster").create_database("races") if request.param == "postgresql" else None
    srv = SyncServer(tmp, url).start()
    yield srv
    srv.stop()


def _post_at_once(server: SyncServer, token: str, sha: str, n: int) -> list[int | str]:
    """``n`` identical ``POST /blobs/{sha}``, released together; their status codes."""
    barrier, codes = threading.Barrier(n), []

    def post() -> None:
        barrier.wait()
        try:
            r = httpx.post(f"{server.url}/api/v1/blobs/{sha}", json={"bytes": 10, "mime": "image/jpeg"},
                           headers={"Authorization": f"Bearer {token}"}, timeout=30)  # fmt: skip
            codes.append(r.status_code)
        except httpx.HTTPError as exc:
            codes.append(type(exc).__name__)

    threads = [threading.Thread(target=post) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(40)
    return codes


def test_concurrent_identical_blob_creates_answer_one_201_and_the_rest_200(server):
    token = server.access_token()
    for _ in range(3):  # a few rounds: each a fresh hash, all six requests released at once
        sha = hashlib.sha256(os.urandom(32)).hexdigest()
        codes = _post_at_once(server, token, sha, 6)
        assert sorted(codes, key=str) == [200] * 5 + [201], Counter(codes)
        assert server.scalar("SELECT count(*) FROM blob WHERE sha256 = :s", s=sha) == 1


# --- the other check-then-insert places, the race forced: the check does not see the row the insert meets ------


def _complaint(world: Any, cid: str) -> dict[str, Any]:
    return {"id": cid, "establishment_id": str(world.factory.id), "summary": "s", "received_on": "2026-11-01"}


def test_a_complaint_id_taken_after_the_check_is_a_409(as_, inspector, world, monkeypatch):
    cid = str(uuid.uuid4())
    assert as_(inspector).post("/complaints", json=_complaint(world, cid)).status_code == 201
    monkeypatch.setattr(complaints, "exists", lambda *_a: False)
    r = as_(inspector).post("/complaints", json=_complaint(world, cid))
    assert (r.status_code, r.json()["code"]) == (409, "complaint.id_taken")


def test_an_action_id_taken_after_the_check_is_a_409(as_, inspector, lead, world, checklist, monkeypatch):
    iid = create(lead, world, checklist)
    body = {"id": str(uuid.uuid4()), "measure": "advice", "text": "t"}
    assert as_(inspector).post(f"/inspections/{iid}/actions", json=body).status_code == 201
    monkeypatch.setattr(enforcement, "exists", lambda *_a: False)
    r = as_(inspector).post(f"/inspections/{iid}/actions", json=body)
    assert (r.status_code, r.json()["code"]) == (409, "action.id_taken")


def _blind(monkeypatch: pytest.MonkeyPatch, session: Session, model: type, key: Any = None) -> None:
    """``session.get`` no longer finds ``model`` rows (or the one with ``key``): the check runs before a concurrent
    insert committed."""
    real = session.get

    def get(cls: type, k: Any, **kw: Any) -> Any:
        return None if cls is model and (key is None or str(k) == str(key)) else real(cls, k, **kw)

    monkeypatch.setattr(session, "get", get)


def test_an_inspection_or_interview_id_taken_after_the_check_is_a_409(
    as_, inspector, lead, world, checklist, session, monkeypatch
):
    iid = create(lead, world, checklist)
    body = {"id": iid, "establishment_id": str(world.factory.id), "type": "planned",
            "checklists": [{"key": checklist["key"], "version": checklist["version"]}]}  # fmt: skip
    interview = {"id": str(uuid.uuid4()), "men": 1}
    assert as_(inspector).post(f"/inspections/{iid}/interviews", json=interview).status_code == 201
    _blind(monkeypatch, session, Inspection)
    r = as_(inspector).post("/inspections", json=body)
    assert (r.status_code, r.json()["code"]) == (409, "inspection.id_taken")
    monkeypatch.undo()
    _blind(monkeypatch, session, InspectionInterview)
    r = as_(inspector).post(f"/inspections/{iid}/interviews", json=interview)
    assert (r.status_code, r.json()["code"]) == (409, "interview.id_taken")


def test_an_amendment_id_taken_after_the_check_is_a_409(as_, inspector, world, session, monkeypatch):
    from test_inspections import CHECKLIST, start, submitted

    api = as_(inspector)
    summary = next(c for c in api.get("/checklists").json() if c["key"] == CHECKLIST)
    checklist = api.get(f"/checklists/{CHECKLIST}/{summary['version']}").json()
    original = submitted(api, world, checklist)
    taken = start(api, world.factory, checklist)["id"]
    _blind(monkeypatch, session, Inspection, taken)
    r = api.post(f"/inspections/{original['id']}/amendments", json={"id": taken, "reason": "Wrong count"})
    assert (r.status_code, r.json()["code"]) == (409, "inspection.id_taken")
    monkeypatch.undo()
    assert api.get(f"/inspections/{original['id']}").json()["status"] == "submitted"


def test_a_checklist_published_concurrently_is_the_same_answer_as_published_before(session, monkeypatch):
    library = loader.load_library(settings.checklists_dir)
    checklist = library.checklists[0]
    real, calls = checklists._already, []

    def first_blind(*args: Any) -> Any:
        calls.append(1)
        return None if len(calls) == 1 else real(*args)  # the other start-up publishes after our check

    monkeypatch.setattr(checklists, "_already", first_blind)
    result = checklists.publish(session, checklist, actor_id=None)
    assert result.created is False and len(calls) == 2
