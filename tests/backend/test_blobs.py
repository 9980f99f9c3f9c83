"""Resumable, content-addressed uploads: offsets, checksums, verification, no overwrite, limits."""

import base64
import hashlib

from sqlmodel import select

from backend.attachments import service, storage
from backend.audit.models import AuditEvent
from tests.images import jpeg, png

OCTETS = {"Content-Type": "application/offset+octet-stream"}


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def put_chunk(api, digest, offset, chunk, checksum=True):
    headers = OCTETS | {"Upload-Offset": str(offset)}
    if checksum:
        headers["Upload-Checksum"] = "sha256 " + base64.b64encode(hashlib.sha256(chunk).digest()).decode()
    return api.patch(f"/blobs/{digest}", content=chunk, headers=headers)


def test_chunked_upload_resumes_and_verifies(as_, inspector):
    api = as_(inspector)
    data = jpeg(service.CHUNK_MAX + 1000)
    digest = sha(data)
    assert api.request("HEAD", f"/blobs/{digest}").status_code == 404
    r = api.post(f"/blobs/{digest}", json={"bytes": len(data), "mime": "image/jpeg"})
    assert r.status_code == 201 and r.json() == {"offset": 0, "bytes": len(data), "verified": False,
                                                  "chunk_max": service.CHUNK_MAX}  # fmt: skip
    assert api.post(f"/blobs/{digest}", json={"bytes": len(data), "mime": "image/jpeg"}).status_code == 200
    first = put_chunk(api, digest, 0, data[: service.CHUNK_MAX])
    assert first.status_code == 204 and first.headers["upload-offset"] == str(service.CHUNK_MAX)
    # A retry of an acknowledged chunk is told where to resume.
    again = put_chunk(api, digest, 0, data[: service.CHUNK_MAX])
    assert again.status_code == 409 and again.json()["offset"] == service.CHUNK_MAX
    head = api.request("HEAD", f"/blobs/{digest}")
    assert head.headers["upload-offset"] == str(service.CHUNK_MAX) and head.headers["blob-verified"] == "false"
    last = put_chunk(api, digest, service.CHUNK_MAX, data[service.CHUNK_MAX :])
    assert last.status_code == 200 and last.json()["verified"] is True
    assert storage.final_path(digest).read_bytes() == data
    assert api.get(f"/blobs/{digest}").content == data
    # A verified blob is never overwritten: later writes just report it verified.
    after = put_chunk(api, digest, 0, b"garbage")
    assert after.status_code == 200 and after.json()["verified"] is True
    assert storage.final_path(digest).read_bytes() == data


def test_wrong_bytes_are_discarded_never_verified(as_, inspector):
    api = as_(inspector)
    data = png(5000)
    digest = sha(data)
    api.post(f"/blobs/{digest}", json={"bytes": len(data), "mime": "image/png"})
    bad = put_chunk(api, digest, 0, png(5000))
    assert bad.status_code == 422 and bad.json()["code"] == "blob.hash_mismatch"
    assert not storage.is_verified(digest)
    assert api.request("HEAD", f"/blobs/{digest}").headers["upload-offset"] == "0"
    assert put_chunk(api, digest, 0, data).json()["verified"] is True


def test_chunk_checksum_is_checked(as_, inspector):
    api = as_(inspector)
    data = png(100)
    digest = sha(data)
    api.post(f"/blobs/{digest}", json={"bytes": len(data), "mime": "image/png"})
    headers = OCTETS | {"Upload-Offset": "0", "Upload-Checksum": "sha256 " + base64.b64encode(b"x" * 32).decode()}
    r = api.patch(f"/blobs/{digest}", content=data, headers=headers)
    assert r.status_code == 422 and r.json()["code"] == "blob.chunk_checksum"
    assert api.request("HEAD", f"/blobs/{digest}").headers["upload-offset"] == "0"


def test_limits_and_bad_requests(as_, inspector, other_district_inspector):
    api = as_(inspector)
    digest = sha(b"x")
    r = api.post(f"/blobs/{digest}", json={"bytes": 10**12, "mime": "image/jpeg"})
    assert r.status_code == 413 and r.json()["code"] == "blob.too_large"
    r = api.post(f"/blobs/{digest}", json={"bytes": 1, "mime": "application/x-msdownload"})
    assert r.json()["code"] == "blob.type_not_allowed"
    assert api.post("/blobs/NOT-A-HASH", json={"bytes": 1, "mime": "image/png"}).json()["code"] == "blob.invalid_hash"
    r = put_chunk(api, sha(b"never-created"), 0, b"never-created")
    assert r.status_code == 404 and r.json()["code"] == "blob.not_found"
    data = png(100)
    api.post(f"/blobs/{sha(data)}", json={"bytes": len(data), "mime": "image/png"})
    assert put_chunk(api, sha(data), 0, data + b"extra").json()["code"] == "blob.too_large"
    r = api.patch(f"/blobs/{sha(data)}", content=data, headers={"Upload-Offset": "0", "Content-Type": "image/png"})
    assert r.json()["code"] == "blob.content_type"
    put_chunk(api, sha(data), 0, data)
    assert as_(other_district_inspector).get(f"/blobs/{sha(data)}").status_code == 404


def test_a_partial_upload_is_its_uploaders_alone(as_, inspector, other_district_inspector):
    mine, theirs = as_(inspector), as_(other_district_inspector)
    data = png(3000)
    digest = sha(data)
    mine.post(f"/blobs/{digest}", json={"bytes": len(data), "mime": "image/png"})
    assert put_chunk(mine, digest, 0, data[:1000]).status_code == 204
    assert theirs.request("HEAD", f"/blobs/{digest}").status_code == 404  # no offset revealed
    r = put_chunk(theirs, digest, 1000, data[1000:2000])
    assert r.status_code == 404 and r.json()["code"] == "blob.not_found"
    r = theirs.post(f"/blobs/{digest}", json={"bytes": len(data), "mime": "image/png"})
    assert r.status_code == 409 and r.json()["code"] == "blob.upload_in_progress" and "offset" not in r.json()
    assert storage.offset(digest) == 1000  # nothing appended by the other user
    assert put_chunk(mine, digest, 1000, data[1000:]).json()["verified"] is True
    # Verified and content-addressed: whoever knows the hash has the bytes, so its presence is no secret.
    head = theirs.request("HEAD", f"/blobs/{digest}")
    assert head.status_code == 200 and head.headers["blob-verified"] == "true"
    again = theirs.post(f"/blobs/{digest}", json={"bytes": len(data), "mime": "image/png"})
    assert again.status_code == 200 and again.json()["verified"] is True
    assert put_chunk(theirs, digest, 0, b"garbage").json()["verified"] is True
    assert storage.final_path(digest).read_bytes() == data


def test_a_damaged_file_is_refused_on_read_and_audited(as_, inspector, session):
    api = as_(inspector)
    data = png(500)
    digest = sha(data)
    api.post(f"/blobs/{digest}", json={"bytes": len(data), "mime": "image/png"})
    put_chunk(api, digest, 0, data)
    storage.final_path(digest).write_bytes(b"bit rot")
    r = api.get(f"/blobs/{digest}")
    assert r.status_code == 500 and r.json()["code"] == "blob.integrity_failed"
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "blob.integrity_failure")).one()
    assert event.subject_id == digest and event.details["reason"] == "hash_mismatch"
    assert event.actor_id == inspector.id
