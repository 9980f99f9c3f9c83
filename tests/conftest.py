"""Test settings first (settings are read on import), then shared fixtures for every suite."""

import os
import tempfile

_TMP = tempfile.mkdtemp(prefix="li-test-")
os.environ["LI_ENVIRONMENT"] = "test"
os.environ["LITEST_SEED_CACHE"] = f"{_TMP}/seeds"
os.environ["LI_DATABASE_URL"] = f"sqlite:///{_TMP}/default.db"
os.environ["LI_ATTACHMENTS_DIR"] = f"{_TMP}/attachments"
os.environ["LI_SECRET_KEY"] = "test-secret-key-0123456789abcdef-0123456789"
# Empty rather than unset, so a developer's .env file cannot leak into the tests.
os.environ["LI_FIRST_ADMIN_EMAIL"] = ""
os.environ["LI_FIRST_ADMIN_PASSWORD"] = ""
os.environ["LI_DEMO_DATA"] = "false"
os.environ["LI_CHECKLISTS_DIR"] = os.environ.get("LI_TEST_CHECKLISTS_DIR", "checklists")
