"""The attachment stores behind one set of operations: the filesystem store (default) and the S3-compatible
object store, the latter against moto's S3 server over real HTTP; the same tests for both. Then the whole app
on S3: a simulated tablet's photos uploaded through a real uvicorn land in the bucket, verified."""

import hashlib
import os
import socket
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import boto3
import pytest
from moto.server import ThreadedMotoServer

from backend import simulate
from backend.attachments import storage
from backend.attachments.s3store import S3Store
from tests.backend.syncserver import INSPECTOR, PASSWORD, SyncServer

OPERATIONS = ["is_verified", "offset", "start", "append", "digest_of_partial", "digest_of_final", "promote",
              "discard", "open_blob"]  # fmt: skip
KEYS = {"aws_access_key_id": "test", "aws_secret_access_key": "test", "region_name": "us-east-1"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def s3_url() -> Iterator[str]:
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


def _bucket(url: str, name: str) -> Any:
    client = boto3.client("s3", endpoint_url=url, **KEYS)
    client.create_bucket(Bucket=name)
    return client


@pytest.fixture(params=["filesystem", "s3"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    if request.param == "filesystem":
        return SimpleNamespace(**{name: getattr(storage, name) for name in OPERATIONS})
    url = request.getfixturevalue("s3_url")
    bucket = f"b-{os.urandom(4).hex()}"
    _bucket(url, bucket)
    return S3Store(bucket, tmp_path / "cache", endpoint_url=url, **KEYS)


def _blob(n: int) -> tuple[bytes, str]:
    data = os.urandom(n)
    return data, hashlib.sha256(data).hexdigest()


def test_chunks_resume_verify_and_read_back(store: Any) -> None:
    data, digest = _blob(300_000)
    assert not store.is_verified(digest) and store.digest_of_final(digest) is None
    store.start(digest)
    assert store.offset(digest) == 0
    assert store.append(digest, 0, data[:100_000]) == 100_000
    assert store.offset(digest) == 100_000
    assert store.append(digest, 100_000, data[100_000:]) == len(data)
    assert store.digest_of_partial(digest) == digest
    store.promote(digest)
    assert store.is_verified(digest) and store.digest_of_final(digest) == digest
    assert store.offset(digest) == 0  # the partial upload is gone
    assert Path(store.open_blob(digest)).read_bytes() == data


def test_a_resent_chunk_replaces_what_followed_its_offset(store: Any) -> None:
    data, digest = _blob(30_000)
    store.start(digest)
    store.append(digest, 0, data[:10_000])
    store.append(digest, 10_000, b"x" * 20_000)  # acknowledged bytes that turn out wrong
    store.append(digest, 10_000, data[10_000:])  # the client sends from 10 000 again
    assert store.offset(digest) == 30_000 and store.digest_of_partial(digest) == digest


def test_discard_forgets_a_partial_upload(store: Any) -> None:
    data, digest = _blob(5_000)
    store.start(digest)
    store.append(digest, 0, data[:1_000])
    store.discard(digest)
    assert store.offset(digest) == 0 and not store.is_verified(digest)


def test_a_verified_blob_is_never_overwritten(store: Any) -> None:
    data, digest = _blob(8_000)
    store.start(digest)
    store.append(digest, 0, data)
    store.promote(digest)
    store.start(digest)
    store.append(digest, 0, b"other bytes")
    store.promote(digest)
    assert store.digest_of_final(digest) == digest and store.offset(digest) == 0


def test_the_app_stores_photos_in_s3(s3_url: str, tmp_path: Path) -> None:
    client = _bucket(s3_url, "li-photos")
    server = SyncServer(tmp_path)
    server.env.update({"LI_ATTACHMENT_STORE": "s3", "LI_S3_ENDPOINT_URL": s3_url, "LI_S3_BUCKET": "li-photos",
                       "LI_S3_ACCESS_KEY_ID": "test", "LI_S3_SECRET_ACCESS_KEY": "test"})  # fmt: skip
    server.start()
    try:
        report = simulate.run(server.url, INSPECTOR, PASSWORD, 1, 1, 2, "general-administration")
        assert not report.errors and len(report.submitted) == 1, report.summary()
        verified = server.scalar("SELECT count(*) FROM blob WHERE verified_at IS NOT NULL")
        keys = [o["Key"] for o in client.list_objects_v2(Bucket="li-photos").get("Contents", [])]
        finals = [k for k in keys if k.startswith("blobs/")]
        assert verified >= 2 and len(finals) == verified, keys
        assert not [k for k in keys if k.startswith("partial/")]
        for key in finals:
            body = client.get_object(Bucket="li-photos", Key=key)["Body"].read()
            assert hashlib.sha256(body).hexdigest() == key.rsplit("/", 1)[1]
        assert not (tmp_path / "attachments" / "blobs").exists()  # nothing on the app server's disk
    finally:
        server.stop()
