"""What production refuses to start with. Each refusal is a function of the settings giving a sentence or None;
other areas append theirs to ``REFUSALS`` (``prodcheck.REFUSALS.append(my_check)``)."""

import logging
from collections.abc import Callable
from urllib.parse import urlsplit

from backend.config import DEV_COMPLAINANT_KEY, DEV_SECRET, Settings, complainant_key_list

log = logging.getLogger("backend.ops")
Refusal = Callable[[Settings], str | None]
WEAK_PASSWORDS = {"admin", "password", "changeme", "change-me", "postgres", "secret", "123456", "12345678"}
MIN_ADMIN_PASSWORD = 12


class ProductionRefused(SystemExit):
    """Raised at start-up in production when any refusal applies; the message lists them all."""


def _secret_key(s: Settings) -> str | None:
    key = s.secret_key.get_secret_value()
    if key == DEV_SECRET or "change-me" in key or len(key) < 32:
        return "LI_SECRET_KEY is the development key or shorter than 32 characters (make one: openssl rand -hex 32)"
    return None


def _first_admin_password(s: Settings) -> str | None:
    if s.first_admin_password is None or not s.first_admin_email:
        return None
    value = s.first_admin_password.get_secret_value()
    if not value:
        return None
    if value.lower() in WEAK_PASSWORDS or "change-me" in value.lower() or len(value) < MIN_ADMIN_PASSWORD:
        return f"LI_FIRST_ADMIN_PASSWORD is a default or shorter than {MIN_ADMIN_PASSWORD} characters"
    return None


def _database_password(s: Settings) -> str | None:
    password = urlsplit(s.database_url).password
    if password is not None and password.lower() in WEAK_PASSWORDS:
        return "LI_DATABASE_URL carries a default database password"
    return None


def _demo_data(s: Settings) -> str | None:
    return "LI_DEMO_DATA is on: demo accounts with printed passwords" if s.demo_data else None


def _complainant_keys(s: Settings) -> str | None:
    """complaints: identities sealed with the public development key are readable by anyone with the source."""
    if s.complainant_keys is None:
        return "LI_COMPLAINANT_KEYS is unset: complainants' identities need keys of their own (see README)"
    if DEV_COMPLAINANT_KEY in complainant_key_list(s.complainant_keys.get_secret_value()):
        return "LI_COMPLAINANT_KEYS holds the public development key"
    return None


REFUSALS: list[Refusal] = [_secret_key, _first_admin_password, _database_password, _demo_data, _complainant_keys]


def refusals(s: Settings) -> list[str]:
    return [reason for check in REFUSALS if (reason := check(s)) is not None]


def enforce(s: Settings) -> None:
    """In production, refuse to start (``ProductionRefused``) if any refusal applies; elsewhere say plainly
    that this is not production."""
    if s.environment != "prod":
        log.warning(
            "DEVELOPMENT MODE (LI_ENVIRONMENT=%s): the development secret key and demo data are allowed; "
            "set LI_ENVIRONMENT=prod for a real deployment",
            s.environment,
        )
        return
    found = refusals(s)
    if found:
        raise ProductionRefused(
            "refusing to start in production (LI_ENVIRONMENT=prod):\n" + "\n".join(f"  - {r}" for r in found)
        )
