"""Reading the audit trail and checking its chain over HTTP (admins only)."""

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel
from sqlmodel import col, select

from backend.api import SessionDep
from backend.audit import service
from backend.audit.models import AuditEvent
from backend.auth.deps import AdminUser
from backend.fields import NonNegInt64, SearchText

router = APIRouter(prefix="/audit", tags=["audit"])


class AuditEventPublic(BaseModel):
    seq: int
    at: datetime
    actor_id: str | None
    action: str
    subject_type: str
    subject_id: str
    details: dict[str, Any]
    hash: str


class ChainReport(BaseModel):
    ok: bool
    breaks: list[dict[str, Any]]


@router.get("/events", response_model=list[AuditEventPublic])
def list_audit_events(
    session: SessionDep,
    admin: AdminUser,
    subject_type: SearchText | None = None,
    subject_id: SearchText | None = None,
    after_seq: Annotated[NonNegInt64, Query()] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[AuditEventPublic]:
    stmt = select(AuditEvent).where(col(AuditEvent.seq) > after_seq)
    if subject_type:
        stmt = stmt.where(AuditEvent.subject_type == subject_type)
    if subject_id:
        stmt = stmt.where(AuditEvent.subject_id == subject_id)
    rows = session.exec(stmt.order_by(col(AuditEvent.seq)).limit(limit)).all()
    return [
        AuditEventPublic.model_validate(r.model_dump() | {"actor_id": str(r.actor_id) if r.actor_id else None})
        for r in rows
    ]


@router.get("/verify", response_model=ChainReport)
def verify_audit_chain(session: SessionDep, admin: AdminUser) -> ChainReport:
    breaks = service.verify(session)
    return ChainReport(ok=not breaks, breaks=[{"seq": b.seq, "reason": b.reason} for b in breaks])
