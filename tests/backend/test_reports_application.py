"""Application of conventions: per ILO instrument and article, recomputed from the generated rows (the item ->
article mapping of the generator's checklists) and compared exactly, on SQLite and PostgreSQL."""

from collections import defaultdict

from reportdata import BASIS, YEAR, Data, generate
from test_reports_annual import SECTION

from backend.inspections.models import FindingStatus
from backend.inspections.workflow import Status


def expected(d: Data) -> list[dict[str, object]]:
    est = {e.id: e for e in d.establishments}
    code = {u.id: u.code for u in d.districts}
    vid = {i.id: i for i in d.inspections if i.visit_date and i.visit_date.year == YEAR
           and i.status in (Status.submitted, Status.approved)}  # fmt: skip
    cells: dict[tuple[str, str, str], list[set | int]] = defaultdict(lambda: [set(), 0, set(), set()])
    for f in d.findings:
        ins = vid.get(f.inspection_id)
        if ins is None or f.status not in (FindingStatus.compliant, FindingStatus.non_compliant):
            continue
        arts = {(c, a.split("(")[0]) for c, a in BASIS[f.item_id] if not c.startswith("CN")}
        for conv, art in arts:
            for b in ("total", f"isic:{SECTION[est[ins.establishment_id].isic]}", f"district:{code[ins.district_id]}"):
                c = cells[(conv, art, b)]
                c[0].add(ins.id)
                c[2].add(ins.establishment_id)
                if f.status == FindingStatus.non_compliant:
                    c[1] += 1
                    c[3].add(ins.establishment_id)
    return [
        {"convention": k[0], "article": k[1], "breakdown": k[2], "inspections": len(v[0]), "non_compliances": v[1],
         "establishments_checked": len(v[2]), "establishments_non_compliant": len(v[3]),
         "share_non_compliant": f"{len(v[3]) / len(v[2]):.4f}"}
        for k, v in sorted(cells.items())
    ]  # fmt: skip


def test_application_matches_the_rows(session, world, as_, admin):
    d = generate(session, world.nation)
    r = as_(admin).get(f"/reports/application?year={YEAR}&org_unit_id={d.province.id}")
    assert r.status_code == 200, r.text
    want = expected(d)
    assert len(want) > 20
    assert r.json()["rows"] == want
