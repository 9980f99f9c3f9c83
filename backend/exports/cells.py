"""Cell text for spreadsheets: a value a spreadsheet would execute (starting ``= + - @``, tab or CR) is
neutralised with a leading apostrophe; dates and numbers are written plainly."""

from datetime import date, datetime
from typing import Any

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    text = str(value)
    return "'" + text if text.startswith(DANGEROUS) else text
