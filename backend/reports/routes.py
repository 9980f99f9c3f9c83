"""``GET /api/v1/reports/annual``: the C81 annual report as JSON, one table as CSV, or a server-rendered HTML page,
for supervisors (their area), admins and statisticians; inspectors are refused."""

import csv
import html
import io
import uuid
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session

from backend.api import SessionDep
from backend.auth.deps import ReaderUser
from backend.auth.models import User
from backend.errors import NotFound
from backend.orgs import scope
from backend.reports import annual, application, ilostat

router = APIRouter(prefix="/reports", tags=["reports"])
Year = Annotated[int, Query(ge=1990, le=2100)]
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "No such org unit or table in your area"}}


def _units(session: Session, user: User, org_unit_id: uuid.UUID) -> set[uuid.UUID]:
    units = scope.descendants(session, [org_unit_id]) if scope.can_see(session, user, org_unit_id) else set()
    if not units:
        raise NotFound("org_unit.not_found", "No such org unit in your area.", id=str(org_unit_id))
    return units


def _build(session: Session, user: User, year: int, org_unit_id: uuid.UUID) -> annual.AnnualReport:
    return annual.build(session, year, _units(session, user, org_unit_id), org_unit_id)


@router.get("/annual", response_model=annual.AnnualReport, responses=NOT_FOUND)
def annual_report(session: SessionDep, user: ReaderUser, year: Year, org_unit_id: uuid.UUID) -> annual.AnnualReport:
    return _build(session, user, year, org_unit_id)


@router.get(
    "/annual/{table}.csv",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}, "description": "One table of the report"}, **NOT_FOUND},
)
def annual_table_csv(
    session: SessionDep,
    user: ReaderUser,
    table: Annotated[str, Path(pattern=r"^[a-z_]{1,32}$")],
    year: Year,
    org_unit_id: uuid.UUID,
) -> Response:
    report = _build(session, user, year, org_unit_id)
    found = [t for t in report.tables if t.key == table]
    if not found:
        raise NotFound("report.table_not_found", "No such table in the annual report.", table=table)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(found[0].columns)
    writer.writerows(found[0].rows)
    return Response(
        "\ufeff" + out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="annual-{year}-{table}.csv"'},
    )


@router.get("/annual.html", response_class=HTMLResponse, responses=NOT_FOUND)
def annual_html(
    session: SessionDep, user: ReaderUser, year: Year, org_unit_id: uuid.UUID, lang: Literal["en", "zh"] = "en"
) -> HTMLResponse:
    report = _build(session, user, year, org_unit_id)
    title = f"{year} 劳动保障监察年度报告" if lang == "zh" else f"Labour inspection annual report {year}"
    parts = [
        f'<!doctype html><html lang="{lang}"><meta charset="utf-8"><title>{html.escape(title)}</title>',
        f"<h1>{html.escape(title)}</h1>",
    ]
    for t in report.tables:
        caption = t.title_zh if lang == "zh" else t.title_en
        parts.append(f"<h2>({t.section}) {html.escape(caption)}</h2><table><thead><tr>")
        parts += [f'<th scope="col">{html.escape(c)}</th>' for c in t.columns]
        parts.append("</tr></thead><tbody>")
        for row in t.rows:
            parts.append("<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row) + "</tr>")
        parts.append("</tbody></table>")
        if t.export:
            label = "数据明细" if lang == "zh" else "Rows behind this table"
            parts.append(f'<p><a href="{html.escape(t.export)}">{label}</a></p>')
    return HTMLResponse("".join(parts) + "</html>")


@router.get("/ilostat", response_model=ilostat.Dataset, responses=NOT_FOUND)
def ilostat_json(session: SessionDep, user: ReaderUser, year: Year, org_unit_id: uuid.UUID) -> ilostat.Dataset:
    units = _units(session, user, org_unit_id)
    return ilostat.build(session, year, units, org_unit_id)


@router.get(
    "/ilostat.csv",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}, "description": "ILOSTAT bulk long layout"}, **NOT_FOUND},
)
def ilostat_csv(session: SessionDep, user: ReaderUser, year: Year, org_unit_id: uuid.UUID) -> Response:
    data = ilostat.build(session, year, _units(session, user, org_unit_id), org_unit_id)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(ilostat.HEADER)
    writer.writerows(data.rows)
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="ilostat-{year}.csv"',
            "X-Omitted-Rates": str(len(data.omitted)),
        },
    )


@router.get("/application", response_model=application.Application, responses=NOT_FOUND)
def conventions_application(
    session: SessionDep, user: ReaderUser, year: Year, org_unit_id: uuid.UUID
) -> application.Application:
    return application.build(session, year, _units(session, user, org_unit_id), org_unit_id)
