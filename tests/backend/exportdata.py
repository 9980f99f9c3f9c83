"""Helpers of the export tests: records made through the API (a visit with non-compliant findings, a measure, a
penalty, a complaint with a named complainant, an accident), and reading CSV and XLSX answers back."""

import csv
import io
import re
import zipfile
from typing import Any

from backend.auth import service as auth
from backend.auth.models import Role, Sex, User, UserCreate
from tests.backend.test_accidents import notify, person
from tests.backend.test_complaints import body as complaint_body
from tests.backend.test_inspections import answer_all, start

NAME, PHONE, SUMMARY = "Zhang Sanfeng-Planted", "139-8765-4321", "Planted summary of a complaint"
DATASETS = (
    "inspections",
    "findings",
    "violations",
    "measures",
    "penalties",
    "complaints",
    "accidents",
    "injured_persons",
)


def user(session: Any, email: str, role: Role, units: list[Any]) -> User:
    data = UserCreate(
        email=email,
        name=email.split("@")[0].title(),
        sex=Sex.female,
        role=role,
        password="long enough password",
        org_unit_ids=units,
    )
    return auth.create_user(session, data, actor_id=None)


def csv_rows(response: Any) -> list[dict[str, str]]:
    assert response.status_code == 200, response.text
    assert response.content.startswith("\ufeff".encode())
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def xlsx_cells(data: bytes) -> list[list[str]]:
    """Every sheet's rows as the cells' text (inline and shared strings, numbers), read from the sheet XML."""
    book = zipfile.ZipFile(io.BytesIO(data))
    shared: list[str] = []
    if "xl/sharedStrings.xml" in book.namelist():
        xml = book.read("xl/sharedStrings.xml").decode()
        shared = [_unescape(re.sub(r"<[^>]+>", "", si)) for si in re.findall(r"<si>(.*?)</si>", xml, re.S)]
    out: list[list[str]] = []
    sheets = sorted(n for n in book.namelist() if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n))
    for name in sheets:
        xml = book.read(name).decode()
        assert "<f>" not in xml, "a formula cell"
        for row in re.findall(r"<row [^>]*>(.*?)</row>", xml, re.S):
            cells: list[str] = []
            for attrs, inner in re.findall(r"<c ([^>]*?)(?:/>|>(.*?)</c>)", row, re.S):
                ref = re.search(r'r="([A-Z]+)\d+"', attrs)
                column = _column(ref.group(1)) if ref else len(cells)
                cells += [""] * (column - len(cells))
                text = re.sub(r"<[^>]+>", "", re.sub(r"</?is>", "", inner or ""))
                cells.append(shared[int(text)] if 't="s"' in attrs else _unescape(text))
            out.append(cells)
    return out


def _column(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def _unescape(text: str) -> str:
    return (
        text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", '"')
        .replace("&apos;", "'")
        .replace("&amp;", "&")
    )


def records(as_: Any, world: Any, checklist: dict[str, Any], supervisor: User) -> dict[str, Any]:
    """A submitted visit with every item non-compliant (one note a formula), an order and a penalty, a complaint
    with a named complainant and its inspection, and an accident with two injured."""
    api = as_(world.inspector)
    visit = start(api, world.factory, checklist)
    answer_all(api, visit, checklist, status="non_compliant")
    held = api.get(f"/inspections/{visit['id']}").json()
    evidence = next(f["evidence"] for f in held["findings"] if f["item_id"] == "ga.est.01")
    r = api.put(
        f"/inspections/{visit['id']}/findings",
        json={
            "checklist_key": checklist["key"],
            "item_id": "ga.est.01",
            "status": "non_compliant",
            "value": '=HYPERLINK("http://x")',
            "note": "=cmd|' /C calc'!A0",
            "evidence": evidence,
        },
    )
    assert r.status_code == 200, r.text
    submitted = api.post(f"/inspections/{visit['id']}/submit", json={})
    assert submitted.status_code == 200, submitted.text
    order = api.post(
        f"/inspections/{visit['id']}/actions",
        json={"measure": "order_to_rectify", "item_id": "ga.est.01", "deadline_days": 14},
    )
    assert order.status_code == 201, order.text
    penalty = as_(supervisor).post(
        f"/inspections/{visit['id']}/actions",
        json={
            "measure": "penalty",
            "item_id": "ga.est.01",
            "penalty_minor": 500_000,
            "decision_number": "〔2026〕第0007号",
            "penalty_article": "+CN-LSSR Art. 30",
            "text": "@fine",
        },
    )
    assert penalty.status_code == 201, penalty.text
    complaint = as_(supervisor).post(
        "/complaints", json=complaint_body(world.factory, summary=SUMMARY, complainant={"name": NAME, "phone": PHONE})
    )
    assert complaint.status_code == 201, complaint.text
    accident = notify(
        api,
        world,
        [person(), person(sex="female", fatal=True, incapacity="permanent", days_lost=0)],
        description=f"{NAME} fell",
    )
    hidden = start(api, world.building_site, checklist, type="complaint")
    return {
        "visit": visit,
        "hidden": hidden,
        "order": order.json(),
        "penalty": penalty.json(),
        "complaint": complaint.json(),
        "accident": accident,
    }
