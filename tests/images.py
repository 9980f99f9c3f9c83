"""Real, small images of an exact size for tests that upload photos (the server checks an upload's bytes
against its declared type and opens images: random bytes are no photo). Each call gives different bytes."""

import io
import os
import struct
import zlib

from PIL import Image

from backend.pngmaker import flat_png


def _colour() -> tuple[int, int, int]:
    r, g, b = os.urandom(3)
    return r, g, b


def png(size: int = 512, *, width: int = 8, height: int = 8) -> bytes:
    """A flat-colour PNG padded to exactly ``size`` bytes with a private ancillary chunk of random bytes."""
    base = flat_png(width, height, _colour())
    pad = size - len(base) - 12
    if pad < 0:
        raise ValueError(f"a {width}x{height} PNG needs at least {len(base) + 12} bytes")
    data = os.urandom(pad)
    chunk = struct.pack(">I", pad) + b"raNd" + data + struct.pack(">I", zlib.crc32(b"raNd" + data) & 0xFFFFFFFF)
    return base[:-12] + chunk + base[-12:]  # before IEND


def jpeg(size: int = 512, *, width: int = 8, height: int = 8) -> bytes:
    """A flat-colour JPEG padded to exactly ``size`` bytes with comment segments of random bytes."""
    out = io.BytesIO()
    Image.new("RGB", (width, height), _colour()).save(out, "JPEG", quality=20, optimize=True)
    base = out.getvalue()
    pad = size - len(base)
    segments = []
    while pad > 0:
        body = min(pad - 4, 65533)
        if body < 0:
            raise ValueError(f"a {width}x{height} JPEG needs {len(base)} bytes or at least 4 more")
        segments.append(b"\xff\xfe" + struct.pack(">H", body + 2) + os.urandom(body))
        pad -= body + 4
    if pad < 0:
        raise ValueError(f"a {width}x{height} JPEG needs at least {len(base)} bytes")
    return base[:2] + b"".join(segments) + base[2:]  # after SOI
