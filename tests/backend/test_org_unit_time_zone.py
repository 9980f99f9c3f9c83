"""The visit date is the local date of the inspection's org unit (``org_unit.time_zone``, migration 0013): the
district's own zone, else its province's, else ``LI_DEFAULT_TIMEZONE`` (Asia/Shanghai); over REST and by sync."""

from datetime import UTC, datetime, timedelta

import pytest

from backend.db import uuid7
from backend.errors import Problem
from backend.orgs import service as orgs
from backend.orgs import timezone
from backend.orgs.models import Level, OrgUnit
from tests.backend.devices import CHECKLIST

START = datetime(2026, 3, 4, 23, 30, tzinfo=UTC)  # 07:30 on 5 March in Beijing, 18:30 on 4 March in New York


def _zone(session, unit: OrgUnit, name: str | None) -> None:
    session.get(OrgUnit, unit.id).time_zone = name
    session.flush()


def _created(as_, inspector, world, checklist) -> str:
    created = as_(inspector).post("/inspections", json={
        "establishment_id": str(world.factory.id), "type": "planned",
        "checklists": [{"key": CHECKLIST, "version": checklist["version"]}], "started_at": START.isoformat(),
    })  # fmt: skip
    assert created.status_code == 201, created.text
    return created.json()["visit_date"]


def test_local_date_follows_the_unit_then_its_parents_then_the_setting(session, world):
    assert timezone.local_date(session, world.district.id, START).isoformat() == "2026-03-05"
    assert timezone.local_date(session, None, START).isoformat() == "2026-03-05"
    _zone(session, world.province, "America/New_York")
    assert timezone.local_date(session, world.district.id, START).isoformat() == "2026-03-04"
    _zone(session, world.district, "Asia/Shanghai")  # the district's own zone wins over its province's
    assert timezone.local_date(session, world.district.id, START).isoformat() == "2026-03-05"


def test_rest_and_sync_date_a_visit_in_the_districts_zone(session, world, as_, inspector, checklist, lead):
    assert _created(as_, inspector, world, checklist) == "2026-03-05"
    _zone(session, world.province, "America/New_York")
    assert _created(as_, inspector, world, checklist) == "2026-03-04"

    iid = str(uuid7())  # by sync, without a visit date: the start's local date in the district's zone
    mutation = lead.mutation("inspection.create", inspection_id=iid, establishment_id=str(world.factory.id),
                             checklist=f"{CHECKLIST}@{checklist['version']}")  # fmt: skip
    mutation["client_ts"] = START.isoformat().replace("+00:00", "Z")
    assert lead.push(mutation).json()["results"][0]["outcome"] == "applied"
    assert as_(inspector).get(f"/inspections/{iid}").json()["visit_date"] == "2026-03-04"

    old = str(uuid7())  # the old app's UTC date is the local date there too: it stands
    mutation = lead.mutation(
        "inspection.create",
        inspection_id=old,
        establishment_id=str(world.factory.id),
        checklist=f"{CHECKLIST}@{checklist['version']}",
        header={"visit_date": "2026-03-04"},
    )
    mutation["client_ts"] = (START + timedelta(minutes=1)).isoformat().replace("+00:00", "Z")
    assert lead.push(mutation).json()["results"][0]["outcome"] == "applied"
    assert as_(inspector).get(f"/inspections/{old}").json()["visit_date"] == "2026-03-04"


def test_org_units_show_their_zone_and_an_unknown_zone_is_refused(session, world, as_, admin):
    _zone(session, world.district, "Asia/Urumqi")
    units = {u["id"]: u for u in as_(admin).get("/org-units").json()}
    assert units[str(world.district.id)]["time_zone"] == "Asia/Urumqi"
    assert units[str(world.province.id)]["time_zone"] is None  # the default: LI_DEFAULT_TIMEZONE
    with pytest.raises(Problem) as refused:
        orgs.create_unit(session, code="990101", level=Level.district, name_en="Nowhere", name_zh="无处",
                         parent_id=world.province.id, actor_id=None, time_zone="Mars/Olympus")  # fmt: skip
    assert refused.value.code == "org_unit.unknown_time_zone"
    unit = orgs.create_unit(session, code="990102", level=Level.district, name_en="West", name_zh="西",
                            parent_id=world.province.id, actor_id=None, time_zone="Asia/Urumqi")  # fmt: skip
    assert timezone.zone_of(session, unit.id).key == "Asia/Urumqi"


def test_pulled_establishments_carry_their_districts_zone(session, world, as_, admin, lead):
    _zone(session, world.province, "America/New_York")
    r = as_(admin).patch(f"/establishments/{world.factory.id}", json={"name": "Factory renamed"})
    assert r.status_code == 200, r.text
    held = lead.pull_all()["establishment"]
    assert held[str(world.factory.id)]["time_zone"] == "America/New_York"  # the device dates a visit there
