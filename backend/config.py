"""Settings for the whole service, read once from the environment (prefix ``LI_``).

Nothing else in the project reads ``os.environ``.
"""

import base64
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parent.parent
DEV_SECRET = "dev-secret-change-me-0123456789abcdef"
# complaints (cpl): the Fernet key complainant identities are encrypted with when LI_COMPLAINANT_KEYS is unset
# outside prod. Public, so it protects nothing: prod refuses to start without its own keys.
DEV_COMPLAINANT_KEY = "ZGV2LWNvbXBsYWluYW50LWtleS1ub3Qtc2VjcmV0ISE="


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="LI_", env_file=".env", extra="ignore")

    environment: Literal["dev", "test", "prod"] = "dev"
    database_url: str = f"sqlite:///{ROOT / 'var' / 'app.db'}"
    secret_key: SecretStr = SecretStr(DEV_SECRET)
    access_token_minutes: int = 30
    # A desk session renews its access token while in use, for at most this long after the password was given.
    session_max_hours: int = Field(default=12, ge=1)
    # A device token unused this long expires (sliding, on last use); any device token expires this long after it
    # was issued (absolute). Upgrading from a 180-day default: tablets idle for 30-180 days sign in again once.
    device_token_days: int = Field(default=30, ge=1)
    device_token_max_days: int = Field(default=90, ge=1)
    attachments_dir: Path = ROOT / "var" / "attachments"
    checklists_dir: Path = ROOT / "checklists"
    pwa_dir: Path = ROOT / "pwa" / "dist"
    first_admin_email: str | None = None
    first_admin_password: SecretStr | None = None
    demo_data: bool = False
    # Which enforcing authorities this inspectorate is (comma-separated ``Authority`` names of
    # backend/checklists/definition.py). A measure on an item another authority enforces (stop-work, penalty) is
    # offered as a referral to that authority instead (Regulation on Labour Security Supervision Art. 35).
    inspectorate_authorities: str = "labour_inspection"
    max_blob_bytes: int = 25 * 1024 * 1024
    # Requests using the database at once (the others wait without holding one of the 40 worker threads:
    # ``backend.api``), and the connection pool serving them.
    db_requests: int = Field(default=20, ge=1, le=32)
    db_pool_size: int = Field(default=10, ge=1)
    db_max_overflow: int = Field(default=10, ge=0)
    # The time zone an inspection's visit date is the local date in (an IANA name).
    default_timezone: str = "Asia/Shanghai"
    # supervisor desk (issue 16): a GPS fix farther than this from the establishment's registered location
    # (beyond its accuracy) is flagged on the desk.
    gps_far_metres: float = Field(default=1000, gt=0)
    # complaints (cpl): Fernet keys (comma-separated, newest first) the complainant's identity is encrypted with;
    # the first encrypts, every one decrypts (rotation: ``cli rotate-complainant-key``). Required in prod.
    complainant_keys: SecretStr | None = None
    # planning (cpl): the weight of each component of an establishment's risk score (backend/planning/risk.py).
    risk_weights: dict[str, float] = {
        "sector": 1.0, "size": 1.0, "violations": 1.0, "orders": 1.0, "complaints": 1.0, "accidents": 1.0,
        "last_visit": 1.0,
    }  # fmt: skip
    # --- ops (production): logs ---
    # "json": one JSON object a line with the request id (production); "text": readable lines (development).
    log_format: Literal["text", "json"] = "text"
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    # --- ops: where `backend.cli backup` writes its archives by default ---
    backup_dir: Path = ROOT / "var" / "backups"
    # --- ops: where attachments live: "filesystem" (LI_ATTACHMENTS_DIR) or "s3" (an S3-compatible object store,
    # shared by several app servers; LI_ATTACHMENTS_DIR then only caches blobs being served) ---
    attachment_store: Literal["filesystem", "s3"] = "filesystem"
    s3_endpoint_url: str | None = None
    s3_bucket: str = "labour-inspection"
    s3_region: str = "us-east-1"
    s3_access_key_id: str | None = None
    s3_secret_access_key: SecretStr | None = None
    # enforcement (issue 17): a violation repeats one of the same provision at the establishment found this many
    # years before; official notice numbers per org unit and year ({unit} code, {year}, {serial}) and how many a
    # device reserves at once.
    repeat_violation_years: int = Field(default=2, ge=1, le=20)
    notice_number_pattern: str = "〔{year}〕第{serial:04d}号"
    notice_block_size: int = Field(default=20, ge=1, le=1000)
    # sign-in guard (hard, issue 21): backend/auth/guard.py
    sign_in_free_failures: int = Field(default=3, ge=0, le=100)
    sign_in_max_delay_seconds: int = Field(default=30, ge=1, le=3600)
    sign_in_window_minutes: int = Field(default=15, ge=1, le=1440)
    sign_in_lockout_failures: int = Field(default=10, ge=2, le=1000)
    sign_in_lockout_minutes: int = Field(default=15, ge=1, le=1440)
    # uploads (hard, issue 21): an upload in progress is its uploader's this long, then anyone may take it over
    blob_claim_minutes: int = Field(default=60, ge=1)
    # uploads (hard, issue 21): an image's width x height at most (decompression bombs; Pillow's own limit is 89 M)
    max_image_pixels: int = Field(default=50_000_000, ge=1, le=80_000_000)
    # exports (exp3): files the worker writes for export jobs, and how long their download link lasts
    export_dir: Path = ROOT / "var" / "exports"
    export_link_ttl_hours: int = Field(default=24, ge=1, le=24 * 30)

    @model_validator(mode="after")
    def _refuse_default_secret(self) -> "Settings":
        if self.environment == "prod" and self.secret_key.get_secret_value() == DEV_SECRET:
            raise ValueError("LI_SECRET_KEY must be set to a private value when LI_ENVIRONMENT=prod")
        if self.environment == "prod" and len(self.secret_key.get_secret_value()) < 32:
            raise ValueError("LI_SECRET_KEY must be at least 32 characters in prod")
        if self.device_token_days > self.device_token_max_days:
            raise ValueError("LI_DEVICE_TOKEN_DAYS (inactivity) must not exceed LI_DEVICE_TOKEN_MAX_DAYS (absolute)")
        if self.db_requests > self.db_pool_size + self.db_max_overflow:
            raise ValueError("LI_DB_REQUESTS must not exceed LI_DB_POOL_SIZE + LI_DB_MAX_OVERFLOW (connections)")
        self._check_complainant_keys()  # complaints (cpl)
        self._check_risk_weights()  # planning (cpl)
        try:
            ZoneInfo(self.default_timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"LI_DEFAULT_TIMEZONE {self.default_timezone!r} is not a known time zone") from None
        return self

    def _check_complainant_keys(self) -> None:
        """complaints (cpl): every key is a Fernet key (32 bytes, URL-safe base64); that production has keys of its
        own is a refusal of ``backend/ops/prodcheck.py``."""
        if self.complainant_keys is None:
            return
        keys = complainant_key_list(self.complainant_keys.get_secret_value())
        if not keys:
            raise ValueError("LI_COMPLAINANT_KEYS holds no key")
        for key in keys:
            try:
                raw = base64.urlsafe_b64decode(key.encode("ascii"))
            except (ValueError, UnicodeEncodeError):
                raw = b""
            if len(raw) != 32:
                raise ValueError("each LI_COMPLAINANT_KEYS key is 32 bytes of URL-safe base64 (a Fernet key)")

    def _check_risk_weights(self) -> None:
        """planning (cpl): weights name known components (a missing one weighs 1.0) and lie in 0..100."""
        unknown = sorted(set(self.risk_weights) - set(RISK_COMPONENTS))
        if unknown:
            raise ValueError(f"LI_RISK_WEIGHTS names unknown components {unknown}; known: {list(RISK_COMPONENTS)}")
        if any(not 0 <= w <= 100 for w in self.risk_weights.values()):
            raise ValueError("LI_RISK_WEIGHTS weights lie between 0 and 100")


# planning (cpl): the components of the risk score (backend/planning/risk.py), in the order they are shown.
RISK_COMPONENTS = ("sector", "size", "violations", "orders", "complaints", "accidents", "last_visit")


def complainant_key_list(text: str) -> list[str]:
    """complaints (cpl): the keys of a LI_COMPLAINANT_KEYS value, newest first."""
    return [k.strip() for k in text.split(",") if k.strip()]


settings = Settings()
