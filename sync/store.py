"""The ``Store`` protocol: what the push/pull engine needs from a server's storage (SQL in the backend).

All calls of one request happen inside one database transaction that the caller opens and commits
before the response is sent; the engine only nests a savepoint per mutation.
"""

from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID

from .protocol import Change, Outcome, Status


@dataclass(frozen=True)
class Actor:
    """Who is pushing or pulling: the user bound to the device token, and that device."""

    user_id: str
    role: str  # "inspector" | "supervisor" | "admin"
    device_id: UUID


@dataclass(frozen=True)
class AppliedRecord:
    """The row kept per consumed mutation (``applied_mutation``): UNIQUE(mutation_id), UNIQUE(device, seq)."""

    mutation_id: UUID
    device_id: UUID
    seq: int
    name: str
    v: int
    fingerprint: str
    outcome: Outcome


@dataclass(frozen=True)
class AuditEntry:
    """One audit event per received mutation, duplicates included."""

    user_id: str
    device_id: UUID
    mutation_id: UUID
    seq: int
    name: str
    outcome: Status
    reason: str | None
    server_version: int | None
    client_ts: datetime | None


class Store(Protocol):
    """Storage behind the engine; one instance per request/transaction."""

    def device_last_seq(self, device_id: UUID) -> int | None:
        """Lock the device row until the transaction ends (``SELECT … FOR UPDATE``) and return its
        ``last_seq`` (0 before the first mutation); ``None`` when the device is not registered."""
        ...

    def get_applied(self, mutation_id: UUID) -> AppliedRecord | None:
        """The stored record of a consumed mutation, from any device."""
        ...

    def applied_many(self, mutation_ids: Sequence[UUID]) -> dict[UUID, AppliedRecord]:
        """``get_applied`` for a whole batch at once (one lookup, not one per mutation); absent ids are left out."""
        ...

    def savepoint(self) -> AbstractContextManager[object]:
        """A nested transaction: rolled back if the block raises, kept otherwise."""
        ...

    def record_outcome(self, record: AppliedRecord) -> None:
        """Insert the ``applied_mutation`` row (unique constraints are the last line of defence)."""
        ...

    def advance_last_seq(self, device_id: UUID, seq: int) -> None:
        """Set the device's ``last_seq`` to ``seq`` (always exactly the previous value + 1)."""
        ...

    def audit(self, entry: AuditEntry) -> None:
        """Append an audit event in the same transaction."""
        ...

    def changes_since(self, actor: Actor, cursor: int, limit: int) -> Sequence[Change]:
        """Up to ``limit`` changes with ``version > cursor`` that ``actor`` may hold, ascending by version.

        Versions come from one global counter incremented inside the writing transaction, so no change
        can commit later with a version below one already visible."""
        ...

    def earliest_cursor(self) -> int:
        """The lowest cursor still served (0 unless the change log has been compacted)."""
        ...
