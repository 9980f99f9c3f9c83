"""The absolute lifetime of a device token (LI_DEVICE_TOKEN_MAX_DAYS): however active, a token stops working a
fixed time after it was issued; renewal with the password starts a new one for the same device."""

import uuid
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from backend import migrate
from backend.auth.models import Device
from backend.config import settings
from backend.db import UTCDateTime, make_engine, uuid7
from tests.backend.conftest import fresh_url
from tests.backend.devices import create, upload

EXPIRED = "auth.device_token_expired"


def issued(session, dev, *, ago: timedelta) -> None:
    """Pretend the device's token was issued ``ago``, and that the tablet was last seen a minute ago."""
    device = session.get(Device, uuid.UUID(dev.id))
    now = datetime.now(UTC)
    device.token_issued_at = now - ago
    device.last_seen_at = now - timedelta(minutes=1)
    session.add(device)
    session.flush()


def head(dev, digest, token=None):
    return dev.api.request("HEAD", f"/blobs/{digest}", headers=dev.auth(token))


def get_blob(dev, digest, token=None):
    return dev.api.get(f"/blobs/{digest}", headers=dev.auth(token))


def test_registration_stamps_the_issue_time(session, lead):
    device = session.get(Device, uuid.UUID(lead.id))
    assert abs(device.token_issued_at - datetime.now(UTC)) < timedelta(minutes=1)
    assert device.token_issued_at >= device.created_at


def test_a_token_past_the_absolute_limit_is_refused_though_used_a_minute_ago(session, lead, world, checklist):
    digest = upload(lead.api)
    issued(session, lead, ago=timedelta(days=settings.device_token_max_days, minutes=1))
    r = lead.push(lead.mutation("inspection.create", inspection_id=str(uuid7())))
    assert r.status_code == 401 and r.json()["code"] == EXPIRED, r.text
    assert r.headers["content-type"] == "application/problem+json"
    r = lead.pull()
    assert r.status_code == 401 and r.json()["code"] == EXPIRED, r.text
    assert head(lead, digest).status_code == 401  # a HEAD answer has no body to carry the code
    r = get_blob(lead, digest)
    assert r.status_code == 401 and r.json()["code"] == EXPIRED, r.text
    r = lead.api.get("/users/me", headers=lead.auth())
    assert r.status_code == 401 and r.json()["code"] == EXPIRED


def test_a_token_just_under_the_limit_works(session, lead, world, checklist):
    digest = upload(lead.api)
    issued(session, lead, ago=timedelta(days=settings.device_token_max_days) - timedelta(minutes=5))
    create(lead, world, checklist)  # push: applied
    assert lead.pull().status_code == 200
    r = head(lead, digest)
    assert r.status_code == 200 and r.headers["blob-verified"] == "true"
    assert get_blob(lead, digest).status_code == 200


def test_renewal_after_the_absolute_expiry_gives_the_same_device_a_working_token(session, lead, world, checklist):
    digest = upload(lead.api)
    issued(session, lead, ago=timedelta(days=settings.device_token_max_days + 10))
    iid = str(uuid7())
    queued = lead.mutation(
        "inspection.create", inspection_id=iid, establishment_id=str(world.factory.id),
        checklist=f"{checklist['key']}@{checklist['version']}", team=[],
        header={"visit_date": "2026-11-02", "location": "Gate 2"},
    )  # fmt: skip
    assert lead.push(queued).json()["code"] == EXPIRED
    old = lead.token

    renewed = lead.api.post(f"/devices/{lead.id}/token")  # the signed-in user's access token (password)
    assert renewed.status_code == 200, renewed.text
    assert renewed.json()["id"] == lead.id
    lead.token = renewed.json()["token"]
    device = session.get(Device, uuid.UUID(lead.id))
    session.refresh(device)
    assert abs(device.token_issued_at - datetime.now(UTC)) < timedelta(minutes=1)  # a new lifetime starts

    r = lead.push(queued)  # the same batch, same seq: nothing was lost while the token was refused
    assert r.status_code == 200 and r.json()["results"][0]["outcome"] == "applied", r.text
    assert lead.pull().status_code == 200
    assert head(lead, digest).status_code == 200
    assert get_blob(lead, digest).status_code == 200

    body = {"protocol": 1, "device_id": lead.id, "cursor": 0, "limit": 10}
    r = lead.api.post("/sync/pull", json=body, headers=lead.auth(old))
    assert r.status_code == 401 and r.json()["code"] == "auth.device_revoked"  # the old token is gone for good
    assert head(lead, digest, old).status_code == 401


def test_a_device_token_cannot_renew_itself_after_expiry(session, lead):
    issued(session, lead, ago=timedelta(days=settings.device_token_max_days + 1))
    r = lead.api.post(f"/devices/{lead.id}/token", headers=lead.auth())
    assert r.status_code == 401 and r.json()["code"] == EXPIRED


def test_the_upgrade_starts_existing_tokens_lifetime_at_the_upgrade(db_kind, request, tmp_path):
    """Backfill with the upgrade time, not created_at: an old tablet must not be locked out by the upgrade."""
    url = fresh_url(db_kind, request, "device_token_backfill", tmp_path)
    migrate.upgrade("0005_integrity_checks", url=url)
    users = sa.table(
        "user_account", sa.column("id", sa.Uuid()), sa.column("email", sa.String()), sa.column("name", sa.String()),
        sa.column("role", sa.String()), sa.column("active", sa.Boolean()), sa.column("password_hash", sa.String()),
        sa.column("created_at", UTCDateTime()),
    )  # fmt: skip
    devices = sa.table(
        "device", sa.column("id", sa.Uuid()), sa.column("user_id", sa.Uuid()), sa.column("name", sa.String()),
        sa.column("token_hash", sa.String()), sa.column("created_at", UTCDateTime()),
    )  # fmt: skip
    long_ago = datetime.now(UTC) - timedelta(days=settings.device_token_max_days * 3)
    user_id, device_id = uuid7(), uuid7()
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(users.insert().values(id=user_id, email="old@test.example", name="Old", role="admin",
                                               active=True, password_hash="x", created_at=long_ago))  # fmt: skip
            conn.execute(devices.insert().values(id=device_id, user_id=user_id, name="Old tablet",
                                                 token_hash="0" * 64, created_at=long_ago))  # fmt: skip
        before = datetime.now(UTC)
        migrate.upgrade(url=url)
        with engine.connect() as conn:
            stamp = conn.execute(
                sa.select(sa.column("token_issued_at", UTCDateTime())).select_from(sa.table("device"))
            ).scalar_one()
            columns = {c["name"]: c for c in sa.inspect(conn).get_columns("device")}
        assert before - timedelta(seconds=5) <= stamp <= datetime.now(UTC)
        assert columns["token_issued_at"]["nullable"] is False
        migrate.downgrade("0005_integrity_checks", url=url)
        with engine.connect() as conn:
            assert "token_issued_at" not in {c["name"] for c in sa.inspect(conn).get_columns("device")}
    finally:
        engine.dispose()
