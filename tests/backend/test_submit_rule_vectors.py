"""The submission rule's shared cases (tests/vectors/submit_rule.json) through the server's missing_for_submit;
pwa/test/submitrule.test.ts runs the same cases through the device's rule, so both sides refuse alike."""

import json
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session

from backend.checklists import service as checklists
from backend.checklists.definition import Checklist
from backend.inspections import review
from backend.inspections import service as inspections
from backend.inspections.models import Finding, FindingStatus
from backend.inspections.schemas import InspectionCreate
from backend.orgs.models import Establishment, EstablishmentCreate
from tests.backend.world import World, uscc

VECTORS = json.loads((Path(__file__).parents[1] / "vectors" / "submit_rule.json").read_text(encoding="utf-8"))
KEY = "submit-rule-vectors"


def _checklist() -> Checklist:
    """A checklist of the vector items, each filled out with what the schema needs and the rule ignores."""
    text = {"en": "Question", "zh": "问题"}
    items = [
        {"id": item["id"], "text": text, "guidance": text, "legal_basis": [{"instrument": "C081", "article": "1"}],
         "verification": ["observation"], "severity": "major", "evidence_required": item["evidence_required"],
         "applies_if": item["applies_if"], "measure": {"type": "advice"}}
        for item in VECTORS["items"]
    ]  # fmt: skip
    return Checklist.model_validate(
        {"key": KEY, "version": 1, "title": text, "description": text,
         "sections": [{"id": "s1", "title": text, "items": items}]}
    )  # fmt: skip


@pytest.mark.parametrize("case", VECTORS["cases"], ids=[c["name"] for c in VECTORS["cases"]])
def test_missing_for_submit_gives_the_vector(session: Session, world: World, case: dict[str, Any]) -> None:
    checklists.publish(session, _checklist(), actor_id=None)
    profile = case["profile"]
    establishment = Establishment.model_validate(
        EstablishmentCreate(name="Vector works", registration_number=uscc(9001), district_id=world.district.id,
                            address="1 Vector Road", **profile)
    )  # fmt: skip
    session.add(establishment)
    session.flush()
    inspection = inspections.create(
        session,
        world.inspector,
        InspectionCreate.model_validate(
            {"establishment_id": establishment.id, "type": "planned", "checklists": [{"key": KEY, "version": 1}]}
        ),
    )
    for item_id, status in case["answers"].items():
        session.add(
            Finding(inspection_id=inspection.id, checklist_key=KEY, item_id=item_id, status=FindingStatus(status),
                    evidence=case["evidence"].get(item_id, []), recorded_by=world.inspector.id)
        )  # fmt: skip
    session.flush()
    expected = [{"checklist_key": KEY, **m} for m in case["missing"]]
    assert review.missing_for_submit(session, inspection) == expected
