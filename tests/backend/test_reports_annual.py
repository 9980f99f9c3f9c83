"""The C81 annual report: every figure recomputed in plain Python from the generated rows and compared exactly,
on SQLite and PostgreSQL; scoped (inspector refused, other areas not found); CSV and HTML carry the same rows."""

import csv
import io
from collections import Counter, defaultdict
from datetime import UTC, date, datetime
from typing import Any

from reportdata import YEAR, Data, generate

from backend.auth.models import Role
from backend.inspections.models import FindingStatus
from backend.inspections.workflow import Status

SECTION = {
    "0111": "A",
    "0510": "B",
    "1071": "C",
    "C": "C",
    "2511": "C",
    "4100": "F",
    "4711": "G",
    "5610": "I",
    "8610": "Q",
    "9999": "U",
}


def _size(n: int) -> str:
    return "1-9" if n <= 9 else "10-49" if n <= 49 else "50-249" if n <= 249 else "250+"


def expected(d: Data) -> dict[str, list[list[Any]]]:
    est = {e.id: e for e in d.establishments}
    code = {u.id: u.code for u in d.districts}
    visits = [
        i
        for i in d.inspections
        if i.visit_date and i.visit_date.year == YEAR and i.status in (Status.submitted, Status.approved)
    ]
    vid = {i.id: i for i in visits}
    out: dict[str, list[list[Any]]] = {}
    c = Counter(k.checklist_key for k in d.checklists if k.inspection_id in vid)
    out["instruments"] = sorted([k, n] for k, n in c.items())
    users = {u.id: u for u in d.users}
    c = Counter(
        (code[m.org_unit_id], users[m.user_id].sex.value if users[m.user_id].sex else "unknown")
        for m in d.memberships
        if users[m.user_id].role == Role.inspector and users[m.user_id].active
    )
    out["staff"] = sorted([u, s, n] for (u, s), n in c.items())
    w: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    for e in d.establishments:
        acc = w[(SECTION[e.isic], _size(e.workers_total))]
        acc[0] += 1
        acc[1] += e.workers_total
        acc[2] += e.workers_women
    out["workplaces"] = sorted([*k, *v] for k, v in w.items())
    out["visits_by_type"] = sorted([t.value, n] for t, n in Counter(i.type for i in visits).items())
    out["visits_by_sector"] = sorted(
        [s, n] for s, n in Counter(SECTION[est[i.establishment_id].isic] for i in visits).items()
    )
    out["visits_by_district"] = sorted([code[x], n] for x, n in Counter(i.district_id for i in visits).items())
    v: dict[tuple[str, str], list[Any]] = defaultdict(lambda: [0, set()])
    for f in d.findings:
        if f.inspection_id in vid and f.status == FindingStatus.non_compliant:
            v[(f.checklist_key, f.item_id)][0] += 1
            v[(f.checklist_key, f.item_id)][1].add(vid[f.inspection_id].establishment_id)
    out["violations"] = sorted([k, i, n, len(s)] for (k, i), (n, s) in v.items())
    m: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for a in d.actions:
        if a.inspection_id in vid:
            m[a.measure.value][0] += 1
            m[a.measure.value][1] += a.penalty_minor or 0
    out["measures"] = sorted([k, *x] for k, x in m.items())
    acc_by = {a.id: a for a in d.accidents}
    t0, t1 = datetime(YEAR, 1, 1, tzinfo=UTC), datetime(YEAR + 1, 1, 1, tzinfo=UTC)
    f2: dict[tuple[str, bool, bool], list[int]] = defaultdict(lambda: [0, 0])
    for p in d.persons:
        a = acc_by[p.accident_id]
        if t0 <= a.occurred_at < t1:
            x = f2[(SECTION[est[a.establishment_id].isic], a.commuting, p.fatal)]
            x[0] += 1
            x[1] += p.days_lost
    out["accidents"] = sorted([*k, *x] for k, x in f2.items())
    g: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for dc in d.diseases:
        if date(YEAR, 1, 1) <= dc.diagnosed_on <= date(YEAR, 12, 31):
            g[(dc.disease, dc.sex.value)][0] += 1
            g[(dc.disease, dc.sex.value)][1] += int(dc.fatal)
    out["diseases"] = sorted([*k, *x] for k, x in g.items())
    return out


def test_every_figure_matches_the_rows(session, world, as_, admin):
    d = generate(session, world.nation)
    url = f"/reports/annual?year={YEAR}&org_unit_id={d.province.id}"
    r = as_(admin).get(url)
    assert r.status_code == 200, r.text
    got = {t["key"]: t["rows"] for t in r.json()["tables"]}
    want = expected(d)
    assert set(got) == set(want)
    for key in want:
        assert got[key] == want[key], key
    assert all(sum(1 for _ in rows) > 0 for rows in want.values())
    sections = {t["section"] for t in r.json()["tables"]}
    assert sections == set("abcdefg")
    for t in r.json()["tables"]:
        if t["export"]:
            assert t["export"].startswith("/api/v1/exports/") and f"org_unit_id={d.province.id}" in t["export"]


def test_csv_and_html_carry_the_rows(session, world, as_, admin):
    d = generate(session, world.nation)
    q = f"year={YEAR}&org_unit_id={d.province.id}"
    r = as_(admin).get(f"/reports/annual/violations.csv?{q}")
    assert r.status_code == 200 and r.text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(r.text.lstrip("\ufeff"))))
    assert rows[0] == ["checklist", "item", "violations", "establishments"]
    assert [[a, b, int(c), int(e)] for a, b, c, e in rows[1:]] == expected(d)["violations"]
    assert as_(admin).get(f"/reports/annual/nope.csv?{q}").json()["code"] == "report.table_not_found"
    zh = as_(admin).get(f"/reports/annual.html?{q}&lang=zh").text
    assert "劳动保障监察年度报告" in zh and "职业病病例" in zh
    en = as_(admin).get(f"/reports/annual.html?{q}").text
    assert "Occupational disease cases" in en and "/api/v1/exports/violations.csv" in en


def test_scope(session, world, as_, inspector, supervisor):
    d = generate(session, world.nation)
    assert as_(inspector).get(f"/reports/annual?year={YEAR}&org_unit_id={world.district.id}").status_code == 403
    r = as_(supervisor).get(f"/reports/annual?year={YEAR}&org_unit_id={d.province.id}")
    assert r.status_code == 404 and r.json()["code"] == "org_unit.not_found"
    assert as_(supervisor).get(f"/reports/annual?year={YEAR}&org_unit_id={world.district.id}").status_code == 200
