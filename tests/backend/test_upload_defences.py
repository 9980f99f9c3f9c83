"""Upload defences (issue 21): an upload in progress is claimed for a while only, downloads are never sniffed
(images inline, anything else as an attachment), and a full disk never leaves a partial blob counted."""

import hashlib
import os
import subprocess
from datetime import timedelta

import pytest
from sqlmodel import select
from test_blobs import put_chunk, sha

from backend.attachments.models import Blob
from backend.audit.models import AuditEvent
from backend.config import settings
from tests.images import jpeg, png


def upload(api, data, mime):
    digest = sha(data)
    assert api.post(f"/blobs/{digest}", json={"bytes": len(data), "mime": mime}).status_code == 201
    assert put_chunk(api, digest, 0, data).status_code == 200
    return digest


def test_an_abandoned_claim_expires_and_a_colleague_uploads_the_evidence(as_, session, inspector, supervisor):
    squatter, colleague = as_(supervisor), as_(inspector)
    data = png(3000)
    digest = sha(data)
    assert squatter.post(f"/blobs/{digest}", json={"bytes": len(data), "mime": "image/png"}).status_code == 201
    assert put_chunk(squatter, digest, 0, data[:1000]).status_code == 204
    held = colleague.post(f"/blobs/{digest}", json={"bytes": len(data), "mime": "image/png"})
    assert held.status_code == 409 and held.json()["code"] == "blob.upload_in_progress"  # still claimed
    blob = session.get(Blob, digest)
    blob.created_at -= timedelta(minutes=settings.blob_claim_minutes + 1)
    session.add(blob)
    session.flush()
    taken = colleague.post(f"/blobs/{digest}", json={"bytes": len(data), "mime": "image/png"})
    assert taken.status_code == 200 and taken.json()["offset"] == 0, taken.text  # from the start, as uploader
    assert put_chunk(colleague, digest, 0, data).json()["verified"] is True
    assert session.get(Blob, digest).created_by == inspector.id
    assert put_chunk(squatter, digest, 1000, data[1000:]).json()["verified"] is True  # verified: acknowledged
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "blob.take_over")).one()
    assert event.details["previous_uploader"] == str(supervisor.id)


def test_downloads_are_never_sniffed_and_only_images_are_inline(as_, inspector):
    api = as_(inspector)
    photo = upload(api, jpeg(500), "image/jpeg")
    paper = upload(api, b"%PDF-1.7\n" + os.urandom(500), "application/pdf")
    shown = api.get(f"/blobs/{photo}")
    assert shown.status_code == 200 and shown.headers["content-disposition"] == "inline"
    assert shown.headers["x-content-type-options"] == "nosniff"
    saved = api.get(f"/blobs/{paper}")
    assert saved.headers["content-disposition"].startswith("attachment")
    assert saved.headers["x-content-type-options"] == "nosniff"


@pytest.fixture
def small_disk(tmp_path, monkeypatch):
    """A real 1 MiB file system (tmpfs) as the attachments directory (the tests run as root, as CI does)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)], check=True)
    monkeypatch.setattr(settings, "attachments_dir", mount)
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=True)


def test_a_full_disk_never_leaves_a_partial_blob_counted_or_verified(as_, session, inspector, small_disk):
    api = as_(inspector)
    data = jpeg(600 * 1024)
    digest = sha(data)
    filler = small_disk / "filler"
    filler.write_bytes(b"\0" * (700 * 1024))
    assert api.post(f"/blobs/{digest}", json={"bytes": len(data), "mime": "image/jpeg"}).status_code == 201
    full = put_chunk(api, digest, 0, data)
    assert full.status_code == 507 and full.json()["code"] == "blob.storage_full", full.text
    head = api.request("HEAD", f"/blobs/{digest}")
    assert head.headers["upload-offset"] == "0" and head.headers["blob-verified"] == "false"
    assert session.get(Blob, digest).verified_at is None
    assert not (small_disk / "blobs").exists() or not any((small_disk / "blobs").rglob(digest))
    filler.unlink()  # space again: the same chunk is stored and verified
    done = put_chunk(api, digest, 0, data)
    assert done.status_code == 200 and done.json()["verified"] is True
    assert hashlib.sha256(api.get(f"/blobs/{digest}").content).hexdigest() == digest
