"""``SqlStore``: the ``sync.store.Store`` protocol over one SQLModel session (one request's transaction), and
the row writes the handlers make (their reads: ``row_reads``). Versions come from ``sync_counter``, row-locked
until commit. In batched mode it holds its writes back and sends them in a few statements at ``write_behind``
(see ``batch``).
"""

import uuid
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import insert
from sqlalchemy import select as sa_select
from sqlmodel import Session, select

from backend.audit import service as audit_log
from backend.auth.models import Device, User
from backend.changes import changes_of
from backend.checklists.definition import Checklist
from backend.db import JSONText, table_of, utcnow
from backend.device_sync import visibility
from backend.device_sync.held import NewRow, Replay, clone
from backend.device_sync.models import AppliedMutation, DeviceSyncState, SyncCounter, SyncRecord
from backend.device_sync.row_reads import RowReads
from backend.inspections.finding_batch import FindingBatch
from backend.inspections.models import Inspection
from sync.protocol import Change, Outcome
from sync.store import Actor, AppliedRecord, AuditEntry


class _Attempt:
    """The batched mode's savepoint: none. A mutation that raises cannot be undone alone: ``Replay``."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, _tb: Any) -> None:
        if kind is not None and issubclass(kind, Exception):  # an interrupt is not a rejection: let it end the request
            raise Replay(f"a mutation raised {kind.__name__}; apply the batch with savepoints") from exc


_NO_SAVEPOINT = _Attempt()


@dataclass
class Memo:
    """Per-request caches, forgotten when a mutation's savepoint rolls back. They hold the ORM rows strongly:
    the session's identity map is weak, so without them every lookup would go back to the database."""

    users: dict[str, User] = field(default_factory=dict)
    devices: dict[uuid.UUID, Device | None] = field(default_factory=dict)  # locked until the transaction ends
    device_states: dict[uuid.UUID, DeviceSyncState] = field(default_factory=dict)
    audit_actor: tuple[str, str, uuid.UUID] | None = None  # (user id, device id, user UUID) of the last entry
    visible_units: dict[str, set[uuid.UUID] | None] = field(default_factory=dict)  # a scope check's units per user
    visible: dict[str, dict[str, Inspection]] = field(default_factory=dict)  # per user: the inspections they see
    definitions: dict[uuid.UUID, dict[str, Checklist]] = field(default_factory=dict)  # pinned, per inspection
    prefetched: Sequence[Inspection] = ()
    finding_batch: FindingBatch | None = None  # the domain findings (``mirror.finding_batch``)


class SqlStore(RowReads):
    """One instance per request (or per test harness), over the caller's session and transaction.

    ``batched``: no savepoint per mutation and no flush per write; the writes reach the database at
    ``write_behind``. A mutation that raises (a rejection) cannot be undone alone, so ``savepoint`` then raises
    ``Replay`` and the caller applies the whole batch again in the default mode (``batch.push``)."""

    def __init__(self, session: Session, *, batched: bool = False) -> None:
        self.session = session
        self.batched = batched
        self.memo = Memo()
        self._records: dict[tuple[str, str], SyncRecord | NewRow | None] = {}
        self._new_rows: list[NewRow] = []
        self._rows: dict[tuple[str, str], dict[str, dict[str, Any]]] = {}
        self._applied: dict[uuid.UUID, AppliedRecord | None] = {}
        self._pending_applied: list[dict[str, Any]] = []
        self._counter_row: SyncCounter | None = None
        # Batched: the counter and the device's last seq as they will be written at ``write_behind``; the ORM rows
        # stay clean until then, so the reads between mutations do not flush them again and again.
        self._version: int | None = None
        self._last_seq: dict[uuid.UUID, int] = {}

    def forget(self) -> None:
        """Drop the per-request caches: after a rollback, or before reusing the store for another transaction."""
        self.memo = Memo()
        self._records.clear()
        self._new_rows.clear()
        self._rows.clear()
        self._applied.clear()
        self._pending_applied.clear()
        self._counter_row = None  # on PostgreSQL the rollback also released its row lock: take it again
        self._version = None
        self._last_seq.clear()

    def write_behind(self) -> None:
        """Send the held-back writes: the consumed mutations and new rows in one INSERT each, the ORM rows in one
        flush, the domain findings, then the queued audit events in one INSERT (``batch.push`` holds the head)."""
        if self._pending_applied:
            self.session.execute(insert(table_of(AppliedMutation)), self._pending_applied)
            self._pending_applied.clear()
        self._insert_new_rows(last=True)
        if self._version is not None:
            self._counter().version = self._version
        for device_id, seq in self._last_seq.items():
            self._state(device_id).last_seq = seq
        self.session.flush()
        batch = self.memo.finding_batch
        if batch is not None:
            batch.write()
            batch.close()
        audit_log.write_deferred(self.session)

    def user(self, actor: Actor) -> User:
        """The domain user behind ``actor`` (the device token's user)."""
        user = self.memo.users.get(actor.user_id)
        if user is None:
            found = self.session.get(User, uuid.UUID(actor.user_id))
            assert found is not None
            user = self.memo.users[actor.user_id] = found
        return user

    # --- Store protocol ---------------------------------------------------------------------------
    def device_last_seq(self, device_id: uuid.UUID) -> int | None:
        device = self.memo.devices.get(device_id)
        if device is None:  # locked until the transaction ends: read once per request (or after a rollback)
            stmt = select(Device).where(Device.id == device_id).with_for_update()
            device = self.memo.devices[device_id] = self.session.exec(stmt).first()
        if device is None or device.revoked_at is not None:
            return None
        state = self._state(device_id)
        return self._last_seq.get(device_id, state.last_seq)

    def _state(self, device_id: uuid.UUID) -> DeviceSyncState:
        """The device's row, locked until the transaction ends (taken once per request, or after a rollback)."""
        if device_id in self.memo.device_states:
            return self.memo.device_states[device_id]
        stmt = select(DeviceSyncState).where(DeviceSyncState.device_id == device_id).with_for_update()
        state = self.session.exec(stmt.execution_options(populate_existing=True)).first()
        if state is None:
            state = DeviceSyncState(device_id=device_id, last_seq=0)
            self.session.add(state)
            self.session.flush()
        self.memo.device_states[device_id] = state
        return state

    def get_applied(self, mutation_id: uuid.UUID) -> AppliedRecord | None:
        if mutation_id not in self._applied:
            self.applied_many([mutation_id])  # caches a miss as None too
        return self._applied[mutation_id]

    def applied_many(self, mutation_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, AppliedRecord]:
        table = table_of(AppliedMutation)
        found: dict[uuid.UUID, AppliedRecord] = {}
        wanted = [i for i in mutation_ids if i not in self._applied]
        if wanted:
            rows = self.session.execute(sa_select(table).where(table.c.mutation_id.in_(wanted))).mappings()
            for r in rows:
                outcome = Outcome.model_validate(r["outcome"])
                rec = AppliedRecord(r["mutation_id"], r["device_id"], r["seq"], r["name"], r["v"], r["fingerprint"],
                                    outcome)  # fmt: skip
                self._applied[rec.mutation_id] = rec
            for i in wanted:
                self._applied.setdefault(i, None)  # not applied: not asked again
        for i in mutation_ids:
            known = self._applied.get(i)
            if known is not None:
                found[i] = known
        return found

    def savepoint(self) -> AbstractContextManager[object]:
        """One mutation's savepoint. The change feed waits for the request's commit rather than run at each
        savepoint release (``Changes.in_mutation``). Batched: no savepoint; a mutation that raises means ``Replay``."""
        return _NO_SAVEPOINT if self.batched else self._savepoint()

    @contextmanager
    def _savepoint(self) -> Iterator[object]:
        """A real savepoint around one mutation; the per-request caches are dropped if it rolls back."""
        changes = changes_of(self.session)
        changes.in_mutation += 1
        try:
            with self.session.begin_nested() as nested:
                try:
                    yield nested
                except BaseException:
                    self.forget()
                    raise
        finally:
            changes.in_mutation -= 1

    def record_outcome(self, record: AppliedRecord) -> None:
        row = {
            "mutation_id": record.mutation_id, "device_id": record.device_id, "seq": record.seq, "name": record.name,
            "v": record.v, "fingerprint": record.fingerprint, "outcome": JSONText(record.outcome.model_dump_json()),
            "created_at": utcnow(),
        }  # fmt: skip
        self._applied[record.mutation_id] = record
        if self.batched:
            self._pending_applied.append(row)
        else:
            self.session.execute(insert(table_of(AppliedMutation)), [row])

    def advance_last_seq(self, device_id: uuid.UUID, seq: int) -> None:
        state = self._state(device_id)
        last = self._last_seq.get(device_id, state.last_seq)
        if seq != last + 1:
            raise RuntimeError(f"last_seq may only advance by one ({last} -> {seq})")
        if self.batched:
            self._last_seq[device_id] = seq
        else:
            state.last_seq = seq
        if not self.batched:
            self.session.flush()

    def audit(self, entry: AuditEntry) -> None:
        known = self.memo.audit_actor
        if known is None or known[:2] != (entry.user_id, str(entry.device_id)):  # the same for a whole request
            known = self.memo.audit_actor = (entry.user_id, str(entry.device_id), uuid.UUID(entry.user_id))
        actor = (known[2], known[1])
        details = {  # keys in sorted order (``audit.record_plain``)
            "client_ts": entry.client_ts.isoformat() if entry.client_ts else None, "device_id": actor[1],
            "name": entry.name, "outcome": entry.outcome.value, "reason": entry.reason, "seq": entry.seq,
            "server_version": entry.server_version,
        }  # fmt: skip
        audit_log.record_plain(self.session, actor[0], "sync.mutation", "mutation", entry.mutation_id, details)

    def changes_since(self, actor: Actor, cursor: int, limit: int) -> Sequence[Change]:
        return visibility.changes_since(self.session, self.user(actor), actor, cursor, limit)

    def earliest_cursor(self) -> int:
        return 0

    def put_in(self, entity: str, key: str, data: dict[str, Any], inspection_id: str) -> int:
        """``put`` a row visible to the team of ``inspection_id`` (``sync.rules.RecordStore``)."""
        return self.put(entity, key, data, inspection_id)

    def _counter(self) -> SyncCounter:
        """The counter row, locked until the transaction ends (taken once per request, or after a rollback)."""
        if self._counter_row is not None:
            return self._counter_row
        stmt = select(SyncCounter).where(SyncCounter.id == 1).with_for_update()
        counter = self.session.exec(stmt.execution_options(populate_existing=True)).first()
        if counter is None:
            counter = SyncCounter(id=1, version=0)
            self.session.add(counter)
            self.session.flush()
        self._counter_row = counter
        return counter

    def next_version(self) -> int:
        """The version the next ``put`` will get."""
        return (self._counter().version if self._version is None else self._version) + 1

    def put(
        self,
        entity: str,
        key: str,
        data: dict[str, Any],
        inspection_id: str | None,
        owner_id: str | None = None,
        district_id: str | None = None,
    ) -> int:
        """Store the whole row under the next global version; returns that version."""
        version = self.next_version()
        if self.batched:
            self._version = version
        else:
            self._counter().version = version
        body = {k: v for k, v in clone(data).items() if k != "version"}
        row = self._record(entity, key)
        moved_from = None if row is None or row.inspection_id is None else str(row.inspection_id)
        if row is None:
            if self.batched:
                row = NewRow(entity, key)
                self._new_rows.append(row)
            else:
                row = SyncRecord(entity=entity, key=key, version=version, data=body)
                self.session.add(row)  # rows read or added earlier are in the session already
            self._records[(entity, key)] = row
        row.inspection_id = uuid.UUID(inspection_id) if inspection_id else None
        row.owner_id = uuid.UUID(owner_id) if owner_id else None
        row.district_id = uuid.UUID(district_id) if district_id else None
        row.version = version
        row.data = body
        if not self.batched:
            self.session.flush()
        # The inspection's rows read for this request (``rows``, ``peek_rows``) stay current. Inspection ids are
        # canonical UUID strings throughout (handlers, ``preload``), as ``str(row.inspection_id)`` writes them.
        held = self._rows.get((entity, inspection_id)) if inspection_id else None
        if held is not None:
            held[key] = {**body, "version": version}  # shares ``body``: never changed in place
        if moved_from is not None and moved_from != inspection_id and (entity, moved_from) in self._rows:
            self._rows[(entity, moved_from)].pop(key, None)
        return version
