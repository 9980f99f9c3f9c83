"""Public disclosure of administrative penalty decisions (Administrative Penalty Law 2021, Art. 48): a supervisor of
the district discloses a penalty that has its decision number, its content frozen with its SHA-256; withdrawn with a
reason by the supervisor, or at once by an appeal that revokes it; listed in ``/opendata/penalty-decisions.csv``,
the party withheld where it may be a natural person, a withdrawn decision reduced to number, date and authority."""

import csv
import hashlib
import io
from typing import Any

import pytest
from sqlmodel import select

from backend.audit.models import AuditEvent
from backend.auth import service as auth
from backend.auth.models import Role, Sex, UserCreate
from backend.orgs.models import Establishment
from sync.canonical import canonical_bytes
from tests.backend.test_inspection_documents import COMPANY, NON_COMPLIANT, new_company, visit
from tests.backend.test_opendata import individual
from tests.backend.world import PASSWORD, uscc

ARTICLE = "《中华人民共和国劳动合同法实施条例》第三十三条"


@pytest.fixture
def company(session, world) -> Establishment:
    return new_company(session, world)


def penalty(api, establishment, checklist, decision_number: str = "河劳监罚〔2026〕7号") -> dict[str, Any]:
    """A submitted visit with a penalty of CNY 2,000.50 on its second non-compliance."""
    insp = visit(api, establishment, checklist)
    body = {"measure": "penalty", "item_id": NON_COMPLIANT[1], "penalty_minor": 200050, "currency": "CNY",
            "penalty_article": ARTICLE, "decision_number": decision_number}  # fmt: skip
    r = api.post(f"/inspections/{insp['id']}/actions", json=body)
    assert r.status_code == 201, r.text
    assert api.post(f"/inspections/{insp['id']}/submit", json={}).status_code == 200
    return dict(r.json())


def decisions(api) -> dict[str, dict[str, str]]:
    r = api.get("/opendata/penalty-decisions.csv")
    assert r.status_code == 200, r.text
    assert r.content.startswith("\ufeff".encode())
    return {row["decision_number"]: row for row in csv.DictReader(io.StringIO(r.content.decode("utf-8-sig")))}


def audited(session, action: str, subject: str) -> list[AuditEvent]:
    stmt = select(AuditEvent).where(AuditEvent.action == action, AuditEvent.subject_id == subject)
    return list(session.exec(stmt).all())


def published_penalties(api) -> set[str]:
    r = api.get("/opendata/penalties.csv")
    assert r.status_code == 200, r.text
    return {row["action_id"] for row in csv.DictReader(io.StringIO(r.text.lstrip("\ufeff")))}


def test_a_supervisor_discloses_a_decision_frozen_with_its_hash_and_withdraws_it_with_a_reason(
    as_, inspector, supervisor, session, world, checklist, company
):
    action = penalty(as_(inspector), company, checklist)
    desk = as_(supervisor)
    assert desk.get(f"/actions/{action['id']}/disclosure").json()["code"] == "disclosure.not_found"
    r = desk.post(f"/actions/{action['id']}/disclosure")
    assert r.status_code == 201, r.text
    shown = r.json()
    content = shown["content"]
    assert shown["status"] == "disclosed" and shown["sha256"] == hashlib.sha256(canonical_bytes(content)).hexdigest()
    assert content["decision_number"] == "河劳监罚〔2026〕7号" and content["basis"] == ARTICLE
    assert content["party"] == {"name": COMPANY, "registration_number": uscc(77)}
    assert content["authority"] == {"en": "Riverside", "zh": "Riverside"}
    assert content["penalty"] == {"kind": "fine", "amount_minor": 200050, "currency": "CNY"}
    assert content["provisions"] and all(p["zh"].startswith("《") for p in content["provisions"])
    assert len(audited(session, "penalty.disclose", action["id"])) == 1

    # What was published stays as published: a later change of the measure does not touch it.
    paid = desk.post(f"/actions/{action['id']}/payment", json={"status": "paid", "paid_on": "2026-11-20"})
    assert paid.status_code == 200, paid.text
    again = desk.get(f"/actions/{action['id']}/disclosure").json()
    assert again["content"] == content and again["sha256"] == shown["sha256"]
    twice = desk.post(f"/actions/{action['id']}/disclosure")
    assert twice.status_code == 409 and twice.json()["code"] == "disclosure.exists"

    row = decisions(desk)["河劳监罚〔2026〕7号"]
    assert (row["party_name"], row["registration_number"], row["amount"], row["status"]) == (
        COMPANY, uscc(77), "2000.50", "disclosed"
    )  # fmt: skip
    assert row["sha256"] == shown["sha256"] and row["authority_zh"] == "Riverside" and "《" in row["provisions_zh"]
    assert action["id"] in published_penalties(desk)  # disclosed: in the open penalties table too

    bad = desk.post(f"/actions/{action['id']}/disclosure/withdraw", json={"reason": "forgotten", "note": "x"})
    assert bad.status_code == 422 and bad.json()["code"] == "request.invalid"
    empty = desk.post(f"/actions/{action['id']}/disclosure/withdraw", json={"reason": "revoked", "note": " "})
    assert empty.status_code == 422
    note = "经复核，处罚决定依法撤销 revoked on review"
    w = desk.post(f"/actions/{action['id']}/disclosure/withdraw", json={"reason": "revoked", "note": note})
    assert w.status_code == 200, w.text
    out = w.json()
    assert (out["status"], out["withdrawal_reason"], out["withdrawal_note"]) == ("withdrawn", "revoked", note)
    assert out["withdrawn_on"] and out["content"] == content
    once = desk.post(f"/actions/{action['id']}/disclosure/withdraw", json={"reason": "revoked", "note": note})
    assert once.status_code == 409 and once.json()["code"] == "disclosure.withdrawn"
    assert len(audited(session, "penalty.disclosure_withdraw", action["id"])) == 1

    # Withdrawn: only the number, date and authority stay, with when and why.
    row = decisions(desk)["河劳监罚〔2026〕7号"]
    assert row["decided_on"] and row["authority_en"] == "Riverside" and row["status"] == "withdrawn"
    kept = ("decision_number", "decided_on", "authority_zh", "authority_en", "disclosed_on", "status",
            "withdrawn_on", "withdrawal_reason", "withdrawal_note", "sha256")  # fmt: skip
    assert all(v == "" for k, v in row.items() if k not in kept), row
    assert (row["withdrawal_reason"], row["withdrawal_note"]) == ("revoked", note)
    assert action["id"] not in published_penalties(desk)  # withdrawn: no longer in the open penalties table


def test_disclosure_is_refused_without_a_decision_number_for_other_measures_and_to_others(
    as_, inspector, supervisor, session, world, checklist, company
):
    api, desk = as_(inspector), as_(supervisor)
    unnumbered = penalty(api, company, checklist, decision_number="")
    r = desk.post(f"/actions/{unnumbered['id']}/disclosure")
    assert r.status_code == 422 and r.json()["code"] == "disclosure.decision_number_required"
    insp = visit(api, company, checklist)
    ordered = {"measure": "order_to_rectify", "item_id": NON_COMPLIANT[0], "deadline_days": 14}
    order = api.post(f"/inspections/{insp['id']}/actions", json=ordered).json()
    r = desk.post(f"/actions/{order['id']}/disclosure")
    assert r.status_code == 422 and r.json()["code"] == "disclosure.not_a_penalty"

    action = penalty(api, company, checklist, decision_number="河劳监罚〔2026〕8号")
    r = api.post(f"/actions/{action['id']}/disclosure")
    assert r.status_code == 403 and r.json()["code"] == "disclosure.forbidden"
    hillside: Any = auth.create_user(
        session,
        UserCreate(email="hill.sup@test.example", name="Hill", sex=Sex.female, role=Role.supervisor,
                   password=PASSWORD, org_unit_ids=[world.other_district.id]),
        actor_id=None,
    )  # fmt: skip
    r = as_(hillside).post(f"/actions/{action['id']}/disclosure")
    assert r.status_code == 404 and r.json()["code"] == "action.not_found"  # not of its district: not revealed
    assert as_(hillside).get(f"/actions/{action['id']}/disclosure").status_code == 404
    assert "河劳监罚〔2026〕8号" not in decisions(desk)
    assert audited(session, "penalty.disclose", action["id"]) == []

    assert desk.post(f"/actions/{action['id']}/disclosure").status_code == 201
    r = api.post(f"/actions/{action['id']}/disclosure/withdraw", json={"reason": "varied", "note": "changed"})
    assert r.status_code == 403 and r.json()["code"] == "disclosure.forbidden"
    assert api.get(f"/actions/{action['id']}/disclosure").json()["status"] == "disclosed"  # the inspector reads it
    assert "河劳监罚〔2026〕8号" not in decisions(as_(hillside))  # another district's list


def test_an_appeal_revoking_the_decision_after_disclosure_withdraws_it_and_an_individual_is_withheld(
    as_, inspector, supervisor, session, world, checklist, company
):
    api, desk = as_(inspector), as_(supervisor)
    action = penalty(api, company, checklist, decision_number="河劳监罚〔2026〕9号")
    assert desk.post(f"/actions/{action['id']}/disclosure").status_code == 201
    appeal = desk.post(f"/actions/{action['id']}/appeals", json={"kind": "reconsideration", "lodged_on": "2026-11-05"})
    assert appeal.status_code == 201, appeal.text
    outcome = {"outcome": "revoked", "decided_on": "2026-11-25", "note": "张三 13800138000"}
    decided = desk.post(f"/appeals/{appeal.json()['id']}/decide", json=outcome)
    assert decided.status_code == 200, decided.text
    shown = desk.get(f"/actions/{action['id']}/disclosure").json()
    assert (shown["status"], shown["withdrawal_reason"]) == ("withdrawn", "revoked") and shown["withdrawn_on"]
    assert shown["withdrawal_note"] == "reconsideration 2026-11-25"  # the appeal named, not its free text
    row = decisions(desk)["河劳监罚〔2026〕9号"]
    assert (row["status"], row["withdrawal_reason"], row["party_name"], row["amount"]) == (
        "withdrawn", "revoked", "", ""
    )  # fmt: skip
    r = desk.post(f"/actions/{action['id']}/disclosure/withdraw", json={"reason": "revoked", "note": "again"})
    assert r.status_code == 409 and r.json()["code"] == "disclosure.withdrawn"

    small = penalty(api, individual(session, world), checklist, decision_number="河劳监罚〔2026〕10号")
    r = desk.post(f"/actions/{small['id']}/disclosure")
    assert r.status_code == 201, r.text
    assert r.json()["content"]["party"] == {"name": "", "registration_number": ""}
    row = decisions(desk)["河劳监罚〔2026〕10号"]
    assert (row["party_name"], row["registration_number"], row["amount"], row["status"]) == (
        "", "", "2000.50", "disclosed"
    )  # fmt: skip
    everything = desk.get("/opendata/penalty-decisions.csv").text
    for secret in ("王五", "张三", "13800138000", "Inspector", "inspector@"):
        assert secret not in everything, secret
