"""photo.detach on the SQL handlers: a photo removed from a draft leaves the finding's evidence and the content
hash, stays pulled as a tombstone, and cannot be removed once the inspection is submitted."""

import hashlib

from backend.db import uuid7
from sync.hashing import build_content, content_hash
from tests.backend.devices import CHECKLIST, answer, create, items, upload
from tests.images import jpeg

ITEM = "ga.est.01"
HEADER = {"visit_date": "2026-11-02", "location": "Gate 2"}


def test_a_detached_photo_leaves_the_evidence_and_the_hash(lead, world, checklist, as_, inspector):
    iid = create(lead, world, checklist, **HEADER)
    fields = {}
    for item in items(checklist):
        fields[item["id"]] = answer(item)
        lead.send("finding.record", inspection_id=iid, item_id=item["id"], base_version=0, fields=fields[item["id"]])
    photo = jpeg(600)
    sha = hashlib.sha256(photo).hexdigest()
    photo_id = str(uuid7())
    attached = lead.send("photo.attach", photo_id=photo_id, inspection_id=iid, item_id=ITEM, sha256=sha,
                         bytes=len(photo), mime="image/jpeg")  # fmt: skip
    assert attached["outcome"] == "applied"
    upload(lead.api, photo)
    evidence = {f["item_id"]: f["evidence"] for f in as_(inspector).get(f"/inspections/{iid}").json()["findings"]}
    assert evidence[ITEM] == [sha]

    done = lead.send("photo.detach", photo_id=photo_id, inspection_id=iid)
    assert done["outcome"] == "applied", done
    again = lead.send("photo.detach", photo_id=photo_id, inspection_id=iid)
    assert again["outcome"] == "applied" and again["server_version"] == done["server_version"]
    missing = lead.send("photo.detach", photo_id=str(uuid7()), inspection_id=iid)
    assert (missing["outcome"], missing["reason"]) == ("rejected", "not_found")
    pulled = lead.pull_all()["photo"][photo_id]
    assert pulled["detached"] is True and pulled["sha256"] == sha
    record = as_(inspector).get(f"/inspections/{iid}").json()
    assert {f["item_id"]: f["evidence"] for f in record["findings"]}[ITEM] == []
    assert record["photos"] == []  # the domain record (and so the snapshot) no longer holds it

    claimed = content_hash(build_content(iid, f"{CHECKLIST}@{checklist['version']}", HEADER, fields, {}, []))
    done = lead.send("inspection.submit", inspection_id=iid, content_hash=claimed)
    assert done["outcome"] == "applied", done
    late = lead.send("photo.detach", photo_id=photo_id, inspection_id=iid)
    assert (late["outcome"], late["reason"]) == ("rejected", "immutable")


def test_a_photo_attached_and_detached_in_one_push_leaves_no_domain_photo(lead, world, checklist, as_, inspector):
    iid = create(lead, world, checklist, **HEADER)
    photo = jpeg(600)
    photo_id = str(uuid7())
    attach = lead.mutation("photo.attach", photo_id=photo_id, inspection_id=iid, item_id=ITEM,
                           sha256=hashlib.sha256(photo).hexdigest(), bytes=len(photo), mime="image/jpeg")  # fmt: skip
    r = lead.push(attach, lead.mutation("photo.detach", photo_id=photo_id, inspection_id=iid))
    assert [x["outcome"] for x in r.json()["results"]] == ["applied", "applied"], r.text
    assert as_(inspector).get(f"/inspections/{iid}").json()["photos"] == []


def test_a_photo_of_any_size_the_protocol_allows_is_kept(lead, world, checklist, as_, inspector):
    """Sizes up to 2^53 - 1 are valid protocol numbers: the domain column holds them (BIGINT on PostgreSQL)."""
    iid = create(lead, world, checklist, **HEADER)
    big = 2**53 - 1
    done = lead.send("photo.attach", photo_id=str(uuid7()), inspection_id=iid, sha256="ab" * 32, bytes=big,
                     mime="image/jpeg", preview={"sha256": "cd" * 32, "bytes": big, "mime": "image/jpeg"})  # fmt: skip
    assert done["outcome"] == "applied", done
    (kept,) = as_(inspector).get(f"/inspections/{iid}").json()["photos"]
    assert (kept["bytes"], kept["preview_bytes"]) == (big, big)
