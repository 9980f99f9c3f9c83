"""A small real PNG made without third-party libraries (the camera stand-in for the tests)."""

import struct
import zlib


def png(width: int = 64, height: int = 48, seed: int = 1) -> bytes:
    rows = b"".join(
        b"\x00"
        + b"".join(bytes(((x * 4 + seed * 40) % 256, (y * 5) % 256, (x * y + seed) % 256)) for x in range(width))
        for y in range(height)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")
