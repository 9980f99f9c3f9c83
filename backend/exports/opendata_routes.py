"""``GET /api/v1/opendata/{inspections|violations|penalties|penalty-decisions}.csv``: the open enforcement data of
the caller's area (``opendata.py``: keyed by inspection number, personal data removed; the penalty decisions
disclosed under the Administrative Penalty Law Art. 48), for supervisors, admins and statisticians to publish;
UTF-8 with BOM, streamed, formula cells neutralised, each download audited."""

import uuid
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from typing import Any, Literal

from fastapi import APIRouter
from fastapi.responses import StreamingResponse
from sqlmodel import Session

from backend.api import SessionDep
from backend.audit import service as audit_log
from backend.auth.deps import ReaderUser
from backend.auth.models import User
from backend.exports import csv_stream, opendata

router = APIRouter(tags=["exports"])
Rows = Callable[[Session, User, uuid.UUID | None, date | None, date | None], Iterator[Sequence[Any]]]
TABLES: dict[str, tuple[Sequence[str], Rows]] = {
    "inspections": (opendata.INSPECTIONS, opendata.inspections),
    "violations": (opendata.VIOLATIONS, opendata.violations),
    "penalties": (opendata.PENALTIES, opendata.penalties),
    "penalty-decisions": (opendata.PENALTY_DECISIONS, opendata.penalty_decisions),  # Administrative Penalty Law Art. 48
}


@router.get(
    "/opendata/{table}.csv",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/csv": {}}, "description": "One open-data table (UTF-8 with BOM)"}},
)
def open_data(
    session: SessionDep,
    user: ReaderUser,
    table: Literal["inspections", "violations", "penalties", "penalty-decisions"],
    since: date | None = None,
    until: date | None = None,
    org_unit_id: uuid.UUID | None = None,
) -> StreamingResponse:
    """Inspections (submitted, newest version each), violations or penalties of your area, by inspection number;
    or the penalty decisions disclosed to the public (Administrative Penalty Law 2021, Art. 48)."""
    audit_log.record(session, user.id, "export.opendata_csv", "export", f"opendata/{table}.csv",
                     since=since and since.isoformat(), until=until and until.isoformat(),
                     org_unit_id=org_unit_id and str(org_unit_id))  # fmt: skip
    header, rows = TABLES[table]
    return StreamingResponse(
        csv_stream.stream(header, rows(session, user, org_unit_id, since, until)),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{table}.csv"'},
    )
