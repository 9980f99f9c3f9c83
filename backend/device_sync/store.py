"""``SqlStore``: the ``sync.store.Store`` protocol over one SQLModel session (one request's transaction),
plus the row access the handlers use. Versions come from ``sync_counter``, row-locked until commit.
"""

import copy
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import and_, or_
from sqlmodel import Session, col, select

from backend.audit import service as audit_log
from backend.auth.models import Device, Role, User
from backend.device_sync.models import AppliedMutation, DeviceSyncState, SyncCounter, SyncRecord
from backend.inspections.models import Inspection, InspectionMember
from backend.orgs import scope
from sync.protocol import Change, Op, Outcome
from sync.store import Actor, AppliedRecord, AuditEntry

PRIVILEGED = frozenset({Role.supervisor.value, Role.admin.value})


IN_MUTATION = "device_sync.in_mutation"
REVOCATION = "revocation"  # a row that tells one user's devices to drop a record they may no longer hold


def _change(r: SyncRecord) -> Change:
    if r.entity == REVOCATION:
        return Change(version=r.version, entity=r.data["entity"], id=r.data["id"], op=Op.delete)
    return Change(version=r.version, entity=r.entity, id=r.key, op=Op.upsert, data={**r.data, "version": r.version})


class SqlStore:
    """One instance per request (or per test harness), over the caller's session and transaction."""

    def __init__(self, session: Session) -> None:
        self.session = session
        # Per-request caches, forgotten when a mutation's savepoint rolls back. They hold the ORM rows strongly:
        # the session's identity map is weak, so without them every lookup would go back to the database.
        self.memo: dict[tuple[Any, ...], Any] = {}
        self._records: dict[tuple[str, str], SyncRecord | None] = {}
        self._counter_row: SyncCounter | None = None

    def forget(self) -> None:
        """Drop the per-request caches: after a rollback, or before reusing the store for another transaction."""
        self.memo.clear()
        self._records.clear()
        self._counter_row = None  # on PostgreSQL the rollback also released its row lock: take it again

    def user(self, actor: Actor) -> User:
        """The domain user behind ``actor`` (the device token's user)."""
        key = ("user", actor.user_id)
        user = self.memo.get(key)
        if user is None:
            user = self.memo[key] = self.session.get(User, uuid.UUID(actor.user_id))
        assert user is not None
        return user

    # --- Store protocol ---------------------------------------------------------------------------
    def device_last_seq(self, device_id: uuid.UUID) -> int | None:
        stmt = select(Device).where(Device.id == device_id).with_for_update()
        device = self.session.exec(stmt).first()
        if device is None or device.revoked_at is not None:
            return None
        state = self._state(device_id)
        return state.last_seq

    def _state(self, device_id: uuid.UUID) -> DeviceSyncState:
        """The device's row, locked until the transaction ends (taken once per request, or after a rollback)."""
        key = ("device_state", device_id)
        if key in self.memo:
            return self.memo[key]
        stmt = select(DeviceSyncState).where(DeviceSyncState.device_id == device_id).with_for_update()
        state = self.session.exec(stmt.execution_options(populate_existing=True)).first()
        if state is None:
            state = DeviceSyncState(device_id=device_id, last_seq=0)
            self.session.add(state)
            self.session.flush()
        self.memo[key] = state
        return state

    def get_applied(self, mutation_id: uuid.UUID) -> AppliedRecord | None:
        row = self.session.get(AppliedMutation, mutation_id)
        if row is None:
            return None
        outcome = Outcome.model_validate(row.outcome)
        return AppliedRecord(row.mutation_id, row.device_id, row.seq, row.name, row.v, row.fingerprint, outcome)

    @contextmanager
    def savepoint(self) -> Iterator[object]:
        """One mutation's savepoint. The change feed waits for the request's commit rather than run at each
        savepoint release (``IN_MUTATION``)."""
        info = self.session.info
        info[IN_MUTATION] = info.get(IN_MUTATION, 0) + 1
        try:
            with self.session.begin_nested() as nested:
                try:
                    yield nested
                except BaseException:
                    self.forget()
                    raise
        finally:
            info[IN_MUTATION] -= 1

    def record_outcome(self, record: AppliedRecord) -> None:
        self.session.add(
            AppliedMutation(
                mutation_id=record.mutation_id, device_id=record.device_id, seq=record.seq, name=record.name,
                v=record.v, fingerprint=record.fingerprint, outcome=record.outcome.model_dump(mode="json"),
            )
        )  # fmt: skip
        self.session.flush()

    def advance_last_seq(self, device_id: uuid.UUID, seq: int) -> None:
        state = self._state(device_id)
        if seq != state.last_seq + 1:
            raise RuntimeError(f"last_seq may only advance by one ({state.last_seq} -> {seq})")
        state.last_seq = seq
        self.session.add(state)
        self.session.flush()

    def audit(self, entry: AuditEntry) -> None:
        audit_log.record(
            self.session, uuid.UUID(entry.user_id), "sync.mutation", "mutation", entry.mutation_id,
            device_id=str(entry.device_id), seq=entry.seq, name=entry.name, outcome=entry.outcome.value,
            reason=entry.reason, server_version=entry.server_version,
            client_ts=entry.client_ts.isoformat() if entry.client_ts else None,
        )  # fmt: skip

    def changes_since(self, actor: Actor, cursor: int, limit: int) -> Sequence[Change]:
        stmt = select(SyncRecord).where(SyncRecord.version > cursor)
        uid = uuid.UUID(actor.user_id)
        units = scope.visible_units(self.session, self.user(actor))
        public = and_(
            col(SyncRecord.inspection_id).is_(None), col(SyncRecord.owner_id).is_(None),
            col(SyncRecord.district_id).is_(None),
        )  # fmt: skip
        own = SyncRecord.owner_id == uid
        if units is None:  # national scope: everything
            pass
        elif actor.role in PRIVILEGED:
            in_area = select(Inspection.id).where(col(Inspection.district_id).in_(units))
            stmt = stmt.where(
                or_(col(SyncRecord.inspection_id).in_(in_area), col(SyncRecord.district_id).in_(units), own, public)
            )
        else:
            member_of = select(InspectionMember.inspection_id).where(InspectionMember.user_id == uid)
            # complaints are district-scoped for supervisors only: inspectors pull just their own (C81 Art. 15(c))
            staff_only = and_(col(SyncRecord.district_id).in_(units), SyncRecord.entity != "complaint")
            stmt = stmt.where(or_(col(SyncRecord.inspection_id).in_(member_of), staff_only, own, public))
        # A revocation is its owner's alone, whatever else the scope lets the user see.
        stmt = stmt.where(or_(SyncRecord.entity != REVOCATION, own))
        rows = self.session.exec(stmt.order_by(col(SyncRecord.version)).limit(limit)).all()
        return [_change(r) for r in rows]

    def earliest_cursor(self) -> int:
        return 0

    # --- row access for handlers ------------------------------------------------------------------
    def _record(self, entity: str, key: str) -> SyncRecord | None:
        if (entity, key) not in self._records:
            self._records[(entity, key)] = self.session.get(SyncRecord, (entity, key))
        return self._records[(entity, key)]

    def get(self, entity: str, key: str) -> dict[str, Any] | None:
        row = self._record(entity, key)
        return None if row is None else {**copy.deepcopy(row.data), "version": row.version}

    def rows(self, entity: str, inspection_id: str) -> dict[str, dict[str, Any]]:
        stmt = select(SyncRecord).where(
            SyncRecord.entity == entity, SyncRecord.inspection_id == uuid.UUID(inspection_id)
        )
        return {r.key: {**copy.deepcopy(r.data), "version": r.version} for r in self.session.exec(stmt)}

    def inspection_rows(self, entity: str, inspection_id: str) -> dict[str, dict[str, Any]]:
        return self.rows(entity, inspection_id)

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
        return self._counter().version + 1

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
        counter = self._counter()
        counter.version += 1
        version = counter.version
        body = {k: v for k, v in copy.deepcopy(data).items() if k != "version"}
        row = self._record(entity, key)
        if row is None:
            row = SyncRecord(entity=entity, key=key)
            self._records[(entity, key)] = row
        row.inspection_id = uuid.UUID(inspection_id) if inspection_id else None
        row.owner_id = uuid.UUID(owner_id) if owner_id else None
        row.district_id = uuid.UUID(district_id) if district_id else None
        row.version = version
        row.data = body
        self.session.add_all([counter, row])
        self.session.flush()
        return version
