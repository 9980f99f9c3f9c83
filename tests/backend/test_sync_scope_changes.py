"""Scope changes reach devices: a user who loses a district (new org units, another role) or whose establishment
moves away gets a ``delete`` of each row they may no longer hold, and only they do; rows they gain arrive from
their own cursor, after any earlier delete. Team membership keeps an inspection whatever the districts."""

from backend.db import uuid7
from backend.orgs import service as orgs
from backend.orgs.models import Establishment
from tests.backend.devices import drop
from tests.backend.test_device_sync import Dev, create
from tests.backend.test_sync_feed import changes_after, cursor_of


def deletes(changes: list[dict]) -> set[tuple[str, str]]:
    return {(c["entity"], c["id"]) for c in changes if c["op"] == "delete"}


def upserts(changes: list[dict]) -> set[tuple[str, str]]:
    return {(c["entity"], c["id"]) for c in changes if c["op"] == "upsert"}


def ever_upserted(dev: Dev) -> set[tuple[str, str]]:
    """Every (entity, id) a device pulling from 0 is ever given, whatever deletes follow."""
    seen: set[tuple[str, str]] = set()
    cursor, more = 0, True
    while more:
        page = dev.pull(cursor).json()
        seen |= upserts(page["changes"])
        cursor, more = page["cursor"], page["more"]
    return seen


def apply(tables: dict, changes: list[dict]) -> dict:
    """Apply pulled changes to what a device holds, as ``Dev.pull_all`` does page by page."""
    for c in changes:
        if c["op"] == "delete":
            drop(tables, c)
        else:
            tables.setdefault(c["entity"], {})[c["id"]] = c["data"]
    return tables


def set_user(as_, admin, user, *units, **changes) -> None:
    body = {"org_unit_ids": [str(u.id) for u in units], **changes} if units else changes
    r = as_(admin).patch(f"/users/{user.id}", json=body)
    assert r.status_code == 200, r.text


def action(as_, user, iid: str) -> str:
    r = as_(user).post(f"/inspections/{iid}/actions", json={"measure": "warning"})
    assert r.status_code == 201, r.text
    return r.json()["id"]


def complaint(dev: Dev, establishment) -> str:
    cid = str(uuid7())
    done = dev.send("complaint.create", complaint_id=cid, establishment_id=str(establishment.id),
                    summary="Night shifts without overtime pay", received_on="2026-11-25")  # fmt: skip
    assert done["outcome"] == "applied", done
    return cid


def move(session, establishment, district) -> None:
    """Move an establishment to another district in a transaction of its own (``orgs.move_establishment``, which
    records ``EstablishmentMoved``; no REST route moves one)."""
    nested = session.begin_nested()
    orgs.move_establishment(session, None, session.get(Establishment, establishment.id), district.id)
    nested.commit()


def test_an_inspector_who_loses_a_district_gets_deletes_of_its_rows_and_nothing_else(
    lead, second, world, checklist, as_, admin, inspector
):
    mine = create(lead, world, checklist)
    my_order = action(as_, inspector, mine)
    theirs = create(second, world, checklist)
    their_order = action(as_, world.second_inspector, theirs)
    my_complaint = complaint(lead, world.factory)
    held = lead.pull_all()
    assert {str(world.factory.id), str(world.building_site.id)} <= set(held["establishment"])
    assert their_order in held["action"] and theirs not in held["inspection"]
    start, second_start = cursor_of(lead), cursor_of(second)

    set_user(as_, admin, inspector, world.other_district)

    changes = changes_after(lead, start)
    assert deletes(changes) == {
        ("establishment", str(world.factory.id)), ("establishment", str(world.building_site.id)),
        ("action", their_order),
    }  # fmt: skip
    assert ("establishment", str(world.other_factory.id)) in upserts(changes)  # the new district arrives
    tables = lead.pull_all()
    assert set(tables["establishment"]) == {str(world.other_factory.id)}
    assert set(tables["action"]) == {my_order}  # the order of their own inspection stays
    assert mine in tables["inspection"] and my_complaint in tables["complaint"]  # team and authorship stay
    # Only the user's devices are told: the revocations are theirs alone.
    assert deletes(changes_after(second, second_start)) == set()
    # A tablet registered afterwards never holds the lost rows, not even briefly.
    fresh = Dev(as_, inspector)
    lost = {("establishment", str(world.factory.id)), ("establishment", str(world.building_site.id)),
            ("action", their_order)}  # fmt: skip
    assert ever_upserted(fresh) & lost == set()
    assert ("inspection", mine) in ever_upserted(fresh)


def test_a_regained_district_comes_back_after_its_deletes(lead, second, world, checklist, as_, admin, inspector):
    theirs = create(second, world, checklist)
    their_order = action(as_, world.second_inspector, theirs)
    factory = ("establishment", str(world.factory.id))
    start = cursor_of(lead)
    set_user(as_, admin, inspector, world.other_district)
    between = cursor_of(lead)
    set_user(as_, admin, inspector, world.district)

    regained = changes_after(lead, between)
    assert {factory, ("establishment", str(world.building_site.id)), ("action", their_order)} <= upserts(regained)
    assert deletes(regained) == {("establishment", str(world.other_factory.id))}
    # A device that slept through both changes gets the delete first, then the row again.
    slept = [(c["op"], c["entity"], c["id"]) for c in changes_after(lead, start)]
    assert slept.index(("delete", *factory)) < slept.index(("upsert", *factory))
    for dev in (lead, Dev(as_, inspector)):
        tables = dev.pull_all()
        assert str(world.factory.id) in tables["establishment"] and their_order in tables["action"]
        assert str(world.other_factory.id) not in tables["establishment"]


def test_a_supervisor_who_loses_an_area_keeps_only_the_inspections_of_their_teams(
    lead, world, checklist, as_, admin, supervisor, other_district_inspector
):
    sup = Dev(as_, supervisor)
    unassigned = create(lead, world, checklist)
    on_team = create(lead, world, checklist, team=[str(supervisor.id)])
    outsider = Dev(as_, other_district_inspector)
    elsewhere = create(outsider, world, checklist, establishment=world.other_factory)
    cid = complaint(lead, world.factory)
    held = sup.pull_all()
    assert {unassigned, on_team, elsewhere} <= set(held["inspection"]) and cid in held["complaint"]
    start, lead_start = cursor_of(sup), cursor_of(lead)

    set_user(as_, admin, supervisor, world.other_district)

    assert deletes(changes_after(sup, start)) == {
        ("inspection", unassigned), ("complaint", cid),
        ("establishment", str(world.factory.id)), ("establishment", str(world.building_site.id)),
    }  # fmt: skip
    tables = apply(held, changes_after(sup, start))  # the tablet that pulled before
    assert set(tables["inspection"]) == {on_team, elsewhere} and cid not in tables["complaint"]
    assert deletes(changes_after(lead, lead_start)) == set()
    assert unassigned not in {i for e, i in ever_upserted(Dev(as_, supervisor)) if e == "inspection"}


def test_a_role_change_withdraws_and_returns_what_the_role_sees(lead, world, checklist, as_, admin, supervisor):
    sup = Dev(as_, supervisor)
    iid = create(lead, world, checklist)
    cid = complaint(lead, world.factory)
    start = cursor_of(sup)

    set_user(as_, admin, supervisor, role="inspector")  # same units: establishments stay, area inspections go
    assert deletes(changes_after(sup, start)) == {("inspection", iid), ("complaint", cid)}
    demoted = cursor_of(sup)
    set_user(as_, admin, supervisor, role="supervisor")
    back = changes_after(sup, demoted)
    assert deletes(back) == set() and {("inspection", iid), ("complaint", cid)} <= upserts(back)
    tables = sup.pull_all()
    assert iid in tables["inspection"] and cid in tables["complaint"]


def test_an_inspector_still_on_a_team_keeps_the_inspection_until_removed(
    lead, second, world, checklist, as_, admin, inspector
):
    iid = create(second, world, checklist, team=[str(inspector.id)])
    order = action(as_, world.second_inspector, iid)
    start = cursor_of(lead)
    set_user(as_, admin, inspector, world.other_district)
    assert ("inspection", iid) not in deletes(changes_after(lead, start))
    assert ("action", order) not in deletes(changes_after(lead, start))
    note = lead.send("finding.record", inspection_id=iid, item_id="ga.est.01", base_version=0,
                     fields={"status": "compliant"})  # fmt: skip
    assert note["outcome"] == "applied", note
    tables = lead.pull_all()
    assert iid in tables["inspection"] and order in tables["action"]
    assert [f["item_id"] for f in tables["finding"].values() if f["inspection_id"] == iid] == ["ga.est.01"]
    # Removed from the team, outside the district: the inspection and its order go too, and with the inspection
    # the rows of its record on a device that only applies what it pulls from its cursor.
    before = cursor_of(lead)
    r = as_(world.second_inspector).patch(f"/inspections/{iid}", json={"team": []})
    assert r.status_code == 200, r.text
    assert deletes(changes_after(lead, before)) == {("inspection", iid), ("action", order)}
    apply(tables, changes_after(lead, before))
    assert iid not in tables["inspection"] and order not in tables["action"]
    assert [f for f in tables["finding"].values() if f["inspection_id"] == iid] == []
    assert tables == apply({}, changes_after(lead, 0)) | {k: v for k, v in tables.items() if not v}


def test_a_change_that_keeps_the_scope_sends_nothing(lead, world, as_, admin, inspector):
    start = cursor_of(lead)
    set_user(as_, admin, inspector, world.district, name="Renamed Inspector")
    assert changes_after(lead, start) == []


def test_a_moved_establishment_leaves_the_old_district_and_reaches_the_new(
    lead, world, checklist, as_, session, supervisor, other_district_inspector
):
    iid = create(lead, world, checklist)
    outsider, sup = Dev(as_, other_district_inspector), Dev(as_, supervisor)
    factory = str(world.factory.id)
    assert factory not in outsider.pull_all()["establishment"]
    starts = {dev: cursor_of(dev) for dev in (lead, outsider, sup)}

    move(session, world.factory, world.other_district)

    assert deletes(changes_after(lead, starts[lead])) == {("establishment", factory)}
    arrived = [c for c in changes_after(outsider, starts[outsider]) if c["id"] == factory]
    assert [(c["op"], c["data"]["district_id"]) for c in arrived] == [("upsert", str(world.other_district.id))]
    assert deletes(changes_after(sup, starts[sup])) == set()  # the province sees both districts
    tables = lead.pull_all()
    assert factory not in tables["establishment"] and iid in tables["inspection"]  # the team keeps its inspection
    assert factory in outsider.pull_all()["establishment"]

    move(session, world.factory, world.district)
    assert factory in lead.pull_all()["establishment"]
    assert factory not in outsider.pull_all()["establishment"]


def test_a_new_tablet_of_a_supervisor_holds_their_team_inspection_outside_their_area(
    lead, world, checklist, as_, admin, supervisor
):
    on_team = create(lead, world, checklist, team=[str(supervisor.id)])
    set_user(as_, admin, supervisor, world.other_district)
    assert on_team in Dev(as_, supervisor).pull_all().get("inspection", {})

    # Taken off the team outside their area: the tablet drops it, as a new tablet never gets it.
    sup = Dev(as_, supervisor)
    held = sup.pull_all()
    assert on_team in held["inspection"]
    start = cursor_of(sup)
    r = lead.api.patch(f"/inspections/{on_team}", json={"team": []})
    assert r.status_code == 200, r.text
    assert deletes(changes_after(sup, start)) == {("inspection", on_team)}
    assert on_team not in apply(held, changes_after(sup, start))["inspection"]
    assert on_team not in Dev(as_, supervisor).pull_all().get("inspection", {})


def test_a_supervisor_taken_off_a_team_in_their_area_keeps_the_inspection(lead, world, checklist, as_, supervisor):
    iid = create(lead, world, checklist, team=[str(supervisor.id)])
    sup = Dev(as_, supervisor)
    start = cursor_of(sup)
    assert lead.api.patch(f"/inspections/{iid}", json={"team": []}).status_code == 200
    assert deletes(changes_after(sup, start)) == set()
    assert iid in sup.pull_all()["inspection"]
