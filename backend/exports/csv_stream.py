"""CSV streaming: a BOM for Excel, then the rows encoded in chunks of a few hundred lines, so memory does not grow
with the export (and a chunk, not a line, pays the encoding's and the socket's per-call cost)."""

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from backend.exports.cells import cell

BOM = "\ufeff".encode()
CHUNK_ROWS = 256


def stream(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def flush() -> bytes:
        out = buffer.getvalue().encode()
        buffer.seek(0)
        buffer.truncate()
        return out

    writer.writerow(list(header))
    yield BOM + flush()
    pending = 0
    for row in rows:
        writer.writerow([cell(v) for v in row])
        pending += 1
        if pending == CHUNK_ROWS:
            yield flush()
            pending = 0
    if pending:
        yield flush()
