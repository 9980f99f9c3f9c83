"""Blob bytes on disk. The partial file's size is the upload offset; a file reaches ``blobs/`` only verified.

Every chunk is fsynced before it is acknowledged, and a verified file is moved into place atomically, so a
crash at any point leaves either a shorter partial upload or a complete, verified blob.
"""

import errno
import hashlib
import os
from pathlib import Path
from typing import BinaryIO

from backend.config import settings

CHUNK_READ = 1024 * 1024


def _root() -> Path:
    return Path(settings.attachments_dir)


def final_path(sha256: str) -> Path:
    return _root() / "blobs" / sha256[:2] / sha256


def partial_path(sha256: str) -> Path:
    return _root() / "partial" / f"{sha256}.part"


def is_verified(sha256: str) -> bool:
    return final_path(sha256).is_file()


def offset(sha256: str) -> int:
    path = partial_path(sha256)
    return path.stat().st_size if path.exists() else 0


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def start(sha256: str) -> None:
    path = partial_path(sha256)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        path.touch()
        _fsync_dir(path.parent)


class StorageFull(OSError):
    """The disk (or quota) is full: the chunk was not stored and the partial file is back at its offset."""


FULL = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)


def append(sha256: str, at: int, data: bytes) -> int:
    """Write ``data`` at offset ``at`` (the current end) durably; returns the new offset. When the disk is full,
    whatever of the chunk reached the file is cut off again (hardening, issue 21), so the offset never counts
    bytes that were not stored durably."""
    path = partial_path(sha256)
    with path.open("r+b") as f:
        f.truncate(at)
        f.seek(at)
        try:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        except OSError as exc:
            if exc.errno not in FULL:
                raise
            f.truncate(at)
            os.fsync(f.fileno())
            raise StorageFull(exc.errno, "no space left for the upload") from exc
    return at + len(data)


def _digest(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(CHUNK_READ):
            h.update(block)
    return h.hexdigest()


def digest_of_partial(sha256: str) -> str:
    return _digest(partial_path(sha256))


def open_partial(sha256: str) -> BinaryIO:
    """The partial upload for reading (its content checked before it is verified)."""
    return partial_path(sha256).open("rb")


def digest_of_final(sha256: str) -> str | None:
    """The SHA-256 of the stored, verified file now, or None when it is gone."""
    path = final_path(sha256)
    return _digest(path) if path.is_file() else None


def promote(sha256: str) -> None:
    """Move a verified partial upload into place (atomic rename; never overwrites a verified blob)."""
    target = final_path(sha256)
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        partial_path(sha256).unlink(missing_ok=True)
        return
    os.replace(partial_path(sha256), target)
    _fsync_dir(target.parent)


def discard(sha256: str) -> None:
    partial_path(sha256).unlink(missing_ok=True)


def open_blob(sha256: str) -> Path:
    return final_path(sha256)


# ops: an S3-compatible object store instead of the filesystem (LI_ATTACHMENT_STORE=s3): the same operations.
if settings.attachment_store == "s3":
    from backend.attachments.s3store import S3Store

    _s3 = S3Store.from_settings()
    is_verified, offset, start, append = _s3.is_verified, _s3.offset, _s3.start, _s3.append
    digest_of_partial, digest_of_final, promote = _s3.digest_of_partial, _s3.digest_of_final, _s3.promote
    discard, open_blob, open_partial = _s3.discard, _s3.open_blob, _s3.open_partial
