"""In-memory reference ``Store``: the engine's bookkeeping plus a small entity model, for tests and demos.

Every stored row is the exact ``data`` a pull delivers; rows are replaced, never mutated in place, so a
savepoint is a cheap shallow snapshot. One global change version counter, bumped inside the transaction.
"""

import copy
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from .hashing import Tables
from .protocol import Change, Op, Status
from .store import Actor, AppliedRecord, AuditEntry

PRIVILEGED = frozenset({"supervisor", "admin"})


@dataclass
class _State:
    version: int = 0
    devices: dict[UUID, tuple[str, int]] = field(default_factory=dict)  # device -> (user_id, last_seq)
    applied: dict[UUID, AppliedRecord] = field(default_factory=dict)
    seqs: dict[tuple[UUID, int], UUID] = field(default_factory=dict)  # UNIQUE(device, seq)
    audit: list[AuditEntry] = field(default_factory=list)
    log: list[tuple[Change, str]] = field(default_factory=list)  # (change, scope)
    tables: Tables = field(default_factory=dict)
    blobs: set[str] = field(default_factory=set)

    def copy(self) -> "_State":
        return _State(
            self.version, dict(self.devices), dict(self.applied), dict(self.seqs), list(self.audit),
            list(self.log), {k: dict(v) for k, v in self.tables.items()}, set(self.blobs),
        )  # fmt: skip


class MemoryStore:
    """Implements ``sync.store.Store`` plus the helpers the memory handlers and the tests use."""

    def __init__(self) -> None:
        self._state = _State()
        self._lock = threading.RLock()
        self.roles: dict[str, str] = {}

    # --- test harness: transactions, devices, blobs, inspection of state -------------------------
    @contextmanager
    def transaction(self) -> Iterator["MemoryStore"]:
        """One request's transaction: serialized, all-or-nothing."""
        with self._lock, self.savepoint():
            yield self

    def register_device(self, device_id: UUID, user_id: str, role: str = "inspector") -> Actor:
        with self._lock:
            self._state.devices.setdefault(device_id, (user_id, 0))
            self.roles[user_id] = role
        return Actor(user_id, role, device_id)

    def verify_blob(self, sha256: str) -> None:
        self._state.blobs.add(sha256)

    def blob_verified(self, sha256: str) -> bool:
        return sha256 in self._state.blobs

    def snapshot(self) -> Tables:
        """A deep copy of the entity tables (the server state that pulls must converge to)."""
        return copy.deepcopy(self._state.tables)

    def visible(self, actor: Actor) -> Tables:
        """The entity tables restricted to what ``actor`` may pull."""
        result: Tables = {}
        scopes = {(c.entity, c.id): s for c, s in self._state.log}
        for entity, rows in self._state.tables.items():
            for key, data in rows.items():
                if self.can_see(actor, scopes[(entity, key)]):
                    result.setdefault(entity, {})[key] = copy.deepcopy(data)
        return result

    def applied_records(self) -> list[AppliedRecord]:
        return list(self._state.applied.values())

    def audit_log(self) -> list[AuditEntry]:
        return list(self._state.audit)

    def first_applications(self) -> list[UUID]:
        """Mutation ids in the order they were first consumed (from the audit log)."""
        return [a.mutation_id for a in self._state.audit if a.outcome != Status.duplicate]

    def current_version(self) -> int:
        return self._state.version

    # --- Store protocol -----------------------------------------------------------------------------
    def device_last_seq(self, device_id: UUID) -> int | None:
        entry = self._state.devices.get(device_id)
        return None if entry is None else entry[1]

    def get_applied(self, mutation_id: UUID) -> AppliedRecord | None:
        return self._state.applied.get(mutation_id)

    def applied_many(self, mutation_ids: Sequence[UUID]) -> dict[UUID, AppliedRecord]:
        return {i: self._state.applied[i] for i in mutation_ids if i in self._state.applied}

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        saved = self._state.copy()
        try:
            yield
        except BaseException:
            self._state = saved
            raise

    def record_outcome(self, record: AppliedRecord) -> None:
        if record.mutation_id in self._state.applied or (record.device_id, record.seq) in self._state.seqs:
            raise RuntimeError("unique constraint violated on applied_mutation")
        self._state.applied[record.mutation_id] = record
        self._state.seqs[(record.device_id, record.seq)] = record.mutation_id

    def advance_last_seq(self, device_id: UUID, seq: int) -> None:
        user, last = self._state.devices[device_id]
        if seq != last + 1:
            raise RuntimeError(f"last_seq may only advance by one ({last} -> {seq})")
        self._state.devices[device_id] = (user, seq)

    def audit(self, entry: AuditEntry) -> None:
        self._state.audit.append(entry)

    def changes_since(self, actor: Actor, cursor: int, limit: int) -> Sequence[Change]:
        out: list[Change] = []
        for change, scope in self._state.log:
            if change.version > cursor and self.can_see(actor, scope):
                out.append(change)
                if len(out) >= limit:
                    break
        return out

    def earliest_cursor(self) -> int:
        return 0

    # --- entity access for handlers -------------------------------------------------------------------
    def get(self, entity: str, key: str) -> dict[str, Any] | None:
        row = self._state.tables.get(entity, {}).get(key)
        return copy.deepcopy(row) if row is not None else None

    def rows(self, entity: str) -> dict[str, dict[str, Any]]:
        return copy.deepcopy(self._state.tables.get(entity, {}))

    def next_version(self) -> int:
        """The version the next ``put`` will get (rows may record it in per-field metadata)."""
        return self._state.version + 1

    def put(self, entity: str, key: str, data: dict[str, Any], scope: str) -> int:
        """Store the whole new row under the next global version and log it; returns the version."""
        self._state.version += 1
        version = self._state.version
        row = copy.deepcopy({**data, "version": version})
        self._state.tables.setdefault(entity, {})[key] = row
        self._state.log.append((Change(version=version, entity=entity, id=key, op=Op.upsert, data=row), scope))
        return version

    def put_in(self, entity: str, key: str, data: dict[str, Any], inspection_id: str) -> int:
        """``put`` a row visible to the team of ``inspection_id``."""
        return self.put(entity, key, data, f"inspection:{inspection_id}")

    def inspection_rows(self, entity: str, inspection_id: str) -> dict[str, dict[str, Any]]:
        rows = self._state.tables.get(entity, {})
        return {k: copy.deepcopy(r) for k, r in rows.items() if r.get("inspection_id") == inspection_id}

    def can_see(self, actor: Actor, scope: str) -> bool:
        if actor.role in PRIVILEGED:
            return True
        kind, _, ref = scope.partition(":")
        if kind == "user":
            return ref == actor.user_id
        inspection = self._state.tables.get("inspection", {}).get(ref)
        return inspection is not None and actor.user_id in inspection["team"]
