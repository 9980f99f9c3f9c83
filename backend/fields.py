"""Bounds every request shares: integers a 64-bit column holds, counter columns of 64 bits, and text without NUL.

PostgreSQL refuses a NUL character in text and an integer beyond its column's type; both answered 500 before
these types refused them as ``422 request.invalid``. Request models inherit ``Input``; query and path
parameters use ``NonNegInt64`` / ``PositiveInt64`` / ``SearchText``.
"""

from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, Field, model_validator
from sqlalchemy import BigInteger, Integer

from sync.canonical import has_nul

INT64_MAX = 2**63 - 1
WORKERS_MAX = 10_000_000  # workforce counts: more than any employer has, well inside a 32-bit column
MAX_SEARCH_TEXT = 200  # a free-text filter (SQLite refuses LIKE patterns over 50 000 characters)

NonNegInt64 = Annotated[int, Field(ge=0, le=INT64_MAX)]
PositiveInt64 = Annotated[int, Field(ge=1, le=INT64_MAX)]

# A counter column (versions, seqs, revisions, the change counter): BIGINT on PostgreSQL, SQLite's INTEGER (64-bit
# already, and the rowid alias an autoincrementing key needs) there.
Counter = BigInteger().with_variant(Integer(), "sqlite")


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("text must not contain a NUL character")
    return value


SearchText = Annotated[str, Field(max_length=MAX_SEARCH_TEXT), AfterValidator(_no_nul)]


class Input(BaseModel):
    """Base of every request body model: a NUL character anywhere in the body is refused before any field is
    validated (one walk of the raw input covers nested models and free-form dicts alike)."""

    @model_validator(mode="before")
    @classmethod
    def _refuse_nul(cls, data: Any) -> Any:
        if has_nul(data):
            raise ValueError("text must not contain a NUL character (\\u0000)")
        return data
