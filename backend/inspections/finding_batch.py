"""Recording many findings in one transaction (a device's push): the rules of ``findings.record``, with the rows
held as dicts and written by multi-row Core statements instead of one ORM object and flush per finding."""

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, event, insert, inspect, select, update
from sqlalchemy.orm import ORMExecuteState
from sqlalchemy.orm.util import identity_key
from sqlmodel import Session

from backend.audit import service as audit_log
from backend.auth.models import User
from backend.checklists.definition import Checklist
from backend.db import AppSession, context_of, table_of, utcnow, uuid7
from backend.errors import Conflict
from backend.inspections import service as inspections
from backend.inspections import workflow
from backend.inspections.findings import check_value, find_item
from backend.inspections.models import Finding, Inspection
from backend.inspections.schemas import FindingRecord

TABLE = table_of(Finding)
MAPPER = inspect(Finding)
FIELDS = tuple(name for name in FindingRecord.model_fields if name != "base_version")  # the row's recorded values
Row = dict[str, Any]


@dataclass
class Pending:
    """The transaction's batch whose rows are not written yet (a part of its ``RequestContext``)."""

    batch: "FindingBatch | None" = None


class FindingBatch:
    """One transaction's finding writes. ``deferred``: rows reach the database at ``write`` — or before any ORM
    query that reads findings (``_write_before_reading``); otherwise each is written at once."""

    def __init__(self, session: Session, *, deferred: bool) -> None:
        self.session = session
        self.deferred = deferred
        self._rows: dict[uuid.UUID, dict[tuple[str, str], Row]] = {}
        self._inserts: dict[uuid.UUID, Row] = {}
        self._updates: dict[uuid.UUID, Row] = {}
        self._members: set[tuple[uuid.UUID, uuid.UUID]] = set()  # (inspection, user) found on the team
        if deferred:
            context_of(session).part(Pending).batch = self

    def _of(self, inspection_id: uuid.UUID) -> dict[tuple[str, str], Row]:
        """The inspection's findings by (checklist, item): read once, then kept up to date."""
        rows = self._rows.get(inspection_id)
        if rows is None:
            self.preload([inspection_id])
            rows = self._rows[inspection_id]
        return rows

    def preload(self, inspection_ids: list[uuid.UUID]) -> None:
        """Read the findings of these inspections (those not read yet) in one query."""
        wanted = [i for i in inspection_ids if i not in self._rows]
        if not wanted:
            return
        self.session.flush()  # findings the ORM holds (an amendment's copies) must be in what is read
        for i in wanted:
            self._rows[i] = {}
        stmt = select(TABLE).where(TABLE.c.inspection_id.in_(wanted))
        for r in self.session.connection().execute(stmt).mappings():
            self._rows[r["inspection_id"]][(r["checklist_key"], r["item_id"])] = dict(r)

    def record(self, user: User, inspection: Inspection, data: FindingRecord, definitions: dict[str, Checklist]) -> Row:
        """``findings.record``: same checks, same row, same audit event."""
        workflow.require_editable(inspection.status)
        if (inspection.id, user.id) not in self._members:  # the team does not change within a push
            inspections.require_member(self.session, user, inspection)
            self._members.add((inspection.id, user.id))
        check_value(find_item(definitions, data.checklist_key, data.item_id), data)
        rows = self._of(inspection.id)
        current = rows.get((data.checklist_key, data.item_id))
        version = current["version"] if current else 0
        if data.base_version is not None and data.base_version != version:
            raise Conflict(
                "finding.version_conflict",
                f"Item {data.item_id} changed since version {data.base_version}; it is now version {version}.",
                current_version=version,
            )
        fields = {name: getattr(data, name) for name in FIELDS}  # ``model_dump`` without the walk
        row = {
            **(current or {"id": uuid7(), "inspection_id": inspection.id}), **fields,
            "version": version + 1, "recorded_by": user.id, "recorded_at": utcnow(),
        }  # fmt: skip
        rows[(data.checklist_key, data.item_id)] = row
        if current is None or row["id"] in self._inserts:
            self._inserts[row["id"]] = row
        else:
            self._updates[row["id"]] = row
        inspections.touch(inspection)  # persistent (read by the caller): flushed with the session
        before = _public(current) if current else None
        details = {"after": _public(row), "before": before}  # keys in sorted order (``record_plain``)
        audit_log.record_plain(self.session, user.id, "finding.record", "inspection", inspection.id, details)
        if not self.deferred:
            self.write()
        return row

    def write(self) -> None:
        """Send the held rows: one INSERT, one UPDATE (each over many rows); ORM copies of updated rows expire."""
        conn = self.session.connection()
        if self._inserts:
            conn.execute(insert(TABLE), list(self._inserts.values()))
        if self._updates:
            columns = [c.name for c in TABLE.columns if c.name != "id"]
            stmt = update(TABLE).where(TABLE.c.id == bindparam("_id")).values({c: bindparam(c) for c in columns})
            conn.execute(stmt, [{**{c: r[c] for c in columns}, "_id": r["id"]} for r in self._updates.values()])
            for finding_id in self._updates:
                held = self.session.identity_map.get(identity_key(Finding, finding_id))
                if held is not None:
                    self.session.expire(held)
        self._inserts.clear()
        self._updates.clear()

    def close(self) -> None:
        """Stop holding rows back (after ``write``, or when the transaction is rolled back)."""
        pending = context_of(self.session).part(Pending)
        if pending.batch is self:
            pending.batch = None


def _public(row: Row) -> dict[str, Any]:
    """The audited form of a finding: ``FindingPublic`` as JSON, exactly as ``findings.record`` writes it (a UTC
    time as pydantic writes it, ending in ``Z``), built straight from the row's values, made of JSON types only,
    keys in sorted order (``audit.record_plain``). ``tests/backend/test_sync_batch.py`` compares it with
    ``FindingPublic``'s."""
    status = row["status"]
    return {
        "checklist_key": row["checklist_key"], "evidence": list(row["evidence"]), "id": str(row["id"]),
        "item_id": row["item_id"], "note": row["note"], "recorded_at": _time(row["recorded_at"]),
        "recorded_by": str(row["recorded_by"]), "status": status if type(status) is str else status.value,
        "value": row["value"], "version": row["version"], "workers_men": row["workers_men"],
        "workers_under_18": row["workers_under_18"], "workers_women": row["workers_women"],
    }  # fmt: skip


def _time(at: datetime) -> str:
    """A time as pydantic writes it: ISO 8601, ``Z`` for UTC (always UTC here: ``UTCDateTime``, ``utcnow``)."""
    if at.utcoffset() == timedelta(0):
        return at.replace(tzinfo=None).isoformat() + "Z"
    return at.isoformat()


@event.listens_for(AppSession, "do_orm_execute")
def _write_before_reading(state: ORMExecuteState) -> None:
    """An ORM read of findings (a submission's snapshot, an amendment's copy) sees the held rows. Not covered: a
    ``session.get`` answered from the identity map and Core reads of ``finding`` — nothing in a push does either;
    call ``write`` first if that changes."""
    batch = context_of(state.session).part(Pending).batch
    if batch is not None and (batch._inserts or batch._updates) and MAPPER in state.all_mappers:
        batch.write()
