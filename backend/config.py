"""Settings for the whole service, read once from the environment (prefix ``LI_``).

Nothing else in the project reads ``os.environ``.
"""

from pathlib import Path
from typing import Literal

from pydantic import SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parent.parent
DEV_SECRET = "dev-secret-change-me-0123456789abcdef"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="LI_", env_file=".env", extra="ignore")

    environment: Literal["dev", "test", "prod"] = "dev"
    database_url: str = f"sqlite:///{ROOT / 'var' / 'app.db'}"
    secret_key: SecretStr = SecretStr(DEV_SECRET)
    access_token_minutes: int = 30
    device_token_days: int = 30  # a device token unused this long expires (sliding, on last use)
    device_token_max_days: int = 90  # and any device token expires this long after it was issued (absolute)
    attachments_dir: Path = ROOT / "var" / "attachments"
    checklists_dir: Path = ROOT / "checklists"
    pwa_dir: Path = ROOT / "pwa" / "dist"
    first_admin_email: str | None = None
    first_admin_password: SecretStr | None = None
    demo_data: bool = False
    max_blob_bytes: int = 25 * 1024 * 1024

    @model_validator(mode="after")
    def _refuse_default_secret(self) -> "Settings":
        if self.environment == "prod" and self.secret_key.get_secret_value() == DEV_SECRET:
            raise ValueError("LI_SECRET_KEY must be set to a private value when LI_ENVIRONMENT=prod")
        if self.environment == "prod" and len(self.secret_key.get_secret_value()) < 32:
            raise ValueError("LI_SECRET_KEY must be at least 32 characters in prod")
        return self


settings = Settings()
