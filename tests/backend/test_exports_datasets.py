"""Every export dataset, on SQLite and PostgreSQL: its rows and columns (findings with their legal basis in the
official citation form), the filters (period, org unit, ISIC, checklist, convention), the scope (another area's
supervisor gets none), the statistician exports but changes nothing, formula cells neutralised in CSV and XLSX, no
complainant in any export's bytes, and every export audited."""

import io
import zipfile

import pytest
from sqlmodel import select

from backend.audit.models import AuditEvent
from backend.auth.models import Role
from tests.backend.exportdata import DATASETS, NAME, PHONE, SUMMARY, csv_rows, records, user, xlsx_cells


@pytest.fixture
def data(as_, world, checklist, supervisor):
    return records(as_, world, checklist, supervisor)


def items(checklist):
    return [i for s in checklist["definition"]["sections"] for i in s["items"]]


def test_findings_one_row_per_answered_item_with_its_legal_basis(as_, supervisor, world, checklist, data):
    visit = data["visit"]["id"]
    rows = [r for r in csv_rows(as_(supervisor).get("/exports/findings.csv")) if r["inspection_id"] == visit]
    assert sorted(r["item_id"] for r in rows) == sorted(i["id"] for i in items(checklist))
    row = next(r for r in rows if r["item_id"] == "ga.est.01")
    assert row["legal_basis_zh"] == "《劳动保障监察条例》第三十三条"
    assert row["legal_basis_en"] == "Regulation on Labour Security Supervision, Art. 33"
    assert row["status"] == "non_compliant" and row["establishment_name"] == "Riverside Garments"
    assert row["question_en"].startswith("Does the employer's registration") and row["isic"] == "1410"
    assert row["note"] == "'=cmd|' /C calc'!A0" and row["value"] == '\'=HYPERLINK("http://x")'
    bases = {i["id"]: i["legal_basis"] for i in items(checklist)}
    several = next(r for r in rows if len(bases[r["item_id"]]) > 1)
    assert "; " in several["legal_basis_en"] and "；" in several["legal_basis_zh"]


def test_the_filters(as_, supervisor, world, checklist, data):
    api = as_(supervisor)
    visit = data["visit"]["id"]

    def ids(dataset, **params):
        return {r["inspection_id"] for r in csv_rows(api.get(f"/exports/{dataset}.csv", params=params))}

    assert visit in ids("findings", since="2026-11-01", until="2026-11-30")
    assert ids("findings", since="2026-11-03") == set() and ids("findings", until="2026-11-01") == set()
    assert visit in ids("findings", org_unit_id=str(world.district.id))
    assert ids("findings", org_unit_id=str(world.other_district.id)) == set()
    assert visit in ids("findings", isic="14") and visit in ids("findings", isic="C")
    assert ids("findings", isic="41") == set()
    assert visit in ids("findings", checklist=checklist["key"]) and ids("findings", checklist="construction") == set()
    cites = {i["id"] for i in items(checklist) if any(b["instrument"] == "C155" for b in i["legal_basis"])}
    got = csv_rows(api.get("/exports/findings.csv", params={"convention": "C155"}))
    assert cites and {r["item_id"] for r in got if r["inspection_id"] == visit} == cites
    assert visit in ids("violations", convention="C155") and visit in ids("inspections", convention="C155")
    assert ids("violations", convention="C999") == set() and ids("measures", convention="C999") == set()
    assert visit in ids("measures", checklist=checklist["key"])
    r = api.get("/exports/accidents.csv", params={"checklist": checklist["key"]})
    assert r.status_code == 422 and r.json()["code"] == "export.filter_not_applicable"
    r = api.get("/exports/findings.csv", params={"since": "2026-12-01", "until": "2026-11-01"})
    assert r.status_code == 422 and r.json()["code"] == "export.period_reversed"
    assert api.get("/exports/nothing.csv").status_code == 422 and api.get("/exports/findings.pdf").status_code == 422


def test_violations_measures_penalties_accidents_and_persons(as_, supervisor, world, checklist, data):
    api = as_(supervisor)
    visit = data["visit"]["id"]
    violations = [r for r in csv_rows(api.get("/exports/violations.csv")) if r["inspection_id"] == visit]
    assert len(violations) == len(items(checklist))
    v = next(r for r in violations if r["item_id"] == "ga.est.01")
    assert v["provisions_zh"] == "《劳动保障监察条例》第三十三条"
    assert v["status"] == "active" and v["found_on"] == "2026-11-02"
    measures = {r["action_id"]: r for r in csv_rows(api.get("/exports/measures.csv"))}
    assert measures[data["order"]["id"]]["measure"] == "order_to_rectify"
    assert measures[data["order"]["id"]]["status"] == "open" and measures[data["order"]["id"]]["deadline"]
    penalties = csv_rows(api.get("/exports/penalties.csv"))
    assert [p["action_id"] for p in penalties] == [data["penalty"]["id"]]
    assert penalties[0]["penalty_minor"] == "500000" and penalties[0]["decision_number"] == "〔2026〕第0007号"
    assert penalties[0]["penalty_article"] == "'+CN-LSSR Art. 30"
    assert measures[data["penalty"]["id"]]["text"] == "'@fine"
    accidents = csv_rows(api.get("/exports/accidents.csv"))
    assert [(a["accident_id"], a["deaths"]) for a in accidents] == [(data["accident"]["id"], "1")]
    persons = csv_rows(api.get("/exports/injured_persons.csv"))
    assert sorted((p["sex"], p["fatal"]) for p in persons) == [("female", "true"), ("male", "false")]
    assert csv_rows(api.get("/exports/accidents.csv", params={"since": "2026-11-04"})) == []
    assert len(csv_rows(api.get("/exports/accidents.csv", params={"since": "2026-11-03", "until": "2026-11-03"}))) == 1


def test_scope_another_areas_supervisor_gets_none_and_inspectors_are_refused(as_, session, world, data):
    far = user(session, "far-sup@test.example", Role.supervisor, [world.other_province.id])
    for dataset in DATASETS:
        assert csv_rows(as_(far).get(f"/exports/{dataset}.csv")) == [], dataset
        r = as_(world.inspector).get(f"/exports/{dataset}.csv")
        assert r.status_code == 403 and r.json()["code"] == "auth.role_required"
    hillside = user(session, "hill-sup@test.example", Role.supervisor, [world.other_district.id])
    assert csv_rows(as_(hillside).get("/exports/findings.csv")) == []
    assert csv_rows(as_(hillside).get("/exports/findings.csv", params={"org_unit_id": str(world.district.id)})) == []


def test_a_statistician_exports_but_changes_nothing(as_, session, world, checklist, data):
    stat = as_(user(session, "stat-x@test.example", Role.statistician, [world.district.id]))
    assert {r["inspection_id"] for r in csv_rows(stat.get("/exports/findings.csv"))} >= {data["visit"]["id"]}
    assert stat.get("/exports/penalties.xlsx").status_code == 200
    job = stat.post("/exports/jobs", json={"dataset": "complaints", "format": "csv"})
    assert job.status_code == 202, job.text
    for method, url, body in [
        (
            "POST",
            "/inspections",
            {
                "establishment_id": str(world.factory.id),
                "type": "planned",
                "checklists": [{"key": checklist["key"], "version": checklist["version"]}],
            },
        ),
        ("PATCH", f"/inspections/{data['visit']['id']}", {"summary": "x"}),
        ("POST", f"/actions/{data['order']['id']}/close", {"status": "complied", "note": "x"}),
    ]:
        r = stat.request(method, url, json=body)
        assert r.status_code == 403 and r.json()["code"] == "auth.role_required", (method, url)


def test_no_complainant_and_no_complaint_origin_in_any_export(as_, supervisor, data):
    api = as_(supervisor)
    for dataset in DATASETS:
        for fmt in ("csv", "xlsx"):
            r = api.get(f"/exports/{dataset}.{fmt}")
            assert r.status_code == 200, (dataset, fmt, r.text)
            blobs = [r.content]
            if fmt == "xlsx":
                book = zipfile.ZipFile(io.BytesIO(r.content))
                blobs = [book.read(n) for n in book.namelist()]
            for blob in blobs:
                for secret in (NAME, PHONE, SUMMARY, "138-0000-0000"):
                    assert secret.encode() not in blob, (dataset, fmt, secret)
                if dataset != "complaints":
                    assert b"complaint" not in blob.lower(), (dataset, fmt)
    complaints = csv_rows(api.get("/exports/complaints.csv"))
    assert [c["complaint_id"] for c in complaints] == [data["complaint"]["id"]]
    assert complaints[0]["channel"] == "phone" and complaints[0]["anonymous"] == "false"
    types = {r["inspection_id"] for r in csv_rows(api.get("/exports/inspections.csv"))}
    assert data["hidden"]["id"] in types  # exported, as any visit, with nothing saying where it came from


def test_xlsx_rows_and_neutralised_cells(as_, supervisor, data):
    r = as_(supervisor).get("/exports/findings.xlsx", params={"org_unit_id": str(data["visit"]["district_id"])})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/vnd.openxmlformats")
    cells = xlsx_cells(r.content)
    header, body = cells[0], cells[1:]
    assert header[:3] == ["finding_id", "inspection_id", "establishment_id"]
    row = next(dict(zip(header, c, strict=False)) for c in body if "ga.est.01" in c)
    assert row["note"] == "'=cmd|' /C calc'!A0" and row["legal_basis_zh"] == "《劳动保障监察条例》第三十三条"
    assert row["workers_men"] in ("0", "0.0") or row["workers_men"].isdigit()
    csv_count = len(
        csv_rows(
            as_(supervisor).get("/exports/findings.csv", params={"org_unit_id": str(data["visit"]["district_id"])})
        )
    )
    assert len(body) == csv_count


def test_every_export_is_audited_with_the_filters(as_, session, supervisor, world, data):
    as_(supervisor).get("/exports/violations.xlsx", params={"isic": "14", "convention": "C155"})
    [event] = session.exec(select(AuditEvent).where(AuditEvent.action == "export.violations_xlsx")).all()
    assert event.actor_id == supervisor.id and event.subject_id == "violations.xlsx"
    assert event.details == {
        "checklist": None,
        "convention": "C155",
        "isic": "14",
        "org_unit_id": None,
        "since": None,
        "until": None,
    }
