"""Publishing checklist files to immutable versions, and the read API."""

import pytest

from backend.checklists import service
from backend.checklists.definition import Checklist
from backend.checklists.loader import load_library
from backend.config import settings
from backend.errors import Conflict


@pytest.fixture
def library():
    return load_library(settings.checklists_dir)


def test_republishing_identical_content_is_a_no_op(session, library):
    results = service.publish_dir(session, settings.checklists_dir, actor_id=None)
    assert results and not any(r.created for r in results)


def test_changed_content_under_a_published_version_is_refused(session, library):
    original = library.checklists[0]
    data = original.model_dump(mode="json")
    data["title"]["en"] += " (edited)"
    with pytest.raises(Conflict) as exc:
        service.publish(session, Checklist.model_validate(data), actor_id=None)
    assert exc.value.code == "checklist.version_changed"
    data["version"] = original.version + 1
    result = service.publish(session, Checklist.model_validate(data), actor_id=None)
    assert result.created
    latest = {c.key: c.version for c in service.list_published(session)}
    assert latest[original.key] == original.version + 1
    every = [(c.key, c.version) for c in service.list_published(session, all_versions=True)]
    assert (original.key, original.version) in every and (original.key, original.version + 1) in every


def test_read_api_serves_published_definitions(as_, inspector, anon, library):
    listed = as_(inspector).get("/checklists").json()
    assert {c["key"] for c in listed} == {c.key for c in library.checklists}
    first = library.checklists[0]
    r = as_(inspector).get(f"/checklists/{first.key}/{first.version}")
    assert r.status_code == 200
    body = r.json()
    served = body["definition"]
    added = {"offered_measure", "citations"}
    own_authority = {item.id for item in first.items() if item.authority is not None}

    def as_stored(item: dict) -> dict:
        # The server adds each item's resolved authority; the file states it only where an item differs.
        return {k: v for k, v in item.items() if k not in added and (k != "authority" or item["id"] in own_authority)}

    stored = {**served, "sections": [{**s, "items": [as_stored(i) for i in s["items"]]} for s in served["sections"]]}
    assert Checklist.model_validate(stored) == first
    item, basis = served["sections"][0]["items"][0], first.sections[0].items[0].legal_basis[0]
    assert item["citations"][0]["instrument"] == basis.instrument and item["citations"][0]["text"]["zh"]
    assert item["offered_measure"]["usual"] == first.sections[0].items[0].measure.type
    assert body["item_count"] == len(first.items())
    assert body["title"] == {"en": first.title.en, "zh": first.title.zh}
    missing = as_(inspector).get(f"/checklists/{first.key}/9999")
    assert missing.status_code == 404 and missing.json()["code"] == "checklist.not_found"
    assert anon.get("/checklists").status_code == 401


def test_served_items_offer_a_referral_where_the_inspectorate_lacks_the_power(session, as_, inspector, library):
    """A stop-work item the work-safety authority enforces, served to a labour inspectorate, offers a referral."""
    data = library.checklists[0].model_dump(mode="json")
    data["version"] = 999
    data["authority"] = "labour_inspection"
    first, second = data["sections"][0]["items"][:2]
    first.update(authority="work_safety", measure={"type": "stop_work", "deadline_days": None})
    second.update(authority=None, measure={"type": "penalty", "deadline_days": None})
    service.publish(session, Checklist.model_validate(data), actor_id=None)
    session.commit()
    url = f"/checklists/{data['key']}/999"

    items = as_(inspector).get(url).json()["definition"]["sections"][0]["items"]
    assert items[0]["authority"] == "work_safety"
    assert items[0]["offered_measure"] == {
        "type": "referral",
        "deadline_days": None,
        "usual": "stop_work",
        "authority": "work_safety",
        "referral_to": {
            "en": "Referral to the competent authority (emergency management (work safety supervision))",
            "zh": "移送有管辖权的部门（应急管理（安全生产监督管理））",
        },
    }
    assert items[1]["authority"] == "labour_inspection" and items[1]["offered_measure"]["type"] == "penalty"

    settings.inspectorate_authorities = "labour_inspection,work_safety"
    try:
        items = as_(inspector).get(url).json()["definition"]["sections"][0]["items"]
    finally:
        settings.inspectorate_authorities = "labour_inspection"
    assert items[0]["offered_measure"]["type"] == "stop_work" and items[0]["offered_measure"]["referral_to"] is None
