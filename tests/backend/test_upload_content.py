"""An upload's bytes must be what it declares (hardening, issue 21): the magic number is checked on the first
chunk and again on the whole file, images are opened by their header within ``LI_MAX_IMAGE_PIXELS`` (a
decompression bomb is refused without being decoded), and a refused file is discarded, never verified."""

import io
import os
import struct
import zlib

import pytest
from PIL import Image
from test_blobs import put_chunk, sha

from backend.attachments import storage
from backend.attachments.models import Blob
from backend.config import settings
from tests.images import jpeg, png


def start(api, data: bytes, mime: str) -> str:
    digest = sha(data)
    assert api.post(f"/blobs/{digest}", json={"bytes": len(data), "mime": mime}).status_code == 201
    return digest


def assert_nothing_kept(api, session, digest: str) -> None:
    head = api.request("HEAD", f"/blobs/{digest}")
    assert head.headers["upload-offset"] == "0" and head.headers["blob-verified"] == "false"
    assert session.get(Blob, digest).verified_at is None and not storage.is_verified(digest)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def bomb_png(side: int) -> bytes:
    """A real, valid PNG of ``side`` x ``side`` black pixels: a few hundred KB that decode to 3 * side**2 bytes."""
    packer = zlib.compressobj(9)
    row = b"\x00" + b"\x00" * 3 * side
    idat = b"".join(packer.compress(row) for _ in range(side)) + packer.flush()
    header = struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", idat) + _chunk(b"IEND", b"")


@pytest.mark.parametrize(
    ("mime", "data"),
    [
        ("image/jpeg", png(3000)),  # a PNG declared as a JPEG
        ("image/png", b"<html><script>alert(1)</script></html>" + os.urandom(3000)),  # a page posing as a photo
        ("image/webp", b"RIFF\x00\x10\x00\x00WAVEfmt " + os.urandom(3000)),  # RIFF, but audio
        ("application/pdf", b"MZ\x90\x00" + os.urandom(3000)),  # a Windows program declared as a PDF
    ],
)
def test_a_first_chunk_that_is_not_its_declared_type_is_refused_before_it_is_stored(as_, session, inspector, mime,
                                                                                     data):  # fmt: skip
    api = as_(inspector)
    digest = start(api, data, mime)
    refused = put_chunk(api, digest, 0, data[:1000])
    assert refused.status_code == 422 and refused.json()["code"] == "blob.content_mismatch", refused.text
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["declared"] == mime
    assert_nothing_kept(api, session, digest)


def test_a_file_whose_magic_number_is_right_but_is_no_image_is_discarded_when_complete(as_, session, inspector):
    api = as_(inspector)
    fake = b"\xff\xd8\xff\xe0" + os.urandom(2500)  # a JPEG's first bytes, then noise
    digest = start(api, fake, "image/jpeg")
    assert put_chunk(api, digest, 0, fake[:1000]).status_code == 204  # the magic number passes
    refused = put_chunk(api, digest, 1000, fake[1000:])
    assert refused.status_code == 422 and refused.json()["code"] == "blob.content_mismatch", refused.text
    assert_nothing_kept(api, session, digest)  # the partial file is gone: the upload starts again from byte 0
    # a real photo under another name is verified as before
    photo = jpeg(2500)
    assert put_chunk(api, start(api, photo, "image/jpeg"), 0, photo).json()["verified"] is True


def test_a_decompression_bomb_is_refused_from_its_header_and_never_verified(as_, session, inspector):
    api = as_(inspector)
    bomb = bomb_png(8000)  # 64 million pixels (192 MB decoded) in a few hundred KB
    assert len(bomb) < 1024 * 1024 and settings.max_image_pixels < 8000 * 8000
    with Image.open(io.BytesIO(bomb)) as image:
        assert image.size == (8000, 8000)  # a well-formed image: only its size is wrong
    digest = start(api, bomb, "image/png")
    refused = put_chunk(api, digest, 0, bomb)
    assert refused.status_code == 422 and refused.json()["code"] == "blob.image_too_large", refused.text
    assert refused.json()["max_pixels"] == settings.max_image_pixels
    assert refused.json()["width"] == 8000 and refused.json()["height"] == 8000
    assert_nothing_kept(api, session, digest)


def test_the_pixel_limit_is_the_setting(as_, session, inspector, monkeypatch):
    api = as_(inspector)
    monkeypatch.setattr(settings, "max_image_pixels", 60)
    small, large = png(200, width=6, height=10), png(200, width=8, height=8)
    assert put_chunk(api, start(api, small, "image/png"), 0, small).json()["verified"] is True  # 60 pixels
    digest = start(api, large, "image/png")
    refused = put_chunk(api, digest, 0, large)  # 64 pixels
    assert refused.status_code == 422 and refused.json()["code"] == "blob.image_too_large"
    assert_nothing_kept(api, session, digest)


def test_real_images_of_each_accepted_type_are_verified(as_, inspector):
    api = as_(inspector)
    out = io.BytesIO()
    Image.new("RGB", (16, 16), (10, 200, 30)).save(out, "WEBP")
    for mime, data in [("image/jpeg", jpeg(900)), ("image/png", png(900)), ("image/webp", out.getvalue()),
                       ("application/pdf", b"%PDF-1.7\n" + os.urandom(900))]:  # fmt: skip
        done = put_chunk(api, start(api, data, mime), 0, data)
        assert done.status_code == 200 and done.json()["verified"] is True, (mime, done.text)
