"""Printed documents of one inspection: ``GET /inspections/{id}/report.pdf`` (the inspection report, the notice of
findings handed over at the worksite), to anyone who may read the inspection (its team, supervisors of its area,
admins, statisticians of its area), in Chinese, English or both side by side."""

import uuid
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from backend.api import SessionDep
from backend.auth.deps import CurrentUser
from backend.inspections import service as inspections
from backend.reports import inspection_report, report_pdf

router = APIRouter(tags=["reports"])
DocLang = Annotated[Literal["zh", "en", "both"], Query(description="zh, en, or both side by side")]
PDF: dict[int | str, dict[str, Any]] = {200: {"content": {"application/pdf": {}}, "description": "The PDF"}}


def pdf_response(data: bytes, filename: str) -> Response:
    return Response(
        data,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{filename}"', "Cache-Control": "private, no-store"},
    )


@router.get("/inspections/{inspection_id}/report.pdf", response_class=Response, responses=PDF)
def inspection_report_pdf(
    session: SessionDep, user: CurrentUser, inspection_id: uuid.UUID, lang: DocLang = "both"
) -> Response:
    """The inspection report as the record stands: particulars, each non-compliance with its question and legal
    basis, notes and photos, measures with deadlines and notice numbers, the content hash and how to verify it."""
    inspection = inspections.get_visible(session, user, inspection_id)
    data = report_pdf.render(inspection_report.build(session, inspection), lang)
    return pdf_response(data, f"inspection-{inspection.id}-{lang}.pdf")
