"""The complainant-identity keys: production refuses to start without its own, and ``rotate-complainant-key``
re-encrypts every identity under the new key, after which the old one can go (a real process, SQLite and
PostgreSQL)."""

import os
import subprocess
import sys
from datetime import date

import pytest
from pydantic import ValidationError
from sqlmodel import select

from backend import migrate
from backend.complaints import identity
from backend.complaints.models import Complaint
from backend.config import DEV_COMPLAINANT_KEY, Settings
from backend.db import AppSession, make_engine
from backend.ops import prodcheck
from tests.backend.conftest import fresh_url
from tests.backend.world import build_world

PROD = {"environment": "prod", "secret_key": "a-private-secret-of-at-least-32-characters"}


def test_prod_refuses_to_start_without_its_own_keys():
    for keys in ("not-a-key", " , "):
        with pytest.raises(ValidationError, match="LI_COMPLAINANT_KEYS"):
            Settings(**PROD, complainant_keys=keys)
    for keys in (None, DEV_COMPLAINANT_KEY):
        found = prodcheck.refusals(Settings(**PROD, complainant_keys=keys))
        assert any("LI_COMPLAINANT_KEYS" in r for r in found), found
    own = Settings(**PROD, complainant_keys=f"{identity.new_key()}, {identity.new_key()}")
    assert not any("LI_COMPLAINANT_KEYS" in r for r in prodcheck.refusals(own))
    assert Settings(environment="dev").complainant_keys is None  # dev and tests: the public development key
    env = os.environ | {"LI_ENVIRONMENT": "prod", "LI_SECRET_KEY": PROD["secret_key"]}
    env.pop("LI_COMPLAINANT_KEYS", None)
    start = "from backend.config import settings; from backend.ops import prodcheck; prodcheck.enforce(settings)"
    run = subprocess.run([sys.executable, "-c", start], capture_output=True, text=True, env=env)
    assert run.returncode != 0 and "LI_COMPLAINANT_KEYS is unset" in run.stderr


def test_rotate_complainant_key(db_kind, request, tmp_path):
    url = fresh_url(db_kind, request, f"keys_{tmp_path.name[-12:].replace('-', '_').lower()}", tmp_path)
    migrate.upgrade(url=url)
    old, new = identity.new_key(), identity.new_key()
    engine = make_engine(url)
    try:
        with AppSession(engine, expire_on_commit=False) as session, session.begin():
            world = build_world(session)
            token = identity.seal(identity.Complainant(name="Li Planted", phone="13900000001"), old)
            session.add(Complaint(establishment_id=world.factory.id, district_id=world.district.id, summary="s",
                                  received_on=date(2026, 11, 1), anonymous=False, complainant_token=token,
                                  created_by=world.inspector.id))  # fmt: skip
        env = os.environ | {"LI_DATABASE_URL": url, "LI_COMPLAINANT_KEYS": f"{new},{old}"}
        cmd = [sys.executable, "-m", "backend.cli", "rotate-complainant-key"]
        done = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120)
        assert done.returncode == 0 and "re-encrypted 1 " in done.stdout, done.stderr
        with AppSession(engine) as session:
            stored = session.exec(select(Complaint)).one().complainant_token
        assert stored is not None and stored != token
        assert identity.unseal(stored, new).name == "Li Planted"
        with pytest.raises(identity.IdentityUnreadable):
            identity.unseal(stored, old)
        # Removing a key before rotating with it: the command says so and changes nothing.
        env["LI_COMPLAINANT_KEYS"] = identity.new_key()
        failed = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120)
        assert failed.returncode == 1 and "keep every old key" in failed.stderr
        fresh = subprocess.run([*cmd, "--new-key"], capture_output=True, text=True, env=env, timeout=120)
        assert Settings(**PROD, complainant_keys=fresh.stdout.strip()).complainant_keys
    finally:
        engine.dispose()
