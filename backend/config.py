"""Settings for the whole service, read once from the environment (prefix ``LI_``).

Nothing else in the project reads ``os.environ``.
"""

from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parent.parent
DEV_SECRET = "dev-secret-change-me-0123456789abcdef"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="LI_", env_file=".env", extra="ignore")

    environment: Literal["dev", "test", "prod"] = "dev"
    database_url: str = f"sqlite:///{ROOT / 'var' / 'app.db'}"
    secret_key: SecretStr = SecretStr(DEV_SECRET)
    access_token_minutes: int = 30
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
    # enforcement (issue 17): a violation repeats one of the same provision at the establishment found this many
    # years before; official notice numbers per org unit and year ({unit} code, {year}, {serial}) and how many a
    # device reserves at once.
    repeat_violation_years: int = Field(default=2, ge=1, le=20)
    notice_number_pattern: str = "〔{year}〕第{serial:04d}号"
    notice_block_size: int = Field(default=20, ge=1, le=1000)

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
        try:
            ZoneInfo(self.default_timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"LI_DEFAULT_TIMEZONE {self.default_timezone!r} is not a known time zone") from None
        return self


settings = Settings()
