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
    assert Checklist.model_validate(body["definition"]) == first
    assert body["item_count"] == len(first.items())
    assert body["title"] == {"en": first.title.en, "zh": first.title.zh}
    missing = as_(inspector).get(f"/checklists/{first.key}/9999")
    assert missing.status_code == 404 and missing.json()["code"] == "checklist.not_found"
    assert anon.get("/checklists").status_code == 401
