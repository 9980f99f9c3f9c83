"""Migration 0012 on a database holding audit events as the code before it wrote them (SQLite and PostgreSQL):
they become version 1 and still verify, and the events written after it (version 2) chain on from them."""

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import col, select

from backend import migrate
from backend.audit import service as audit
from backend.audit.models import AuditEvent
from backend.db import AppSession, make_engine
from tests.backend.conftest import fresh_url

EVENT = sa.table(
    "audit_event", *(sa.column(c) for c in ("seq", "at", "action", "subject_type", "subject_id", "prev_hash", "hash")),
    sa.column("details", sa.JSON), sa.column("actor_id", sa.Uuid),
)  # fmt: skip
HEAD = sa.table("audit_head", sa.column("id"), sa.column("seq"), sa.column("hash"))
DETAILS: dict[str, Any] = {"ratio": 1e-7, "count": 2**60 + 1, "note": "扶手"}  # the two encodings differ on these


def _old_hash(payload: dict[str, Any]) -> str:
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _fill(conn: sa.Connection) -> str:
    prev = "0" * 64
    for seq in (1, 2):
        at = datetime(2026, 11, 30, 8, seq, tzinfo=UTC)
        row = {"seq": seq, "action": "old.event", "subject_type": "test", "subject_id": f"s{seq}",
               "details": {**DETAILS, "seq": seq}, "prev_hash": prev}  # fmt: skip
        digest = _old_hash({**row, "at": at.isoformat(), "actor_id": None})
        conn.execute(EVENT.insert().values(**row, at=at, actor_id=None, hash=digest))
        prev = digest
    conn.execute(HEAD.insert().values(id=1, seq=2, hash=prev))
    return prev


def test_old_events_become_version_1_verify_and_the_chain_goes_on(db_kind, request, tmp_path):
    url = fresh_url(db_kind, request, "audit_hash_version", tmp_path)
    migrate.upgrade("0009_inspection_record", url=url)
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            _fill(conn)
        migrate.upgrade(url=url)
        with AppSession(engine) as session, session.begin():
            assert audit.verify(session) == []
            audit.record(session, None, "new.event", "test", "s3", **DETAILS)
            audit.defer(session)
            audit.record(session, None, "new.event", "test", "s4", **DETAILS)
            audit.write_deferred(session)
        with AppSession(engine) as session, session.begin():
            rows = session.exec(select(AuditEvent).order_by(col(AuditEvent.seq))).all()
            assert [(r.seq, r.hash_version) for r in rows] == [(1, 1), (2, 1), (3, 2), (4, 2)]
            assert rows[2].prev_hash == rows[1].hash
            assert audit.verify(session) == []
            session.exec(sa.update(AuditEvent).where(col(AuditEvent.seq) == 1).values(details={"ratio": 1e-7}))
            session.exec(sa.update(AuditEvent).where(col(AuditEvent.seq) == 4).values(subject_id="forged"))
            session.expire_all()
            assert [b.seq for b in audit.verify(session)] == [1, 4]
    finally:
        engine.dispose()
