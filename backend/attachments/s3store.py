"""Blob bytes in an S3-compatible object store (``LI_ATTACHMENT_STORE=s3``), so several app servers share them:
the same operations as ``storage`` (the filesystem store). A partial upload is one object per acknowledged
chunk (``partial/<sha256>/<offset>``), so any server can take the next chunk; the verified blob is one object
(``blobs/<aa>/<sha256>``), written once. Reads are served from a local cache file (blobs never change)."""

import hashlib
import io
from pathlib import Path
from typing import Any, BinaryIO

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from backend.config import settings

PART_DIGITS = 12


class S3Store:
    def __init__(self, bucket: str, cache_dir: Path, **client: Any) -> None:
        self.bucket = bucket
        self.cache_dir = cache_dir
        self.s3 = boto3.client("s3", config=Config(retries={"max_attempts": 5, "mode": "standard"}), **client)

    @classmethod
    def from_settings(cls) -> "S3Store":
        secret = settings.s3_secret_access_key
        return cls(
            settings.s3_bucket,
            Path(settings.attachments_dir) / "cache",
            endpoint_url=settings.s3_endpoint_url or None,
            region_name=settings.s3_region,
            aws_access_key_id=settings.s3_access_key_id or None,
            aws_secret_access_key=secret.get_secret_value() if secret else None,
        )

    # --- keys ------------------------------------------------------------------------------------------------
    @staticmethod
    def _final(sha256: str) -> str:
        return f"blobs/{sha256[:2]}/{sha256}"

    @staticmethod
    def _part(sha256: str, at: int) -> str:
        return f"partial/{sha256}/{at:0{PART_DIGITS}d}"

    def _parts(self, sha256: str) -> list[tuple[int, str, int]]:
        """(offset, key, size) of the partial upload's chunks, in order."""
        found = []
        for page in self.s3.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=f"partial/{sha256}/"):
            for obj in page.get("Contents", []):
                found.append((int(obj["Key"].rsplit("/", 1)[1]), obj["Key"], int(obj["Size"])))
        return sorted(found)

    def _exists(self, key: str) -> bool:
        try:
            self.s3.head_object(Bucket=self.bucket, Key=key)
            return True
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return False
            raise

    # --- the store's operations ------------------------------------------------------------------------------
    def is_verified(self, sha256: str) -> bool:
        return self._exists(self._final(sha256))

    def offset(self, sha256: str) -> int:
        return sum(size for _, _, size in self._parts(sha256))

    def start(self, sha256: str) -> None:
        return None  # a partial upload with no chunk has offset 0

    def append(self, sha256: str, at: int, data: bytes) -> int:
        """Store ``data`` at offset ``at`` (the current end; chunks from ``at`` on are dropped first)."""
        for start, key, _ in self._parts(sha256):
            if start >= at:
                self.s3.delete_object(Bucket=self.bucket, Key=key)
        self.s3.put_object(Bucket=self.bucket, Key=self._part(sha256, at), Body=data)
        return at + len(data)

    def _partial_bytes(self, sha256: str) -> bytes:
        out = bytearray()
        for start, key, _ in self._parts(sha256):
            if start != len(out):
                break  # a gap: what follows is not part of the upload
            out += self.s3.get_object(Bucket=self.bucket, Key=key)["Body"].read()
        return bytes(out)

    def digest_of_partial(self, sha256: str) -> str:
        return hashlib.sha256(self._partial_bytes(sha256)).hexdigest()

    def open_partial(self, sha256: str) -> BinaryIO:
        return io.BytesIO(self._partial_bytes(sha256))

    def digest_of_final(self, sha256: str) -> str | None:
        try:
            body = self.s3.get_object(Bucket=self.bucket, Key=self._final(sha256))["Body"].read()
        except ClientError:
            return None
        return hashlib.sha256(body).hexdigest()

    def promote(self, sha256: str) -> None:
        """Write the verified blob once (never overwrites one), then drop the chunks."""
        if not self.is_verified(sha256):
            self.s3.put_object(Bucket=self.bucket, Key=self._final(sha256), Body=self._partial_bytes(sha256))
        self.discard(sha256)

    def discard(self, sha256: str) -> None:
        for _, key, _ in self._parts(sha256):
            self.s3.delete_object(Bucket=self.bucket, Key=key)

    def open_blob(self, sha256: str) -> Path:
        """A local file with the blob's bytes (downloaded once per server; re-fetched if it does not verify)."""
        path = self.cache_dir / sha256[:2] / sha256
        if path.is_file() and hashlib.sha256(path.read_bytes()).hexdigest() == sha256:
            return path
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        self.s3.download_file(self.bucket, self._final(sha256), str(tmp))
        tmp.replace(path)
        return path
