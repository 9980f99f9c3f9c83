"""What an upload's bytes really are (hardening, issue 21): the declared type must match the file's magic
number, and an image must open (header only, never decoded whole) within ``LI_MAX_IMAGE_PIXELS`` pixels, so a
decompression bomb or a script posing as a photo is refused before it is ever verified."""

import warnings
from typing import BinaryIO

from PIL import Image, UnidentifiedImageError

from backend.config import settings
from backend.errors import Invalid

MAGIC: dict[str, tuple[bytes, ...]] = {
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/webp": (b"RIFF",),  # and b"WEBP" at byte 8
    "application/pdf": (b"%PDF-",),
}
PILLOW_FORMAT = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}
HEAD = 12  # bytes needed to tell the types apart


def _mismatch(mime: str) -> Invalid:
    return Invalid("blob.content_mismatch", f"The file's bytes are not {mime}; the upload was discarded.",
                   declared=mime)  # fmt: skip


def check_head(mime: str, head: bytes) -> None:
    """The first bytes of the file (at least ``HEAD`` of them, or the whole file) against the declared type."""
    if not any(head.startswith(magic) for magic in MAGIC.get(mime, ())):
        raise _mismatch(mime)
    if mime == "image/webp" and head[8:12] != b"WEBP":
        raise _mismatch(mime)


def check_file(mime: str, f: BinaryIO) -> None:
    """The whole stored file: its magic number, and for an image its header read by Pillow (format and size) and
    its structure verified (``Image.verify``), without decoding its pixels."""
    check_head(mime, f.read(HEAD))
    if mime not in PILLOW_FORMAT:
        return
    f.seek(0)
    limit = settings.max_image_pixels
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # our own limit is lower
            with Image.open(f, formats=[PILLOW_FORMAT[mime]]) as image:
                width, height = image.size
                if width * height > limit:
                    raise _too_many_pixels(width, height, limit)
                image.verify()
    except Image.DecompressionBombError as exc:  # Pillow's own limit, twice its MAX_IMAGE_PIXELS
        raise _too_many_pixels(None, None, limit) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
        raise _mismatch(mime) from exc


def _too_many_pixels(width: int | None, height: int | None, limit: int) -> Invalid:
    return Invalid("blob.image_too_large", f"Images have at most {limit} pixels; the upload was discarded.",
                   max_pixels=limit, width=width, height=height)  # fmt: skip
