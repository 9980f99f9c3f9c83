"""CSV streaming: a BOM for Excel, then one encoded line per row, so memory does not grow with the export."""

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from backend.exports.cells import cell

BOM = "\ufeff".encode()


def stream(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def line(values: Sequence[Any]) -> bytes:
        writer.writerow(values)
        out = buffer.getvalue().encode()
        buffer.seek(0)
        buffer.truncate()
        return out

    yield BOM + line(list(header))
    for row in rows:
        yield line([cell(v) for v in row])
