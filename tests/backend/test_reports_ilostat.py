"""ILOSTAT long CSV and the denominators input: every observation recomputed from the generated rows; a rate
without its denominator is left out and listed, never invented; denominators are written by supervisors/admins only."""

import csv
import io
from collections import defaultdict
from datetime import UTC, datetime

from reportdata import YEAR, Data, generate
from test_reports_annual import SECTION

from backend.accidents.models import Incapacity
from backend.auth import service as auth
from backend.auth.models import Role, Sex, UserCreate
from backend.inspections.workflow import Status

HEADER = ["ref_area", "source", "indicator", "sex", "classif1", "time", "obs_value", "obs_status", "note_classif",
          "note_indicator", "note_source"]  # fmt: skip
SX = {"total": "SEX_T", "male": "SEX_M", "female": "SEX_F"}


def expected(d: Data, employed: dict[tuple[str, str], int]) -> tuple[list[list[str]], set[tuple[str, str, str]]]:
    rows: list[list[str]] = []
    omitted: set[tuple[str, str, str]] = set()

    def add(ind: str, sex: str, c1: str, v: object) -> None:
        if v is None:
            omitted.add((ind, SX[sex], c1))
        else:
            rows.append(["CHN", "XX:LIS", ind, SX[sex], c1, str(YEAR), str(v), "", "", "", ""])

    users = {u.id: u for u in d.users}
    insp = {m.user_id for m in d.memberships if users[m.user_id].role == Role.inspector and users[m.user_id].active}
    add("LAI_INSP_SEX_NB", "total", "", len(insp))
    for s in ("male", "female"):
        add("LAI_INSP_SEX_NB", s, "", sum(1 for u in insp if users[u].sex and users[u].sex.value == s))
    e = employed.get(("total", "TOTAL"))
    add("LAI_INDE_NOC_RT", "total", "", f"{len(insp) * 10000 / e:.2f}" if e else None)
    visits = [i for i in d.inspections if i.visit_date and i.visit_date.year == YEAR
              and i.status in (Status.submitted, Status.approved)]  # fmt: skip
    add("LAI_VIST_NOC_NB", "total", "", len(visits))
    add("LAI_VDIN_NOC_RT", "total", "", f"{len(visits) / len(insp):.2f}")
    add("LAI_WOPL_NOC_NB", "total", "", len(d.establishments))
    est = {x.id: x for x in d.establishments}
    acc = {a.id: a for a in d.accidents}
    t0, t1 = datetime(YEAR, 1, 1, tzinfo=UTC), datetime(YEAR + 1, 1, 1, tzinfo=UTC)
    cells: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    for p in d.persons:
        a = acc[p.accident_id]
        if a.commuting or not (t0 <= a.occurred_at < t1):
            continue
        nonfatal = not p.fatal and (p.days_lost >= 1 or p.incapacity == Incapacity.permanent)
        for sec in (SECTION[est[a.establishment_id].isic], "TOTAL"):
            for sex in (p.sex.value, "total"):
                c = cells[(sec, sex)]
                c[0] += int(p.fatal)
                c[1] += int(nonfatal)
                c[2] += min(p.days_lost, 365) if nonfatal else 0
    for (sec, sex), (f, nf, dl) in sorted(cells.items()):
        c1 = f"ECO_ISIC4_{sec}"
        add("INJ_FATL_ECO_NB", sex, c1, f)
        add("INJ_NFTL_ECO_NB", sex, c1, nf)
        add("INJ_DAYS_ECO_NB", sex, c1, dl)
        w = employed.get((sex, sec))
        add("INJ_FATL_ECO_RT", sex, c1, f"{f * 100000 / w:.2f}" if w else None)
        add("INJ_NFTL_ECO_RT", sex, c1, f"{nf * 100000 / w:.2f}" if w else None)
    return rows, omitted


def test_ilostat_rows_and_omitted_rates(session, world, as_, admin):
    d = generate(session, world.nation)
    q = f"year={YEAR}&org_unit_id={d.province.id}"
    employed = {("total", "TOTAL"): 123_456, ("male", "C"): 40_000, ("total", "C"): 71_000}
    for (sex, sec), n in employed.items():
        body = {"year": YEAR, "org_unit_id": str(d.province.id), "sex": sex, "isic_section": sec, "employed": n}
        assert as_(admin).put("/reports/denominators", json=body).status_code == 200
    again = {"year": YEAR, "org_unit_id": str(d.province.id), "isic_section": "TOTAL", "employed": 123_456}
    assert as_(admin).put("/reports/denominators", json=again).status_code == 200  # an upsert, not a duplicate
    assert len(as_(admin).get(f"/reports/denominators?{q}").json()) == 3
    want_rows, want_omitted = expected(d, employed)
    r = as_(admin).get(f"/reports/ilostat.csv?{q}")
    assert r.status_code == 200
    got = list(csv.reader(io.StringIO(r.text)))
    assert got[0] == HEADER
    assert got[1:] == want_rows
    j = as_(admin).get(f"/reports/ilostat?{q}").json()
    assert {(o["indicator"], o["sex"], o["classif1"]) for o in j["omitted"]} == want_omitted
    assert want_omitted and all(o["note"] for o in j["omitted"])
    assert int(r.headers["X-Omitted-Rates"]) == len(want_omitted)


def test_denominators_writers_and_bounds(session, world, as_, supervisor, inspector):
    statistician = auth.create_user(
        session,
        UserCreate(email="stat-rpt@x.example", name="Stat", role=Role.statistician, sex=Sex.female,
                   password="a long enough passphrase 1", org_unit_ids=[world.province.id]),
        actor_id=None,
    )  # fmt: skip
    body = {"year": YEAR, "org_unit_id": str(world.district.id), "employed": 10}
    assert as_(statistician).put("/reports/denominators", json=body).status_code == 403
    assert as_(inspector).put("/reports/denominators", json=body).status_code == 403
    assert as_(supervisor).put("/reports/denominators", json=body).status_code == 200
    far = {**body, "org_unit_id": str(world.far_district.id)}
    assert as_(supervisor).put("/reports/denominators", json=far).json()["code"] == "org_unit.not_found"
    bad = {**body, "employed": -1}
    assert as_(supervisor).put("/reports/denominators", json=bad).status_code == 422
    q = f"year={YEAR}&org_unit_id={world.district.id}"
    assert [x["employed"] for x in as_(statistician).get(f"/reports/denominators?{q}").json()] == [10]
