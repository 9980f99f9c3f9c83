"""What ``SqlStore`` holds for a request besides ORM rows: a fast copy of JSON-shaped data, the sync rows a batched
request writes first (inserted together at ``write_behind``), and the signal that a batch must be replayed."""

import uuid
from dataclasses import dataclass, field
from typing import Any


def clone(value: Any) -> Any:
    """A deep copy of JSON-shaped data (dicts, lists, scalars): several times faster than ``copy.deepcopy``."""
    if isinstance(value, dict):
        return {k: clone(v) for k, v in value.items()}
    if isinstance(value, list):
        return [clone(v) for v in value]
    return value


@dataclass
class NewRow:
    """A ``sync_record`` row first written by a batched request: inserted with the others at ``write_behind``."""

    entity: str
    key: str
    inspection_id: uuid.UUID | None = None
    owner_id: uuid.UUID | None = None
    district_id: uuid.UUID | None = None
    version: int = 0
    data: dict[str, Any] = field(default_factory=dict)


class Replay(Exception):
    """A batched push met a mutation that failed part-way: the batch must be applied again with savepoints."""
