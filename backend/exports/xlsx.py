"""XLSX writing in XlsxWriter's ``constant_memory`` mode (each row flushed to a temporary file as it is written): a
first row of column names, cells neutralised as in CSV (``cells.cell``) and written as strings, numbers as numbers;
past a sheet's 1,048,576 rows the rows go on in a next sheet."""

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import xlsxwriter  # type: ignore[import-untyped]

from backend.exports.cells import cell

MAX_ROWS = 1_048_576


def write(path: Path, title: str, header: Sequence[str], rows: Iterable[Sequence[Any]],
          tick: Callable[[int], None] | None = None) -> int:  # fmt: skip
    """Write the rows to ``path``; ``tick(n)`` after every 1,000 rows; returns how many rows were written."""
    options = {"constant_memory": True, "strings_to_numbers": False, "strings_to_formulas": False,
               "strings_to_urls": False, "tmpdir": str(path.parent)}  # fmt: skip
    book = xlsxwriter.Workbook(str(path), options)
    bold = book.add_format({"bold": True})
    sheets = 0
    count = 0
    sheet: Any = None
    line = MAX_ROWS
    try:
        for values in rows:
            if line >= MAX_ROWS:
                sheets += 1
                sheet = book.add_worksheet(title[:28] if sheets == 1 else f"{title[:24]} ({sheets})")
                for c, name in enumerate(header):
                    sheet.write_string(0, c, name, bold)
                write_number, write_string = sheet.write_number, sheet.write_string
                line = 1
            for c, value in enumerate(values):
                kind = type(value)
                if kind is int or kind is float:
                    write_number(line, c, value)
                elif value is not None:
                    write_string(line, c, cell(value))
            line += 1
            count += 1
            if tick is not None and count % 1000 == 0:
                tick(count)
        if sheet is None:
            sheet = book.add_worksheet(title[:28])
            for c, name in enumerate(header):
                sheet.write_string(0, c, name, bold)
    finally:
        book.close()
    return count
