"""The projection's wiring: listeners on the application's ``AppSession``, not on SQLAlchemy's global ``Session``;
domain writes need the typed context; a measure keeps every item it remedies."""

import pytest
from sqlalchemy import event
from sqlmodel import Session

from backend import changes
from backend.auth import service as auth
from backend.auth.models import Role, User, UserUpdate
from backend.db import AppSession
from backend.device_sync import feed
from backend.orgs import service as orgs
from backend.orgs.models import Establishment
from tests.backend.test_inspections import start


def test_the_projection_listens_on_the_applications_session_only():
    assert event.contains(AppSession, "before_commit", feed._before_commit)
    assert not event.contains(Session, "before_commit", feed._before_commit)


def test_scope_changes_are_explicit_events_not_a_flush_hook(session, world, admin, as_):
    """``auth.update_user`` records ``ScopeChanged`` (with the scope before), ``orgs.move_establishment``
    ``EstablishmentMoved``; plain attribute writes record nothing and no flush listener is left to notice them."""
    listeners = AppSession().dispatch
    # enforcement derives violations from InspectionSubmitted events, then the projection writes the sync rows
    assert [fn.__module__ for fn in listeners.before_commit] == [
        "backend.enforcement.violations",
        "backend.device_sync.feed",
    ]
    assert list(listeners.after_flush) == [] and list(listeners.before_flush) == []
    before = frozenset([world.district.id])
    r = as_(admin).patch(f"/users/{world.inspector.id}", json={"org_unit_ids": [str(world.other_district.id)]})
    assert r.status_code == 200, r.text
    nested = session.begin_nested()
    user = session.get(User, world.second_inspector.id)
    auth.update_user(session, user, UserUpdate(role=Role.supervisor), actor_id=admin.id)
    establishment = session.get(Establishment, world.factory.id)
    orgs.move_establishment(session, None, establishment, world.other_district.id)
    recorded = list(changes.changes_of(session).events)
    assert changes.ScopeChanged(world.second_inspector.id, "inspector", before) in recorded
    assert changes.EstablishmentMoved(world.factory.id, world.district.id) in recorded
    nested.rollback()


def test_a_change_event_needs_the_applications_session(world):
    with pytest.raises(TypeError, match="AppSession"):
        changes.record(Session(), changes.EstablishmentChanged(world.factory.id))


def test_a_measure_remedies_several_items_and_the_record_shows_them(as_, inspector, world, checklist):
    api = as_(inspector)
    insp = start(api, world.factory, checklist)
    first, second = (i["id"] for i in checklist["definition"]["sections"][0]["items"][:2])
    r = api.post(f"/inspections/{insp['id']}/actions",
                 json={"measure": "warning", "item_id": first, "item_ids": [second, first]})  # fmt: skip
    assert r.status_code == 201, r.text
    assert r.json()["item_ids"] == sorted([first, second])
    [measure] = api.get(f"/inspections/{insp['id']}").json()["measures"]
    assert measure["item_ids"] == sorted([first, second])
    bad = api.post(f"/inspections/{insp['id']}/actions", json={"measure": "warning", "item_ids": ["no.such.item"]})
    assert bad.status_code == 422 and bad.json()["code"] == "finding.unknown_item"
