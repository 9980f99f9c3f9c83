"""Inspection CSV export: UTF-8 with BOM, scoped to the caller's area, readable by a statistician and refused to
an inspector, no ``type`` column (complaint-triggered visits stay unrecognisable), formula cells neutralised."""

import csv
import io

from backend.auth import service as auth
from backend.auth.models import Role, Sex, UserCreate
from backend.exports.cells import cell
from tests.backend.test_inspections import checklist, start  # noqa: F401


def _rows(response):
    assert response.status_code == 200, response.text
    assert response.content.startswith("\ufeff".encode())
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_inspections_export_scope_roles_and_columns(session, as_, inspector, other_district_inspector, supervisor,
                                                    world, checklist):  # noqa: F811  # fmt: skip
    mine = start(as_(inspector), world.factory, checklist, type="complaint")
    theirs = start(as_(other_district_inspector), world.other_factory, checklist)
    statistician = auth.create_user(
        session,
        UserCreate(
            email="stat@x.example",
            name="Stat",
            sex=Sex.female,
            role=Role.statistician,
            password="long enough password",
            org_unit_ids=[world.district.id],
        ),
        actor_id=world.admin.id,
    )
    rows = _rows(as_(supervisor).get("/exports/inspections.csv"))
    assert {r["inspection_id"] for r in rows} == {mine["id"], theirs["id"]}
    assert not {"type", "complaint_id", "complaint"} & set(rows[0])
    assert "complaint" not in as_(supervisor).get("/exports/inspections.csv").text
    only = _rows(as_(supervisor).get("/exports/inspections.csv", params={"org_unit_id": str(world.district.id)}))
    assert [r["inspection_id"] for r in only] == [mine["id"]]
    assert [r["inspection_id"] for r in _rows(as_(statistician).get("/exports/inspections.csv"))] == [mine["id"]]
    assert _rows(as_(supervisor).get("/exports/inspections.csv", params={"since": "2030-01-01"})) == []
    r = as_(inspector).get("/exports/inspections.csv")
    assert r.status_code == 403 and r.json()["code"] == "auth.role_required"


def test_formula_cells_are_neutralised():
    assert [cell(v) for v in ("=HYPERLINK(1)", "+1", "-2", "@SUM", "\tx", "plain", 3, None, True)] == [
        "'=HYPERLINK(1)", "'+1", "'-2", "'@SUM", "'\tx", "plain", "3", "", "true",
    ]  # fmt: skip


def test_every_export_is_a_security_event_with_what_was_asked(session, as_, supervisor, world):
    from sqlmodel import select

    from backend.audit import service as audit_log
    from backend.audit.models import AuditEvent

    _rows(as_(supervisor).get(f"/exports/inspections.csv?since=2026-01-01&org_unit_id={world.district.id}"))
    [event] = session.exec(select(AuditEvent).where(AuditEvent.action == "export.inspections_csv")).all()
    assert event.actor_id == supervisor.id and event.subject_id == "inspections.csv"
    assert event.details == {"since": "2026-01-01", "until": None, "org_unit_id": str(world.district.id), "isic": None,
                             "checklist": None, "convention": None}  # fmt: skip
    assert audit_log.verify(session) == []  # in the hash chain
