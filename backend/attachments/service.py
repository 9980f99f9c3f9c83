"""Starting, resuming and verifying uploads; a verified blob is never overwritten."""

import base64
import hashlib
import re
import uuid
from dataclasses import dataclass
from datetime import timedelta

from sqlmodel import Session, col, select

from backend.attachments import content, storage
from backend.attachments.models import Blob
from backend.audit import service as audit_log
from backend.auth.models import User
from backend.config import settings
from backend.db import insert_once, utcnow
from backend.errors import Conflict, Invalid, NotFound, Problem, TooLarge

SHA256 = re.compile(r"^[0-9a-f]{64}$")
CHUNK_MAX = 1024 * 1024
MIME_TYPES = frozenset({"image/jpeg", "image/png", "image/webp", "application/pdf"})


@dataclass(frozen=True)
class Status:
    offset: int
    bytes: int
    verified: bool
    chunk_max: int = CHUNK_MAX


class StorageFull(Problem):
    status = 507
    title = "Insufficient storage"


class _Taken(Exception):
    """The blob row was inserted by another transaction between our check and our insert."""


def check_sha(sha256: str) -> str:
    if not SHA256.match(sha256):
        raise Invalid("blob.invalid_hash", "A blob is named by the 64 lowercase hex digits of its SHA-256.")
    return sha256


def _get(session: Session, sha256: str) -> Blob:
    blob = session.get(Blob, check_sha(sha256))
    if blob is None:
        raise NotFound("blob.not_found", "No upload for this hash; POST it first.")
    return blob


def _verify(session: Session, blob: Blob) -> None:
    if blob.verified_at is None and storage.is_verified(blob.sha256):
        blob.verified_at = utcnow()  # the file was promoted but the commit was lost
        session.add(blob)


def _visible(session: Session, user: User, sha256: str) -> Blob:
    """The blob, if ``user`` may learn about it: a verified blob to anyone (knowing its hash implies having its
    bytes), an upload still in progress only to the user who started it (its offset and bytes are theirs)."""
    blob = _get(session, sha256)
    _verify(session, blob)
    if blob.verified_at is None and blob.created_by != user.id:
        raise NotFound("blob.not_found", "No upload for this hash; POST it first.")
    return blob


def _status_of(blob: Blob) -> Status:
    done = blob.verified_at is not None
    return Status(offset=blob.bytes if done else storage.offset(blob.sha256), bytes=blob.bytes, verified=done)


def status(session: Session, user: User, sha256: str) -> Status:
    return _status_of(_visible(session, user, sha256))


def create(session: Session, user: User, sha256: str, *, size: int, mime: str) -> tuple[Status, bool]:
    """Start an upload, or return the existing one's status (idempotent). ``True`` when newly created."""
    check_sha(sha256)
    if size > settings.max_blob_bytes:
        raise TooLarge("blob.too_large", f"At most {settings.max_blob_bytes} bytes per file.",
                       max_bytes=settings.max_blob_bytes)  # fmt: skip
    if mime not in MIME_TYPES:
        raise Invalid("blob.type_not_allowed", f"Files of type {mime} are not accepted.", allowed=sorted(MIME_TYPES))
    existing = session.get(Blob, sha256)
    if existing is None:
        try:
            insert_once(session, _Taken(), Blob(sha256=sha256, bytes=size, mime=mime, created_by=user.id))
        except _Taken:  # a concurrent POST of the same hash (a retry overtaking its original) committed first
            existing = session.get(Blob, sha256)
            if existing is None:
                raise
    if existing is not None:
        _verify(session, existing)
        if existing.verified_at is None and existing.created_by != user.id and _claim_expired(existing):
            _take_over(session, existing, user, size=size, mime=mime)
        elif existing.verified_at is None and existing.created_by != user.id:
            raise Conflict("blob.upload_in_progress", "Another user is uploading this file; try again later.")
        return _status_of(existing), False
    storage.start(sha256)
    audit_log.record(session, user.id, "blob.create", "blob", sha256, bytes=size, mime=mime)
    return status(session, user, sha256), True


def append(session: Session, user: User, sha256: str, *, offset: int, data: bytes, checksum: str | None) -> Status:
    """Store one chunk durably at ``offset``; verify the whole blob once its last byte is in."""
    blob = _visible(session, user, sha256)
    current = _status_of(blob)
    if current.verified:
        return current
    if offset != current.offset:
        raise Conflict("blob.offset_mismatch", f"The upload is at byte {current.offset}.", offset=current.offset)
    if len(data) > CHUNK_MAX:
        raise TooLarge("blob.chunk_too_large", f"At most {CHUNK_MAX} bytes per chunk.", chunk_max=CHUNK_MAX)
    if offset + len(data) > blob.bytes:
        raise TooLarge("blob.too_large", "More bytes than the upload declared.", max_bytes=blob.bytes)
    if checksum is not None and checksum != base64.b64encode(hashlib.sha256(data).digest()).decode():
        raise Invalid("blob.chunk_checksum", "The chunk does not match its Upload-Checksum; send it again.")
    if offset == 0 and (len(data) >= content.HEAD or len(data) == blob.bytes):
        content.check_head(blob.mime, data[: content.HEAD])  # refused before a byte is stored
    try:
        new_offset = storage.append(sha256, offset, data)
    except storage.StorageFull as exc:
        raise StorageFull("blob.storage_full", "The server's storage is full; the chunk was not stored. Try later.",
                          offset=offset) from exc  # fmt: skip
    if new_offset < blob.bytes:
        return Status(offset=new_offset, bytes=blob.bytes, verified=False)
    if storage.digest_of_partial(sha256) != sha256:
        storage.discard(sha256)
        storage.start(sha256)
        raise Invalid("blob.hash_mismatch", "The bytes do not hash to the blob's name; the upload was discarded.")
    _check_content(blob)
    storage.promote(sha256)
    blob.verified_at = utcnow()
    session.add(blob)
    audit_log.record(session, user.id, "blob.verify", "blob", sha256, bytes=blob.bytes)
    return Status(offset=blob.bytes, bytes=blob.bytes, verified=True)


def _check_content(blob: Blob) -> None:
    """The complete file's bytes against its declared type (magic number, image header and pixel limit); a
    refused file is discarded, so the upload starts again from byte 0 and is never verified."""
    try:
        with storage.open_partial(blob.sha256) as f:
            content.check_file(blob.mime, f)
    except Invalid:
        storage.discard(blob.sha256)
        storage.start(blob.sha256)
        raise


def _claim_expired(blob: Blob) -> bool:
    """An upload in progress is its uploader's for ``LI_BLOB_CLAIM_MINUTES``; then anyone may take it over, so
    nobody blocks a colleague's evidence by claiming its hash first (hardening, issue 21)."""
    return blob.created_at + timedelta(minutes=settings.blob_claim_minutes) < utcnow()


def _take_over(session: Session, blob: Blob, user: User, *, size: int, mime: str) -> None:
    """The expired claim's partial bytes are dropped; the newcomer uploads from byte 0 and becomes the uploader."""
    storage.discard(blob.sha256)
    storage.start(blob.sha256)
    audit_log.record(session, user.id, "blob.take_over", "blob", blob.sha256, previous_uploader=blob.created_by)
    blob.created_by, blob.created_at, blob.bytes, blob.mime = user.id, utcnow(), size, mime
    session.add(blob)
    session.flush()


def unverified(session: Session, hashes: list[str]) -> list[str]:
    """Those of ``hashes`` that are not (yet) verified blobs."""
    wanted = set(hashes)
    if not wanted:
        return []
    done = session.exec(select(Blob.sha256).where(col(Blob.sha256).in_(wanted), col(Blob.verified_at).is_not(None)))
    verified = set(done.all())
    return sorted(h for h in wanted if h not in verified and not storage.is_verified(h))


def get_verified(session: Session, sha256: str) -> Blob:
    blob = _get(session, sha256)
    _verify(session, blob)
    if blob.verified_at is None:
        raise NotFound("blob.not_found", "This upload is not complete.")
    return blob


def intact(session: Session, blob: Blob, *, actor_id: uuid.UUID) -> bool:
    """Verify on read: re-hash the stored file. A file that no longer matches its name (or is gone) is an
    integrity event, audited in the caller's transaction, which must then commit (answer, do not raise)."""
    found = storage.digest_of_final(blob.sha256)
    if found == blob.sha256:
        return True
    audit_log.record(session, actor_id, "blob.integrity_failure", "blob", blob.sha256,
                     reason="missing" if found is None else "hash_mismatch", found_sha256=found)  # fmt: skip
    return False


def put_bytes(session: Session, user: User, data: bytes, mime: str) -> str:
    """Store a whole file through the same create/append path an upload takes; returns its hash."""
    sha256 = hashlib.sha256(data).hexdigest()
    current, _ = create(session, user, sha256, size=len(data), mime=mime)
    while not current.verified:
        chunk = data[current.offset : current.offset + CHUNK_MAX]
        current = append(session, user, sha256, offset=current.offset, data=chunk, checksum=None)
    return sha256
