"""The lost-tablet signal (hardening, issue 21): a revoked device, or a device of a disabled account, is answered
``401 device.wipe`` on every route it calls — push included, so nothing it still holds is accepted — and a stale
token after a password change is not (that tablet keeps its outbox and renews its token)."""

import uuid
from datetime import UTC, datetime, timedelta

from sqlmodel import select

from backend.audit.models import AuditEvent
from backend.auth.models import Device
from backend.config import settings
from backend.db import uuid7
from backend.inspections.models import Inspection
from tests.backend.devices import create, upload

WIPE = "device.wipe"


def refused_everywhere(dev, digest: str) -> None:
    """Every route the field app calls says wipe; HEAD (no body) says it in its header."""
    iid = str(uuid7())
    r = dev.push(dev.mutation("inspection.create", inspection_id=iid))
    assert r.status_code == 401 and r.json()["code"] == WIPE, r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert r.headers["device-wipe"] == "true"
    r = dev.pull()
    assert r.status_code == 401 and r.json()["code"] == WIPE, r.text
    r = dev.api.request("HEAD", f"/blobs/{digest}", headers=dev.auth())
    assert r.status_code == 401 and r.headers["device-wipe"] == "true"
    for path in ("/users/me", "/checklists", f"/blobs/{digest}"):
        r = dev.api.get(path, headers=dev.auth())
        assert r.status_code == 401 and r.json()["code"] == WIPE, (path, r.text)


def test_a_revoked_device_is_told_to_wipe_and_its_push_is_refused(session, as_, admin, lead, world, checklist):
    create(lead, world, checklist)  # pushed while the device was trusted
    digest = upload(lead.api)
    assert as_(admin).post(f"/devices/{lead.id}/revoke").status_code == 200
    before = len(session.exec(select(Inspection)).all())
    refused_everywhere(lead, digest)
    assert len(session.exec(select(Inspection)).all()) == before  # the refused push wrote nothing
    refusals = session.exec(select(AuditEvent).where(AuditEvent.action == "auth.token_refused")).all()
    assert any(e.details.get("code") == WIPE and e.details.get("path") == "/api/v1/sync/push" for e in refusals)


def test_a_disabled_accounts_device_is_told_to_wipe_even_when_idle_past_expiry(session, as_, admin, lead, inspector):
    digest = upload(lead.api)
    desk = as_(inspector).headers  # an access token of the same account, before it is disabled
    r = as_(admin).patch(f"/users/{inspector.id}", json={"active": False})
    assert r.status_code == 200 and r.json()["active"] is False, r.text
    assert session.get(Device, uuid.UUID(lead.id)).revoked_at is None  # the device itself was not revoked
    refused_everywhere(lead, digest)
    r = lead.api.get("/users/me", headers=desk)  # a password sign-in's token: no device to wipe
    assert r.status_code == 401 and r.json()["code"] == "auth.inactive_user"
    device = session.get(Device, uuid.UUID(lead.id))
    device.last_seen_at = datetime.now(UTC) - timedelta(days=settings.device_token_days + 1)
    session.add(device)
    session.flush()
    r = lead.pull()  # idle past its lifetime too: still wipe, not "sign in again" (which the leaver cannot)
    assert r.status_code == 401 and r.json()["code"] == WIPE, r.text


def test_a_token_unset_by_a_password_change_is_no_wipe_signal(as_, admin, lead, inspector):
    r = as_(admin).patch(f"/users/{inspector.id}", json={"password": "a fresh and long passphrase 42"})
    assert r.status_code == 200, r.text
    r = lead.pull()
    assert r.status_code == 401 and r.json()["code"] == "auth.device_revoked", r.text
    assert "device-wipe" not in r.headers
