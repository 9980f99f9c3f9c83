"""Reading ``sync_record`` rows for the handlers, cached per request: one row, an inspection's rows of one entity,
or ahead for a whole batch (``preload``); and inserting the rows a batched request wrote first. Mixed into
``SqlStore``, which owns the caches and keeps them up to date as it writes."""

import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import insert
from sqlmodel import Session, col, select

from backend.db import table_of
from backend.device_sync.held import NewRow, clone
from backend.device_sync.models import SyncRecord


class RowReads:
    session: Session
    _records: dict[tuple[str, str], SyncRecord | NewRow | None]  # (entity, key) -> row, None: known absent
    _rows: dict[tuple[str, str], dict[str, dict[str, Any]]]  # (entity, inspection id) -> key -> data + version
    _new_rows: list[NewRow]

    def _insert_new_rows(self, of: tuple[str, uuid.UUID] | None = None, *, last: bool = False) -> None:
        """Insert the rows first written in this batch (all, or those of one (entity, inspection)); unless
        ``last``, keep their ORM rows for later ``put``s."""
        stored = [r for r in self._new_rows if of is None or (r.entity, r.inspection_id) == of]
        if stored:
            self.session.execute(insert(table_of(SyncRecord)), [vars(r).copy() for r in stored])
            self._new_rows = [r for r in self._new_rows if of is not None and (r.entity, r.inspection_id) != of]
            with self.session.no_autoflush:  # stored now: a later ``put`` updates them through the ORM
                for r in stored:
                    if last:
                        del self._records[(r.entity, r.key)]
                    else:
                        self._records[(r.entity, r.key)] = self.session.get(SyncRecord, (r.entity, r.key))

    def _record(self, entity: str, key: str) -> SyncRecord | NewRow | None:
        if (entity, key) not in self._records:
            # Every row this request wrote is in ``_records``: no need to flush them before looking.
            with self.session.no_autoflush:
                self._records[(entity, key)] = self.session.get(SyncRecord, (entity, key))
        return self._records[(entity, key)]

    def get(self, entity: str, key: str) -> dict[str, Any] | None:
        row = self._record(entity, key)
        return None if row is None else {**clone(row.data), "version": row.version}

    def peek(self, entity: str, key: str) -> Mapping[str, Any] | None:
        """``get`` without the copy, for reading only (the same object until the row's next ``put``)."""
        row = self._record(entity, key)
        return None if row is None else row.data

    def get_in(self, entity: str, key: str, inspection_id: str) -> dict[str, Any] | None:
        """``get`` of a row that can only belong to ``inspection_id`` (a finding: its key starts with the
        inspection's id): the inspection's rows of ``entity`` are read together, once."""
        if (entity, key) not in self._records:
            self._held(entity, inspection_id)
            self._records.setdefault((entity, key), None)
        return self.get(entity, key)

    def _held(self, entity: str, inspection_id: str) -> dict[str, dict[str, Any]]:
        held = self._rows.get((entity, inspection_id))
        if held is None:
            self._insert_new_rows((entity, uuid.UUID(inspection_id)))  # the query must see them
            stmt = select(SyncRecord).where(
                SyncRecord.entity == entity, SyncRecord.inspection_id == uuid.UUID(inspection_id)
            )
            held = self._rows[(entity, inspection_id)] = {}
            for r in self.session.exec(stmt):
                self._records.setdefault((entity, r.key), r)
                held[r.key] = {**r.data, "version": r.version}
        return held

    def preload(self, inspection_ids: Sequence[str], entities: Sequence[str]) -> None:
        """Read ahead, in two queries: the protocol rows of these inspections and their rows of ``entities``
        (as ``peek`` and ``rows`` would read them one inspection at a time). Ids are canonical UUID strings."""
        with self.session.no_autoflush:
            wanted = [i for i in inspection_ids if ("inspection", i) not in self._records]
            if wanted:
                stmt = select(SyncRecord).where(SyncRecord.entity == "inspection", col(SyncRecord.key).in_(wanted))
                for r in self.session.exec(stmt):
                    self._records[("inspection", r.key)] = r
                for i in wanted:
                    self._records.setdefault(("inspection", i), None)
            todo = [(e, i) for e in entities for i in inspection_ids if (e, i) not in self._rows]
            if not todo:
                return
            for e, i in todo:
                self._insert_new_rows((e, uuid.UUID(i)))  # the query must see them
                self._rows[(e, i)] = {}
            ids = sorted({uuid.UUID(i) for _, i in todo})
            stmt = select(SyncRecord).where(
                col(SyncRecord.entity).in_(sorted({e for e, _ in todo})), col(SyncRecord.inspection_id).in_(ids)
            )
            pairs = set(todo)  # pairs read earlier are current already: left as they are
            for r in self.session.exec(stmt):
                if (r.entity, str(r.inspection_id)) in pairs:
                    self._records.setdefault((r.entity, r.key), r)
                    self._rows[(r.entity, str(r.inspection_id))][r.key] = {**r.data, "version": r.version}

    def rows(self, entity: str, inspection_id: str) -> dict[str, dict[str, Any]]:
        """Every ``entity`` row of one inspection (read once per request, then kept up to date by ``put``)."""
        return clone(self._held(entity, inspection_id))

    def peek_rows(self, entity: str, inspection_id: str) -> Mapping[str, Mapping[str, Any]]:
        """``rows`` without the copy, for reading only."""
        return self._held(entity, inspection_id)

    def inspection_rows(self, entity: str, inspection_id: str) -> dict[str, dict[str, Any]]:
        return self.rows(entity, inspection_id)
