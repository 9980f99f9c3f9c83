"""Evidence is readable only through the record it belongs to (``backend/attachments/citations.py``): citing a
blob someone else uploaded is refused (REST 403 ``evidence.not_possessed``; sync ``rejected: forbidden`` with that
code), and a download needs the inspection to hold the file — cited there by its uploader, or in a version it
amends — so a hash seen once is no read capability. The team's, the supervisor's and the offline tablet's
(cite first, upload later) flows keep working."""

import hashlib
from datetime import UTC, datetime

import pytest
from sqlmodel import Session, select
from world import build_world

from backend import migrate
from backend.attachments import service as attachments
from backend.attachments.models import BlobCitation
from backend.checklists import service as checklists
from backend.config import settings
from backend.db import AppSession, make_engine, uuid7
from backend.inspections import findings
from backend.inspections import service as inspections
from backend.inspections.models import Finding
from backend.inspections.schemas import FindingRecord, InspectionCreate, PinnedChecklist
from tests.backend.conftest import fresh_url
from tests.backend.devices import CHECKLIST, Dev, create, upload
from tests.images import jpeg, png

ITEM = "ga.est.01"


@pytest.fixture
def checklist(as_, inspector):
    summary = next(c for c in as_(inspector).get("/checklists").json() if c["key"] == CHECKLIST)
    return as_(inspector).get(f"/checklists/{CHECKLIST}/{summary['version']}").json()


def start(api, establishment, checklist, **extra):
    body = {
        "establishment_id": str(establishment.id),
        "type": "planned",
        "checklists": [{"key": checklist["key"], "version": checklist["version"]}],
        "started_at": datetime(2026, 11, 2, 9, 0, tzinfo=UTC).isoformat(),
    } | extra
    r = api.post("/inspections", json=body)
    assert r.status_code == 201, r.text
    return r.json()


def cite(api, inspection_id, evidence, item=ITEM):
    body = {"checklist_key": CHECKLIST, "item_id": item, "status": "non_compliant", "evidence": evidence}
    return api.put(f"/inspections/{inspection_id}/findings", json=body)


def evidence(api, inspection_id, sha):
    return api.get(f"/inspections/{inspection_id}/evidence/{sha}")


def attach(dev, iid, sha, item=ITEM):
    return dev.send("photo.attach", photo_id=str(uuid7()), inspection_id=iid, item_id=item, sha256=sha, bytes=512,
                    mime="image/jpeg")  # fmt: skip


def test_over_rest_another_districts_inspector_cannot_cite_a_photo_to_read_it(as_, inspector, world, checklist):
    victim = as_(inspector)
    mine = start(victim, world.factory, checklist)
    photo = upload(victim)
    assert cite(victim, mine["id"], [photo]).status_code == 200
    thief = as_(world.other_district_inspector)
    theirs = start(thief, world.other_factory, checklist)
    r = cite(thief, theirs["id"], [photo])
    assert r.status_code == 403 and r.json()["code"] == "evidence.not_possessed", r.text
    assert r.json()["refused"] == [photo] and r.headers["content-type"] == "application/problem+json"
    assert thief.get(f"/inspections/{theirs['id']}").json()["findings"] == []  # nothing written
    assert evidence(thief, theirs["id"], photo).status_code == 404
    assert evidence(thief, mine["id"], photo).status_code == 404  # out of scope, as before
    assert evidence(as_(world.supervisor), mine["id"], photo).status_code == 200


def test_over_sync_a_photo_attach_of_someone_elses_blob_is_rejected(lead, as_, world, checklist):
    photo = upload(lead.api)
    own = create(lead, world, checklist)
    assert attach(lead, own, photo)["outcome"] == "applied"
    thief = Dev(as_, world.other_district_inspector)
    theirs = create(thief, world, checklist, establishment=world.other_factory)
    result = attach(thief, theirs, photo)
    assert result["outcome"] == "rejected" and result["reason"] == "forbidden", result
    assert result["data"]["code"] == "evidence.not_possessed"
    assert "photo" not in thief.pull_all() or not any(p["sha256"] == photo for p in thief.pull_all()["photo"].values())
    thief.send("finding.record", inspection_id=theirs, item_id=ITEM, base_version=0,
               fields={"status": "non_compliant"})  # fmt: skip
    assert evidence(thief.api, theirs, photo).status_code == 404


def test_a_hash_cited_before_its_upload_is_held_only_where_its_uploader_cited_it(lead, as_, world, checklist):
    """A former team member saw a hash in a pull before the photo was uploaded and cites it first: the upload by
    its owner does not make it readable through the thief's inspection."""
    data = jpeg(512)
    sha = hashlib.sha256(data).hexdigest()
    thief = Dev(as_, world.other_district_inspector)
    theirs = create(thief, world, checklist, establishment=world.other_factory)
    assert attach(thief, theirs, sha)["outcome"] == "applied"  # not uploaded yet: nothing to prove
    thief.send("finding.record", inspection_id=theirs, item_id=ITEM, base_version=0,
               fields={"status": "non_compliant"})  # fmt: skip
    own = create(lead, world, checklist)
    assert attach(lead, own, sha)["outcome"] == "applied"
    upload(lead.api, data)  # the owner's upload
    lead.send("finding.record", inspection_id=own, item_id=ITEM, base_version=0, fields={"status": "non_compliant"})
    assert evidence(thief.api, theirs, sha).status_code == 404
    r = cite(thief.api, theirs, [sha])  # already cited there, but never held: REST does not launder it
    assert r.status_code == 403 and r.json()["code"] == "evidence.not_possessed", r.text
    assert evidence(as_(world.supervisor), own, sha).status_code == 200


def test_the_offline_flow_cite_first_upload_later_is_read_by_the_team_and_the_supervisor(
    lead, second, as_, world, checklist, session
):
    data = jpeg(512)
    sha = hashlib.sha256(data).hexdigest()
    iid = str(uuid7())
    batch = lead.push(  # one push: the inspection, the photo not uploaded yet, the finding ...
        lead.mutation("inspection.create", inspection_id=iid, establishment_id=str(world.factory.id),
                      checklist=f"{checklist['key']}@{checklist['version']}", team=[second.user_id],
                      header={"visit_date": "2026-11-02"}),
        lead.mutation("photo.attach", photo_id=str(uuid7()), inspection_id=iid, item_id=ITEM, sha256=sha, bytes=512,
                      mime="image/jpeg"),
        lead.mutation("finding.record", inspection_id=iid, item_id=ITEM, base_version=0,
                      fields={"status": "non_compliant"}),
    )  # fmt: skip
    assert [r["outcome"] for r in batch.json()["results"]] == ["applied"] * 3, batch.text
    assert evidence(as_(world.supervisor), iid, sha).status_code == 404  # not uploaded yet
    upload(lead.api, data)  # ... the upload later, by the same user
    for user in (world.supervisor, world.second_inspector, world.inspector):
        r = evidence(as_(user), iid, sha)
        assert r.status_code == 200 and hashlib.sha256(r.content).hexdigest() == sha, r.text
    held = session.exec(select(BlobCitation).where(BlobCitation.sha256 == sha)).all()
    assert [(str(c.holder_id), str(c.cited_by)) for c in held] == [(iid, lead.user_id)]


def test_a_team_member_re_records_a_finding_with_a_colleagues_photo(as_, inspector, world, checklist):
    lead = as_(inspector)
    insp = start(lead, world.factory, checklist, team=[str(world.second_inspector.id)])
    photo = upload(lead)
    assert cite(lead, insp["id"], [photo]).status_code == 200
    colleague = as_(world.second_inspector)
    r = cite(colleague, insp["id"], [photo])
    assert r.status_code == 200, r.text
    own = upload(colleague)
    assert cite(colleague, insp["id"], [photo, own]).status_code == 200
    for sha in (photo, own):
        assert evidence(as_(world.supervisor), insp["id"], sha).status_code == 200


def test_an_amendment_carries_its_originals_evidence(as_, inspector, world, checklist):
    api = as_(inspector)
    original = start(api, world.factory, checklist)
    photo = upload(api)
    items = [i for s in checklist["definition"]["sections"] for i in s["items"]]
    for item in items:
        body = {"checklist_key": CHECKLIST, "item_id": item["id"], "status": "compliant"}
        if item["answer_type"] == "number":
            body["value"] = "1"
        elif item["answer_type"] == "choice":
            body["value"] = item["choices"][0]["en"]
        if item["id"] == ITEM:
            body |= {"status": "non_compliant", "evidence": [photo]}
        assert api.put(f"/inspections/{original['id']}/findings", json=body).status_code == 200
    assert api.post(f"/inspections/{original['id']}/submit", json={}).status_code == 200
    amendment = api.post(f"/inspections/{original['id']}/amendments", json={"reason": "Count corrected"}).json()
    assert evidence(as_(world.supervisor), amendment["id"], photo).status_code == 200
    r = cite(api, amendment["id"], [photo])  # the amendment edits the finding and keeps the photo
    assert r.status_code == 200, r.text
    assert evidence(as_(world.supervisor), amendment["id"], photo).status_code == 200


def test_the_upgrade_keeps_existing_evidence_readable_where_its_uploader_is_on_the_team(db_kind, request, tmp_path):
    """Migration 0010 backfills citations from the findings: by the uploader where the uploader is on the
    inspection's team; a citation of someone else's blob elsewhere is not carried over."""
    url = fresh_url(db_kind, request, "evidence_backfill", tmp_path)
    migrate.upgrade(url=url)
    engine = make_engine(url)
    try:
        with AppSession(engine, expire_on_commit=False) as session, session.begin():
            checklists.publish_dir(session, settings.checklists_dir, actor_id=None)
            world = build_world(session)
            version = next(c.version for c in checklists.list_published(session) if c.key == CHECKLIST)
            pinned = [PinnedChecklist(key=CHECKLIST, version=version)]

            def inspection(user, establishment):
                data = InspectionCreate(establishment_id=establishment.id, type="planned", checklists=pinned)
                return inspections.create(session, user, data)

            own = inspection(world.inspector, world.factory)
            sha = attachments.put_bytes(session, world.inspector, png(600), "image/png")
            findings.record(session, world.inspector, own, FindingRecord(
                checklist_key=CHECKLIST, item_id=ITEM, status="non_compliant", evidence=[sha]))  # fmt: skip
            stolen = inspection(world.other_district_inspector, world.other_factory)
            session.add(Finding(inspection_id=stolen.id, checklist_key=CHECKLIST, item_id=ITEM, status="non_compliant",
                                evidence=[sha], recorded_by=world.other_district_inspector.id))  # fmt: skip
        migrate.downgrade("0011_establishment_attributes", url=url)  # the revision before 0010
        migrate.upgrade(url=url)
        with Session(engine) as session:
            rows = {(c.holder_id, c.sha256, c.cited_by) for c in session.exec(select(BlobCitation)).all()}
        assert rows == {(own.id, sha, world.inspector.id)}
    finally:
        engine.dispose()
