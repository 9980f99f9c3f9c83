"""``/api/v1/exports/...``: every dataset as CSV (streamed) or XLSX for supervisors, admins and statisticians of
their area; large ones as worker jobs whose file only the user who asked downloads, until its link expires."""

import os
import tempfile
import uuid
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, BackgroundTasks, Query
from fastapi.responses import FileResponse, StreamingResponse
from pydantic import ConfigDict, Field

from backend.api import SessionDep
from backend.auth.deps import ReaderUser, changes_nothing
from backend.exports import datasets, jobs, service
from backend.exports.filters import ChecklistKey, Convention, Filters, Isic
from backend.fields import Input

router = APIRouter(tags=["exports"])
DatasetName = Literal["inspections", "findings", "violations", "measures", "penalties", "complaints", "accidents",
                      "injured_persons"]  # fmt: skip
FILE = {"content": {"text/csv": {}, service.MEDIA["xlsx"]: {}}, "description": "The rows (CSV: UTF-8 with BOM)"}
NOT_APPLICABLE: dict[int | str, dict[str, Any]] = {422: {"description": "A filter that does not apply to the dataset"}}
MINE: dict[int | str, dict[str, Any]] = {404: {"description": "No such export of yours"}}


def _filters(
    since: date | None = None,
    until: date | None = None,
    org_unit_id: uuid.UUID | None = None,
    isic: Annotated[Isic | None, Query(max_length=4)] = None,
    checklist: Annotated[ChecklistKey | None, Query(max_length=64)] = None,
    convention: Annotated[Convention | None, Query(max_length=32)] = None,
) -> Filters:
    return Filters(since=since, until=until, org_unit_id=org_unit_id, isic=isic, checklist=checklist,
                   convention=convention)  # fmt: skip


def _remove(path: Path) -> None:
    path.unlink(missing_ok=True)


@router.get("/exports/{dataset}.{fmt}", response_class=StreamingResponse, responses={200: FILE, **NOT_APPLICABLE})
def export(
    session: SessionDep,
    user: ReaderUser,
    dataset: DatasetName,
    fmt: Literal["csv", "xlsx"],
    background: BackgroundTasks,
    since: date | None = None,
    until: date | None = None,
    org_unit_id: uuid.UUID | None = None,
    isic: Annotated[Isic | None, Query(max_length=4)] = None,
    checklist: Annotated[ChecklistKey | None, Query(max_length=64)] = None,
    convention: Annotated[Convention | None, Query(max_length=32)] = None,
) -> Any:
    f = _filters(since, until, org_unit_id, isic, checklist, convention)
    found = datasets.get(dataset, f)
    service.audit(session, user, dataset, fmt, f)  # every export is a security event (issue 21)
    disposition = {"Content-Disposition": f'attachment; filename="{dataset}.{fmt}"'}
    if fmt == "csv":
        body = service.csv_body(session, user, found, f)
        return StreamingResponse(body, media_type=service.MEDIA["csv"], headers=disposition)
    handle, name = tempfile.mkstemp(suffix=".xlsx")
    os.close(handle)
    path = Path(name)
    service.write(session, user, found, f, "xlsx", path)
    background.add_task(_remove, path)
    return FileResponse(path, media_type=service.MEDIA["xlsx"], filename=f"{dataset}.xlsx", background=background)


class ExportJobCreate(Input):
    model_config = ConfigDict(extra="forbid")

    dataset: DatasetName
    format: Literal["csv", "xlsx"] = "csv"
    filters: Filters = Field(default_factory=Filters)


@router.post("/exports/jobs", status_code=202, response_model=jobs.ExportJobView, responses=NOT_APPLICABLE)
@changes_nothing  # asking for an export changes no record: a statistician may (issue 19)
def start_job(session: SessionDep, user: ReaderUser, body: ExportJobCreate) -> jobs.ExportJobView:
    export = jobs.start(session, user, body.dataset, body.format, body.filters)
    return jobs.view(session, user, export.id)


@router.get("/exports/jobs/{export_id}", response_model=jobs.ExportJobView, responses=MINE)
def job_state(session: SessionDep, user: ReaderUser, export_id: uuid.UUID) -> jobs.ExportJobView:
    return jobs.view(session, user, export_id)


@router.get(
    "/exports/jobs/{export_id}/download",
    response_class=FileResponse,
    responses={200: FILE, **MINE, 410: {"description": "The download link has expired"}},
)
def job_download(session: SessionDep, user: ReaderUser, export_id: uuid.UUID) -> FileResponse:
    path, filename = jobs.download(session, user, export_id)
    media = service.MEDIA["xlsx"] if filename.endswith(".xlsx") else service.MEDIA["csv"]
    return FileResponse(path, media_type=media, filename=filename)
