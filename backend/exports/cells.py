"""Cell text for spreadsheets: a value a spreadsheet would execute (starting ``= + - @``, tab or CR) is
neutralised with a leading apostrophe; dates and numbers are written plainly."""

from datetime import date, datetime
from typing import Any

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
_FIRST = frozenset(DANGEROUS)


def cell(value: Any) -> str:
    kind = type(value)
    if kind is str:  # the common case first: a plain string (exports write millions of cells)
        return "'" + value if value and value[0] in _FIRST else value
    if value is None:
        return ""
    if kind is bool:
        return "true" if value else "false"
    if kind is int or kind is float:
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    text = str(value)
    return "'" + text if text.startswith(DANGEROUS) else text
