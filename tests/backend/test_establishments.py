"""The establishments registry: scope on every route, validation, search, and CSV import."""

import io
import uuid

import pytest
from sqlalchemy import func
from sqlmodel import select
from world import uscc

from backend.errors import Conflict
from backend.orgs import importer, scope
from backend.orgs import service as orgs
from backend.orgs.models import Establishment, EstablishmentCreate, Level


def names(page):
    return {e["name"] for e in page.json()["items"]}


def test_scope_on_list(as_, inspector, other_district_inspector, supervisor, admin):
    assert names(as_(inspector).get("/establishments")) == {"Riverside Garments", "Riverside Tower Site"}
    assert names(as_(other_district_inspector).get("/establishments")) == {"Hillside Electronics"}
    assert names(as_(supervisor).get("/establishments")) == {
        "Riverside Garments",
        "Riverside Tower Site",
        "Hillside Electronics",
    }
    assert "Harbour Shipyard" in names(as_(admin).get("/establishments"))


def test_out_of_scope_detail_is_404_not_403(as_, inspector, supervisor, world):
    r = as_(inspector).get(f"/establishments/{world.other_factory.id}")
    assert r.status_code == 404 and r.json()["code"] == "establishment.not_found"
    assert as_(supervisor).get(f"/establishments/{world.far_factory.id}").status_code == 404
    assert as_(supervisor).get(f"/establishments/{world.other_factory.id}").status_code == 200
    r = as_(inspector).patch(f"/establishments/{world.other_factory.id}", json={"workers_total": 1})
    assert r.status_code == 404


def test_search_by_name_code_sector_district(as_, supervisor, world):
    api = as_(supervisor)
    assert names(api.get("/establishments", params={"q": "tower"})) == {"Riverside Tower Site"}
    assert names(api.get("/establishments", params={"q": uscc(3)[-7:].lower()})) == {"Hillside Electronics"}
    assert names(api.get("/establishments", params={"registration_number": uscc(1)})) == {"Riverside Garments"}
    assert names(api.get("/establishments", params={"isic": "14"})) == {"Riverside Garments"}
    assert names(api.get("/establishments", params={"district_id": str(world.other_district.id)})) == {
        "Hillside Electronics"
    }
    page = api.get("/establishments", params={"limit": 1, "offset": 1}).json()
    assert page["total"] == 3 and len(page["items"]) == 1


def test_create_validates_uscc_and_district(as_, inspector, world):
    base = {"name": "New Mill", "district_id": str(world.district.id), "isic": "1311", "workers_total": 10}
    bad = as_(inspector).post("/establishments", json=base | {"registration_number": "91350100M000100Y44"})
    assert bad.status_code == 422
    assert "check character" in bad.text
    out = as_(inspector).post(
        "/establishments",
        json=base | {"registration_number": uscc(50), "district_id": str(world.other_district.id)},
    )
    assert out.status_code == 404
    ok = as_(inspector).post("/establishments", json=base | {"registration_number": uscc(50).lower()})
    assert ok.status_code == 201, ok.text
    assert ok.json()["registration_number"] == uscc(50)
    dup = as_(inspector).post("/establishments", json=base | {"registration_number": uscc(50)})
    assert dup.status_code == 409 and dup.json()["code"] == "establishment.duplicate_registration"
    other = as_(inspector).post(
        "/establishments",
        json=base | {"registration_type": "business_licence", "registration_number": "BL-77"},
    )
    assert other.status_code == 201


def test_workforce_breakdown_cannot_exceed_total(as_, inspector, world):
    r = as_(inspector).patch(f"/establishments/{world.factory.id}", json={"workers_total": 10})
    assert r.status_code == 422 and r.json()["code"] == "establishment.invalid"
    r = as_(inspector).patch(f"/establishments/{world.factory.id}", json={"workers_total": 200})
    assert r.status_code == 200 and r.json()["workers_total"] == 200


def csv_file(rows):
    header = "name,registration_number,district_code,isic,workers_total,workers_women\n"
    return {"file": ("est.csv", io.BytesIO((header + "".join(rows)).encode()), "text/csv")}


def test_import_is_all_or_nothing_with_per_row_errors(as_, supervisor):
    rows = [
        f"Alpha Textiles,{uscc(101)},110101,1311,40,30\n",
        "Bad Code Ltd,91350100M000100Y44,110101,1311,5,1\n",
        f"Wrong Place,{uscc(102)},999999,1311,5,1\n",
        f"Dup,{uscc(101)},110101,1311,5,1\n",
        f"Too Many Women,{uscc(103)},110102,1311,5,9\n",
    ]
    r = as_(supervisor).post("/establishments/import", files=csv_file(rows))
    assert r.status_code == 422
    body = r.json()
    assert body["code"] == "import.invalid_rows"
    assert sorted({e["row"] for e in body["errors"]}) == [3, 4, 5, 6]
    assert as_(supervisor).get("/establishments", params={"q": "Alpha"}).json()["total"] == 0
    r = as_(supervisor).post("/establishments/import", params={"skip_invalid": True}, files=csv_file(rows))
    assert r.status_code == 200, r.text
    assert r.json()["imported"] == 1 and r.json()["skipped"] == 4
    assert as_(supervisor).get("/establishments", params={"q": "Alpha"}).json()["total"] == 1


def test_import_refuses_unknown_columns_and_inspectors(as_, supervisor, inspector):
    files = {"file": ("e.csv", io.BytesIO(b"name,registration_number,district_code,isic,colour\n"), "text/csv")}
    r = as_(supervisor).post("/establishments/import", files=files)
    assert r.json()["code"] == "import.unknown_columns"
    assert as_(inspector).post("/establishments/import", files=csv_file([])).status_code == 403


def test_org_units_are_scoped(as_, inspector, supervisor, admin):
    assert {u["code"] for u in as_(inspector).get("/org-units").json()} == {"110101"}
    assert {u["code"] for u in as_(supervisor).get("/org-units").json()} == {"110000", "110101", "110102"}
    assert len(as_(admin).get("/org-units").json()) == 6


def count(session):
    return session.exec(select(func.count()).select_from(Establishment)).one()


@pytest.mark.parametrize(
    ("body", "line"),
    [
        (f'"Quoted" Mill,{uscc(111)},110101,1311,5,1\n', 2),  # text after a closing quote
        (f'Fine Mill,{uscc(112)},110101,1311,5,1\n"Open Quote,{uscc(113)},110101,1311,5,1\n', 3),  # never closed
        (f"Fine Mill,{uscc(112)},110101,1311,5,1\nNul\x00 Mill,{uscc(114)},110101,1311,5,1\n", 3),
        (f"Carriage\rReturn,{uscc(115)},110101,1311,5,1\n", 2),  # a bare CR inside an unquoted field
    ],
    ids=["text-after-quote", "unclosed-quote", "nul-byte", "bare-cr"],
)
def test_malformed_csv_is_a_422_with_the_line_and_nothing_is_imported(as_, supervisor, session, body, line):
    before = count(session)
    r = as_(supervisor).post("/establishments/import", files=csv_file([body]))
    assert r.status_code == 422 and r.json()["code"] == "import.malformed", r.text
    assert r.json()["row"] == line
    assert count(session) == before


def test_duplicates_that_slip_past_the_checks_are_409s(as_, inspector, supervisor, admin, session, world, monkeypatch):
    base = {"name": "Race Mill", "district_id": str(world.district.id), "isic": "1311", "registration_number": uscc(60)}
    assert as_(inspector).post("/establishments", json=base).status_code == 201
    monkeypatch.setattr(orgs, "_ensure_unique", lambda *_: None)  # as if the other insert came in meanwhile
    r = as_(inspector).post("/establishments", json=base)
    assert r.status_code == 409 and r.json()["code"] == "establishment.duplicate_registration"

    real_parse = importer.parse

    def parse_then_race(s, user, text):
        parsed = real_parse(s, user, text)
        s.add(Establishment.model_validate(EstablishmentCreate(**base | {"registration_number": uscc(61)})))
        s.flush()
        return parsed

    monkeypatch.setattr(importer, "parse", parse_then_race)
    before = count(session)
    rows = [f"Other Mill,{uscc(62)},110101,1311,5,1\n", f"Racer,{uscc(61)},110101,1311,5,1\n"]
    r = as_(supervisor).post("/establishments/import", files=csv_file(rows))
    assert r.status_code == 409 and r.json()["code"] == "establishment.duplicate_registration"
    assert count(session) == before

    with pytest.raises(Conflict) as exc:
        orgs.create_unit(session, code="110101", level=Level.district, name_en="Twin", name_zh="Twin",
                         parent_id=world.province.id, actor_id=admin.id)  # fmt: skip
    assert exc.value.code == "org_unit.code_taken"


def test_registration_number_search_ignores_case_for_every_identifier_type(as_, inspector, world):
    base = {"name": "Licensed Shop", "district_id": str(world.district.id), "isic": "4711"}
    r = as_(inspector).post("/establishments", json=base | {"registration_type": "business_licence",
                                                            "registration_number": "bl-78a"})  # fmt: skip
    assert r.status_code == 201 and r.json()["registration_number"] == "bl-78a"  # stored as given
    by_number = lambda n: names(as_(inspector).get("/establishments", params={"registration_number": n}))  # noqa: E731
    assert by_number("bl-78a") == by_number("BL-78A") == {"Licensed Shop"}
    assert by_number(uscc(1).lower()) == {"Riverside Garments"}


def test_scope_follows_the_whole_tree(session, world, supervisor, inspector, admin):
    assert scope.visible_units(session, admin) is None
    assert scope.visible_units(session, inspector) == {world.district.id}
    assert scope.visible_units(session, supervisor) == {world.province.id, world.district.id, world.other_district.id}
    assert scope.descendants(session, [world.nation.id]) >= {world.far_district.id, world.other_province.id}
    assert scope.descendants(session, []) == set()
    assert not scope.can_see(session, supervisor, world.far_district.id)


def test_applicability_attributes_through_the_api_and_the_import(as_, inspector, supervisor, world, session):
    """uses_hazardous_chemicals, has_underground_work and union_members: created, patched, imported, validated,
    and read by the checklists' profile."""
    from backend.checklists.definition import EstablishmentProfile

    base = {"name": "Deep Pit", "district_id": str(world.district.id), "isic": "0510", "workers_total": 40}
    made = as_(inspector).post(
        "/establishments",
        json=base | {"registration_number": uscc(60), "has_underground_work": True, "union_members": 30},
    )
    assert made.status_code == 201, made.text
    body = made.json()
    assert (body["has_underground_work"], body["union_members"], body["uses_hazardous_chemicals"]) == (True, 30, False)
    too_many = as_(inspector).patch(f"/establishments/{body['id']}", json={"union_members": 41})
    assert too_many.status_code == 422 and too_many.json()["code"] == "establishment.invalid"
    patched = as_(inspector).patch(f"/establishments/{body['id']}", json={"uses_hazardous_chemicals": True})
    assert patched.status_code == 200 and patched.json()["uses_hazardous_chemicals"] is True
    profile = EstablishmentProfile.of(session.get(Establishment, uuid.UUID(body["id"])))
    assert (profile.uses_hazardous_chemicals, profile.has_underground_work, profile.union_members) == (True, True, 30)

    header = "name,registration_number,district_code,isic,workers_total,uses_hazardous_chemicals,union_members\n"
    rows = f"Dye Works,{uscc(104)},110101,1313,80,true,26\nBad Flag,{uscc(105)},110101,1313,8,maybe,0\n"
    files = {"file": ("est.csv", io.BytesIO((header + rows).encode()), "text/csv")}
    r = as_(supervisor).post("/establishments/import", params={"skip_invalid": True}, files=files)
    assert r.status_code == 200, r.text
    assert r.json()["imported"] == 1 and [e["row"] for e in r.json()["errors"]] == [3]
    dye = as_(supervisor).get("/establishments", params={"q": "Dye Works"}).json()["items"][0]
    assert dye["uses_hazardous_chemicals"] is True and dye["union_members"] == 26
    assert dye["has_underground_work"] is False
