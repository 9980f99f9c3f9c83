"""Rules the database itself enforces (migration 0005), and the API refusing what would break them."""

import uuid

import pytest
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from test_inspections import CHECKLIST, start

from backend.inspections.models import Inspection


@pytest.fixture
def checklist(as_, inspector):
    summary = next(c for c in as_(inspector).get("/checklists").json() if c["key"] == CHECKLIST)
    return as_(inspector).get(f"/checklists/{CHECKLIST}/{summary['version']}").json()


def test_a_gps_fix_without_coordinates_is_refused_by_the_api_and_the_database(
    as_, inspector, world, checklist, session
):
    api = as_(inspector)
    insp = start(api, world.factory, checklist, gps=None, gps_status="no_fix")
    r = api.patch(f"/inspections/{insp['id']}", json={"gps_status": "fix"})
    assert r.status_code == 422 and r.json()["code"] == "request.invalid"
    r = api.post("/inspections", json={"establishment_id": str(world.factory.id), "type": "planned",
                                       "checklists": [{"key": CHECKLIST, "version": checklist["version"]}],
                                       "gps_status": "fix"})  # fmt: skip
    assert r.status_code == 422 and r.json()["code"] == "request.invalid"
    assert api.get(f"/inspections/{insp['id']}").json()["gps_status"] == "no_fix"
    row = session.get(Inspection, uuid.UUID(insp["id"]))
    with pytest.raises(IntegrityError), session.begin_nested():
        session.execute(update(Inspection).where(Inspection.id == row.id).values(gps_status="fix"))
