"""``GET /api/v1/exports/...``: datasets as CSV for supervisors, admins and statisticians of their area."""

import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse

from backend.api import SessionDep
from backend.audit import service as audit_log
from backend.auth.deps import ReaderUser
from backend.exports import csv_stream, inspections

router = APIRouter(tags=["exports"])


@router.get(
    "/exports/inspections.csv",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/csv": {}}, "description": "Inspections, one a row (UTF-8 with BOM)"}},
)
def export_inspections(
    session: SessionDep,
    user: ReaderUser,
    since: date | None = None,
    until: date | None = None,
    org_unit_id: uuid.UUID | None = None,
    isic: Annotated[str | None, Query(pattern=r"^[A-U0-9]{1,4}$", max_length=4)] = None,
) -> StreamingResponse:
    # hardening (issue 21): every export is a security event, with what was asked for
    audit_log.record(session, user.id, "export.inspections_csv", "export", "inspections.csv",
                     since=since and since.isoformat(), until=until and until.isoformat(),
                     org_unit_id=org_unit_id and str(org_unit_id), isic=isic)  # fmt: skip
    body = csv_stream.stream(inspections.HEADER, inspections.rows(session, user, since, until, org_unit_id, isic))
    return StreamingResponse(
        body,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="inspections.csv"'},
    )
